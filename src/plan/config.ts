import type { Expr } from "../lang/ast";
import type { Span } from "../lang/span";

/**
 * SamplerConfig: what a statement asks for, as a plain JSON value with a stable key order. It
 * knows no kernel state (no fds, no map ids looked up), so it can be compared as a value in tests
 * and printed by `explain`; only src/exec turns it into live objects. Expressions are the AST's,
 * with `let` variables already substituted; their spans let a check made at run time (a field
 * resolved against a map's BTF) point at the text. `explain` prints configurations without spans.
 */
export type SamplerConfig =
  | SampleConfig
  | QueryConfig
  | EstimateConfig
  | { statement: "trace"; probe: string; sample: number | null; where: Expr | null; span: Span }
  | { statement: "stop"; probe: string | null }
  | { statement: "wait"; ms: number }
  | { statement: "help"; topic: string | null; span: Span }
  | ShowConfig
  | { statement: "describe"; source: SourceConfig }
  | { statement: "save"; source: SourceConfig; path: string }
  | { statement: "explain"; config: SamplerConfig }
  | { statement: "let"; name: string; value: Expr }
  | { statement: "set"; format: OutputFormat }
  | { statement: "set"; seed: number }
  | { statement: "set"; stats: boolean }
  | { statement: "set"; perCpu: PerCpuMode }
  /** The share of one CPU the running probes may take (a fraction), or null for no limit. */
  | { statement: "set"; budget: number | null }
  | { statement: "watch"; everyMs: number; query: SampleConfig | QueryConfig | EstimateConfig | ShowConfig };

/** OutputFormat: how results print; `ndjson` (one object a line) is for files named `.ndjson`. */
export type OutputFormat = "table" | "json" | "ndjson" | "csv";

/** PerCpuMode: per-CPU map values summed over CPUs, or one row per (entry, CPU). */
export type PerCpuMode = "sum" | "each";

export type SourceConfig =
  | { kind: "map"; by: "name"; name: string; perCpu: PerCpuMode; span: Span }
  | { kind: "map"; by: "id"; id: number; perCpu: PerCpuMode; span: Span }
  | { kind: "map"; by: "pinned"; path: string; perCpu: PerCpuMode; span: Span }
  | { kind: "file"; path: string; span: Span }
  | { kind: "tracepoint"; category: string; event: string; span: Span }
  | { kind: "stream"; name: string; span: Span };

/**
 * StreamConfig: how a statement reads a stream (a tracepoint): what the kernel side does (a
 * process filter and Bernoulli sampling, before anything is copied out) and what is left to user
 * space (the rest of `where`), and when reading stops: after `limit` events that pass, after
 * `forMs`, or at Ctrl-C, whichever comes first.
 */
export interface StreamConfig {
  kernel: {
    /** The probability each event is kept with; null keeps every event. */
    probability: number | null;
    pid: { op: "==" | "!="; value: number } | null;
    /** `comm == "name"` or `!=` (the thread's name, shorter than 16 bytes), checked in the kernel. */
    comm: { op: "==" | "!="; value: string } | null;
    /**
     * Conditions `FIELD op INTEGER` on the record's own fields (a tracepoint's), at most four,
     * checked in the kernel before the sampling when FIELD is an integer of the record, and in
     * user space otherwise.
     */
    fields: Expr[];
    /**
     * Weighted (threshold) sampling by this integer field of the record: each event kept with
     * probability min(1, w / tau), tau moved from user space so that about `probability` of the
     * events are kept; null for Bernoulli sampling.
     */
    weight: string | null;
  };
  /** The conditions the kernel side cannot run, applied to each event in user space. */
  userWhere: Expr | null;
  /** Events to read; null: until `forMs` or Ctrl-C. */
  limit: number | null;
  forMs: number | null;
}

/**
 * Method: how entries are drawn.
 * - bernoulli: each entry kept independently with probability `p`.
 * - uniform: exactly min(k, n) entries, all subsets equally likely.
 * - priority: priority sampling by weight; `k` entries, or ceil(fraction * n) when `fraction` is set.
 */
export type Method =
  | { method: "bernoulli"; p: number }
  | { method: "uniform"; k: number }
  | { method: "priority"; k: number }
  | { method: "priority"; fraction: number };

/** Output: where a result goes: the screen in the session's format, or a file. */
export type Destination = { to: "screen" } | { to: "file"; path: string; format: OutputFormat };

export interface SampleConfig {
  statement: "sample";
  source: SourceConfig;
  sampler: Method;
  /** Stratified sampling: one sampler per value of this field, each with the whole size. */
  per: { field: string[]; span: Span } | null;
  weight: Expr | null;
  where: Expr | null;
  /** The seed, or null to draw one when the statement runs (the result shows it). */
  seed: number | null;
  /** For a stream source only: how it is read (the sampling then happens in the kernel). */
  stream?: StreamConfig;
  output: Destination;
}

export interface Projection {
  name: string;
  expr: Expr;
}

export interface QueryConfig {
  statement: "query";
  source: SourceConfig;
  /** null: every column of the source. */
  select: Projection[] | null;
  where: Expr | null;
  orderBy: { expr: Expr; descending: boolean }[];
  limit: number | null;
  /** For a stream source only: how it is read. */
  stream?: StreamConfig;
  output: Destination;
}

export interface AggregateConfig {
  name: string;
  fn: "sum" | "count" | "avg";
  arg: Expr | null;
}

export interface EstimateConfig {
  statement: "estimate";
  source: SourceConfig;
  aggregates: AggregateConfig[];
  where: Expr | null;
  sampler: Method;
  weight: Expr | null;
  seed: number | null;
  output: Destination;
}

export interface ShowConfig {
  statement: "show";
  what: "maps" | "programs" | "probes";
  where: Expr | null;
  orderBy: { expr: Expr; descending: boolean }[];
  limit: number | null;
}
