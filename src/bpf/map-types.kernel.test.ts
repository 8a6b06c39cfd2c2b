import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { BUILD, kernelDescribe, waitUntil } from "../../test/kernel";
import { BpfObject } from "./object";
import { MapHandle, readEntries, valueStride } from "./maps";
import { encodeValue, type Value } from "./btf-decode";
import { UnreadableMapError } from "./map-types";
import { KernelMapSource, openMapByName, type KernelMapOptions } from "../sources/kernel-map";
import { parseJsonExact } from "../sources/dump-file";
import { kallsyms } from "../sources/kallsyms";
import { runQuery, streamQuery } from "../exec/query";
import { drawSample } from "../exec/sample";
import { JsonOut } from "../output/json-out";
import { render } from "../shell/session";
import { TRACEFS } from "./mounts";
import { Chalk } from "chalk";

/*
 * Every map type gms reads, filled with known content (test/bpf/map_types.bpf.c), read in full
 * through KernelMapSource and compared entry for entry with `bpftool map dump -j`.
 *
 * bpftool and gms show some values differently; these differences (and only these) are
 * normalised, bpftool's form turned into gms's:
 * - bitfields: bpftool prints the hex of their raw bits ("0x1d"); gms a number, sign-extended for
 *   a signed bitfield (-3).
 * - 128-bit integers: bpftool prints the hex of their bits; gms the exact (signed) integer.
 * - pointers: bpftool prints a decimal number; gms hex ("0x1000").
 * - char arrays that are not a NUL-terminated printable string (full length, control bytes):
 *   bpftool prints their byte values; gms the text up to the first NUL, other bytes as \xNN.
 * - per-CPU values: bpftool lists `values: [{cpu, value}]`; gms gives one row per (entry, cpu)
 *   with `perCpu: "each"`, or sums numeric fields by default (checked against bpftool's values
 *   summed here with bigints).
 * - LPM address bytes: bpftool prints the byte array; gms the address text, parsed back here.
 * - maps without BTF (stack_trace, maps of maps): bpftool prints raw bytes, decoded here.
 * - floats: bpftool 7.1 cannot format BTF floats (it prints `(unsupported-kind`, which is not
 *   JSON), so the float map is compared with the raw value bytes bpftool prints before that.
 */

type Row = Record<string, Value>;
interface Dumped {
  key: string[];
  value?: string[];
  values?: { cpu: number; value: string[] }[];
  formatted?: { key: unknown; value?: unknown; values?: { cpu: number; value: unknown }[] };
}

function bpftoolText(id: number): string {
  const p = Bun.spawnSync(["bpftool", "map", "dump", "id", String(id), "-j"]);
  if (p.exitCode !== 0) throw new Error(`bpftool failed: ${p.stderr.toString()}`);
  return p.stdout.toString();
}

/** bpftool's dump, with integers of 16+ digits kept exact (bigint). */
function bpftoolDump(id: number): Dumped[] {
  return parseJsonExact(bpftoolText(id)) as Dumped[];
}

const bytesOf = (hex: string[]) => Uint8Array.from(hex, (h) => Number.parseInt(h, 16));
const u32le = (b: Uint8Array, at = 0) => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const u32 = (x: number) => new Uint8Array(new Uint32Array([x]).buffer);

function exact(v: bigint): number | bigint {
  return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** A JSON key that sorts and compares bigints. */
const keyText = (v: unknown) => JSON.stringify(v, (_, x) => (typeof x === "bigint" ? `${x}n` : x));
const byKey = (a: { key: unknown }, b: { key: unknown }) => keyText(a.key).localeCompare(keyText(b.key));

/** read: every row of a map through KernelMapSource, cells by column name, plus the scan stats. */
function read(map: MapHandle, opts: KernelMapOptions = {}) {
  const src = new KernelMapSource(map, opts);
  const rows: Row[] = [];
  const stats = src.scan((c) => {
    const row: Row = {};
    src.columns.forEach((col, i) => (row[col.name] = c.cell(i)));
    rows.push(row);
  });
  return { src, rows, stats };
}

/** nested: a map's rows rebuilt as {key, value} objects from the columns' member paths. */
function nested(map: MapHandle, opts: KernelMapOptions = {}): { cpu?: number; key: Value; value: Value }[] {
  const src = new KernelMapSource(map, opts);
  const out: { cpu?: number; key: Value; value: Value }[] = [];
  const shift = src.columns.length - src.layout.columns.length;
  src.scan((c) => {
    const parts: { key: Value; value: Value; cpu?: number } = { key: {}, value: {} };
    if (shift) parts.cpu = c.cell(0) as number;
    src.layout.columns.forEach((col, i) => {
      const v = c.cell(i + shift);
      if (col.path.length === 0) {
        parts[col.part] = v;
        return;
      }
      let at = parts[col.part] as Record<string, Value>;
      for (const p of col.path.slice(0, -1)) at = (at[p] ??= {}) as Record<string, Value>;
      at[col.path.at(-1)!] = v;
    });
    out.push(parts);
  });
  return out;
}

// Fields bpftool shows in another form (see the comment at the top), by member name.
const HEX_INTS: Record<string, number> = { lo: 0, mid: 0, neg: 5, u128: 0, s128: 128 }; // signed width, 0: unsigned
const POINTERS = new Set(["ptr"]);
const CHAR_ARRAYS = new Set(["name", "comm", "tag"]);

/** cText: a char array's bytes as gms shows them: up to the first NUL, \xNN for other bytes. */
function cText(bytes: number[]): string {
  let out = "";
  for (const x of bytes) {
    const b = x & 0xff;
    if (b === 0) break;
    out += b >= 0x20 && b <= 0x7e && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, "0")}`;
  }
  return out;
}

/** normalise: bpftool's formatted value in gms's representation (only the documented differences). */
function normalise(v: unknown, field = ""): unknown {
  if (field in HEX_INTS && typeof v === "string" && /^0x[0-9a-f]+$/.test(v)) {
    const w = HEX_INTS[field]!;
    return exact(w ? BigInt.asIntN(w, BigInt(v)) : BigInt(v));
  }
  if (POINTERS.has(field) && (typeof v === "number" || typeof v === "bigint")) return `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;
  if (CHAR_ARRAYS.has(field) && Array.isArray(v)) return cText(v as number[]);
  if (Array.isArray(v)) return v.map((x) => normalise(x, field));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x, k)]));
  return v;
}

/** sumCpus: bpftool's per-CPU values as gms sums them: numbers added exactly, other fields from CPU 0. */
function sumCpus(values: unknown[]): unknown {
  const [first] = values;
  if (typeof first === "number" || typeof first === "bigint") return exact(values.reduce<bigint>((s, x) => s + BigInt(x as number), 0n));
  if (first && typeof first === "object" && !Array.isArray(first)) {
    return Object.fromEntries(Object.keys(first).map((k) => [k, sumCpus(values.map((x) => (x as Record<string, unknown>)[k]))]));
  }
  return first;
}

/** addressBytes: an address as gms shows it, parsed back into its bytes. */
function addressBytes(text: string): number[] {
  if (!text.includes(":")) return text.split(".").map(Number);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped) return [...Array(10).fill(0), 0xff, 0xff, ...addressBytes(mapped[1]!)];
  const [head, tail] = text.split("::") as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

kernelDescribe("map types: every readable map type against bpftool", () => {
  let obj: BpfObject;
  const maps: MapHandle[] = [];
  const open = (name: string) => {
    const m = obj.map(name);
    maps.push(m);
    return m;
  };

  beforeAll(async () => {
    obj = BpfObject.load("map_types", await Bun.file(`${BUILD}test/map_types.bpf.o`).bytes());
    expect(obj.run("fill")).toBe(0);
    expect(obj.run("fill_lpm")).toBe(0);

    // Per-CPU maps from user space: one buffer holds every possible CPU's slot.
    for (const name of ["mt_pc_hash", "mt_pc_lru"]) {
      const m = open(name);
      const btf = m.btf()!;
      const stride = valueStride(m.info);
      const slot = (m.info.valueSize + 7) & ~7;
      const cpus = stride / slot;
      for (const k of [1, 2, 3]) {
        const buf = new Uint8Array(stride);
        for (let c = 0; c < cpus; c++) {
          const comm = k === 2 && c === 0 ? "fullnam" : `k${k}c${c}`;
          const calls = k === 3 ? 2n ** 64n - 1n : BigInt(k * 10 + c);
          const v = encodeValue(btf, m.info.btfValueTypeId, { calls, delta: -(k * 100 + c), comm });
          if (k === 2 && c === 0) v.set(new TextEncoder().encode("fullname"), 16); // 8 chars, no NUL
          buf.set(v, c * slot);
        }
        m.write(u32(k), buf);
      }
    }
    const pa = open("mt_pc_array");
    const cpus = valueStride(pa.info) / 8;
    for (const [k, perCpu] of [[1, (c: number) => (c === 0 ? 1n : 2n ** 64n - 1n)], [2, (c: number) => BigInt(5 + c)]] as const) {
      const buf = new BigUint64Array(cpus);
      for (let c = 0; c < cpus; c++) buf[c] = perCpu(c);
      pa.write(u32(k), new Uint8Array(buf.buffer));
    }

    // Keys of 5 bytes and values of 7: copied out of a batch byte by byte, not by words.
    const odd = open("mt_odd");
    for (let k = 1; k <= 3; k++) odd.write(Uint8Array.from([k, 0, 0, 0, 0x80 + k]), Uint8Array.from([1, 2, 3, 4, 5, 6, k]));

    // A hash of maps, filled with the fds of the inner maps (the kernel hands back their ids).
    const hom = open("mt_hom");
    hom.write(u32(1000), u32(open("mt_inner_a").fd));
    hom.write(u32(2000), u32(open("mt_inner_b").fd));
    const inner = open("mt_inner_a");
    inner.write(u32(1), new Uint8Array(new BigUint64Array([2n ** 64n - 1n]).buffer));

    // Kernel stacks of this process's syscalls, recorded for a moment.
    obj.attach("grab_stack");
    const tgid = open("mt_stack_tgid");
    tgid.write(u32(0), u32(process.pid));
    for (let i = 0; i < 5; i++) readFileSync("/proc/self/stat");
    tgid.write(u32(0), u32(0));
  });

  afterAll(() => {
    for (const m of maps) m.close();
    obj?.close();
  });

  test("JSON streamed out of a scan is, byte for byte, what rendering the whole result gives, for every map type", () => {
    const q = { select: null, where: null, orderBy: [], limit: null };
    const names = ["mt_hash", "mt_floats", "mt_lru", "mt_array", "mt_pc_hash", "mt_pc_lru", "mt_pc_array", "mt_lpm4", "mt_lpm6", "mt_lpm_raw", "mt_stack", "mt_aom", "mt_hom", "mt_progs"];
    for (const name of names) {
      for (const format of ["json", "ndjson"] as const) {
        const src = () => new KernelMapSource(MapHandle.byId(open(name).info.id));
        const a = src();
        const whole = `${render(runQuery(a, q, 0), format, new Chalk({ level: 0 }))}\n`;
        a.close();
        const chunks: Uint8Array[] = [];
        const b = src();
        // A small buffer, so rows also straddle the buffer's flushes.
        streamQuery(b, q, format, new JsonOut((x) => chunks.push(x.slice()), 256), 0);
        b.close();
        expect({ name, format, text: Buffer.concat(chunks).toString() }).toEqual({ name, format, text: whole });
      }
    }
  });

  test("a sample that keeps every entry holds each as the full read has it, for every map type sampled in batches", () => {
    // Kept entries are copied out of their batch (by words, bytes or set(), by size): the copies
    // must decode as the entries read in place do.
    const q = { select: null, where: null, orderBy: [], limit: null };
    const text = (rows: Value[][]) => rows.map((r) => JSON.stringify(r, (_, x) => (typeof x === "bigint" ? `${x}n` : x))).sort();
    const names = ["mt_hash", "mt_floats", "mt_lru", "mt_array", "mt_lpm4", "mt_lpm6", "mt_lpm_raw", "mt_odd", "mt_stack", "mt_aom", "mt_hom", "mt_progs"];
    for (const name of names) {
      const full = new KernelMapSource(MapHandle.byId(open(name).info.id));
      const rows = runQuery(full, q, 0).rows as Value[][];
      full.close();
      const src = new KernelMapSource(MapHandle.byId(open(name).info.id));
      const d = drawSample(src, { method: { method: "uniform", k: 100_000 }, weight: null, where: null, per: null, seed: 1 });
      const kept = d.kept.map(({ entry }) => src.columns.map((_, i) => entry.cell(i)));
      src.close();
      expect(rows.length).toBeGreaterThan(0);
      expect({ name, rows: text(kept) }).toEqual({ name, rows: text(rows) });
    }
  });

  test("hash: every BTF kind decodes as bpftool formats it, entry for entry", () => {
    const map = open("mt_hash");
    const mine = nested(map).sort(byKey);
    const theirs = bpftoolDump(map.info.id)
      .map((e) => normalise(e.formatted) as { key: Value; value: Value })
      .sort(byKey);
    expect(mine.length).toBe(4);
    expect(mine).toEqual(theirs);

    // The edge values themselves, as gms shows them.
    const at = (id: number) => mine.find((e) => (e.key as Row).id === id)!.value as Record<string, Value>;
    const [zero, max, min, mixed] = [at(0), at(1), at(2), at(3)];
    expect(zero).toMatchObject({ u64: 0, s128: 0, name: "", flag: false, color: "MT_RED", ptr: "0x0" });
    expect(max).toMatchObject({
      u8: 255, s8: 127, u16: 65535, s16: 32767, u32: 4294967295, s32: 2147483647,
      u64: 2n ** 64n - 1n, s64: 2n ** 63n - 1n, u128: 2n ** 128n - 1n, s128: 2n ** 127n - 1n,
      flag: true, name: "ABCDEFGH", color: "MT_BLUE", sgn: "MT_POS", wide: "MT_WIDE_BIG",
      lo: 7, mid: 511, neg: 15, counter: 2n ** 64n - 1n, fixed: 4294967295, vol: 4294967295,
      ptr: "0xffffffffffffffff",
    });
    expect(min).toMatchObject({
      s8: -128, s16: -32768, s32: -2147483648, s64: -(2n ** 63n), s128: -(2n ** 127n), u128: 2n ** 64n,
      name: "a", color: 5, sgn: -7, wide: 2, neg: -16, ptr: "0xffff888012345678",
    });
    expect(min.word).toEqual({ whole: 0xfffe1234, half: { lo: 0x1234, hi: -2 }, bytes: [0x34, 0x12, 0xfe, 0xff] });
    expect(min.grid).toEqual([[0, 0], [0, -1]]);
    expect(mixed).toMatchObject({ u64: 2n ** 53n + 1n, s64: -(2n ** 53n + 1n), s128: -5, name: "t\\x09ab\\x01", mid: 300, neg: -3 });
    expect(mixed.u128).toBe(0x0123456789abcdeffedcba9876543210n);
    expect(mixed.nested).toEqual({ depth: 3, inner: { lo: 0, hi: 0 } });
    expect(mixed.pairs).toEqual([{ lo: 80, hi: -80 }, { lo: 0, hi: 0 }]);
  });

  test("hash: the columns are the leaves of the key and value, typedefs and qualifiers named", () => {
    const { src, stats } = read(open("mt_hash"));
    const cols = Object.fromEntries(src.columns.map((c) => [c.name, c]));
    expect(src.columns.slice(0, 2).map((c) => c.name)).toEqual(["id", "tag"]);
    expect(cols["word.half.hi"]!.typeName).toBe("__s16");
    expect(cols["fixed"]!.typeName).toBe("const __u32");
    expect(cols["vol"]!.typeName).toBe("volatile __u32");
    expect(cols["neg"]!.typeName).toBe("__s32:5");
    expect(cols["counter"]!.numeric).toBe(true);
    expect(cols["name"]!.text).toBe(true);
    expect(stats.method).toBe("batch read");
  });

  test("array: floats and doubles read exactly (bpftool cannot format them: raw bytes compared)", () => {
    const map = open("mt_floats");
    const { rows } = read(map);
    // The value bytes bpftool prints before it gives up on the float member.
    const raw = [...bpftoolText(map.info.id).matchAll(/"key":(\[[^\]]*\]),"value":(\[[^\]]*\])/g)].map((m) => ({
      key: u32le(bytesOf(JSON.parse(m[1]!))),
      value: new DataView(bytesOf(JSON.parse(m[2]!)).buffer),
    }));
    expect(raw.length).toBe(4);
    expect(rows.map((r) => r.key)).toEqual(raw.map((r) => r.key));
    expect(rows.map((r) => [r.f, r.d])).toEqual(raw.map((r) => [r.value.getFloat32(0, true), r.value.getFloat64(8, true)]));
    expect(rows[1]).toEqual({ key: 1, f: 1.5, d: -2.25 });
    expect(rows[2]).toEqual({ key: 2, f: -3.4028234663852886e38, d: 1e-300 });
  });

  for (const name of ["mt_lru", "mt_array"]) {
    test(`${name === "mt_lru" ? "lru_hash" : "array"}: u64 max, s64 min, full-length and empty strings as bpftool`, () => {
      const map = open(name);
      const mine = nested(map).sort(byKey);
      const theirs = bpftoolDump(map.info.id).map((e) => normalise(e.formatted)).sort(byKey as never);
      expect(mine.length).toBe(4);
      expect(mine).toEqual(theirs as typeof mine);
      const values = mine.map((e) => e.value as Row);
      expect(values).toContainEqual({ calls: 2n ** 64n - 1n, delta: -1, comm: "fullname" });
      expect(values).toContainEqual({ calls: 2000, delta: -(2n ** 63n), comm: "" });
    });
  }

  for (const name of ["mt_pc_hash", "mt_pc_lru", "mt_pc_array"]) {
    test(`${name}: each CPU's value as bpftool lists it, and numeric fields summed exactly`, () => {
      const map = open(name);
      const dump = bpftoolDump(map.info.id);
      const cpus = dump[0]!.formatted!.values!.length;
      expect(cpus).toBe(valueStride(map.info) / ((map.info.valueSize + 7) & ~7));

      // perCpu "each": one row per (entry, CPU), `cpu` first.
      const each = nested(map, { perCpu: "each" });
      const perCpu = dump.flatMap((e) =>
        e.formatted!.values!.map((v) => ({ cpu: v.cpu, key: e.formatted!.key, value: normalise(v.value) })),
      );
      const order = (a: { key: unknown; cpu?: number }, b: { key: unknown; cpu?: number }) => byKey(a, b) || a.cpu! - b.cpu!;
      expect(each.sort(order)).toEqual(perCpu.sort(order) as typeof each);
      const { src, rows, stats } = read(map, { perCpu: "each" });
      expect(src.columns[0]).toEqual({ name: "cpu", numeric: true, typeName: "u32" });
      expect(rows.length).toBe(dump.length * cpus);
      expect(stats.entries).toBe(dump.length * cpus);

      // The default: numeric fields summed over CPUs, others from CPU 0.
      const summed = nested(map).sort(byKey);
      const theirs = dump.map((e) => ({ key: e.formatted!.key, value: sumCpus(e.formatted!.values!.map((v) => normalise(v.value))) })).sort(byKey);
      expect(summed).toEqual(theirs as typeof summed);
      if (name === "mt_pc_array") {
        expect(summed.map((e) => e.value)).toEqual([0, 1n + BigInt(cpus - 1) * (2n ** 64n - 1n), exact(BigInt(cpus * 5 + (cpus * (cpus - 1)) / 2))]);
      } else {
        const three = summed.find((e) => e.key === 3)!.value as Row;
        expect(three.calls).toBe(BigInt(cpus) * (2n ** 64n - 1n)); // not wrapped at 2^64
        expect(three.comm).toBe("k3c0");
        expect((summed.find((e) => e.key === 2)!.value as Row).comm).toBe("fullname");
      }
    });
  }

  test("lpm_trie: prefix length and IPv4 / IPv6 addresses", () => {
    for (const name of ["mt_lpm4", "mt_lpm6"]) {
      const map = open(name);
      const { src, rows } = read(map);
      // get_next_key walks an LPM trie (4.16+); 6.18 also batches it.
      let walked = 0;
      const walk = readEntries(map, (b) => (walked += b.count), { keyByKey: true });
      expect([walk.method, walked]).toEqual(["key-by-key", 4]);
      expect(src.columns.map((c) => `${c.name}:${c.typeName}`)).toEqual([
        "prefixlen:__u32", `addr:${name === "mt_lpm4" ? "ipv4" : "ipv6"}`, `value:${name === "mt_lpm4" ? "__u32" : "__u64"}`,
      ]);
      const mine = rows.map((r) => ({ key: { prefixlen: r.prefixlen, addr: addressBytes(r.addr as string) }, value: r.value })).sort(byKey);
      const theirs = bpftoolDump(map.info.id).map((e) => e.formatted!).sort(byKey);
      expect(mine).toEqual(theirs as typeof mine);
      const shown = rows.map((r) => `${r.addr}/${r.prefixlen}=${r.value}`).sort();
      expect(shown).toEqual(
        name === "mt_lpm4"
          ? ["0.0.0.0/0=0", "10.0.0.0/8=1", "10.1.2.0/24=2", "255.255.255.255/32=4294967295"]
          : ["2001:db8::/32=1", "2001:db8::1/128=18446744073709551615", "::/0=0", "fe80::1:0:1/64=3"],
      );
    }
  });

  test("lpm_trie without BTF: a u32 prefix length and the address", () => {
    const map = open("mt_lpm_raw");
    const { src, rows } = read(map);
    expect(src.columns.map((c) => `${c.name}:${c.typeName}`)).toEqual(["prefixlen:u32", "data:ipv4", "value:u32"]);
    const theirs = bpftoolDump(map.info.id).map((e) => {
      const k = bytesOf(e.key);
      return { prefixlen: u32le(k), data: [...k.subarray(4)], value: u32le(bytesOf(e.value!)) };
    });
    const mine = rows.map((r) => ({ prefixlen: r.prefixlen, data: addressBytes(r.data as string), value: r.value }));
    const byPrefix = (a: { prefixlen: unknown }, b: { prefixlen: unknown }) => (a.prefixlen as number) - (b.prefixlen as number);
    expect(mine.sort(byPrefix)).toEqual(theirs.sort(byPrefix));
    expect(rows.map((r) => `${r.data}/${r.prefixlen}`).sort()).toEqual(["172.16.0.0/12", "192.168.0.0/16"]);
  });

  test("stack_trace: addresses as bpftool dumps them, kernel frames symbolised", () => {
    const map = open("mt_stack");
    const { src, rows, stats } = read(map);
    expect(src.columns.map((c) => c.name)).toEqual(["stack_id", "depth", "stack", "addrs"]);
    expect(stats.method).toBe("key-by-key read");
    const theirs = bpftoolDump(map.info.id).map((e) => {
      const v = new DataView(bytesOf(e.value!).buffer);
      const addrs: string[] = [];
      for (let i = 0; i < v.byteLength / 8; i++) addrs.push(`0x${v.getBigUint64(i * 8, true).toString(16)}`);
      while (addrs.at(-1) === "0x0") addrs.pop();
      return { stack_id: u32le(bytesOf(e.key)), addrs };
    });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => ({ stack_id: r.stack_id, addrs: r.addrs })).sort((a, b) => (a.stack_id as number) - (b.stack_id as number))).toEqual(
      theirs.sort((a, b) => a.stack_id - b.stack_id),
    );
    const ks = kallsyms();
    for (const r of rows) {
      const addrs = r.addrs as string[];
      expect(r.depth).toBe(addrs.length);
      expect(r.stack).toEqual(addrs.map((a) => ks.lookup(BigInt(a)) ?? a));
    }
    // Every recorded syscall entered the kernel through the syscall entry code.
    const frames = rows.flatMap((r) => r.stack as string[]);
    expect(frames.some((f) => f.startsWith("do_syscall_64+"))).toBe(true);
  });

  test("array_of_maps and hash_of_maps: inner map ids and names, each readable in turn", () => {
    const ids = { a: open("mt_inner_a").info.id, b: open("mt_inner_b").info.id };
    for (const [name, keys] of [["mt_aom", [0, 2]], ["mt_hom", [1000, 2000]]] as const) {
      const map = open(name);
      const { src, rows, stats } = read(map);
      expect(src.columns.map((c) => c.name)).toEqual(["key", "inner_map_id", "inner_map_name"]);
      expect(stats.notes.join()).not.toContain("vanished"); // empty array slots are not vanished entries
      const theirs = bpftoolDump(map.info.id).map((e) => ({ key: u32le(bytesOf(e.key)), inner_map_id: u32le(bytesOf(e.value!)) }));
      expect(rows.map((r) => ({ key: r.key, inner_map_id: r.inner_map_id })).sort(byKey as never)).toEqual(theirs.sort(byKey as never));
      expect(rows.sort(byKey as never)).toEqual([
        { key: keys[0], inner_map_id: ids.a, inner_map_name: "mt_inner_a" },
        { key: keys[1], inner_map_id: ids.b, inner_map_name: "mt_inner_b" },
      ]);
    }
    const inner = read(MapHandle.byId(ids.a));
    expect(inner.rows).toContainEqual({ key: 1, value: 2n ** 64n - 1n });
    inner.src.close();
  });

  test("prog_array: program ids and names, empty slots skipped as bpftool skips them", () => {
    const map = open("mt_progs");
    const { rows, stats } = read(map);
    expect(stats.notes.join()).not.toContain("vanished");
    const theirs = bpftoolDump(map.info.id).map((e) => ({ key: u32le(bytesOf(e.key)), prog_id: u32le(bytesOf(e.value!)) }));
    expect(rows.map((r) => ({ key: r.key, prog_id: r.prog_id }))).toEqual(theirs);
    expect(rows).toEqual([{ key: 1, prog_id: theirs[0]!.prog_id, prog_name: "fill_lpm" }]);
  });

  test("ringbuf, perf_event_array and queue are refused with how to look at them instead", () => {
    const cases: [string, RegExp][] = [
      ["mt_events_rb", /^map mt_events_rb is a ringbuf: it streams events and has no entries to read; .*gms probe/],
      ["mt_perf", /^map mt_perf is a perf_event_array: it streams events .*bpftool map event_pipe id \d+/],
      ["mt_queue", /^map mt_queue is a queue: values are pushed and popped.*bpftool map peek id \d+/],
    ];
    for (const [name, message] of cases) {
      const m = obj.map(name);
      let error: unknown;
      try {
        new KernelMapSource(m);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(UnreadableMapError);
      expect((error as Error).message).toMatch(message);
      // The source closed the map it could not read: closing again is a no-op, the fd is gone.
      expect(existsSync(`/proc/self/fd/${m.fd}`) && readFileSync(`/proc/self/fdinfo/${m.fd}`, "utf8").includes(`map_id:\t${m.info.id}`)).toBe(false);
    }
  });
});

kernelDescribe("map types: a map made by another tool (bpftrace)", () => {
  let mounted = false;
  let bpftrace: ReturnType<typeof Bun.spawn> | undefined;

  /** getpids: a python process named `comm` calling getpid() `n` times (and nothing else under that name). */
  function getpids(comm: string, n: number): void {
    const code = `import ctypes, os\nctypes.CDLL(None).prctl(15, b"${comm}", 0, 0, 0)\nfor _ in range(${n}): os.getpid()\n`;
    const p = Bun.spawnSync(["python3", "-c", code]);
    if (p.exitCode !== 0) throw new Error(`python3 failed: ${p.stderr.toString()}`);
  }

  /** counts: the map's rows read through gms, keyed by the comm in the (hex, BTF-less) key. */
  function counts(opts: KernelMapOptions = {}): { comm: string; count: Value | undefined; cpu?: Value }[] {
    const { src, rows } = read(openMapByName("AT_gms_getpid"), opts);
    src.close();
    return rows.map((r) => ({
      comm: cText((r.key as string).split(" ").map((h) => Number.parseInt(h, 16))),
      count: r.value,
      ...(opts.perCpu === "each" ? { cpu: r.cpu } : {}),
    }));
  }

  beforeAll(async () => {
    if (!existsSync(`${TRACEFS}/events`)) {
      const m = Bun.spawnSync(["mount", "-t", "tracefs", "nodev", TRACEFS]);
      if (m.exitCode !== 0) throw new Error(`mount tracefs: ${m.stderr.toString()}`);
      mounted = true;
    }
    bpftrace = Bun.spawn(["bpftrace", "-e", "tracepoint:syscalls:sys_enter_getpid { @gms_getpid[comm] = count(); }"], {
      stdout: "pipe",
      stderr: "pipe",
    });
    // The probe is attached once a warm-up process's calls are counted.
    const ready = await waitUntil(() => {
      try {
        getpids("gms-warmup", 1);
        return counts().some((c) => c.comm === "gms-warmup");
      } catch {
        return false;
      }
    }, 45000);
    if (!ready) {
      bpftrace.kill("SIGINT");
      throw new Error(`bpftrace did not start: ${await new Response(bpftrace.stderr as ReadableStream).text()}`);
    }
  });

  afterAll(async () => {
    if (bpftrace) {
      bpftrace.kill("SIGINT");
      await bpftrace.exited;
    }
    if (mounted) Bun.spawnSync(["umount", TRACEFS]);
  });

  test("bpftrace's count map is found by name and its per-CPU counts read and summed", () => {
    getpids("gms-getpid", 7);
    const all = counts();
    expect(all.filter((c) => c.comm === "gms-getpid")).toEqual([{ comm: "gms-getpid", count: 7 }]);
    const each = counts({ perCpu: "each" }).filter((c) => c.comm === "gms-getpid");
    expect(each.length).toBeGreaterThan(0);
    expect(each.reduce((s, c) => s + (c.count as number), 0)).toBe(7);

    // The same as bpftool's dump of the map, whose per-CPU values gms summed.
    const map = openMapByName("AT_gms_getpid");
    expect(map.info.type).toBe("percpu_hash");
    const dump = bpftoolDump(map.info.id);
    map.close();
    const entry = dump.find((e) => cText(bytesOf(e.key).reduce<number[]>((a, b) => [...a, b], [])) === "gms-getpid")!;
    expect(entry.values!.reduce((s, v) => s + Number(new DataView(bytesOf(v.value).buffer).getBigUint64(0, true)), 0)).toBe(7);
  });
});
