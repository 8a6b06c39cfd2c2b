import type { Span } from "../lang/span";

/**
 * SamplerConfig: what a statement asks for, as a plain JSON value with a stable key order. It
 * knows no kernel state (no fds, no map ids looked up), so it can be compared as a value in tests
 * and printed by `explain`; only src/exec turns it into live objects.
 */
export type SamplerConfig =
  | SampleConfig
  | { statement: "trace"; probe: string; span: Span }
  | { statement: "stop"; probe: string | null }
  | { statement: "wait"; ms: number }
  | { statement: "show"; what: "maps" | "programs" | "probes" };

export type SourceConfig =
  | { kind: "map"; by: "name"; name: string; span: Span }
  | { kind: "map"; by: "id"; id: number; span: Span }
  | { kind: "map"; by: "pinned"; path: string; span: Span };

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

export interface SampleConfig {
  statement: "sample";
  source: SourceConfig;
  sampler: Method;
  weight: { field: string[]; span: Span } | null;
  /** The seed, or null to draw one when the statement runs (the result shows it). */
  seed: number | null;
}
