import type { Expr } from "../lang/ast";
import type { DerivedColumn } from "../sources/kernel-map";

/** ProbeOptions: what `trace NAME [sample P%] [where EXPR]` asks of a probe. */
export interface ProbeOptions {
  sample: number | null;
  where: Expr | null;
}

/**
 * ProbeConfig: a probe's kernel-side configuration: the members of its config map's value
 * (encoded from the object's BTF), the probability each event is counted with, and a summary.
 */
export interface ProbeConfig {
  fields: Record<string, number | string>;
  probability: number;
  summary: string;
}

/**
 * ProbeSpec: a catalog entry for one of gms's own probes: the compiled object (embedded in the
 * executable), the programs to attach, the `syscall` programs to run once after attaching, the
 * maps it fills (the names users query), and, for probes that filter and sample in the kernel,
 * their two-slot config map, its index map, and how options become a config.
 */
export interface ProbeSpec {
  name: string;
  description: string;
  /** Path of the compiled `build/NAME.bpf.o` (inside the executable once compiled). */
  object: string;
  attach: string[];
  runOnce: string[];
  maps: string[];
  /**
   * Maps that are log2 histograms (an array map keyed by slot i, counting values of
   * [2^i, 2^(i+1)) units): a query shows each slot's range and a bar for its count.
   */
  histograms?: Record<string, { unit: string; count: string }>;
  /** Columns computed from a map's own, by map (a syscall's name from its number). */
  derived?: Record<string, DerivedColumn[]>;
  config?: {
    map: string;
    index: string;
    /** Throws DiagnosticError for options the kernel side cannot do. */
    build(opts: ProbeOptions): ProbeConfig;
  };
}

