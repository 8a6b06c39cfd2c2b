import type { Value } from "../bpf/btf-decode";

/** SourceColumn: one column a source offers, with what kind of value it holds. */
export interface SourceColumn {
  name: string;
  /** Integers and floats: usable as weights and in arithmetic. */
  numeric: boolean;
  /** How the source describes the type (`__u64`, `char[16]`, `number`...). */
  typeName: string;
  /** Text values (char arrays, strings): comparable with strings and `~`. */
  text?: boolean;
  /** For map entries: whether the column lies in the key or the value (`key.pid` finds it). */
  part?: "key" | "value";
}

/**
 * Cursor: the entry a scan is at. `cell` decodes one column on demand; `keep` copies the entry
 * out (a cursor's buffers are reused once the visitor returns), so a sampler decodes only what
 * it keeps.
 */
export interface Cursor {
  /** Bytes that identify the entry (a map key): per-entry uniforms are hashed from them. */
  key: Uint8Array;
  cell(column: number): Value;
  keep(): Entry;
}

/** Entry: an entry copied out of a scan, decoded on demand. */
export interface Entry {
  key: Uint8Array;
  cell(column: number): Value;
}

/** ScanStats: how a scan went, for the result's meta. */
export interface ScanStats {
  entries: number;
  /** How the entries were read (`batch read`), empty when there is nothing to say. */
  method: string;
  notes: string[];
}

/**
 * Source: where rows come from: a kernel map, a dump file, or rows already in memory (show).
 * One interface, so sampling, plain queries and estimates work the same on all of them.
 */
export interface Source {
  /** What to call the source in messages: `map events`, `file dump.json`. */
  readonly label: string;
  readonly columns: SourceColumn[];
  /** No scan gives more entries than this (a map's max_entries): sizes samples before a scan. */
  readonly sizeBound: number;
  /** Visits every entry once. Throws BpfError for kernel failures. */
  scan(visit: (c: Cursor) => void): ScanStats;
  close(): void;
}

/** RowsSource: a source over rows already in memory (the tables `show` builds). */
export class RowsSource implements Source {
  constructor(
    readonly label: string,
    readonly columns: SourceColumn[],
    private readonly rows: Value[][],
  ) {}

  get sizeBound(): number {
    return this.rows.length;
  }

  scan(visit: (c: Cursor) => void): ScanStats {
    const enc = new TextEncoder();
    this.rows.forEach((row, i) => {
      const entry: Entry = { key: enc.encode(String(i)), cell: (c) => row[c] ?? null };
      visit({ ...entry, keep: () => entry });
    });
    return { entries: this.rows.length, method: "", notes: [] };
  }

  close(): void {}
}
