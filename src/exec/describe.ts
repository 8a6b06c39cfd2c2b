import { layoutOf } from "../bpf/btf-layout";
import type { MapHandle } from "../bpf/maps";
import type { Cell, ResultSet } from "../output/result-set";
import type { KernelMapSource } from "../sources/kernel-map";
import type { Source } from "../sources/source";

/**
 * describeMap: a map's key and value layout from its BTF, as pahole shows it (field, type,
 * offset, size, with padding holes), and in the meta its type, flags, max entries and how many
 * entries it holds now. A map without BTF shows its raw key and value sizes and says so.
 * Throws BpfError.
 */
export function describeMap(source: KernelMapSource, started: number): ResultSet {
  const { info } = source.map;
  const { columns, rows, hasBtf } = layoutTable(source.map);
  const notes = hasBtf ? [] : ["no BTF: 4- and 8-byte keys and values read as unsigned integers, others as hex bytes"];
  let entries = 0;
  source.scan(() => entries++);
  notes.unshift(`${info.type} map, id ${info.id}, max_entries ${info.maxEntries}, flags 0x${info.flags.toString(16)}, ${entries} entries now`);
  return { columns, rows, meta: { notes, elapsedMs: performance.now() - started } };
}

/** layoutTable: a map's key and value layout from its BTF (or its raw sizes), as `describe` shows it. */
export function layoutTable(map: MapHandle): { columns: ResultSet["columns"]; rows: Cell[][]; hasBtf: boolean } {
  const { info } = map;
  const btf = map.btf();
  const rows: Cell[][] = [];
  const hasBtf = !!btf && !!info.btfValueTypeId;
  if (hasBtf) {
    if (info.btfKeyTypeId) for (const l of layoutOf(btf, info.btfKeyTypeId, "key")) rows.push(line("key", l));
    for (const l of layoutOf(btf, info.btfValueTypeId, "value")) rows.push(line("value", l));
  } else {
    rows.push(["key", "key", `u8[${info.keySize}]`, 0, info.keySize]);
    rows.push(["value", "value", `u8[${info.valueSize}]`, 0, info.valueSize]);
  }
  const columns = ["part", "field", "type", "offset", "size"].map((name) => ({ name, numeric: name === "offset" || name === "size" }));
  return { columns, rows, hasBtf };
}

function line(part: string, l: ReturnType<typeof layoutOf>[number]): Cell[] {
  const type = l.bits ? `${l.type}:${l.bits.width} (bit ${l.bits.offset})` : l.type;
  return [part, l.field, type, l.offset, l.size];
}

/** describeColumns: the columns of a source without BTF layout (a dump file), or a snapshot's saved layout. */
export function describeColumns(source: Source, started: number, layout?: Record<string, Cell>[]): ResultSet {
  if (layout?.length) {
    const names = Object.keys(layout[0]!);
    return {
      columns: names.map((name) => ({ name, numeric: name === "offset" || name === "size" })),
      rows: layout.map((l) => names.map((n) => l[n] ?? null)),
      meta: { notes: [`${source.label}: the layout saved with it`], elapsedMs: performance.now() - started },
    };
  }
  return {
    columns: [{ name: "field", numeric: false }, { name: "type", numeric: false }],
    rows: source.columns.map((c) => [c.name, c.typeName]),
    meta: { notes: [source.label], elapsedMs: performance.now() - started },
  };
}
