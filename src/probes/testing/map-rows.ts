import { entryLayout } from "../../bpf/btf-decode";
import { readEntries } from "../../bpf/maps";
import type { RunningProbe } from "../../exec/probes";

/** mapRows: every entry of one of a running probe's maps, decoded from its BTF, as objects. */
export function mapRows(probe: RunningProbe, name: string): Record<string, unknown>[] {
  const map = probe.object.map(name);
  try {
    const { columns } = entryLayout(map.btf(), map.info.btfKeyTypeId, map.info.btfValueTypeId, map.info.keySize, map.info.valueSize);
    const rows: Record<string, unknown>[] = [];
    readEntries(map, (b) => {
      for (let i = 0; i < b.count; i++) {
        const kv = new DataView(b.keys.buffer, b.keys.byteOffset + i * b.keySize);
        const vv = new DataView(b.values.buffer, b.values.byteOffset + i * b.valueSize);
        rows.push(Object.fromEntries(columns.map((c) => [c.name, c.read(c.part === "key" ? kv : vv, 0)])));
      }
    });
    return rows;
  } finally {
    map.close();
  }
}
