/**
 * bench/prompt: how quickly the prompt is there and completion answers (issue 7, "Speed").
 * - The first prompt drawn (`gms> ` at a real terminal, script(1)) after build/gms starts,
 *   against `bpftrace -e 'BEGIN { exit(); }'` in the same run. Goal: under 150 ms.
 * - Tab completion of a map name with 1,000 maps loaded (pinned for the run, removed after),
 *   timed in-process on the code the prompt calls. Goal: under 50 ms.
 * Medians. Run with `make bench` (root).
 */
import { mkdirSync, rmSync } from "node:fs";
import { complete } from "../src/shell/complete";
import { machineCompletion } from "../src/shell/machine-completion";
import { median } from "./median";

const GMS = new URL("../build/gms", import.meta.url).pathname;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function promptReady(): Promise<number> {
  const t = performance.now();
  const p = Bun.spawn(["script", "-qfec", `${GMS} --no-history`, "/dev/null"], { stdin: "pipe", stdout: "pipe", stderr: "ignore" });
  let screen = "";
  let ready = 0;
  for await (const c of p.stdout) {
    screen += new TextDecoder().decode(c);
    if (!ready && screen.includes("gms> ")) {
      ready = performance.now() - t;
      p.stdin.write("exit\n");
      p.stdin.flush();
    }
  }
  await p.exited;
  return ready;
}

function bpftraceBegin(): number {
  const t = performance.now();
  Bun.spawnSync(["bpftrace", "-e", "BEGIN { exit(); }"], { stdout: "ignore", stderr: "ignore" });
  return performance.now() - t;
}

const ready: number[] = [];
const bt: number[] = [];
await promptReady();
for (let r = 0; r < RUNS; r++) {
  ready.push(await promptReady());
  bt.push(bpftraceBegin());
}
const b = median(bt);
const g = median(ready);
console.log(`bpftrace -e 'BEGIN { exit(); }'                 ${b.toFixed(0).padStart(5)} ms  (yardstick)`);
console.log(`gms: first prompt drawn at a terminal            ${g.toFixed(0).padStart(5)} ms  ${(b / g).toFixed(2)}x the speed; goal under 150 ms: ${g < 150 ? "met" : "MISSED"}`);

// 1,000 maps, pinned so they outlive the bpftool that makes each.
const DIR = "/sys/fs/bpf/gms-bench-maps";
mkdirSync(DIR, { recursive: true });
try {
  for (let i = 0; i < 1000; i++) {
    const p = Bun.spawnSync(["bpftool", "map", "create", `${DIR}/m${i}`, "type", "array", "key", "4", "value", "4", "entries", "1", "name", `gmsb_${i}`]);
    if (p.exitCode !== 0) throw new Error(`bpftool map create: ${p.stderr}`);
  }
  const ctx = machineCompletion();
  const times: number[] = [];
  let got: string[] = [];
  for (let r = 0; r < RUNS + 1; r++) {
    const t = performance.now();
    got = complete("from map gmsb_99", ctx)[0];
    times.push(performance.now() - t);
  }
  const c = median(times.slice(1));
  console.log(`gms: Tab completion of a map name, 1,000 maps     ${c.toFixed(1).padStart(5)} ms  (${got.length} candidates); goal under 50 ms: ${c < 50 ? "met" : "MISSED"}`);
} finally {
  rmSync(DIR, { recursive: true, force: true });
}
