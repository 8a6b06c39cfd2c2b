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

/** A dotted field path such as `qps` or `value.stats.max`. */
export interface FieldRef extends Node {
  kind: "field";
  path: string[];
}

export interface NumberLit extends Node {
  kind: "number";
  /** The literal as written, so integers above 2^53 can be kept exact by later stages. */
  text: string;
  value: number;
}

export interface PercentLit extends Node {
  kind: "percent";
  /** The probability, 0.01 for `1%`. */
  fraction: number;
  text: string;
}

export interface DurationLit extends Node {
  kind: "duration";
  ms: number;
  text: string;
}

/** A map reference; its span covers what follows `map` (`events`, `id 42`, `"/sys/fs/bpf/foo"`). */
export type MapRef =
  | (Node & { kind: "map-name"; name: string })
  | (Node & { kind: "map-id"; id: number })
  | (Node & { kind: "map-pinned"; path: string });

export interface SampleSize extends Node {
  kind: "size";
  /** Either a probability (from `P%`) or a count (from `K`). */
  percent?: PercentLit;
  count?: NumberLit;
}

export interface SampleStmt extends Node {
  kind: "sample";
  size: SampleSize;
  source: MapRef;
  weightedBy?: FieldRef;
  seed?: NumberLit;
}

export interface TraceStmt extends Node {
  kind: "trace";
  probe: Identifier;
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
}

export type Statement = SampleStmt | TraceStmt | StopStmt | WaitStmt | ShowStmt;
