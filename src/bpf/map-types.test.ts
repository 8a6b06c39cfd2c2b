import { describe, expect, test } from "bun:test";
import { Kind } from "./btf";
import { enumReader } from "./btf-decode";
import { checkReadable, formatAddress, mapLayout, sumOverCpus, UnreadableMapError } from "./map-types";
import type { MapInfo } from "./maps";

function info(type: string, keySize: number, valueSize: number, extra: Partial<MapInfo> = {}): MapInfo {
  return {
    id: 42, name: "m", type, typeId: 0, keySize, valueSize, maxEntries: 8, flags: 0,
    btfId: 0, btfKeyTypeId: 0, btfValueTypeId: 0, memory: 0, ...extra,
  };
}

const view = (bytes: number[] | Uint8Array) => new DataView(Uint8Array.from(bytes).buffer);

describe("formatAddress", () => {
  test("IPv4 as a dotted quad", () => {
    expect(formatAddress(Uint8Array.from([10, 0, 0, 0]))).toBe("10.0.0.0");
    expect(formatAddress(Uint8Array.from([255, 255, 255, 255]))).toBe("255.255.255.255");
  });

  test("IPv6 in RFC 5952 form: lower case, the longest zero run (first on ties) as ::", () => {
    const v6 = (...groups: number[]) => Uint8Array.from(groups.flatMap((g) => [g >> 8, g & 0xff]));
    expect(formatAddress(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))).toBe("2001:db8::1");
    expect(formatAddress(v6(0, 0, 0, 0, 0, 0, 0, 0))).toBe("::");
    expect(formatAddress(v6(0, 0, 0, 0, 0, 0, 0, 1))).toBe("::1");
    expect(formatAddress(v6(0x2001, 0xdb8, 0, 0, 1, 0, 0, 1))).toBe("2001:db8::1:0:0:1");
    expect(formatAddress(v6(0x2001, 0xdb8, 0, 1, 0, 0, 0, 1))).toBe("2001:db8:0:1::1");
    expect(formatAddress(v6(0x2001, 0, 0xdb8, 1, 1, 1, 1, 1))).toBe("2001:0:db8:1:1:1:1:1"); // one zero group stays
    expect(formatAddress(v6(0xfe80, 0, 0, 0, 0, 1, 0, 1))).toBe("fe80::1:0:1");
    expect(formatAddress(v6(0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001))).toBe("::ffff:10.0.0.1");
    expect(formatAddress(v6(0xABCD, 0, 0, 0, 0, 0, 0, 0))).toBe("abcd::");
  });

  test("other lengths are not addresses", () => {
    expect(formatAddress(new Uint8Array(8))).toBeUndefined();
  });
});

describe("maps that are not tables", () => {
  const refused = (type: string, valueSize = 4) => {
    try {
      checkReadable(info(type, 4, valueSize, { name: "events_rb" }));
    } catch (e) {
      expect(e).toBeInstanceOf(UnreadableMapError);
      return (e as Error).message;
    }
    return undefined;
  };

  test("each says why and what to do instead", () => {
    expect(refused("ringbuf")).toStartWith("map events_rb is a ringbuf: it streams events and has no entries to read;");
    expect(refused("perf_event_array")).toContain("bpftool map event_pipe id 42");
    expect(refused("queue")).toContain("bpftool map peek id 42");
    expect(refused("bloom_filter")).toContain("no entries to list");
    expect(refused("task_storage")).toContain("cannot be listed");
    expect(refused("sockmap", 4)).toContain("8-byte cookies");
  });

  test("tables and socket maps with 8-byte values are readable", () => {
    for (const t of ["hash", "array", "lpm_trie", "stack_trace", "array_of_maps", "sockhash", "devmap", "cgroup_storage"]) {
      expect(refused(t, 8)).toBeUndefined();
    }
  });
});

describe("map layouts without BTF", () => {
  test("lpm_trie: a u32 prefix length, then the data as an address (4 or 16 bytes) or hex", () => {
    const l = mapLayout(info("lpm_trie", 8, 4), undefined);
    expect(l.columns.map((c) => `${c.part}:${c.name}:${c.typeName}`)).toEqual(["key:prefixlen:u32", "key:data:ipv4", "value:value:u32"]);
    const key = view([24, 0, 0, 0, 192, 168, 1, 0]);
    expect(l.columns[0]!.read(key, 0)).toBe(24);
    expect(l.columns[1]!.read(key, 0)).toBe("192.168.1.0");
    const odd = mapLayout(info("lpm_trie", 10, 4), undefined);
    expect(odd.columns[1]!.read(view([8, 0, 0, 0, 1, 2, 3, 4, 5, 0xab]), 0)).toBe("01 02 03 04 05 ab");
  });

  test("stack_trace: kernel addresses symbolised, user addresses in hex, trailing zeros cut", () => {
    const l = mapLayout(info("stack_trace", 4, 40), undefined, {
      symbolize: (a) => (a === 0xffffffff81000010n ? "schedule+0x10" : undefined),
    });
    expect(l.columns.map((c) => c.name)).toEqual(["stack_id", "depth", "stack", "addrs"]);
    const frames = new BigUint64Array([0xffffffff81000010n, 0xffffffffc0000000n, 0x7f0012345678n, 0n, 0n]);
    const v = new DataView(frames.buffer);
    expect(l.columns[1]!.read(v, 0)).toBe(3);
    expect(l.columns[2]!.read(v, 0)).toEqual(["schedule+0x10", "0xffffffffc0000000", "0x7f0012345678"]);
    expect(l.columns[3]!.read(v, 0)).toEqual(["0xffffffff81000010", "0xffffffffc0000000", "0x7f0012345678"]);
  });

  test("stack_trace with build ids: `<build id>+0xoffset` frames, or the bare address", () => {
    const l = mapLayout(info("stack_trace", 4, 96, { flags: 32 }), undefined);
    const b = new Uint8Array(96);
    const d = new DataView(b.buffer);
    d.setInt32(0, 1, true);
    b.fill(0xab, 4, 24);
    d.setBigUint64(24, 0x1234n, true);
    d.setInt32(32, 2, true);
    d.setBigUint64(56, 0x7f00n, true);
    expect(l.columns[2]!.read(d, 0)).toEqual([`${"ab".repeat(20)}+0x1234`, "0x7f00"]);
    expect(l.columns[1]!.read(d, 0)).toBe(2);
  });

  test("maps of maps: inner map id and name (null once the map is gone), asked once per id", () => {
    const asked: number[] = [];
    const l = mapLayout(info("array_of_maps", 4, 4), undefined, {
      mapName: (id) => {
        asked.push(id);
        return id === 7 ? "inner" : undefined;
      },
    });
    expect(l.columns.map((c) => c.name)).toEqual(["key", "inner_map_id", "inner_map_name"]);
    expect(l.emptySlots).toBe(true);
    const v = view([7, 0, 0, 0]);
    expect(l.columns[1]!.read(v, 0)).toBe(7);
    expect(l.columns[2]!.read(v, 0)).toBe("inner");
    expect(l.columns[2]!.read(v, 0)).toBe("inner");
    expect(l.columns[2]!.read(view([9, 0, 0, 0]), 0)).toBeNull();
    expect(asked).toEqual([7, 9]);
  });

  test("per-CPU maps: 8-aligned slots; numeric columns summed exactly, beyond 2^64 too", () => {
    const l = mapLayout(info("percpu_array", 4, 8), undefined, { cpus: 3 });
    expect(l.perCpu).toEqual({ cpus: 3, slot: 8 });
    const value = l.columns[1]!;
    const max = 2n ** 64n - 1n;
    const v = new DataView(new BigUint64Array([max, max, 2n]).buffer);
    expect(sumOverCpus(value, l.perCpu!, v, 0)).toBe(2n * max + 2n);
    const small = new DataView(new BigUint64Array([1n, 2n, 3n]).buffer);
    expect(sumOverCpus(value, l.perCpu!, small, 0)).toBe(6);
    // Sums of safe numbers that pass 2^53 are redone exactly.
    const big = new DataView(new BigUint64Array([2n ** 52n + 1n, 2n ** 52n + 1n, 2n ** 52n + 1n]).buffer);
    expect(sumOverCpus(value, l.perCpu!, big, 0)).toBe(3n * (2n ** 52n + 1n));
    expect(mapLayout(info("percpu_hash", 4, 12), undefined, { cpus: 2 }).perCpu).toEqual({ cpus: 2, slot: 16 });
  });
});

describe("enumReader", () => {
  const read = (r: ReturnType<typeof enumReader>, bytes: number[]) => r(view(bytes), 0);

  test("BTF from clang < 15: negative enumerators recorded unsigned still match, unknown values signed", () => {
    const r = enumReader({ kind: Kind.ENUM, size: 4, signed: false, values: [{ name: "NEG", value: 0xfffffffen }, { name: "POS", value: 3n }] });
    expect(read(r, [0xfe, 0xff, 0xff, 0xff])).toBe("NEG");
    expect(read(r, [3, 0, 0, 0])).toBe("POS");
    expect(read(r, [0xf9, 0xff, 0xff, 0xff])).toBe(-7);
  });

  test("a 64-bit enum cut to 32-bit records matches sign-extended, as bpftool does", () => {
    const r = enumReader({ kind: Kind.ENUM, size: 8, signed: false, values: [{ name: "BIG", value: 0xfffffff0n }] });
    expect(read(r, [0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe("BIG");
    expect(read(r, [2, 0, 0, 0, 0, 0, 0, 0])).toBe(2);
  });

  test("ENUM64 and unsigned enums: exact values, unknown ones unsigned", () => {
    const r = enumReader({ kind: Kind.ENUM64, size: 8, signed: false, values: [{ name: "BIG", value: 0xfffffffffffffff0n }] });
    expect(read(r, [0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe("BIG");
    expect(read(r, [0xf1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])).toBe(0xfffffffffffffff1n);
    const u = enumReader({ kind: Kind.ENUM, size: 4, signed: false, values: [{ name: "A", value: 1n }] });
    expect(read(u, [0xff, 0xff, 0xff, 0xff])).toBe(4294967295);
    const s = enumReader({ kind: Kind.ENUM, size: 4, signed: true, values: [{ name: "A", value: -1n }] });
    expect(read(s, [0xff, 0xff, 0xff, 0xff])).toBe("A");
    expect(read(s, [0xfe, 0xff, 0xff, 0xff])).toBe(-2);
  });
});
