import type { Value } from "../bpf/btf-decode";
import type { JsonOut } from "../output/json-out";
import { rowEncoder, type RowEncoder } from "./plain-json";
import { entryUniform, entryUniforms } from "../sampling/entry-uniform";
import { BpfError } from "../bpf/errors";
import { mapLayout, sumOverCpus, type MapLayout } from "../bpf/map-types";
import { allMapInfos, hasName, MapHandle, readEntries, type Batch, type MapInfo, type ReadStats } from "../bpf/maps";
import type { ValueFetcher, WalkOptions } from "../bpf/map-walk";
import { kallsyms } from "./kallsyms";
import { CancelledError, type Cursor, type Entry, type EntryBatch, type ScanStats, type Source, type SourceColumn } from "./source";

/** UnknownMapError: no map has the name; `nearest` holds the closest names on the machine. */
export class UnknownMapError extends Error {
  constructor(
    readonly mapName: string,
    readonly all: string[],
  ) {
    super(`unknown map '${mapName}'`);
    this.name = "UnknownMapError";
  }
}

/** AmbiguousMapError: several maps share the name; the user must choose with `map id N`. */
export class AmbiguousMapError extends Error {
  constructor(
    readonly mapName: string,
    readonly matches: MapInfo[],
  ) {
    super(`${matches.length} maps are named '${mapName}' (ids ${matches.map((m) => m.id).join(", ")})`);
    this.name = "AmbiguousMapError";
  }
}

/**
 * openMapByName: opens the one map with this name. `own` is tried first: the map of a probe
 * this gms runs wins over same-named maps of other programs.
 * Throws UnknownMapError, AmbiguousMapError, BpfError.
 */
export function openMapByName(name: string, own?: () => MapHandle | undefined): MapHandle {
  const mine = own?.();
  if (mine) return mine;
  const infos = allMapInfos();
  const matches = infos.filter((i) => hasName(i, name));
  if (matches.length === 0) throw new UnknownMapError(name, [...new Set(infos.map((i) => i.name))]);
  if (matches.length > 1) throw new AmbiguousMapError(name, matches);
  try {
    return MapHandle.byId(matches[0]!.id);
  } catch (e) {
    if (e instanceof BpfError && e.code === "ENOENT") throw new UnknownMapError(name, []);
    throw e;
  }
}

type CellReader = (key: DataView, kb: number, value: DataView, vb: number, cpu: number) => Value;

/** KernelMapOptions: how a KernelMapSource shows a map. */
export interface KernelMapOptions {
  /**
   * Per-CPU maps: "sum" (the default) gives one row per entry with numeric columns summed over
   * CPUs (other columns show CPU 0); "each" gives one row per entry and possible CPU, with a
   * `cpu` column first. Other maps ignore it.
   */
  perCpu?: "sum" | "each";
  /**
   * Columns computed from another column, appended after the map's own (a syscall's name from
   * its number): what a probe knows about the meaning of its map's values.
   */
  derived?: DerivedColumn[];
  /** Called after each batch a scan reads: entries so far, and the most the map holds. */
  progress?: (entries: number, maxEntries: number) => void;
  /**
   * Asked after each batch a scan reads: true stops the scan there with CancelledError (the
   * user pressed Ctrl-C at the prompt while the map was being read).
   */
  cancelled?: () => boolean;
}

/** DerivedColumn: a column whose value is computed from column `from`'s. */
export interface DerivedColumn {
  from: string;
  name: string;
  text: boolean;
  compute: (v: Value) => Value;
}

/**
 * KernelMapSource: a live kernel map as a source. Its columns are what the map's type gives its
 * key and value (src/bpf/map-types.ts: BTF fields, LPM prefixes and addresses, stack frames,
 * inner map ids...). Entries are decoded lazily from the read batches.
 * Throws UnreadableMapError (and closes the map) for maps that are not tables, such as ring
 * buffers; BpfError.
 */
export class KernelMapSource implements Source {
  readonly label: string;
  readonly columns: SourceColumn[];
  readonly layout: MapLayout;
  /** Per-CPU rows, one per (entry, CPU): the CPU count, else 0. */
  readonly eachCpu: number;
  private readonly progress?: (entries: number, maxEntries: number) => void;
  private readonly cancelled?: () => boolean;
  /** readAll: readEntries with progress reported, and cancellation looked for, after each batch. */
  private readAll(onBatch: (b: Batch) => void, opts: { walk?: boolean | WalkOptions } = {}): ReadStats {
    let n = 0;
    const { progress, cancelled } = this;
    const max = this.map.info.maxEntries;
    if (!progress && !cancelled) return readEntries(this.map, onBatch, opts);
    return readEntries(this.map, (b) => {
      onBatch(b);
      n += b.count;
      progress?.(n, max);
      if (cancelled?.()) throw new CancelledError();
    }, opts);
  }

  constructor(
    readonly map: MapHandle,
    options: KernelMapOptions = {},
  ) {
    const { info } = map;
    this.label = `map ${info.name}`;
    try {
      this.layout = mapLayout(info, map.btf(), { symbolize: (a) => kallsyms().lookup(a) });
    } catch (e) {
      map.close();
      throw e;
    }
    const pc = this.layout.perCpu;
    this.eachCpu = pc && options.perCpu === "each" ? pc.cpus : 0;
    this.progress = options.progress;
    this.cancelled = options.cancelled;
    this.columns = this.layout.columns.map((c) => ({
      name: this.eachCpu && c.name === "cpu" ? `${c.part}.cpu` : c.name,
      numeric: c.numeric,
      typeName: c.typeName,
      text: c.text,
      part: c.part,
    }));
    if (this.eachCpu) this.columns.unshift({ name: "cpu", numeric: true, typeName: "u32" });
    this.readers = this.makeReaders();
    for (const d of options.derived ?? []) {
      const from = this.columns.findIndex((c) => c.name === d.from);
      if (from < 0) continue;
      const base = this.readers[from]!;
      this.columns.push({ name: d.name, numeric: !d.text, text: d.text, typeName: d.text ? "string" : "number" });
      this.readers.push((k, kb, v, vb, cpu) => d.compute(base(k, kb, v, vb, cpu)));
    }
  }

  /** One reader per column, chosen once: a scan calls them for every cell it decodes. */
  private readonly readers: CellReader[];

  /**
   * cellOf: one column of the entry whose key and value start at `kb` and `vb` in the views
   * (`cpu`: the row's CPU when each CPU is a row).
   */
  cellOf(col: number, key: DataView, kb: number, value: DataView, vb: number, cpu: number): Value {
    const r = this.readers[col];
    return r ? r(key, kb, value, vb, cpu) : null;
  }

  private makeReaders(): CellReader[] {
    const pc = this.layout.perCpu;
    const each = this.eachCpu;
    const readers: CellReader[] = this.layout.columns.map((c): CellReader => {
      const read = c.read;
      if (c.part === "key") return (k, kb) => read(k, kb);
      if (!pc) return (_k, _kb, v, vb) => read(v, vb);
      return each ? (_k, _kb, v, vb, cpu) => read(v, vb + cpu * pc.slot) : (_k, _kb, v, vb) => sumOverCpus(c, pc, v, vb);
    });
    if (each) readers.unshift((_k, _kb, _v, _vb, cpu) => cpu);
    return readers;
  }

  /**
   * The block kept entries are copied into, one after another, each at a multiple of 4 bytes: a
   * sampler copies out many entries it drops again later, and a copy here costs a few word moves
   * where two array slices and their views cost far more. Full blocks stay alive as long as
   * entries in them do.
   */
  private arena = new Uint8Array(0);
  private arena32 = new Int32Array(0);
  private arenaView = new DataView(this.arena.buffer);
  private arenaUsed = 0;
  /** The arrays last copied from (a batch's keys and values) and their word views. */
  private fromKeys?: Uint8Array;
  private fromKeys32?: Int32Array;
  private fromValues?: Uint8Array;
  private fromValues32?: Int32Array;

  /**
   * keepEntry: a copy of the key of `keySize` bytes at `kb` of `keys` and of the value at `vb` of
   * `values`, for after the scan. When `values` hold only part of each value (a walk's), that
   * part goes at `partAt` of a slot of `whole` bytes, and `complete` fills in the rest.
   */
  keepEntry(keys: Uint8Array, kb: number, keySize: number, values: Uint8Array, vb: number, valueSize: number, cpu: number, whole = valueSize, partAt = 0): Entry {
    const need = keySize + whole + 3;
    if (this.arenaUsed + need > this.arena.length) {
      this.arena = new Uint8Array(Math.max(1 << 20, need));
      this.arena32 = new Int32Array(this.arena.buffer, 0, this.arena.length >> 2);
      this.arenaView = new DataView(this.arena.buffer);
      this.arenaUsed = 0;
    }
    const a = this.arena;
    const kAt = (this.arenaUsed + 3) & ~3;
    const vAt = kAt + keySize;
    if (this.fromKeys !== keys) {
      this.fromKeys = keys;
      this.fromKeys32 = wordsOf(keys);
    }
    if (this.fromValues !== values) {
      this.fromValues = values;
      this.fromValues32 = wordsOf(values);
    }
    copyBytes(a, this.arena32, kAt, keys, this.fromKeys32, kb, keySize);
    copyBytes(a, this.arena32, vAt + partAt, values, this.fromValues32, vb, valueSize);
    this.arenaUsed = vAt + whole;
    return new ArenaEntry(this, a, this.arenaView, kAt, vAt, cpu);
  }

  get sizeBound(): number {
    // A rewritten map can hand over up to the read's margin beyond max_entries.
    const { maxEntries } = this.map.info;
    return (maxEntries + Math.max(64, maxEntries >> 2)) * (this.eachCpu || 1);
  }

  scan(visit: (c: Cursor) => void): ScanStats {
    const cpus = this.eachCpu;
    const cursor = new BatchCursor(this);
    const stats = this.readAll((b) => {
      cursor.batch(b);
      for (let i = 0; i < b.count; i++) {
        cursor.at(i);
        if (!cpus) {
          visit(cursor);
          continue;
        }
        // A row per CPU: its key is the map key and the CPU (u32), so seeded samples tell rows apart.
        for (let cpu = 0; cpu < cpus; cpu++) {
          cursor.onCpu(cpu);
          visit(cursor);
        }
      }
    });
    return this.scanStats(stats);
  }

  /**
   * scanBatches: see Source.scanBatches. Maps whose values are per CPU, and weight columns that
   * are not whole integers read straight from bytes, are left to `scan`. A large hash map is
   * walked in the kernel (readEntries' `walk`): a sample takes a key that comes twice once, and
   * given `keepsAtMost` the walk may copy weights only (see `complete`).
   */
  scanBatches(weightColumn: number | null, visit: (b: EntryBatch) => void, keepsAtMost?: number): ScanStats | undefined {
    if (this.layout.perCpu) return undefined;
    const plain = weightColumn === null ? undefined : this.layout.columns[weightColumn];
    if (plain && plain.plain?.kind !== "int") return undefined;
    const cursor = new BatchCursor(this);
    const at = plain ? { part: plain.part, offset: plain.byteOffset, size: (plain.plain as { size: number }).size, signed: (plain.plain as { signed: boolean }).signed } : undefined;
    // A sample that keeps few entries (an eighth of the map at most) has a walk copy only the
    // weight of each value, or nothing, and the whole values of the entries it keeps looked up
    // at the end (`complete`), a lookup each: on 1M entries of 36 bytes a 1% weighted sample
    // took 13% less time so (median of 31 paired runs), `sample 100` 30% less.
    const whole = this.map.info.valueSize;
    const part = at?.part === "value" ? { offset: at.offset, size: at.size } : { offset: 0, size: 0 };
    const partial = keepsAtMost !== undefined && keepsAtMost * 8 <= this.map.info.maxEntries;
    this.release();
    const stats = this.readAll((b) => {
      cursor.batch(b);
      const partAt = b.valueOffset;
      const weight = at && partAt !== undefined && at.part === "value" ? { ...at, offset: at.offset - partAt } : at;
      visit({
        count: b.count,
        uniforms: (seed, us) => {
          entryUniforms(seed, b.keys, b.keySize, b.count, us);
        },
        numbers: (ws) => {
          if (weight) cursor.numbers(weight, ws);
        },
        // Straight to the copy (values are not per CPU here): a sampler calls this for each
        // candidate, many of them before the code is compiled, where every call level costs.
        keep:
          partAt === undefined
            ? (i) => this.keepEntry(b.keys, i * b.keySize, b.keySize, b.values, i * b.valueSize, b.valueSize, 0)
            : (i) => this.keepEntry(b.keys, i * b.keySize, b.keySize, b.values, i * b.valueSize, b.valueSize, 0, whole, partAt),
      });
    }, { walk: partial ? { part, fetchCapacity: keepsAtMost } : true });
    if (stats.values) this.pending = { values: stats.values, part };
    return this.scanStats(stats);
  }

  /** After a walk of part of each value: the fetcher of whole values, and which part was copied. */
  private pending?: { values: ValueFetcher; part: { offset: number; size: number } };

  private release(): void {
    this.pending?.values.close();
    this.pending = undefined;
  }

  /**
   * complete: see Source.complete. After a walk that copied only the weight of each value, the
   * kept entries' whole values are looked up (in one pass in the kernel) and copied into them;
   * an entry gone since is dropped, and one whose weight changed shows its value as it is now.
   * Throws BpfError.
   */
  complete(entries: Entry[]): { vanished: Set<Entry>; notes: string[] } | undefined {
    const pending = this.pending;
    if (!pending) return undefined;
    const { keySize, valueSize } = this.map.info;
    const vanished = new Set<Entry>();
    let changed = 0;
    try {
      const arena = entries.filter((e): e is ArenaEntry => e instanceof ArenaEntry);
      // A fetch looks up as many keys as the walk made room for: the sample's bound.
      const room = Math.max(1, Math.floor(pending.values.capacity));
      const keys = new Uint8Array(Math.min(room, arena.length) * keySize);
      for (let from = 0; from < arena.length; from += room) {
        const n = Math.min(room, arena.length - from);
        for (let i = 0; i < n; i++) arena[from + i]!.keyInto(keys, i * keySize, keySize);
        const got = pending.values.fetch(keys, n);
        for (let i = 0; i < n; i++) {
          const e = arena[from + i]!;
          if (!got.found[i]) vanished.add(e);
          else if (!e.fill(got.values, i * valueSize, valueSize, pending.part)) changed++;
        }
      }
    } finally {
      this.release();
    }
    const notes: string[] = [];
    if (vanished.size) notes.push(`${vanished.size} sampled ${vanished.size === 1 ? "entry" : "entries"} vanished from the map before ${vanished.size === 1 ? "its value was" : "their values were"} read (left out)`);
    if (changed) notes.push(`${changed} sampled ${changed === 1 ? "entry" : "entries"} changed weight before ${changed === 1 ? "its value was" : "their values were"} read (shown as read)`);
    return { vanished, notes };
  }

  private scanStats(stats: ReadStats): ScanStats {
    const cpus = this.eachCpu;
    const notes: string[] = [];
    // In arrays of maps or programs a listed key that finds nothing is an empty slot.
    if (stats.vanished && !this.layout.emptySlots) notes.push(`${stats.vanished} entries vanished during the read`);
    if (stats.repeated) notes.push(`${stats.repeated} entries moved during the read (shown once)`);
    if (stats.incomplete) notes.push(`read incomplete: stopped after ${stats.entries} entries while the map was being rewritten`);
    if (cpus) notes.push(`one row per CPU: ${stats.entries} entries x ${cpus} CPUs`);
    const walked = stats.method === "walk";
    const method = walked ? "walked in the kernel" : `${stats.method} read${stats.readers > 1 ? ` (${stats.readers} threads)` : ""}`;
    return { entries: stats.entries * (cpus || 1), method, notes, mayRepeat: walked };
  }

  close(): void {
    this.release();
    this.map.close();
  }
}

/**
 * BatchCursor: a KernelMapSource's cursor over one batch of a read, at one entry (and CPU, when
 * each CPU is a row). It allocates nothing per entry: keys are hashed and plain columns written
 * as JSON where they lie in the batch.
 */
class BatchCursor implements Cursor {
  private b!: Batch;
  private kv!: DataView;
  private vv!: DataView;
  private kb = 0;
  private vb = 0;
  private cpu = 0;
  /** Per CPU row: the map key followed by the CPU as a u32. */
  private rowKey = new Uint8Array(0);
  /** The row encoder, made on first use; null when some column is not plain (or values are per CPU). */
  private encoder?: RowEncoder | null;

  constructor(private readonly src: KernelMapSource) {}

  batch(b: Batch): void {
    this.b = b;
    this.kv = new DataView(b.keys.buffer, b.keys.byteOffset, b.keys.byteLength);
    this.vv = new DataView(b.values.buffer, b.values.byteOffset, b.values.byteLength);
  }

  at(i: number): void {
    this.kb = i * this.b.keySize;
    this.vb = i * this.b.valueSize;
    this.cpu = 0;
  }

  onCpu(cpu: number): void {
    this.cpu = cpu;
    const n = this.b.keySize;
    if (this.rowKey.length !== n + 4) this.rowKey = new Uint8Array(n + 4);
    this.rowKey.set(this.b.keys.subarray(this.kb, this.kb + n));
    new DataView(this.rowKey.buffer).setUint32(n, cpu, true);
  }

  get key(): Uint8Array {
    if (this.src.eachCpu) return this.rowKey;
    return this.b.keys.subarray(this.kb, this.kb + this.b.keySize);
  }

  uniform(seed: number): number {
    if (this.src.eachCpu) return entryUniform(seed, this.rowKey);
    return entryUniform(seed, this.b.keys, this.kb, this.kb + this.b.keySize);
  }

  /** A bound function: callers pass it on as a row (`where(c.cell)`). */
  readonly cell = (col: number): Value => this.src.cellOf(col, this.kv, this.kb, this.vv, this.vb, this.cpu);

  writeRowJson(out: JsonOut): boolean {
    if (this.encoder === undefined) {
      const { layout, columns } = this.src;
      // Derived columns are computed, not read: rows with them are written from their cells.
      const plain = !layout.perCpu && columns.length === layout.columns.length && layout.columns.every((c) => c.plain);
      this.encoder = plain
        ? rowEncoder(layout.columns.map((c, i) => ({ name: columns[i]!.name, part: c.part, offset: c.byteOffset, plain: c.plain! })))
        : null;
    }
    return !!this.encoder && this.encoder(out, this.b.keys, this.kv, this.kb, this.b.values, this.vv, this.vb);
  }

  /** numbers: an integer column of every entry of the batch as doubles (u64 rounded as Number does). */
  numbers(at: { part: "key" | "value"; offset: number; size: number; signed: boolean }, ws: Float64Array): void {
    const { b } = this;
    const view = at.part === "key" ? this.kv : this.vv;
    const step = at.part === "key" ? b.keySize : b.valueSize;
    let o = at.offset;
    const n = b.count;
    switch (at.size) {
      case 1: for (let i = 0; i < n; i++, o += step) ws[i] = at.signed ? view.getInt8(o) : view.getUint8(o); break;
      case 2: for (let i = 0; i < n; i++, o += step) ws[i] = at.signed ? view.getInt16(o, true) : view.getUint16(o, true); break;
      case 4: for (let i = 0; i < n; i++, o += step) ws[i] = at.signed ? view.getInt32(o, true) : view.getUint32(o, true); break;
      default:
        // hi * 2^32 is exact, so adding lo rounds once: the same double as Number(the bigint).
        if (at.signed) for (let i = 0; i < n; i++, o += step) ws[i] = view.getInt32(o + 4, true) * 0x100000000 + view.getUint32(o, true);
        else for (let i = 0; i < n; i++, o += step) ws[i] = view.getUint32(o + 4, true) * 0x100000000 + view.getUint32(o, true);
    }
  }

  keep(): Entry {
    const { b } = this;
    if (this.src.eachCpu) return this.src.keepEntry(this.rowKey, 0, this.rowKey.length, b.values, this.vb, b.valueSize, this.cpu);
    return this.src.keepEntry(b.keys, this.kb, b.keySize, b.values, this.vb, b.valueSize, 0);
  }
}

/** wordsOf: a word view of `bytes` when they start on a 4-byte boundary. */
function wordsOf(bytes: Uint8Array): Int32Array | undefined {
  return bytes.byteOffset & 3 ? undefined : new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >> 2);
}

/**
 * copyBytes: n bytes from src at s to dst at d (dst32, src32: their word views), by words where
 * both ends and n are multiples of 4 (a u32 key and a struct value: 9 moves instead of 36), byte
 * by byte for other small copies (cheaper than making a subarray to set() from), else by set().
 */
function copyBytes(dst: Uint8Array, dst32: Int32Array, d: number, src: Uint8Array, src32: Int32Array | undefined, s: number, n: number): void {
  if (src32 !== undefined && ((d | s | n) & 3) === 0 && n <= 256) {
    const dw = d >> 2;
    const sw = s >> 2;
    for (let i = 0; i < n >> 2; i++) dst32[dw + i] = src32[sw + i]!;
  } else if (n <= 64) {
    for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
  } else {
    dst.set(src.subarray(s, s + n), d);
  }
}

/** ArenaEntry: an entry kept in a KernelMapSource's arena: one small object, views made on demand. */
class ArenaEntry implements Entry {
  constructor(
    private readonly src: KernelMapSource,
    private readonly arena: Uint8Array,
    private readonly view: DataView,
    private readonly kAt: number,
    private readonly vAt: number,
    private readonly cpu: number,
  ) {}

  get key(): Uint8Array {
    return this.arena.subarray(this.kAt, this.vAt);
  }

  /** A bound function, like a cursor's: callers pass it on as a row. */
  get cell(): (col: number) => Value {
    return (col) => this.src.cellOf(col, this.view, this.kAt, this.view, this.vAt, this.cpu);
  }

  /** keyInto: copies the key's `size` bytes to `dst` at `at`. */
  keyInto(dst: Uint8Array, at: number, size: number): void {
    const a = this.arena;
    for (let i = 0; i < size; i++) dst[at + i] = a[this.kAt + i]!;
  }

  /**
   * fill: puts the whole value, `size` bytes at `from` of `values`, in place of the part a walk
   * copied; false when that part differs there (the weight changed since the walk).
   */
  fill(values: Uint8Array, from: number, size: number, part: { offset: number; size: number }): boolean {
    const a = this.arena;
    const to = this.vAt;
    let same = true;
    for (let i = part.offset; i < part.offset + part.size; i++) if (a[to + i] !== values[from + i]) same = false;
    for (let i = 0; i < size; i++) a[to + i] = values[from + i]!;
    return same;
  }
}
