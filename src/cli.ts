#!/usr/bin/env bun
import { readFileSync, writeFileSync, writeSync } from "node:fs";
import { isatty } from "node:tty";
import { closeAllObjects } from "./bpf/object";
import { Executor } from "./exec/executor";
import { Demo, demoSpawner, demoWorker } from "./shell/demo";
import { runPrompt } from "./shell/prompt";
import { Session } from "./shell/session";
import { History, historySize } from "./shell/history";
import { machineCompletion } from "./shell/machine-completion";
import pkg from "../package.json";

const USAGE = `gms ${pkg.version}: a sampling shell for eBPF

usage:
  gms                  open the prompt (or read statements from stdin when it is not a terminal)
  gms FILE.gms         run a script (a first line '#!/usr/bin/env gms' makes it executable)
  gms -e 'STMT; STMT'  run statements
  gms --demo           trace syscalls, start a small demo workload, open the prompt

options:
  -D name=value        define a variable before the script runs, as 'let name = value' would
                       (a bare word is a string: -D comm=nginx)
  -k, --keep-going     go on past a failing statement; the exit status still says it failed
  --no-history         do not read or save the prompt's history (~/.gms_history; its size:
                       GMS_HISTORY_SIZE, 1000 lines unless set)

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

/**
 * writeOut: text or bytes to stdout, written before returning, so output streamed out of a large
 * scan keeps its order, is not held in memory, and is not cut short when gms exits. A reader that
 * has gone away (`gms ... | head`) ends gms quietly, as SIGPIPE ends other tools (status 141).
 */
function writeOut(data: string | Uint8Array): void {
  let buf = typeof data === "string" ? Buffer.from(data) : data;
  while (buf.length) {
    try {
      buf = buf.subarray(writeSync(1, buf));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "EAGAIN") Bun.sleepSync(1);
      else if (code === "EPIPE") shutdown(141);
      else throw e;
    }
  }
}

interface Args {
  e?: string;
  file?: string;
  defines: [string, string][];
  keepGoing: boolean;
  demo: boolean;
  history: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { defines: [], keepGoing: false, demo: false, history: true };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === "-e") {
      if (argv[i + 1] === undefined) return "-e needs statements, as in gms -e 'show maps'";
      a.e = argv[++i];
    } else if (x === "-D" || (x.startsWith("-D") && x.length > 2)) {
      const def = x === "-D" ? argv[++i] : x.slice(2);
      const m = def ? /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(def) : null;
      if (!m) return "-D needs name=value, as in gms -D pid=1234 script.gms";
      a.defines.push([m[1]!, m[2]!]);
    } else if (x === "--keep-going" || x === "-k") a.keepGoing = true;
    else if (x === "--demo") a.demo = true;
    else if (x === "--no-history") a.history = false;
    else if (x.startsWith("-") && x !== "-") return `unknown option '${x}'`;
    else if (a.file === undefined) a.file = x;
    else return `one script at a time ('${a.file}', then '${x}')`;
  }
  return a;
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
  const args = parseArgs(argv);
  if (typeof args === "string") {
    process.stderr.write(`gms: ${args}\n${USAGE}\n`);
    return 2;
  }

  // isatty rather than process.stdout.isTTY: making process.stdout builds a stream (2-3 ms of
  // every start) that -e and scripts never use; they write with writeSync.
  const tty = isatty(1);
  // Scripts, -e and piped statements run as the prompt does, minus the interaction: no colour
  // unless FORCE_COLOR asks for it, no progress.
  const prompt = args.e === undefined && (args.demo || (args.file === undefined && !!process.stdin.isTTY));
  const forced = !!process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0";
  executor = new Executor();
  const session = new Session(
    {
      out: writeOut,
      err: (s) => process.stderr.write(s),
      writeFile: (path, text) => writeFileSync(path, text),
      color: !process.env.NO_COLOR && (forced || (prompt && tty)),
      tty,
      width: () => (tty ? process.stdout.columns : undefined),
      progress: prompt && !!process.stderr.isTTY,
    },
    executor,
  );
  for (const [name, value] of args.defines) if (!(await session.define(name, value))) return 2;
  const opts = { keepGoing: args.keepGoing };

  if (args.e !== undefined) return (await session.runText(args.e, "<stdin>", opts)) ? 0 : 1;
  if (args.demo) {
    if (!(await session.runText("trace syscalls", "<demo>"))) return 1;
    demo = new Demo();
    demo.start();
    process.stdout.write("started a demo workload (demo-* processes) so there is something to see; it stops with the prompt\n");
    // The first qps figures appear when the probe's one-second clock first ticks.
    await Bun.sleep(1200);
    await runPrompt(session, { input: process.stdin, output: process.stdout, banner: BANNER, history: historyOf(args), completion: machineCompletion() });
    return 0;
  }
  if (args.file !== undefined && args.file !== "-") {
    let text: string;
    try {
      text = readFileSync(args.file, "utf8");
    } catch (e) {
      process.stderr.write(`gms: cannot read ${args.file}: ${(e as NodeJS.ErrnoException).code ?? e}\n`);
      return 2;
    }
    return (await session.runText(text, args.file, opts)) ? 0 : 1;
  }
  if (!process.stdin.isTTY || args.file === "-") {
    const text = await Bun.stdin.text();
    return (await session.runText(text, "<stdin>", opts)) ? 0 : 1;
  }
  await runPrompt(session, { input: process.stdin, output: process.stdout, history: historyOf(args), completion: machineCompletion() });
  return 0;
}

/** historyOf: the prompt's history file, unless --no-history or there is no home directory. */
function historyOf(args: Args): History | undefined {
  const home = process.env.HOME;
  if (!args.history || !home) return undefined;
  return new History(`${home}/.gms_history`, historySize(process.env), (t) => process.stderr.write(`${t}\n`));
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
