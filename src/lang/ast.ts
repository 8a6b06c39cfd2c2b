import type { Span } from "./span";

/**
 * The gms abstract syntax tree. Every node keeps the span of the text it came from, so checks
 * made later (for example a field name resolved against a map's BTF) can point at the text.
 */

export interface Node {
  span: Span;
}

export interface Identifier extends Node {
  kind: "identifier";
  name: string;
}

/**
 * A dotted field path such as `qps` or `value.stats.max`. A one-segment path may also name a
 * `let` variable: the planner decides (variables win over fields, and say so in `explain`).
 */
export interface FieldRef extends Node {
  kind: "field";
  path: string[];
}

export interface NumberLit extends Node {
  kind: "number";
  /** The literal as written (decimal, or 0x hex), so integers above 2^53 stay exact later. */
  text: string;
  /** The value as a double (inexact above 2^53: use `text` there). */
  value: number;
}

export interface StringLit extends Node {
  kind: "string";
  /** The value with escapes decoded. */
  value: string;
}

export interface PercentLit extends Node {
  kind: "percent";
  /** The probability, 0.01 for `1%`. */
  fraction: number;
  text: string;
}

export interface DurationLit extends Node {
  kind: "duration";
  /** Milliseconds (fractional for `us`); as a value in expressions a duration is nanoseconds. */
  ms: number;
  text: string;
}

/** A size such as `4k` or `1M` (powers of 1024), a number of bytes in expressions. */
export interface SizeLit extends Node {
  kind: "size";
  bytes: number;
  text: string;
}

export interface BoolLit extends Node {
  kind: "bool";
  value: boolean;
}

export interface NullLit extends Node {
  kind: "null";
}

export type UnaryOp = "-" | "not";
export type BinaryOp =
  | "+" | "-" | "*" | "/" | "%"
  | "==" | "!=" | "<" | "<=" | ">" | ">="
  | "and" | "or"
  | "~"; // regex match: left is a string, right a string literal holding the pattern

export interface UnaryExpr extends Node {
  kind: "unary";
  op: UnaryOp;
  arg: Expr;
}

export interface BinaryExpr extends Node {
  kind: "binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
}

/** `x in (a, b, c)`; `not in` is a unary `not` around it. */
export interface InExpr extends Node {
  kind: "in";
  arg: Expr;
  list: Expr[];
}

/** A function call: log2 ln log10 abs min max sqrt floor ceil str hex ksym (names checked later). */
export interface CallExpr extends Node {
  kind: "call";
  fn: Identifier;
  args: Expr[];
}

/** Precedence, loosest first: or, and, not, comparisons and ~ and in, + -, * / %, unary -. */
export type Expr =
  | FieldRef | NumberLit | StringLit | PercentLit | DurationLit | SizeLit | BoolLit | NullLit
  | UnaryExpr | BinaryExpr | InExpr | CallExpr;

/**
 * A source of entries: a kernel map by name, id or pinned path, a dump file read offline, or a
 * tracepoint's events (a stream).
 * A map reference's span covers what follows `map` (`events`, `id 42`, `"/sys/fs/bpf/foo"`).
 */
export type SourceRef =
  | (Node & { kind: "map-name"; name: string })
  | (Node & { kind: "tracepoint"; category: string; event: string })
  | (Node & { kind: "stream"; name: string })
  | (Node & { kind: "map-id"; id: number })
  | (Node & { kind: "map-pinned"; path: string })
  | (Node & { kind: "file"; path: string });

/**
 * isStream: whether a source (a SourceRef, or a configuration's source) is a stream of events
 * (a tracepoint, a built-in stream) rather than a table of entries.
 */
export function isStream<T extends { kind: string }>(ref: T): ref is Extract<T, { kind: "tracepoint" | "stream" }> {
  return ref.kind === "tracepoint" || ref.kind === "stream";
}

/** COMM_MAX_BYTES: the longest name a task's comm holds (16 bytes with its NUL). */
export const COMM_MAX_BYTES = 15;

/**
 * ProcessCondition: a test of the current task that gms's BPF programs make before anything
 * else: `pid == N` or `pid != N` with N a u32, `comm == "name"` or `comm != "name"` with a name
 * of at most COMM_MAX_BYTES bytes.
 */
export type ProcessCondition =
  | { field: "pid"; op: "==" | "!="; value: number }
  | { field: "comm"; op: "==" | "!="; value: string };

/** processCondition: `e` as a ProcessCondition, or undefined when it is none. Throws nothing. */
export function processCondition(e: Expr): ProcessCondition | undefined {
  if (e.kind !== "binary" || (e.op !== "==" && e.op !== "!=") || e.left.kind !== "field" || e.left.path.length !== 1) return undefined;
  const name = e.left.path[0];
  const r = e.right;
  if (name === "pid" && r.kind === "number" && Number.isInteger(r.value) && (r.value as number) >= 0 && (r.value as number) <= 0xffffffff) {
    return { field: "pid", op: e.op, value: r.value as number };
  }
  if (name === "comm" && r.kind === "string" && new TextEncoder().encode(r.value).length <= COMM_MAX_BYTES) {
    return { field: "comm", op: e.op, value: r.value };
  }
  return undefined;
}

/** @deprecated name kept for the skeleton's code: every source is a SourceRef. */
export type MapRef = SourceRef;

export interface SampleSize extends Node {
  kind: "size";
  /** Either a probability (from `P%`) or a count (from `K`). */
  percent?: PercentLit;
  count?: NumberLit;
}

/** `to "out.csv"`: where a query's result goes instead of the screen (format from the extension). */
export interface Destination extends Node {
  kind: "to";
  path: StringLit;
}

/** `sample SIZE [per FIELD] from SOURCE [weighted by EXPR] [where EXPR] [seed N] [limit N] [for D] [to "f"]`. */
export interface SampleStmt extends Node {
  kind: "sample";
  size: SampleSize;
  per?: FieldRef;
  source: SourceRef;
  weightedBy?: Expr;
  where?: Expr;
  seed?: NumberLit;
  /** Streams (tracepoints) only: stop after this many events. */
  limit?: NumberLit;
  /** Streams (tracepoints) only: stop after this long. */
  for?: DurationLit;
  to?: Destination;
}

/** One projected column: `errors / calls as err_rate`. */
export interface Projection extends Node {
  kind: "projection";
  expr: Expr;
  alias?: Identifier;
}

export interface OrderKey extends Node {
  kind: "order-key";
  expr: Expr;
  descending: boolean;
}

/**
 * The plain query, a full scan with no sampling:
 * `[select PROJ, ...] from SOURCE [where EXPR] [order by EXPR [asc|desc], ...] [limit N] [to "f"]`.
 */
export interface QueryStmt extends Node {
  kind: "query";
  select?: Projection[];
  source: SourceRef;
  where?: Expr;
  orderBy?: OrderKey[];
  limit?: NumberLit;
  /** Streams (tracepoints) only: read for this long. */
  for?: DurationLit;
  to?: Destination;
}

export interface Aggregate extends Node {
  kind: "aggregate";
  fn: "sum" | "count" | "avg";
  /** Absent for `count()`. */
  arg?: Expr;
  alias?: Identifier;
}

/**
 * `estimate AGG, ... from SOURCE [where EXPR] using sample P%|K [weighted by EXPR] [seed N] [to "f"]`.
 */
export interface EstimateStmt extends Node {
  kind: "estimate";
  aggregates: Aggregate[];
  source: SourceRef;
  where?: Expr;
  using: SampleSize;
  weightedBy?: Expr;
  seed?: NumberLit;
  to?: Destination;
}

/** `trace NAME [sample P%] [where EXPR]`. */
export interface TraceStmt extends Node {
  kind: "trace";
  probe: Identifier;
  sample?: PercentLit;
  where?: Expr;
}

export interface StopStmt extends Node {
  kind: "stop";
  /** Absent for `stop all`. */
  probe?: Identifier;
}

export interface WaitStmt extends Node {
  kind: "wait";
  duration: DurationLit;
}

export interface ShowStmt extends Node {
  kind: "show";
  what: "maps" | "programs" | "probes";
  /** `show maps where type == "hash"` etc. */
  where?: Expr;
  orderBy?: OrderKey[];
  limit?: NumberLit;
}

/** `describe map X`: a map's BTF layout. */
export interface DescribeStmt extends Node {
  kind: "describe";
  source: SourceRef;
}

/** `save map X to "x.json"`: a snapshot of a map (entries, layout, info) that `file` reads back. */
export interface SaveStmt extends Node {
  kind: "save";
  source: SourceRef;
  to: Destination;
}

/** `explain STATEMENT`: prints the statement's sampler configuration instead of running it. */
export interface ExplainStmt extends Node {
  kind: "explain";
  statement: Statement;
}

/** `let NAME = EXPR`: a constant for later statements (`let slow = 500ms`). */
export interface LetStmt extends Node {
  kind: "let";
  name: Identifier;
  value: Expr;
}

/** `set format table|json|ndjson|csv` | `set seed N` | `set stats on|off` (BPF run-time statistics) | `set percpu`. */
export type SetStmt =
  | (Node & { kind: "set"; option: "format"; format: Identifier })
  | (Node & { kind: "set"; option: "stats"; value: Identifier })
  /** `set percpu sum|each`: per-CPU map values summed (the default) or one row per CPU. */
  | (Node & { kind: "set"; option: "percpu"; value: Identifier })
  | (Node & { kind: "set"; option: "seed"; seed: NumberLit })
  /** `set budget 1%` (a share of one CPU the probes may take) or `set budget off`. */
  | (Node & { kind: "set"; option: "budget"; budget: PercentLit | null; off?: Identifier });

/** `watch every D QUERY`: runs a query again every D until interrupted. */
export interface WatchStmt extends Node {
  kind: "watch";
  every: DurationLit;
  query: SampleStmt | QueryStmt | EstimateStmt | ShowStmt;
}

export type Statement =
  | SampleStmt | QueryStmt | EstimateStmt | TraceStmt | StopStmt | WaitStmt | ShowStmt
  | DescribeStmt | SaveStmt | ExplainStmt | LetStmt | SetStmt | WatchStmt | HelpStmt;

/** `help [WORD]`: the statements, or one statement's syntax and examples. */
export interface HelpStmt extends Node {
  kind: "help";
  topic?: Identifier;
}
