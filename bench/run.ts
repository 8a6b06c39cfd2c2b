/**
 * bench: gms against its yardsticks, measured side by side in the same run.
 * - reading a 100,000-entry BTF hash map: `bpftool map dump -j` against gms sampling it
 *   (`sample 1% ... weighted by qps`, `sample 100`), whole commands from start to exit. (A
 *   100,000-row table is left out: cli-table3 needs seconds to lay it out.)
 * - start-up: `bpftrace -e 'BEGIN { exit(); }'` against `gms -e 'show probes'`.
 * - the language: parse + check + compile time per statement (median over every statement of
 *   examples/), and `gms -e 'explain ...'` wall time against bpftrace's start, in the same run.
 * Prints medians and ratios. Run with `make bench` (root).
 */
import { readdirSync, readFileSync } from "node:fs";
import { BpfObject } from "../src/bpf/object";
import { parseProgram } from "../src/lang/parse";
import { compile, newSettings } from "../src/plan/compile";
import { median } from "./median";

const BUILD = new URL("../build/", import.meta.url).pathname;
const GMS = `${BUILD}gms`;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function time(cmd: string[]): number {
  const t = performance.now();
  const p = Bun.spawnSync(cmd, { stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - t;
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${p.stderr.toString()}`);
  return ms;
}

/** medianMs: the median time of `runs` runs of `cmd`, after one to warm the page cache. */
function medianMs(cmd: string[], runs = RUNS): number {
  time(cmd); // warm the page cache
  return median(Array.from({ length: runs }, () => time(cmd)));
}

function row(what: string, ms: number, base?: number): void {
  const ratio = base ? `  ${(base / ms).toFixed(2)}x the speed of the yardstick` : "  (yardstick)";
  console.log(`${what.padEnd(64)} ${ms.toFixed(1).padStart(9)} ms${ratio}`);
}

const obj = BpfObject.load("bench", await Bun.file(`${BUILD}bench/bench.bpf.o`).bytes());
try {
  obj.run("fill_bench");
  const m = obj.map("gms_bench");
  const id = m.info.id;
  m.close();
  console.log(`map gms_bench: id ${id}, 100,000 entries (u32 key, {comm, calls, qps} value); median of ${RUNS} runs\n`);

  const dump = medianMs(["bpftool", "map", "dump", "id", String(id), "-j"]);
  row("bpftool map dump id N -j", dump);
  row("gms -e 'sample 1% from map id N weighted by qps'", medianMs([GMS, "-e", `sample 1% from map id ${id} weighted by qps`]), dump);
  row("gms -e 'sample 100 from map id N'", medianMs([GMS, "-e", `sample 100 from map id ${id}`]), dump);

  console.log("");
  // Start-up times are short and noisy: three times the runs.
  const bt = medianMs(["bpftrace", "-e", "BEGIN { exit(); }"], 3 * RUNS);
  row("bpftrace -e 'BEGIN { exit(); }'", bt);
  row("gms -e 'explain sample 1% from map events weighted by qps'", medianMs([GMS, "-e", "explain sample 1% from map events weighted by qps"], 3 * RUNS), bt);
  row("gms -e 'show probes'", medianMs([GMS, "-e", "show probes"], 3 * RUNS), bt);
  row("gms -e 'trace syscalls; stop all'", medianMs([GMS, "-e", "trace syscalls; stop all"], 3 * RUNS), bt);

  console.log("");
  const statements: string[] = [];
  const dir = new URL("../examples/", import.meta.url).pathname;
  for (const f of readdirSync(dir).filter((f) => f.endsWith(".gms"))) {
    for (const line of readFileSync(`${dir}${f}`, "utf8").split("\n")) if (line.trim() && !line.startsWith("#")) statements.push(line);
  }
  const perStatement = statements.map((text) => {
    const reps = 200;
    const t = performance.now();
    for (let i = 0; i < reps; i++) {
      const { statements: s } = parseProgram(text);
      const settings = newSettings();
      for (const st of s) compile(st, settings, text);
    }
    return ((performance.now() - t) / reps) * 1000;
  }).sort((a, b) => a - b);
  console.log(`parse + check + compile, per statement: median ${median(perStatement).toFixed(1)} us, max ${perStatement.at(-1)!.toFixed(1)} us over ${statements.length} example statements`);
} finally {
  obj.close();
}
