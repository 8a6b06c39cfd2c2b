import { closeSync } from "node:fs";
import { Btf, Kind } from "./btf";
import { entryLayout, type Column, type EntryLayout, type Reader, type Value } from "./btf-decode";
import { BpfError, check, ENOENT } from "./errors";
import { uapiStruct } from "./uapi";
import { libbpf } from "./libbpf";
import { isPerCpu, MapHandle, type MapInfo } from "./maps";

/**
 * map-types: what the key and value of each type of BPF map mean, so that every map that holds
 * entries reads as one table of columns:
 *
 * - hash, lru_hash, array and the other plain tables: key and value decoded from BTF (or as
 *   integers / hex bytes without it), as entryLayout does.
 * - percpu_hash, lru_percpu_hash, percpu_array (and percpu_cgroup_storage): the same columns;
 *   the kernel hands over one 8-aligned slot per possible CPU, and the layout says where they lie
 *   so the caller sums them or shows each CPU.
 * - lpm_trie: the key is `prefixlen` and the data; a data member that is a byte array of 4 or 16
 *   bytes is an IPv4 or IPv6 address and reads as its text (`10.0.0.0`, `2001:db8::1`), which
 *   loses nothing: the text gives back every byte. Without BTF the key is a u32 prefix length and
 *   the remaining bytes, read the same way. get_next_key walks a trie since 4.16; 6.18 also
 *   batches it.
 * - stack_trace: the key is `stack_id`; the value is `depth`, `stack` (kernel addresses as
 *   `symbol+0xoff`, others in hex) and `addrs` (every address in hex), trailing zeros cut.
 * - array_of_maps, hash_of_maps: the value is `inner_map_id` (the kernel hands user space the
 *   inner map's id) and `inner_map_name` (null when the map is gone); `map id N` reads it in turn.
 * - prog_array: the value is `prog_id` (the kernel hands user space the program's id) and
 *   `prog_name`.
 * - ringbuf, perf_event_array, queues, bloom filters, local storages...: not tables;
 *   UnreadableMapError says why and how to look at them instead.
 */

/** UnreadableMapError: a map that cannot be read as a table of entries (a ring buffer...). */
export class UnreadableMapError extends Error {
  constructor(
    readonly mapName: string,
    readonly mapType: string,
    readonly reason: string,
  ) {
    super(`map ${mapName} is a ${mapType}: ${reason}`);
    this.name = "UnreadableMapError";
  }
}

// Why each type is not a table, and what to do instead (`id` is the map's id).
const UNREADABLE: Record<string, (info: MapInfo) => string> = {
  ringbuf: (i) =>
    "it streams events and has no entries to read; a ring buffer has one reader, the program " +
    "that created it (reading it too would take its events away). To see the same events, " +
    `trace them with a gms probe ('show probes'), or with bpftrace; 'bpftool map event_pipe id ${i.id}' ` +
    "streams perf_event_array maps only",
  user_ringbuf: () =>
    "user space writes events into it for a BPF program to drain; it has no entries to read",
  perf_event_array: (i) =>
    "it streams events (one perf buffer per CPU) and has no entries to read; stream them with " +
    `'bpftool map event_pipe id ${i.id}' (which installs its own buffers in the map, so the program ` +
    "that owns it receives nothing while it runs), or trace the same events with a gms probe",
  queue: (i) => `values are pushed and popped, with no keys to list; 'bpftool map peek id ${i.id}' shows the next one`,
  stack: (i) => `values are pushed and popped, with no keys to list; 'bpftool map peek id ${i.id}' shows the next one`,
  bloom_filter: () => "it only answers whether a value may have been added; it holds no entries to list",
  sk_storage: () => "its entries hang off sockets and are found by a socket's file descriptor; they cannot be listed",
  inode_storage: () => "its entries hang off inodes and are found by a file descriptor; they cannot be listed",
  task_storage: () => "its entries hang off tasks and are found by a pidfd; they cannot be listed",
  cgrp_storage: () => "its entries hang off cgroups and are found by a cgroup's file descriptor; they cannot be listed",
  cgroup_array: () => "its values are cgroups, which the kernel does not hand back to user space",
  xskmap: () => "its values are AF_XDP sockets, which the kernel does not hand back to user space",
  arena: () => "it is memory shared with user space through mmap, not a table of entries",
};

// Maps of sockets hand a socket back as its 8-byte cookie, and only when the value is 8 bytes.
const SOCKET_TYPES = new Set(["sockmap", "sockhash", "reuseport_sockarray"]);

/**
 * checkReadable: throws UnreadableMapError when a map of this type has no entries to read as a
 * table, saying why and how to look at it instead.
 */
export function checkReadable(info: MapInfo): void {
  const why = UNREADABLE[info.type];
  if (why) throw new UnreadableMapError(info.name, info.type, why(info));
  if (SOCKET_TYPES.has(info.type) && info.valueSize !== 8) {
    throw new UnreadableMapError(
      info.name,
      info.type,
      `its values are sockets, which the kernel hands back only as 8-byte cookies, and this map's values are ${info.valueSize} bytes`,
    );
  }
}

/** MapLayout: the columns of a map's entries as its type gives them meaning. */
export interface MapLayout extends EntryLayout {
  /** Per-CPU maps: each value is `cpus` slots of `slot` bytes, one per possible CPU. */
  perCpu?: { cpus: number; slot: number };
  /**
   * A listed key whose lookup fails with ENOENT is an empty slot (arrays of maps or programs),
   * not an entry that vanished during the read.
   */
  emptySlots: boolean;
  /** What gms made of the type, for messages: `stack_trace: kernel addresses symbolised`. */
  notes: string[];
}

/** MapLayoutOptions: the outside knowledge some map types need (injected so tests and offline reads can choose). */
export interface MapLayoutOptions {
  /** A kernel address as `symbol+0xoff` (stack_trace maps); undefined when unknown. */
  symbolize?: (addr: bigint) => string | undefined;
  /** The name of map `id`, undefined when it is gone (maps of maps). Default: asks the kernel. */
  mapName?: (id: number) => string | undefined;
  /** The name of program `id`, undefined when it is gone (program arrays). Default: asks the kernel. */
  progName?: (id: number) => string | undefined;
  /** Possible CPUs (per-CPU maps). Default: libbpf's count. */
  cpus?: number;
}

/**
 * mapLayout: the columns of a map's key and value, given the meaning its type gives them.
 * Throws UnreadableMapError for maps that are not tables (see checkReadable).
 */
export function mapLayout(info: MapInfo, btf: Btf | undefined, opts: MapLayoutOptions = {}): MapLayout {
  checkReadable(info);
  const base = (): EntryLayout =>
    entryLayout(btf, info.btfKeyTypeId, info.btfValueTypeId, info.keySize, info.valueSize);
  switch (info.type) {
    case "lpm_trie":
      return lpmLayout(info, btf, base());
    case "stack_trace":
      return stackLayout(info, opts.symbolize ?? (() => undefined));
    case "array_of_maps":
    case "hash_of_maps":
      return idLayout(info, btf, "inner_map", opts.mapName ?? kernelMapName);
    case "prog_array":
      return idLayout(info, btf, "prog", opts.progName ?? kernelProgName);
  }
  const layout: MapLayout = { ...base(), emptySlots: false, notes: [] };
  if (SOCKET_TYPES.has(info.type) && !layout.hasBtf) {
    const v = layout.columns.find((c) => c.part === "value");
    if (v) v.name = "socket_cookie";
  }
  if (isPerCpu(info)) {
    layout.perCpu = { cpus: opts.cpus ?? libbpf().libbpf_num_possible_cpus(), slot: (info.valueSize + 7) & ~7 };
  }
  return layout;
}

/** kernelMapName: the name of map `id` now, or undefined when the map is gone. Throws BpfError. */
export function kernelMapName(id: number): string | undefined {
  let h: MapHandle;
  try {
    h = MapHandle.byId(id);
  } catch (e) {
    if (e instanceof BpfError && e.code === "ENOENT") return undefined;
    throw e;
  }
  const name = h.info.name;
  h.close();
  return name;
}

/** kernelProgName: the name of program `id` now, or undefined when it is gone. Throws BpfError. */
export function kernelProgName(id: number): string | undefined {
  const fd = libbpf().bpf_prog_get_fd_by_id(id);
  if (fd === -ENOENT) return undefined;
  check(`open program id ${id}`, fd);
  try {
    const s = uapiStruct("bpf_prog_info");
    const buf = new Uint8Array(s.size);
    check("program info", libbpf().bpf_obj_get_info_by_fd(fd, buf, new Uint32Array([s.size])));
    return s.read(buf).name as string;
  } finally {
    closeSync(fd);
  }
}

function column(part: "key" | "value", name: string, byteOffset: number, size: number, typeName: string, read: Reader, kind: "numeric" | "text" | "other"): Column {
  return {
    name, part, path: [name], byteOffset, size, typeName,
    numeric: kind === "numeric", text: kind === "text",
    read: byteOffset ? (v, b) => read(v, b + byteOffset) : read,
  };
}

// ---- lpm_trie ----

/**
 * formatAddress: 4 bytes as an IPv4 address (`10.0.0.0`), 16 as IPv6 in RFC 5952 form (lower
 * case, the longest run of two or more zero groups as `::`, IPv4-mapped as `::ffff:1.2.3.4`).
 * Other lengths give undefined.
 */
export function formatAddress(b: Uint8Array): string | undefined {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length !== 16) return undefined;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i]! << 8) | b[i + 1]!);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${formatAddress(b.subarray(12))}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(":");
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

function addressReader(size: number): Reader {
  return (v, b) => formatAddress(new Uint8Array(v.buffer, v.byteOffset + b, size))!;
}

/** The BTF type a column's member path leads to inside `id` (undefined when it cannot be followed). */
function typeAt(btf: Btf, id: number, path: string[]): number | undefined {
  let at = id;
  for (const name of path) {
    const t = btf.type(btf.resolve(at));
    if (t.kind !== Kind.STRUCT && t.kind !== Kind.UNION) return undefined;
    const m = t.members.find((x) => x.name === name);
    if (!m) return undefined;
    at = m.type;
  }
  return at;
}

/** Whether a BTF type is an array of 4 or 16 one-byte integers that are not `char` (text). */
function isAddressBytes(btf: Btf, id: number): boolean {
  const t = btf.type(btf.resolve(id));
  if (t.kind !== Kind.ARRAY || (t.nelems !== 4 && t.nelems !== 16)) return false;
  const e = btf.type(btf.resolve(t.type));
  return e.kind === Kind.INT && e.size === 1 && !e.bool && e.name !== "char";
}

function lpmLayout(info: MapInfo, btf: Btf | undefined, base: EntryLayout): MapLayout {
  const values = base.columns.filter((c) => c.part === "value");
  let keys = base.columns.filter((c) => c.part === "key");
  const keyBtf = base.hasBtf && info.btfKeyTypeId ? btf : undefined;
  if (keyBtf) {
    // The kernel requires a struct key (trie_check_btf); its byte-array members of 4 or 16 bytes
    // after the prefix length are addresses.
    keys = keys.map((c) => {
      const id = c.byteOffset >= 4 ? typeAt(keyBtf, info.btfKeyTypeId, c.path) : undefined;
      if (id === undefined || !isAddressBytes(keyBtf, id)) return c;
      const read = addressReader(c.size);
      return { ...c, typeName: c.size === 4 ? "ipv4" : "ipv6", text: true, numeric: false, plain: undefined, read: c.byteOffset ? (v, b) => read(v, b + c.byteOffset) : read };
    });
  } else {
    // struct bpf_lpm_trie_key_u8: a u32 prefix length, then the data.
    const n = info.keySize - 4;
    const addr = n === 4 || n === 16;
    keys = [
      column("key", "prefixlen", 0, 4, "u32", (v, b) => v.getUint32(b, true), "numeric"),
      column("key", "data", 4, n, addr ? (n === 4 ? "ipv4" : "ipv6") : `u8[${n}]`,
        addr ? addressReader(n) : (v, b) => hexBytes(new Uint8Array(v.buffer, v.byteOffset + b, n)), addr ? "text" : "other"),
    ];
  }
  return {
    columns: [...keys, ...values],
    hasBtf: base.hasBtf,
    emptySlots: false,
    notes: ["lpm_trie: byte arrays of 4 or 16 bytes in the key read as IPv4 / IPv6 addresses"],
  };
}

function hexBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join(" ");
}

// ---- stack_trace ----

// Kernel addresses have the top bit set on x86_64 and arm64; user addresses are never looked up
// in kallsyms (the last kernel symbol would claim them).
const KERNEL_SPACE = 1n << 63n;
// BPF_F_STACK_BUILD_ID (uapi bpf.h): values are struct bpf_stack_build_id, 32 bytes per frame.
const BPF_F_STACK_BUILD_ID = 1 << 5;
const BUILD_ID_FRAME = 32;
const BPF_STACK_BUILD_ID_VALID = 1;
const BPF_STACK_BUILD_ID_IP = 2;

const hexAddr = (a: bigint) => `0x${a.toString(16)}`;

/** The frames of one stack as addresses, trailing zeros cut. */
function stackAddrs(v: DataView, b: number, frames: number): bigint[] {
  let n = frames;
  while (n > 0 && v.getBigUint64(b + (n - 1) * 8, true) === 0n) n--;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(v.getBigUint64(b + i * 8, true));
  return out;
}

/** The frames of a build-id stack: `<build id>+0xoff`, or the bare address when the kernel fell back to it. */
function buildIdFrames(v: DataView, b: number, frames: number): { text: string; addr: bigint }[] {
  const out: { text: string; addr: bigint }[] = [];
  for (let i = 0; i < frames; i++) {
    const at = b + i * BUILD_ID_FRAME;
    const status = v.getInt32(at, true);
    const off = v.getBigUint64(at + 24, true);
    if (status === BPF_STACK_BUILD_ID_VALID) {
      out.push({ text: `${hexBytes(new Uint8Array(v.buffer, v.byteOffset + at + 4, 20)).replaceAll(" ", "")}+${hexAddr(off)}`, addr: off });
    } else if (status === BPF_STACK_BUILD_ID_IP) {
      out.push({ text: hexAddr(off), addr: off });
    } else break;
  }
  return out;
}

function stackLayout(info: MapInfo, symbolize: (addr: bigint) => string | undefined): MapLayout {
  const key = column("key", "stack_id", 0, 4, "u32", (v, b) => v.getUint32(b, true), "numeric");
  const size = info.valueSize;
  let depth: Reader;
  let stack: Reader;
  let addrs: Reader;
  if (info.flags & BPF_F_STACK_BUILD_ID) {
    const frames = Math.floor(size / BUILD_ID_FRAME);
    depth = (v, b) => buildIdFrames(v, b, frames).length;
    stack = (v, b) => buildIdFrames(v, b, frames).map((f) => f.text);
    addrs = (v, b) => buildIdFrames(v, b, frames).map((f) => hexAddr(f.addr));
  } else {
    const frames = Math.floor(size / 8);
    depth = (v, b) => stackAddrs(v, b, frames).length;
    stack = (v, b) => stackAddrs(v, b, frames).map((a) => (a >= KERNEL_SPACE ? symbolize(a) : undefined) ?? hexAddr(a));
    addrs = (v, b) => stackAddrs(v, b, frames).map(hexAddr);
  }
  return {
    columns: [
      key,
      column("value", "depth", 0, size, "u32", depth, "numeric"),
      column("value", "stack", 0, size, "string[]", stack, "other"),
      column("value", "addrs", 0, size, "u64[]", addrs, "other"),
    ],
    hasBtf: false,
    emptySlots: false,
    notes: ["stack_trace: kernel addresses symbolised from /proc/kallsyms; user addresses in hex"],
  };
}

// ---- maps of maps, program arrays ----

function idLayout(info: MapInfo, btf: Btf | undefined, what: "inner_map" | "prog", nameOf: (id: number) => string | undefined): MapLayout {
  // The kernel keeps no BTF for these maps (libbpf drops it), but a key type may still be given.
  const keys = entryLayout(btf, info.btfKeyTypeId, info.btfValueTypeId, info.keySize, 4).columns.filter((c) => c.part === "key");
  const id: Reader = (v, b) => v.getUint32(b, true);
  const columns = [...keys, column("value", `${what}_id`, 0, 4, "u32", id, "numeric")];
  {
    // Names are asked once per id: ids are not reused soon (the kernel allocates them cyclically).
    const names = new Map<number, string | null>();
    const name: Reader = (v, b) => {
      const x = v.getUint32(b, true);
      let n = names.get(x);
      if (n === undefined) {
        n = nameOf(x) ?? null;
        names.set(x, n);
      }
      return n;
    };
    columns.push(column("value", `${what}_name`, 0, 4, "string", name, "text"));
  }
  return {
    columns,
    hasBtf: false,
    emptySlots: true,
    notes: [what === "inner_map" ? `${info.type}: values are inner map ids; 'map id N' reads an inner map` : "prog_array: values are program ids and names"],
  };
}

/**
 * sumOverCpus: a numeric column of a per-CPU value summed over the CPUs' slots, exactly (a sum
 * above 2^53 is a bigint, and u64 sums do not wrap). Other columns give CPU 0's value.
 */
export function sumOverCpus(c: Column, perCpu: { cpus: number; slot: number }, view: DataView, base: number): Value {
  if (!c.numeric) return c.read(view, base);
  let sum: number | bigint = 0;
  for (let cpu = 0; cpu < perCpu.cpus; cpu++) {
    const x = c.read(view, base + cpu * perCpu.slot) as number | bigint;
    sum = typeof x === "bigint" || typeof sum === "bigint" ? BigInt(sum) + BigInt(x) : sum + x;
  }
  // Sums of integers beyond 2^53 lose precision as numbers: redo them as bigints.
  if (typeof sum === "number" && !Number.isSafeInteger(sum) && Number.isInteger(sum)) {
    sum = 0n;
    for (let cpu = 0; cpu < perCpu.cpus; cpu++) sum += BigInt(c.read(view, base + cpu * perCpu.slot) as number);
  }
  return typeof sum === "bigint" && sum <= BigInt(Number.MAX_SAFE_INTEGER) && sum >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
}
