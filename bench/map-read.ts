/**
 * bench/map-read: gms reading a 1,000,000-entry hash map (u32 key, 32-byte struct value with BTF)
 * against `bpftool map dump -j` of the same map, in the same run:
 * - full read, decode and JSON output to /dev/null;
 * - `sample 1% ... weighted by v` and `sample 100` (with its peak RSS);
 * - gms's batch read alone against a plain C loop of bpf_map_lookup_batch (the floor).
 * Run with `make bench` (root).
 */
import { BpfObject } from "../src/bpf/object";
import { readEntries } from "../src/bpf/maps";

const BUILD = new URL("../build/", import.meta.url).pathname;
const GMS = `${BUILD}gms`;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

function run(cmd: string[]): { ms: number; rssKb: number } {
  const t = performance.now();
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%M", ...cmd], { stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - t;
  const err = p.stderr.toString().trim().split("\n");
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${err.join("\n")}`);
  return { ms, rssKb: Number(err.at(-1)) };
}

function median(cmd: string[]): { ms: number; rssKb: number } {
  run(cmd);
  const xs = Array.from({ length: RUNS }, () => run(cmd)).sort((a, b) => a.ms - b.ms);
  return xs[Math.floor(xs.length / 2)]!;
}

function row(what: string, ms: number, base: number, extra = ""): void {
  const ratio = base === ms ? "(yardstick)" : `${(base / ms).toFixed(2)}x the speed of the yardstick`;
  console.log(`${what.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms  ${ratio}${extra}`);
}

const obj = BpfObject.load("bench", await Bun.file(`${BUILD}bench/bench.bpf.o`).bytes());
try {
  obj.run("fill_big");
  const map = obj.map("gms_big");
  const id = map.info.id;
  console.log(`map gms_big: id ${id}, 1,000,000 entries, u32 key, 32-byte value with BTF; median of ${RUNS} runs; ${(await Bun.$`nproc`.text()).trim()} cores\n`);

  const dump = median(["bpftool", "map", "dump", "id", String(id), "-j"]).ms;
  row("bpftool map dump id N -j > /dev/null", dump, dump);
  row("gms -e 'set format json; from map id N' > /dev/null", median([GMS, "-e", `set format json; from map id ${id}`]).ms, dump);
  row("gms -e 'sample 1% from map id N weighted by v'", median([GMS, "-e", `sample 1% from map id ${id} weighted by v`]).ms, dump);
  const s100 = median([GMS, "-e", `sample 100 from map id ${id}`]);
  row("gms -e 'sample 100 from map id N'", s100.ms, dump, `, peak RSS ${(s100.rssKb / 1024).toFixed(0)} MB`);

  console.log("");
  const floorRuns = Array.from({ length: RUNS }, () => Number(Bun.spawnSync([`${BUILD}bench/batch-floor`, String(id)]).stdout.toString().split(" ")[1]));
  const floor = floorRuns.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  const mine = Array.from({ length: RUNS }, () => {
    const t = performance.now();
    readEntries(map, () => {});
    return performance.now() - t;
  }).sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  console.log(`batch read of every entry: C loop of bpf_map_lookup_batch ${floor.toFixed(0)} ms, gms ${mine.toFixed(0)} ms: ${(mine / floor).toFixed(2)}x the floor`);
  map.close();
} finally {
  obj.close();
}
