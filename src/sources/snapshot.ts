import type { Value } from "../bpf/btf-decode";
import type { Source, SourceColumn } from "./source";

/** SNAPSHOT_VERSION: the format `save` writes and `file` reads back. */
export const SNAPSHOT_VERSION = 1;

/**
 * Snapshot: a map saved by `save map X to "x.json"`: what the kernel said of it, its layout,
 * its columns, and every entry's key bytes (hex) and decoded cells. Reading it back needs no
 * privilege and gives the same rows and, seeded, the same samples (the key bytes are kept).
 */
export interface Snapshot {
  gms_snapshot: number;
  source: string;
  info: Record<string, Value>;
  layout: Record<string, Value>[];
  columns: SourceColumn[];
  entries: { key: string; cells: Value[] }[];
}

export function isSnapshot(data: unknown): data is Snapshot {
  return !!data && typeof data === "object" && (data as Snapshot).gms_snapshot === SNAPSHOT_VERSION;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** snapshotOf: a source's every entry as a snapshot (one full read). Throws BpfError. */
export function snapshotOf(source: Source, info: Record<string, Value>, layout: Record<string, Value>[]): Snapshot {
  const entries: Snapshot["entries"] = [];
  source.scan((c) => {
    entries.push({ key: hex(c.key), cells: source.columns.map((_, i) => c.cell(i)) });
  });
  return { gms_snapshot: SNAPSHOT_VERSION, source: source.label, info, layout, columns: source.columns, entries };
}

/**
 * snapshotText: a snapshot as JSON with u64 values written as exact JSON numbers (readers that
 * parse numbers as doubles lose precision above 2^53; gms's own reader keeps them exact).
 */
export function snapshotText(s: Snapshot): string {
  return JSON.stringify(s, (_, v) => (typeof v === "bigint" ? `\u0000big${v}` : v), 1).replace(/"\\u0000big(-?\d+)"/g, "$1");
}
