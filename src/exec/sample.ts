import type { Value } from "../bpf/btf-decode";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { closest } from "../lang/suggest";
import type { Expr } from "../lang/ast";
import type { Span } from "../lang/span";
import type { Method } from "../plan/config";
import type { Cell, EstTotal, ResultSet } from "../output/result-set";
import {
  AllWeightsZeroError,
  BernoulliSampler,
  PrioritySampler,
  TooManyInfiniteWeightsError,
  UniformSampler,
  estimateSumOf,
  groupSeed,
  type Design,
  type SampleResult,
} from "../sampling";
import type { Entry, ScanStats, Source } from "../sources/source";
import { compileExpr, isTruthy, toNumber, typeOf, type ExprScope, type Row } from "./expr";
import { scopeOf } from "./scope";

/** Kept: an entry a sample kept, with the probability it was drawn with and its weight. */
export interface Kept {
  entry: Entry;
  prob: number;
  w: number;
  group?: string;
}

/** Draw: what drawing a sample from a source gives. */
export interface Draw {
  kept: Kept[];
  stats: ScanStats;
  /** Entries that passed `where` (the population sampled from). */
  matched: number;
  /** Entries left out for a weight that was null, NaN, negative or zero. */
  excluded: number;
  /** The threshold of a single priority sample (absent when stratified or unweighted). */
  tau?: number;
  /** The sample size of a weighted percentage, ceil(p * matched). */
  k?: number;
  groups?: number;
  seed: number;
}

/** randomSeed: a fresh u32 seed, shown in the result so the sample can be drawn again. */
export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

/** weightOf: the compiled weight expression, refused unless it is a number. Throws DiagnosticError. */
export function weightOf(weight: Expr, scope: ExprScope, source: Source): (row: Row) => Value {
  const t = typeOf(weight, scope);
  if (t !== "number" && t !== "any" && t !== "null") {
    const numeric = scope.fieldNames().filter((_, i) => scope.columnType(i) === "number");
    const what = weight.kind === "field" ? `'${weight.path.join(".")}'` : "this expression";
    const col = weight.kind === "field" ? scope.column(weight.path) : undefined;
    const typeName = col !== undefined ? source.columns[col]!.typeName : `a ${t}`;
    throw new DiagnosticError([
      diagnostic(
        weight.span,
        `cannot weight by ${what}: it is ${typeName}, not a number`,
        numeric.length ? `numeric fields: ${numeric.join(", ")}` : `${scope.sourceName} has no numeric field`,
      ),
    ]);
  }
  return compileExpr(weight, scope);
}

/** perColumn: the column a `per FIELD` clause names. Throws DiagnosticError. */
function perColumn(per: { field: string[]; span: Span }, scope: ExprScope): number {
  const i = scope.column(per.field);
  if (i !== undefined) return i;
  const name = per.field.join(".");
  const near = closest(name, scope.fieldNames());
  throw new DiagnosticError([
    diagnostic(per.span, `unknown field '${name}' in ${scope.sourceName}`, near.length ? `did you mean '${near[0]}'?` : `fields: ${scope.fieldNames().join(", ")}`),
  ]);
}

type AnySampler = BernoulliSampler<Entry> | UniformSampler<Entry> | PrioritySampler<Entry>;

function newSampler(m: Method, k?: number): AnySampler {
  if (m.method === "bernoulli") return new BernoulliSampler<Entry>(m.p);
  if (m.method === "uniform") return new UniformSampler<Entry>(m.k);
  return new PrioritySampler<Entry>(k ?? ("k" in m ? m.k : 1));
}

function groupKey(v: Value): string {
  return typeof v === "string" ? v : JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x));
}

/**
 * drawSample: draws a sample from a source. Rows failing `where` are not part of the population;
 * each entry's uniform comes from hash(seed, key bytes), so a seeded draw does not depend on the
 * order entries arrive in; with `per`, each group has its own sampler and its own seed derived
 * from (seed, group value). Only kept entries are copied; a weighted percentage, whose size
 * ceil(p * n) needs n, keeps its candidates until the scan ends.
 * Throws DiagnosticError (unknown or non-numeric fields), BpfError.
 */
export function drawSample(
  source: Source,
  opts: {
    method: Method;
    weight: Expr | null;
    where: Expr | null;
    per: { field: string[]; span: Span } | null;
    seed: number;
    /** Called for each row left out for its weight (null, NaN, zero or negative), so nothing vanishes unseen. */
    onLeftOut?: (row: Row) => void;
  },
): Draw {
  const scope = scopeOf(source);
  const where = opts.where ? compileExpr(opts.where, scope) : undefined;
  const weight = opts.weight ? weightOf(opts.weight, scope, source) : undefined;
  const perCol = opts.per ? perColumn(opts.per, scope) : undefined;
  const m = opts.method;
  const deferred = m.method === "priority" && "fraction" in m;

  // A weighted percentage draws ceil(p * n) rows, n known only when the scan ends: it keeps
  // the largest priorities for the most rows the source can hold, then cuts to ceil(p * n).
  const bound = deferred ? Math.max(1, Math.ceil((m as { fraction: number }).fraction * source.sizeBound)) : 0;
  const groups = new Map<string, { seed: number; sampler: AnySampler; n: number }>();
  const group = (name: string) => {
    let g = groups.get(name);
    if (!g) {
      const seed = perCol === undefined ? opts.seed : groupSeed(opts.seed, name);
      g = { seed, sampler: newSampler(m, deferred ? bound : undefined), n: 0 };
      groups.set(name, g);
    }
    return g;
  };
  let matched = 0;
  // A sample with no filter, groups or left-out sums over a plain weight column (or none) takes
  // the source a batch at a time: uniforms and weights in typed arrays, offerMany over them.
  // It draws the same sample as the entry-by-entry scan below (offerMany does what offer does).
  const weightCol = opts.weight?.kind === "field" ? scope.column(opts.weight.path) : undefined;
  const batched =
    !where && perCol === undefined && !opts.onLeftOut && (!weight || weightCol !== undefined)
      ? scanBatched(source, weightCol ?? null, opts.weight, m.method === "bernoulli" ? undefined : deferred ? bound : m.k, () => group(""), (n) => (matched += n))
      : undefined;
  const stats = batched ?? scanWeighted(source, opts.weight, (c) => {
    const row = c.cell;
    if (where && !isTruthy(where(row))) return;
    matched++;
    const g = group(perCol === undefined ? "" : groupKey(row(perCol)));
    g.n++;
    const u = c.uniform(g.seed);
    // Entries are copied out only when the sampler might keep them; the others are offered
    // as a placeholder it never keeps, so its counts stay whole.
    if (!weight) {
      const s = g.sampler as BernoulliSampler<Entry> | UniformSampler<Entry>;
      if (s instanceof BernoulliSampler) {
        if (u < s.p) s.offer(u, c.keep());
      } else s.offer(u, s.mightKeep(u) ? c.keep() : SKIPPED);
      return;
    }
    const w = toNumber(weight(row));
    if (!(w > 0)) opts.onLeftOut?.(row);
    const s = g.sampler as PrioritySampler<Entry>;
    s.offer(u, w, s.mightKeep(u, w) ? c.keep() : SKIPPED);
  });

  const kept: Kept[] = [];
  /** The uniform each kept entry was drawn with. */
  const us: number[] = [];
  let excluded = 0;
  let tau: number | undefined;
  let k: number | undefined = "k" in m ? m.k : undefined;
  for (const [name, g] of groups) {
    // A weighted percentage keeps the ceil(p * n) largest priorities of those held.
    const gk = deferred ? Math.max(1, Math.ceil((m as { fraction: number }).fraction * g.n)) : undefined;
    if (deferred) k = perCol === undefined ? gk : undefined;
    const r = finish(g.sampler, opts.weight, gk === undefined ? undefined : Math.min(gk, bound));
    excluded += r.excluded + (r.zeroWeight ?? 0);
    if (groups.size === 1 && perCol === undefined) tau = r.tau || undefined;
    for (const x of r.kept) {
      kept.push({ entry: x.item, prob: x.prob, w: x.w ?? 1, group: perCol === undefined ? undefined : name });
      us.push(x.u);
    }
  }
  // A source that handed over only part of each entry fills in the kept ones now.
  const completed = source.complete?.(kept.map((x) => x.entry));
  if (completed?.vanished.size) {
    let j = 0;
    kept.forEach((x, i) => {
      if (completed.vanished.has(x.entry)) return;
      kept[j] = x;
      us[j++] = us[i]!;
    });
    kept.length = us.length = j;
  }
  const repeated = stats.mayRepeat ? dropRepeatedKeys(kept, us) : 0;
  const notes = [...stats.notes, ...(completed?.notes ?? [])];
  if (repeated) notes.push(`${repeated} ${repeated === 1 ? "entry" : "entries"} came twice while the map changed under the read (shown once)`);
  return { kept, stats: { ...stats, notes }, matched, excluded, tau, k, groups: perCol === undefined ? undefined : groups.size, seed: opts.seed };
}

/**
 * dropRepeatedKeys: removes, in place, each kept entry whose key an earlier one has (a read
 * that may hand a key over twice, ScanStats.mayRepeat), and returns how many it removed. `us`
 * holds the uniform each was drawn with: copies of one key have the same one (a hash of the key
 * under the seed; such reads serve only samples with one seed, without `per`), so keys are
 * compared only when some uniform comes twice. That costs a sort of the uniforms, where making
 * a string of every kept key cost 8-11 ms for 10,000 keys in a fresh process.
 */
function dropRepeatedKeys(kept: Kept[], us: number[]): number {
  const sorted = Float64Array.from(us).sort();
  let twice = false;
  for (let i = 1; i < sorted.length && !twice; i++) twice = sorted[i] === sorted[i - 1];
  if (!twice) return 0;
  const seen = new Set<string>();
  let j = 0;
  for (const x of kept) {
    const key = x.entry.key;
    let id = "";
    for (let i = 0; i < key.length; i++) id += String.fromCharCode(key[i]!);
    if (seen.has(id)) continue;
    seen.add(id);
    kept[j++] = x;
  }
  const dropped = kept.length - j;
  kept.length = j;
  return dropped;
}

/**
 * scanBatched: drawSample's batch path (see there): every entry offered to `g`'s sampler through
 * offerMany; undefined when the source cannot scan in batches. Throws DiagnosticError, BpfError.
 */
function scanBatched(
  source: Source,
  weightCol: number | null,
  weight: Expr | null,
  keepsAtMost: number | undefined,
  sampleGroup: () => { seed: number; sampler: AnySampler; n: number },
  onMatched: (n: number) => void,
): ScanStats | undefined {
  if (!source.scanBatches) return undefined;
  let us = new Float64Array(0);
  let ws = new Float64Array(0);
  try {
    return source.scanBatches(weightCol, (b) => {
      const g = sampleGroup();
      if (us.length < b.count) {
        us = new Float64Array(b.count);
        ws = new Float64Array(b.count);
      }
      b.uniforms(g.seed, us);
      if (weightCol !== null) b.numbers(ws);
      g.n += b.count;
      onMatched(b.count);
      g.sampler.offerMany(us, ws, 0, b.count, b.keep);
    }, keepsAtMost);
  } catch (e) {
    throw weightError(e, weight);
  }
}

/** weightError: the weight-policy error as a diagnostic at the weight; other errors unchanged. */
function weightError(e: unknown, weight: Expr | null): unknown {
  if (weight && e instanceof TooManyInfiniteWeightsError) {
    return new DiagnosticError([diagnostic(weight.span, `more rows have an infinite weight than the sample holds (${e.k})`, "a weight must be a finite number")]);
  }
  return e;
}

/** scanWeighted: a scan whose weight-policy errors become diagnostics at the weight. */
function scanWeighted(source: Source, weight: Expr | null, visit: Parameters<Source["scan"]>[0]): ScanStats {
  try {
    return source.scan(visit);
  } catch (e) {
    throw weightError(e, weight);
  }
}

const SKIPPED = { key: new Uint8Array(0), cell: () => null } as Entry;

/** ZeroWeightsError: every row's weight is zero: a weighted sample has nothing to draw from (yet). */
export class ZeroWeightsError extends DiagnosticError {}

/**
 * finish: a sampler's result (a priority sampler's cut to its k largest priorities when k is
 * given), its weight-policy errors as diagnostics at the weight.
 */
function finish(s: AnySampler, weight: Expr | null, k?: number): SampleResult<Entry> {
  try {
    return k !== undefined && s instanceof PrioritySampler ? s.finish(k) : s.finish();
  } catch (e) {
    if (weight && e instanceof AllWeightsZeroError) {
      throw new ZeroWeightsError([diagnostic(weight.span, "every weight is zero: there is nothing to weight a sample by", "sample without 'weighted by', or weight by another field")]);
    }
    throw weightError(e, weight);
  }
}

/** describeMethod: the method line of a sample's meta. */
export function describeMethod(m: Method, weight: Expr | null, d: Draw, weightText: string): string {
  switch (m.method) {
    case "bernoulli":
      return `bernoulli p=${m.p}`;
    case "uniform":
      return `uniform k=${m.k}`;
    case "priority": {
      const size = "fraction" in m ? `${d.k !== undefined ? `k=${d.k} ` : ""}(ceil ${+(m.fraction * 100).toPrecision(6)}% of entries)` : `k=${m.k}`;
      return `priority sampling by ${weight ? weightText : "?"} ${size}${d.tau ? ` tau=${d.tau.toPrecision(6)}` : ""}`;
    }
  }
}

/** designOf: the design a draw's probabilities follow, for the Horvitz-Thompson estimators. */
export function designOf(m: Method, d: Draw): Design {
  return m.method === "bernoulli" ? { kind: "bernoulli", p: m.p }
    : m.method === "uniform" ? { kind: "uniform", k: m.k, n: d.matched }
    : { kind: "priority", tau: d.tau ?? 0 };
}

/**
 * estTotals: the Horvitz-Thompson total (sum of value / prob) of every numeric value column of
 * a sample, with its standard error, for the footer of a sampled table. None for a stratified
 * sample (each group has its own design), an empty sample, or a source without numeric value
 * columns; rows left out for their weight are not in them (the meta line counts those).
 */
function estTotals(source: Source, d: Draw, m: Method, rows: Cell[][]): EstTotal[] | undefined {
  // With no row there is nothing to scale up: no totals rather than a misleading 0 ± 0.
  if (d.groups !== undefined || rows.length === 0) return undefined;
  const design = designOf(m, d);
  const out: EstTotal[] = [];
  const n = rows.length;
  const probs = new Float64Array(n);
  for (let r = 0; r < n; r++) probs[r] = rows[r]![source.columns.length] as number;
  const values = new Float64Array(n);
  source.columns.forEach((c, i) => {
    if (!c.numeric || c.part === "key" || c.name === "cpu") return;
    for (let r = 0; r < n; r++) {
      const v = toNumber(rows[r]![i] ?? null);
      if (!Number.isFinite(v)) return;
      values[r] = v;
    }
    const e = estimateSumOf(values, probs, design);
    out.push({ column: c.name, estimate: e.estimate, se: e.se, exact: e.exact });
  });
  return out.length ? out : undefined;
}

/** sampleResult: a draw as a result set: every column of the source, then `prob`. */
export function sampleResult(source: Source, d: Draw, method: string, started: number, m: Method): ResultSet {
  const ncol = source.columns.length;
  const rows: Cell[][] = d.kept.map(({ entry, prob }) => {
    const cell = entry.cell;
    const row = new Array<Cell>(ncol + 1);
    for (let i = 0; i < ncol; i++) row[i] = cell(i);
    row[ncol] = prob;
    return row;
  });
  const byWeight = d.kept.some((x) => x.w !== 1);
  if (!byWeight) rows.sort(compareRows);
  const notes = [...d.stats.notes];
  if (d.groups !== undefined) notes.unshift(`${d.groups} groups`);
  if (d.matched !== d.stats.entries) notes.unshift(`${d.matched} matched where`);
  return {
    columns: [...source.columns.map((c) => ({ name: c.name, numeric: c.numeric })), { name: "prob", numeric: true }],
    rows,
    meta: {
      scanned: d.stats.entries,
      method,
      seed: d.seed,
      tau: d.tau,
      excluded: d.excluded || undefined,
      readMethod: d.stats.method,
      notes,
      estTotals: estTotals(source, d, m, rows),
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
