import { entryLayout, type EntryLayout, type Value } from "../bpf/btf-decode";
import { BpfError } from "../bpf/errors";
import { libbpf } from "../bpf/libbpf";
import { allMapInfos, hasName, isPerCpu, MapHandle, readEntries, type MapInfo } from "../bpf/maps";
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

/**
 * KernelMapSource: a live kernel map as a source. Columns come from the map's BTF (or its raw
 * key and value sizes); per-CPU values are summed over CPUs for numeric columns (other columns
 * show CPU 0). Entries are decoded lazily from the read batches.
 */
export class KernelMapSource implements Source {
  readonly label: string;
  readonly columns: SourceColumn[];
  private readonly layout: EntryLayout;
  private readonly perCpu?: { cpus: number; slot: number };

  constructor(readonly map: MapHandle) {
    const { info } = map;
    this.label = `map ${info.name}`;
    this.layout = entryLayout(map.btf(), info.btfKeyTypeId, info.btfValueTypeId, info.keySize, info.valueSize);
    this.columns = this.layout.columns.map((c) => ({
      name: c.name,
      numeric: c.numeric,
      typeName: c.typeName,
      text: c.text,
      part: c.part,
    }));
    if (isPerCpu(info)) this.perCpu = { cpus: libbpf().libbpf_num_possible_cpus(), slot: (info.valueSize + 7) & ~7 };
  }

  /** cellOf: one column of the entry whose key and value start at `kb` and `vb` in the views. */
  private cellOf(col: number, key: DataView, kb: number, value: DataView, vb: number): Value {
    const c = this.layout.columns[col];
    if (!c) return null;
    if (c.part === "key") return c.read(key, kb);
    const pc = this.perCpu;
    if (!pc || !c.numeric) return c.read(value, vb);
    let sum: number | bigint = 0;
    for (let cpu = 0; cpu < pc.cpus; cpu++) {
      const x = c.read(value, vb + cpu * pc.slot) as number | bigint;
      sum = typeof x === "bigint" || typeof sum === "bigint" ? BigInt(sum) + BigInt(x) : sum + x;
    }
    return typeof sum === "bigint" && sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
  }

  private entry(key: Uint8Array, value: Uint8Array): Entry {
    const kv = new DataView(key.buffer, key.byteOffset, key.byteLength);
    const vv = new DataView(value.buffer, value.byteOffset, value.byteLength);
    return { key, cell: (col) => this.cellOf(col, kv, 0, vv, 0) };
  }

  scan(visit: (c: Cursor) => void): ScanStats {
    const stats = readEntries(this.map, (b) => {
      const kv = new DataView(b.keys.buffer, b.keys.byteOffset, b.keys.byteLength);
      const vv = new DataView(b.values.buffer, b.values.byteOffset, b.values.byteLength);
      let i = 0;
      const cursor: Cursor = {
        key: b.keys.subarray(0, 0),
        cell: (col) => this.cellOf(col, kv, i * b.keySize, vv, i * b.valueSize),
        keep: () =>
          this.entry(b.keys.slice(i * b.keySize, (i + 1) * b.keySize), b.values.slice(i * b.valueSize, (i + 1) * b.valueSize)),
      };
      for (i = 0; i < b.count; i++) {
        cursor.key = b.keys.subarray(i * b.keySize, (i + 1) * b.keySize);
        visit(cursor);
      }
    });
    const notes = stats.vanished ? [`${stats.vanished} entries vanished during the read`] : [];
    return { entries: stats.entries, method: `${stats.method} read`, notes };
  }

  close(): void {
    this.map.close();
  }
}
