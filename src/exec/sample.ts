import { entryLayout, findColumn, type Column, type EntryLayout, type Value } from "../bpf/btf-decode";
import { isPerCpu, readEntries, type MapHandle } from "../bpf/maps";
import { libbpf } from "../bpf/libbpf";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { closest } from "../lang/suggest";
import type { SampleConfig } from "../plan/config";
import type { Cell, ResultSet } from "../output/result-set";
import { BernoulliSampler, PrioritySampler, UniformSampler, entryUniform, type SampleResult } from "../sampling";

/** Entry: the raw bytes of one map entry, copied out of a read batch. */
interface Entry {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * PerCpu: how per-CPU values are laid out: one slot per possible CPU, each 8-byte aligned.
 * Numbers are summed over CPUs; other columns show CPU 0.
 */
interface PerCpu {
  cpus: number;
  slot: number;
}

function readCell(col: Column, key: DataView, value: DataView, perCpu: PerCpu | undefined): Value {
  if (col.part === "key") return col.read(key, 0);
  if (!perCpu || !col.numeric) return col.read(value, 0);
  let sum: number | bigint = 0;
  for (let c = 0; c < perCpu.cpus; c++) {
    const x = col.read(value, c * perCpu.slot);
    if (typeof x === "bigint" || typeof sum === "bigint") sum = BigInt(sum) + BigInt(x as number | bigint);
    else sum += x as number;
  }
  return typeof sum === "bigint" && sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** asWeight: a decoded value as a number for weighting; NaN for what is not a number. */
function asWeight(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return Number.NaN;
}

function resolveWeight(cfg: SampleConfig, layout: EntryLayout, mapName: string): Column | undefined {
  if (!cfg.weight) return undefined;
  const { field, span } = cfg.weight;
  const col = findColumn(layout, field);
  const name = field.join(".");
  if (!col) {
    const names = layout.columns.map((c) => c.name);
    const near = closest(name, names);
    throw new DiagnosticError([
      diagnostic(
        span,
        `unknown field '${name}' in map ${mapName}`,
        near.length ? `did you mean ${near.map((n) => `'${n}'`).join(" or ")}?` : `fields: ${names.join(", ")}`,
      ),
    ]);
  }
  if (!col.numeric) {
    const numeric = layout.columns.filter((c) => c.numeric).map((c) => c.name);
    throw new DiagnosticError([
      diagnostic(
        span,
        `cannot weight by '${name}': it is ${col.typeName}, not a number`,
        numeric.length ? `numeric fields: ${numeric.join(", ")}` : `map ${mapName} has no numeric field`,
      ),
    ]);
  }
  return col;
}

/** randomSeed: a fresh u32 seed, shown in the result so the sample can be drawn again. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function describeMethod(cfg: SampleConfig, k: number | undefined, tau: number | undefined): string {
  const m = cfg.sampler;
  switch (m.method) {
    case "bernoulli":
      return `bernoulli p=${m.p}`;
    case "uniform":
      return `uniform k=${m.k}`;
    case "priority":
      return `priority sampling by ${cfg.weight!.field.join(".")} k=${k}${"fraction" in m ? ` (ceil ${m.fraction * 100}% of entries)` : ""}${tau ? ` tau=${tau.toPrecision(6)}` : ""}`;
  }
}

/**
 * runSample: draws a sample from an open map as `cfg` says, decoding only the kept entries.
 * Seeded draws do not depend on the order the kernel returns entries in, since each entry's
 * uniform comes from hash(seed, key bytes).
 * Throws DiagnosticError (unknown or non-numeric weight field), BpfError.
 */
export function runSample(cfg: SampleConfig, map: MapHandle): ResultSet {
  const started = performance.now();
  const { info } = map;
  const layout = entryLayout(map.btf(), info.btfKeyTypeId, info.btfValueTypeId, info.keySize, info.valueSize);
  const weight = resolveWeight(cfg, layout, info.name);
  const perCpu = isPerCpu(info)
    ? { cpus: libbpf().libbpf_num_possible_cpus(), slot: (info.valueSize + 7) & ~7 }
    : undefined;
  const seed = cfg.seed ?? randomSeed();
  const m = cfg.sampler;

  const all: { u: number; w: number; entry: Entry }[] = [];
  let sampler: BernoulliSampler<Entry> | UniformSampler<Entry> | PrioritySampler<Entry> | undefined;
  if (m.method === "bernoulli") sampler = new BernoulliSampler<Entry>(m.p);
  else if (m.method === "uniform") sampler = new UniformSampler<Entry>(m.k);
  else if ("k" in m) sampler = new PrioritySampler<Entry>(m.k);

  const stats = readEntries(map, (b) => {
    for (let i = 0; i < b.count; i++) {
      const key = b.keys.subarray(i * b.keySize, (i + 1) * b.keySize);
      const value = b.values.subarray(i * b.valueSize, (i + 1) * b.valueSize);
      const u = entryUniform(seed, key);
      const w = weight ? asWeight(readCell(weight, view(key), view(value), perCpu)) : 1;
      const entry = { key: key.slice(), value: value.slice() };
      if (!sampler) all.push({ u, w, entry });
      else if (sampler instanceof PrioritySampler) sampler.offer(u, w, entry);
      else sampler.offer(u, entry);
    }
  });

  // A weighted percentage needs the entry count first: its size is ceil(p * n).
  let k: number | undefined = "k" in m ? m.k : undefined;
  if (!sampler && "fraction" in m) {
    k = Math.max(1, Math.ceil(m.fraction * stats.entries));
    const p = new PrioritySampler<Entry>(k);
    for (const a of all) p.offer(a.u, a.w, a.entry);
    sampler = p;
  }
  const result: SampleResult<Entry> = sampler!.finish();

  const rows: Cell[][] = result.kept.map(({ item, prob }) => {
    const kv = view(item.key);
    const vv = view(item.value);
    return [...layout.columns.map((c) => readCell(c, kv, vv, perCpu)), prob];
  });
  if (!weight) rows.sort(compareRows);

  const excluded = result.excluded + ((result as { zeroWeight?: number }).zeroWeight ?? 0);
  const notes: string[] = [];
  if (stats.vanished) notes.push(`${stats.vanished} entries vanished during the read`);
  return {
    columns: [
      ...layout.columns.map((c) => ({ name: c.name, numeric: c.numeric })),
      { name: "prob", numeric: true },
    ],
    rows,
    meta: {
      scanned: stats.entries,
      method: describeMethod(cfg, k, result.tau),
      seed,
      tau: result.tau || undefined,
      excluded: weight ? excluded : undefined,
      readMethod: stats.method,
      notes,
      elapsedMs: performance.now() - started,
    },
  };
}

function compareRows(a: Cell[], b: Cell[]): number {
  const x = a[0];
  const y = b[0];
  if ((typeof x === "number" || typeof x === "bigint") && (typeof y === "number" || typeof y === "bigint")) {
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return String(x).localeCompare(String(y));
}
