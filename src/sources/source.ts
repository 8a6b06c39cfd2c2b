import type { Value } from "../bpf/btf-decode";
import type { JsonOut } from "../output/json-out";
import { entryUniform } from "../sampling/entry-uniform";

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
  /** Bytes that identify the entry (a map key), valid until the visitor returns. */
  readonly key: Uint8Array;
  /** A column of the entry, decoded; callable detached (it is passed on as a row). */
  cell(column: number): Value;
  /** The entry's uniform under `seed`: entryUniform of its key bytes, hashed where they lie. */
  uniform(seed: number): number;
  /**
   * Writes the whole row (every column, in order) as a JSON object straight from the entry's
   * bytes, when the source can (kernel maps whose columns are all integers and char arrays):
   * false, having written nothing, when it cannot and the caller must encode the cells.
   */
  writeRowJson?(out: JsonOut): boolean;
  keep(): Entry;
}

/**
 * EntryBatch: a batch of a scan's entries, for samplers that take whole batches (offerMany):
 * uniforms and weights go into typed arrays in tight loops, and only the entries a sampler may
 * keep are copied out. Valid until the visitor returns.
 */
export interface EntryBatch {
  count: number;
  /** us[i] = the uniform of entry i under `seed` (as Cursor.uniform), for i < count. */
  uniforms(seed: number, us: Float64Array): void;
  /** ws[i] = the weight column of entry i (the column scanBatches was given), for i < count. */
  numbers(ws: Float64Array): void;
  keep(i: number): Entry;
}

/** Entry: an entry copied out of a scan, decoded on demand. */
export interface Entry {
  key: Uint8Array;
  cell(column: number): Value;
}

/** entryCursor: a cursor over an entry already held whole (offline and in-memory sources). */
export function entryCursor(entry: Entry): Cursor {
  return { ...entry, uniform: (seed) => entryUniform(seed, entry.key), keep: () => entry };
}

/** ScanStats: how a scan went, for the result's meta. */
export interface ScanStats {
  entries: number;
  /** How the entries were read (`batch read`), empty when there is nothing to say. */
  method: string;
  notes: string[];
  /**
   * A key may have come twice: the source read a map without locking it while the map changed
   * (an in-kernel walk; see src/bpf/map-walk.ts). A sample then shows each key once.
   */
  mayRepeat?: boolean;
}

/** CancelledError: a scan stopped between two batches because the user asked (Ctrl-C at the prompt). */
export class CancelledError extends Error {
  constructor() {
    super("cancelled");
    this.name = "CancelledError";
  }
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
  /** Visits every entry once. Throws BpfError for kernel failures, CancelledError. */
  scan(visit: (c: Cursor) => void): ScanStats;
  /**
   * Visits every entry once (a key may come twice where ScanStats.mayRepeat says so), a batch at
   * a time, with `weightColumn` (null: none) readable as numbers; undefined, having read nothing,
   * when the source cannot (then `scan` must).
   * `keepsAtMost`: the most entries the caller will keep (a sample's size), when it is bounded;
   * the source may then hand over less of each entry and fill in the kept ones (`complete`).
   * Throws BpfError for kernel failures, CancelledError.
   */
  scanBatches?(weightColumn: number | null, visit: (b: EntryBatch) => void, keepsAtMost?: number): ScanStats | undefined;
  /**
   * complete: called with the entries a sample kept from the last scanBatches, before they are
   * read: a source that left part of them out (a walk that copied only weights) fills them in.
   * Returns the entries gone meanwhile, to be left out, and notes for the result; undefined when
   * there was nothing to do. Throws BpfError.
   */
  complete?(entries: Entry[]): { vanished: Set<Entry>; notes: string[] } | undefined;
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
      visit(entryCursor({ key: enc.encode(String(i)), cell: (c) => row[c] ?? null }));
    });
    return { entries: this.rows.length, method: "", notes: [] };
  }

  close(): void {}
}
