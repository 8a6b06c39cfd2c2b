import type { Value } from "../bpf/btf-decode";
import { BpfError } from "../bpf/errors";
import { mapLayout, sumOverCpus, type MapLayout } from "../bpf/map-types";
import { allMapInfos, hasName, MapHandle, readEntries, type MapInfo } from "../bpf/maps";
import { kallsyms } from "./kallsyms";
import type { Cursor, Entry, ScanStats, Source, SourceColumn } from "./source";

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
  private readonly eachCpu: number;

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
    this.columns = this.layout.columns.map((c) => ({
      name: this.eachCpu && c.name === "cpu" ? `${c.part}.cpu` : c.name,
      numeric: c.numeric,
      typeName: c.typeName,
      text: c.text,
      part: c.part,
    }));
    if (this.eachCpu) this.columns.unshift({ name: "cpu", numeric: true, typeName: "u32" });
    this.readers = this.makeReaders();
  }

  /** One reader per column, chosen once: a scan calls them for every cell it decodes. */
  private readonly readers: CellReader[];

  /**
   * cellOf: one column of the entry whose key and value start at `kb` and `vb` in the views
   * (`cpu`: the row's CPU when each CPU is a row).
   */
  private cellOf(col: number, key: DataView, kb: number, value: DataView, vb: number, cpu: number): Value {
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

  private entry(key: Uint8Array, value: Uint8Array, cpu: number): Entry {
    const kv = new DataView(key.buffer, key.byteOffset, key.byteLength);
    const vv = new DataView(value.buffer, value.byteOffset, value.byteLength);
    return { key, cell: (col) => this.cellOf(col, kv, 0, vv, 0, cpu) };
  }

  get sizeBound(): number {
    // A rewritten map can hand over up to the read's margin beyond max_entries.
    const { maxEntries } = this.map.info;
    return (maxEntries + Math.max(64, maxEntries >> 2)) * (this.eachCpu || 1);
  }

  scan(visit: (c: Cursor) => void): ScanStats {
    const cpus = this.eachCpu;
    let rowKey = new Uint8Array(0);
    let rowKeyView = new DataView(rowKey.buffer);
    const stats = readEntries(this.map, (b) => {
      const kv = new DataView(b.keys.buffer, b.keys.byteOffset, b.keys.byteLength);
      const vv = new DataView(b.values.buffer, b.values.byteOffset, b.values.byteLength);
      let i = 0;
      let cpu = 0;
      const cursor: Cursor = {
        key: b.keys.subarray(0, 0),
        cell: (col) => this.cellOf(col, kv, i * b.keySize, vv, i * b.valueSize, cpu),
        keep: () =>
          this.entry(cursor.key.slice(), b.values.slice(i * b.valueSize, (i + 1) * b.valueSize), cpu),
      };
      for (i = 0; i < b.count; i++) {
        cursor.key = b.keys.subarray(i * b.keySize, (i + 1) * b.keySize);
        if (!cpus) {
          visit(cursor);
          continue;
        }
        // A row per CPU: its key is the map key and the CPU (u32), so seeded samples tell rows apart.
        if (rowKey.length !== b.keySize + 4) {
          rowKey = new Uint8Array(b.keySize + 4);
          rowKeyView = new DataView(rowKey.buffer);
        }
        rowKey.set(cursor.key);
        cursor.key = rowKey;
        for (cpu = 0; cpu < cpus; cpu++) {
          rowKeyView.setUint32(b.keySize, cpu, true);
          visit(cursor);
        }
        cpu = 0;
      }
    });
    const notes: string[] = [];
    // In arrays of maps or programs a listed key that finds nothing is an empty slot.
    if (stats.vanished && !this.layout.emptySlots) notes.push(`${stats.vanished} entries vanished during the read`);
    if (stats.repeated) notes.push(`${stats.repeated} entries moved during the read (shown once)`);
    if (stats.incomplete) notes.push(`read incomplete: stopped after ${stats.entries} entries while the map was being rewritten`);
    if (cpus) notes.push(`one row per CPU: ${stats.entries} entries x ${cpus} CPUs`);
    return { entries: stats.entries * (cpus || 1), method: `${stats.method} read`, notes };
  }

  close(): void {
    this.map.close();
  }
}
