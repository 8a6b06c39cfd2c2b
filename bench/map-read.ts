/**
 * bench/map-read: gms reading a 1,000,000-entry hash map (u32 key, 32-byte struct value with BTF)
 * against `bpftool map dump -j` of the same map, in the same run:
 * - full read, decode and JSON output to /dev/null;
 * - `sample 1% ... weighted by v` and `sample 100` (with its peak RSS);
 * - gms's batch read alone, by one thread and split between two, and its in-kernel walk (which
 *   samples read large hash maps with), against a plain C loop of bpf_map_lookup_batch (the floor).
 * The commands take turns, round after round, so a machine that slows down for a while (this one
 * is a shared VM) slows them all alike; each figure is the median of its rounds.
 * Run with `make bench` (root).
 */
import { BpfObject } from "../src/bpf/object";
import { readEntries } from "../src/bpf/maps";
import { median } from "./median";

const BUILD = new URL("../build/", import.meta.url).pathname;
const GMS = `${BUILD}gms`;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function run(cmd: string[]): { ms: number; rssKb: number } {
  const t = performance.now();
  const p = Bun.spawnSync(["/usr/bin/time", "-f", "%M", ...cmd], { stdout: "ignore", stderr: "pipe" });
  const ms = performance.now() - t;
  const err = p.stderr.toString().trim().split("\n");
  if (p.exitCode !== 0) throw new Error(`${cmd.join(" ")} failed: ${err.join("\n")}`);
  return { ms, rssKb: Number(err.at(-1)) };
}

/**
 * Runs every command once per round, in turns, after one unmeasured warm-up round: the median
 * time, the peak RSS and each round's time.
 */
function rounds(cmds: Record<string, () => { ms: number; rssKb?: number }>): Record<string, { ms: number; rssKb: number; each: number[] }> {
  for (const f of Object.values(cmds)) f();
  const got: Record<string, { ms: number[]; rss: number[] }> = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [name, f] of Object.entries(cmds)) {
      const x = f();
      (got[name] ??= { ms: [], rss: [] }).ms.push(x.ms);
      got[name].rss.push(x.rssKb ?? 0);
    }
  }
  return Object.fromEntries(Object.entries(got).map(([k, v]) => [k, { ms: median(v.ms), rssKb: Math.max(...v.rss), each: v.ms }]));
}

/**
 * row: a command's median time and its speed against the yardstick's median; with `each` and
 * `baseEach`, also the range of the ratios round by round (the yardstick and the command ran
 * back to back in each round), since this VM's speed drifts from one round to the next.
 */
function row(what: string, ms: number, base: number, extra = "", each?: number[], baseEach?: number[]): void {
  let ratio = base === ms ? "(yardstick)" : `${(base / ms).toFixed(2)}x the speed of the yardstick`;
  if (each && baseEach) {
    const r = each.map((x, i) => baseEach[i]! / x);
    ratio += ` (rounds: ${Math.min(...r).toFixed(1)}-${Math.max(...r).toFixed(1)}x)`;
  }
  console.log(`${what.padEnd(58)} ${ms.toFixed(0).padStart(7)} ms  ${ratio}${extra}`);
}

const obj = BpfObject.load("bench", await Bun.file(`${BUILD}bench/bench.bpf.o`).bytes());
try {
  obj.run("fill_big");
  const map = obj.map("gms_big");
  const id = String(map.info.id);
  console.log(`map gms_big: id ${id}, 1,000,000 entries, u32 key, 32-byte value with BTF; median of ${RUNS} rounds; ${(await Bun.$`nproc`.text()).trim()} cores\n`);

  const r = rounds({
    dump: () => run(["bpftool", "map", "dump", "id", id, "-j"]),
    json: () => run([GMS, "-e", `set format json; from map id ${id}`]),
    weighted: () => run([GMS, "-e", `sample 1% from map id ${id} weighted by v`]),
    s100: () => run([GMS, "-e", `sample 100 from map id ${id}`]),
  });
  const dump = r.dump!.ms;
  row("bpftool map dump id N -j > /dev/null", dump, dump);
  const dumps = r.dump!.each;
  row("gms -e 'set format json; from map id N' > /dev/null", r.json!.ms, dump, `, peak RSS ${(r.json!.rssKb / 1024).toFixed(0)} MB`, r.json!.each, dumps);
  row("gms -e 'sample 1% from map id N weighted by v'", r.weighted!.ms, dump, "", r.weighted!.each, dumps);
  row("gms -e 'sample 100 from map id N'", r.s100!.ms, dump, `, peak RSS ${(r.s100!.rssKb / 1024).toFixed(0)} MB`, r.s100!.each, dumps);

  console.log("");
  const timed = (f: () => void) => () => {
    const t = performance.now();
    f();
    return { ms: performance.now() - t };
  };
  const reads = rounds({
    floor: () => ({ ms: Number(Bun.spawnSync([`${BUILD}bench/batch-floor`, id]).stdout.toString().split(" ")[1]) }),
    one: timed(() => readEntries(map, () => {}, { oneReader: true })),
    two: timed(() => readEntries(map, () => {}).readers === 2 || console.log("(the read was not split: one CPU?)")),
    walk: timed(() => readEntries(map, () => {}, { walk: true }).method === "walk" || console.log("(no in-kernel walk: one CPU?)")),
  });
  const floor = reads.floor!.ms;
  console.log(`batch read of every entry: C loop of bpf_map_lookup_batch (the floor) ${floor.toFixed(0)} ms`);
  console.log(`  gms, one thread:          ${reads.one!.ms.toFixed(0).padStart(5)} ms: ${(reads.one!.ms / floor).toFixed(2)}x the floor`);
  console.log(`  gms, split over two:      ${reads.two!.ms.toFixed(0).padStart(5)} ms: ${(reads.two!.ms / floor).toFixed(2)}x the floor`);
  console.log(`in-kernel walk (how samples read large hash maps): ${reads.walk!.ms.toFixed(0)} ms: ${(reads.walk!.ms / floor).toFixed(2)}x the floor`);
  map.close();
} finally {
  obj.close();
}
