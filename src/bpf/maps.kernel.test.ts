import { afterAll, beforeAll, expect, test } from "bun:test";
import { BUILD, kernelDescribe } from "../../test/kernel";
import { BpfObject } from "./object";
import { readEntries, type MapHandle } from "./maps";
import { entryLayout, reader, type Value } from "./btf-decode";

/** bpftoolDump: `bpftool map dump id N -j`, with integers of 16+ digits kept exact as strings. */
async function bpftoolDump(id: number): Promise<{ key: unknown; value: unknown; formatted?: { key: unknown; value: unknown } }[]> {
  const p = Bun.spawnSync(["bpftool", "map", "dump", "id", String(id), "-j"]);
  if (p.exitCode !== 0) throw new Error(`bpftool failed: ${p.stderr.toString()}`);
  const text = p.stdout.toString().replace(/([:\[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"');
  return JSON.parse(text);
}

function plain(v: Value): unknown {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" && Math.abs(v) >= 1e15) return String(v);
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

function decodeAll(map: MapHandle): { key: unknown; value: unknown }[] {
  const btf = map.btf()!;
  const rk = reader(btf, map.info.btfKeyTypeId);
  const rv = reader(btf, map.info.btfValueTypeId);
  const out: { key: unknown; value: unknown }[] = [];
  readEntries(map, (b) => {
    const kv = new DataView(b.keys.buffer, b.keys.byteOffset);
    const vv = new DataView(b.values.buffer, b.values.byteOffset);
    for (let i = 0; i < b.count; i++) out.push({ key: plain(rk(kv, i * b.keySize)), value: plain(rv(vv, i * b.valueSize)) });
  });
  return out;
}

/** bpftool prints bitfields as hex strings ("0x7"); gms shows them as numbers like other ints. */
function bitfieldsAsNumbers(v: unknown): unknown {
  if (typeof v === "string" && /^0x[0-9a-f]+$/.test(v)) return Number(v);
  if (Array.isArray(v)) return v.map(bitfieldsAsNumbers);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, bitfieldsAsNumbers(x)]));
  return v;
}

const byKey = (a: { key: unknown }, b: { key: unknown }) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key));

kernelDescribe("kernel maps: BTF decoding against bpftool", () => {
  let obj: BpfObject;
  beforeAll(async () => {
    obj = BpfObject.load("fixture", await Bun.file(`${BUILD}test/fixture.bpf.o`).bytes());
    expect(obj.run("fill")).toBe(0);
  });
  afterAll(() => obj?.close());

  test("a BTF-typed hash map decodes exactly as bpftool formats it, entry for entry", async () => {
    const map = obj.map("gms_fixture");
    try {
      const mine = decodeAll(map).sort(byKey);
      const theirs = (await bpftoolDump(map.info.id)).map((e) => bitfieldsAsNumbers(e.formatted!) as { key: unknown }).sort(byKey);
      expect(mine.length).toBe(50);
      expect(theirs.length).toBe(50);
      expect(mine).toEqual(theirs as typeof mine);
      // The u64 above 2^53 stays exact.
      const first = mine.find((e) => (e.key as { id: number }).id === 1)!;
      expect((first.value as { inner: { big: string } }).inner.big).toBe("18446744073709551600");
    } finally {
      map.close();
    }
  });

  test("the columns of a map without BTF are its key and value as unsigned integers", async () => {
    const map = obj.map("gms_fixture_raw");
    try {
      const layout = entryLayout(map.btf(), map.info.btfKeyTypeId, map.info.btfValueTypeId, map.info.keySize, map.info.valueSize);
      expect(layout.columns.map((c) => `${c.name}:${c.typeName}`)).toEqual(["key:u32", "value:u64"]);
      const rows: Value[][] = [];
      readEntries(map, (b) => {
        for (let i = 0; i < b.count; i++) {
          const kv = new DataView(b.keys.buffer, b.keys.byteOffset + i * b.keySize);
          const vv = new DataView(b.values.buffer, b.values.byteOffset + i * b.valueSize);
          rows.push([layout.columns[0]!.read(kv, 0), layout.columns[1]!.read(vv, 0)]);
        }
      });
      const dump = await bpftoolDump(map.info.id);
      expect(rows.length).toBe(dump.length);
      expect(rows[3]).toEqual([3, 3 * 2 ** 40 + 3]);
    } finally {
      map.close();
    }
  });
});
