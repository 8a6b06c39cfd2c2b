#!/usr/bin/env bun
import { readFileSync } from "node:fs";
import { closeAllObjects } from "./bpf/object";
import { Executor } from "./exec/executor";
import { Demo, demoSpawner, demoWorker } from "./shell/demo";
import { runPrompt } from "./shell/prompt";
import { Session } from "./shell/session";
import pkg from "../package.json";

const USAGE = `gms ${pkg.version}: a sampling shell for eBPF

usage:
  gms                  open the prompt (or read statements from stdin when it is not a terminal)
  gms FILE.gms         run a script
  gms -e 'STMT; STMT'  run statements
  gms --demo           trace syscalls, start a small demo workload, open the prompt

Try: gms -e 'trace syscalls; wait 2s; sample 5 from map events weighted by qps'`;

const BANNER = `gms ${pkg.version}: tracing syscalls into map events. Try:
  sample 1% from map events weighted by qps
  sample 10 from map events seed 7
  show maps
Ctrl-D or 'exit' leaves (and detaches every probe).`;

let executor: Executor | undefined;
let demo: Demo | undefined;
let leaving = false;

/** shutdown: detaches every probe, stops the demo, and exits with `code`. */
function shutdown(code: number): never {
  if (!leaving) {
    leaving = true;
    try {
      executor?.close();
      closeAllObjects();
    } finally {
      demo?.stop();
    }
  }
  process.exit(code);
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === "--demo-worker") {
    await demoWorker(rest[0]!, Number(rest[1]), Number(rest[2]), Number(rest[3]));
  }
  if (first === "--demo-spawner") await demoSpawner(Number(rest[0]));
  if (first === "-h" || first === "--help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (first === "--version") {
    process.stdout.write(`gms ${pkg.version}\n`);
    return 0;
  }

  const color = !!process.stdout.isTTY && !process.env.NO_COLOR;
  executor = new Executor();
  const session = new Session(
    { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), color },
    executor,
  );

  if (first === "-e") {
    if (rest[0] === undefined) {
      process.stderr.write("gms: -e needs statements, as in gms -e 'show maps'\n");
      return 2;
    }
    return (await session.runText(rest[0], "<stdin>")) ? 0 : 1;
  }
  if (first === "--demo") {
    if (!(await session.runText("trace syscalls", "<demo>"))) return 1;
    demo = new Demo();
    demo.start();
    process.stdout.write("started a demo workload (demo-* processes) so there is something to see; it stops with the prompt\n");
    // The first qps figures appear when the probe's one-second clock first ticks.
    await Bun.sleep(1200);
    await runPrompt(session, { input: process.stdin, output: process.stdout, banner: BANNER });
    return 0;
  }
  if (first !== undefined) {
    if (first.startsWith("-")) {
      process.stderr.write(`gms: unknown option '${first}'\n${USAGE}\n`);
      return 2;
    }
    let text: string;
    try {
      text = readFileSync(first, "utf8");
    } catch (e) {
      process.stderr.write(`gms: cannot read ${first}: ${(e as NodeJS.ErrnoException).code ?? e}\n`);
      return 2;
    }
    return (await session.runText(text, first)) ? 0 : 1;
  }
  if (!process.stdin.isTTY) {
    const text = await Bun.stdin.text();
    return (await session.runText(text, "<stdin>")) ? 0 : 1;
  }
  await runPrompt(session, { input: process.stdin, output: process.stdout });
  return 0;
}

process.on("SIGINT", () => shutdown(130));
process.on("SIGTERM", () => shutdown(143));
process.on("SIGHUP", () => shutdown(129));
const crash = (e: unknown) => {
  process.stderr.write(`gms: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  if (process.env.GMS_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
  shutdown(70);
};
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

main(process.argv.slice(2)).then(shutdown, crash);
