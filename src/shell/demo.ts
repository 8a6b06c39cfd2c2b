import { accessSync, writeFileSync } from "node:fs";

/**
 * The demo workload `make run` starts so that an idle machine still has something to look at:
 * a few long-lived workers making syscalls at different rates and failure ratios, and a burst
 * of short-lived processes, as a busy host has. It is stopped when gms exits.
 */
const WORKERS: [name: string, perSecond: number, failing: number][] = [
  ["demo-web", 2400, 0.02],
  ["demo-db", 900, 0.0],
  ["demo-cache", 5000, 0.01],
  ["demo-queue", 300, 0.3],
  ["demo-cron", 60, 0.5],
  ["demo-log", 1500, 0.05],
];

function selfCommand(): string[] {
  // A compiled gms runs itself; from source, bun runs the entry script again.
  const script = process.argv[1];
  return script && !script.startsWith("/$bunfs") && script !== process.execPath
    ? [process.execPath, script]
    : [process.execPath];
}

/** Demo: the running demo processes. */
export class Demo {
  private readonly procs: ReturnType<typeof Bun.spawn>[] = [];

  start(): void {
    const self = selfCommand();
    for (const [name, rate, failing] of WORKERS) {
      this.procs.push(
        Bun.spawn([...self, "--demo-worker", name, String(rate), String(failing), String(process.pid)], {
          stdio: ["ignore", "ignore", "ignore"],
        }),
      );
    }
    this.procs.push(
      Bun.spawn([...self, "--demo-spawner", String(process.pid)], { stdio: ["ignore", "ignore", "ignore"] }),
    );
  }

  stop(): void {
    for (const p of this.procs) p.kill("SIGTERM");
    this.procs.length = 0;
  }
}

function parentGone(parent: number): boolean {
  try {
    process.kill(parent, 0);
    return false;
  } catch {
    return true;
  }
}

/** demoWorker: the body of one worker process: `rate` syscalls a second, `failing` of them fail. */
export async function demoWorker(name: string, rate: number, failing: number, parent: number): Promise<never> {
  writeFileSync("/proc/self/comm", name.slice(0, 15));
  const tick = 50;
  const perTick = Math.max(1, Math.round((rate * tick) / 1000));
  let n = 0;
  for (;;) {
    for (let i = 0; i < perTick; i++, n++) {
      const fail = (n * failing) % 1 + failing >= 1;
      try {
        accessSync(fail ? "/nonexistent/gms-demo" : "/proc/self");
      } catch {
        // a failing syscall is the point
      }
    }
    await Bun.sleep(tick);
    if (parentGone(parent)) process.exit(0);
  }
}

/** demoSpawner: starts short-lived processes, a burst first and then a trickle. */
export async function demoSpawner(parent: number): Promise<never> {
  writeFileSync("/proc/self/comm", "demo-spawner");
  for (let i = 0; ; i++) {
    const burst = i < 40 ? 10 : 1;
    const batch = Array.from({ length: burst }, () => Bun.spawn(["true"], { stdio: ["ignore", "ignore", "ignore"] }).exited);
    await Promise.all(batch);
    await Bun.sleep(i < 40 ? 20 : 200);
    if (parentGone(parent) || i > 2000) process.exit(0);
  }
}
