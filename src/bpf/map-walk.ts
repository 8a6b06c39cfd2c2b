/**
 * map-walk: a read of a large hash map by one pass in the kernel (bpf/map-walk.bpf.c), which
 * copies every entry into two arrays mapped into gms; the worker thread runs the pass while this
 * thread takes the entries as they land, in batches like a batch read's. The pass takes about
 * half the time of one batch reader (1M entries: 151-227 ms against 263-357 ms), a little less
 * than two, and it leaves this thread free to sample the entries meanwhile. But like the
 * kernel's own map iterator it takes no bucket lock: an entry updated while the walk passes may
 * be handed over twice, or with the value it had a moment before. Reads that must show every key
 * once (a full table) use batch reads. A walk may copy only part of each value (WalkOptions):
 * then its `values` fetcher looks up whole values of chosen keys after it, as they are then.
 */
import object from "../../build/map-walk.bpf.o" with { type: "file" };
import { toArrayBuffer, type Pointer } from "bun:ffi";
import { readFileSync } from "node:fs";
import { Kind } from "./btf";
import { encodeValue } from "./btf-decode";
import { BpfError, EINVAL } from "./errors";
import type { Batch, MapHandle, MapInfo } from "./maps";
import { mapFd, PROT_READ, PROT_WRITE, unmap } from "./mmap";
import { BpfObject } from "./object";
import { readWorker, type WalkJob } from "./split-read";

// Map types whose entries bpf_for_each_map_elem hands over one value each (not per CPU).
const WALK_TYPES = new Set(["hash", "lru_hash"]);
/** The largest key and value bpf/map-walk.h copies. */
const MAX_KEY = 512;
const MAX_VALUE = 4096;
/** The most bytes of one array map value (KMALLOC_MAX_SIZE with 4 KiB pages): a chunk. */
const CHUNK_BYTES = 4 << 20;
/**
 * The most bytes of keys and values a walk copies out (its arrays are the map's size, in kernel
 * memory mapped into gms): larger maps are read in batches, in bounded memory.
 */
const MAX_BYTES = 256 << 20;

/**
 * walkable: whether a walk can read this map with room for `limit` entries, copying `copied`
 * bytes of each value (all of it unless WalkOptions.part says less).
 */
export function walkable(info: MapInfo, limit: number, copied = info.valueSize): boolean {
  return WALK_TYPES.has(info.type) && info.keySize <= MAX_KEY && info.valueSize <= MAX_VALUE && limit * (info.keySize + copied) <= MAX_BYTES;
}

/** perChunk: entries of `size` bytes per chunk, a multiple of 8 so that chunks lie end to end. */
function perChunk(size: number, entries: number): number {
  return Math.min(Math.floor(CHUNK_BYTES / size / 8) * 8, Math.ceil(entries / 8) * 8);
}

/** Set once this kernel refused the walk's program: reads are in batches from then on. */
let refused = false;

/** WalkStats: how a walk went. */
export interface WalkStats {
  entries: number;
  /** It stopped at `limit` entries: the map was rewritten faster than it was walked. */
  incomplete: boolean;
  /** After a walk of part of each value: the whole values of chosen keys. Close it when done. */
  values?: ValueFetcher;
}

/**
 * ValueFetcher: whole values of keys a walk handed over with only part of their value, looked up
 * in the kernel as they are now (the walk's program has a second one, `fetch`).
 */
export interface ValueFetcher {
  /**
   * fetch: the values of `count` keys (end to end in `keys`, at most the walk's fetchCapacity):
   * value i at i * valueSize of `values`, and found[i] 0 when key i is no longer in the map.
   * Views valid until the next fetch or close. Throws BpfError.
   */
  fetch(keys: Uint8Array, count: number): { values: Uint8Array; found: Uint8Array };
  /** The most keys one fetch takes. */
  readonly capacity: number;
  close(): void;
}

/** WalkOptions: what a walk copies. */
export interface WalkOptions {
  /**
   * part: the bytes of each value to copy (a sample's weight, or none), not all of it; the
   * batches then hold that part as their values (Batch.valueOffset says where it lies).
   */
  part?: { offset: number; size: number };
  /** With `part`: the most keys the caller will fetch the values of (ValueFetcher). */
  fetchCapacity?: number;
}

/**
 * walkMap: every entry of `map` (walkable), copied out by an in-kernel walk that stops after
 * `limit`, handed to `onBatch` in batches of at most `batch` (views valid until it returns) as
 * the walk goes; undefined, having read nothing, when there is no worker thread to run it or the
 * kernel cannot set it up. Throws BpfError, and what `onBatch` throws (the walk is then told to
 * stop).
 */
export function walkMap(map: MapHandle, onBatch: (b: Batch) => void, limit: number, batch: number, opts: WalkOptions = {}): WalkStats | undefined {
  const worker = refused ? null : readWorker();
  if (!worker) return undefined;
  const { info } = map;
  const part = opts.part ?? { offset: 0, size: info.valueSize };
  const fetchCapacity = opts.part ? Math.max(1, opts.fetchCapacity ?? 1) : 1;
  // An array of room for `entries` entries of `size` bytes (at least one), `per` to a chunk.
  const array = (name: string, size: number, entries: number, per = perChunk(Math.max(1, size), entries)) => {
    const chunks = Math.ceil(entries / per);
    const chunkBytes = per * Math.max(1, size);
    return { name, per, chunks, chunkBytes, bytes: chunkBytes * chunks };
  };
  const keys = array("walk_keys", info.keySize, limit);
  const values = array("walk_values", part.size, part.size ? limit : 1);
  const fetched = array("fetch_values", info.valueSize, fetchCapacity);
  // A found flag per fetched value: the program finds both by one index, so chunks alike.
  const found = array("fetch_found", 1, fetchCapacity, fetched.per);
  const arrays = [keys, values, fetched, found];
  let obj: BpfObject;
  try {
    obj = BpfObject.load("map-walk", readFileSync(object), (setup) => {
      const btf = setup.btf();
      const fields = {
        key_size: info.keySize,
        value_size: info.valueSize,
        copy_offset: part.offset,
        copy_size: part.size,
        keys_per_chunk: keys.per,
        values_per_chunk: values.per,
        fetched_per_chunk: fetched.per,
        limit,
        fetch_capacity: fetchCapacity,
      };
      setup.setData(".rodata", encodeValue(btf, btf.find("walk_config", Kind.STRUCT)[0]!, fields));
      setup.reuseMap("target", map.fd);
      for (const a of arrays) setup.resizeMap(a.name, a.chunkBytes, a.chunks);
    });
  } catch (e) {
    // A kernel without syscall programs (5.14) or bpf_for_each_map_elem (5.13) refuses the
    // program; one short of memory, its arrays. Either way the caller reads in batches.
    if (!(e instanceof BpfError)) throw e;
    if (e.code === "EINVAL" || e.code === "ENOTSUPP" || e.code === "EOPNOTSUPP") refused = true;
    return undefined;
  }
  const mapped: Array<{ p: Pointer; bytes: number }> = [];
  const release = () => {
    for (const m of mapped.splice(0)) unmap(m.p, m.bytes);
    obj.close();
  };
  let stop: (() => void) | undefined;
  /** The memory of one of the object's maps, as the kernel writes it. */
  const memory = (name: string, bytes: number, prot = PROT_READ) => {
    const m = obj.map(name);
    try {
      const p = mapFd(m.fd, bytes, prot, 0, name);
      mapped.push({ p, bytes });
      return new Uint8Array(toArrayBuffer(p, 0, bytes));
    } finally {
      m.close();
    }
  };
  let kept = false;
  try {
    // The keys' memory is writable: `fetch` looks up the keys written there.
    const keyBytes = memory(keys.name, keys.bytes, PROT_READ | PROT_WRITE);
    const valueBytes = memory(values.name, values.bytes);
    const state = walkState(obj, memory);
    const ctrl = new Int32Array(new SharedArrayBuffer(8));
    const job: WalkJob = { kind: "walk", programFd: obj.programFd("walk"), ctrl: ctrl.buffer as SharedArrayBuffer };
    worker.postMessage(job);
    // Whatever ends this read (the last entry, an error, Ctrl-C), the walk stops with it.
    stop = () => Atomics.store(state.words, state.stop, 1);
    let at = 0;
    for (;;) {
      // Whether the walk had ended, then how far it had got: once ended, that count is final.
      const ended = Atomics.load(ctrl, 0) === 1;
      const n = Atomics.load(state.words, state.count);
      for (let end; at < n; at = end) {
        end = Math.min(n, at + batch);
        onBatch({
          keys: keyBytes.subarray(at * info.keySize, end * info.keySize),
          values: valueBytes.subarray(at * part.size, end * part.size),
          count: end - at,
          keySize: info.keySize,
          valueSize: part.size,
          ...(opts.part ? { valueOffset: part.offset } : {}),
        });
      }
      if (ended) break;
      Atomics.wait(ctrl, 0, 0, 0.2);
    }
    const errno = Atomics.load(ctrl, 1);
    if (errno) throw new BpfError("walk map (in the kernel)", errno);
    const stats: WalkStats = { entries: at, incomplete: Atomics.load(state.words, state.incomplete) !== 0 };
    if (!opts.part) return stats;
    const out = { values: memory(fetched.name, fetched.bytes), found: memory(found.name, found.bytes) };
    kept = true;
    stats.values = {
      fetch(wanted, count) {
        if (count > fetchCapacity) throw new BpfError(`fetch ${count} values (room for ${fetchCapacity})`, EINVAL);
        keyBytes.set(wanted.subarray(0, count * info.keySize));
        Atomics.store(state.words, state.fetchCount, count);
        obj.run("fetch");
        return { values: out.values.subarray(0, count * info.valueSize), found: out.found.subarray(0, count) };
      },
      capacity: fetchCapacity,
      close: release,
    };
    return stats;
  } finally {
    stop?.();
    if (!kept) release();
  }
}

/**
 * walkState: the walk's `state` (struct walk_state) where the program writes it, as words, and
 * the indexes of its fields there: entries copied so far, whether it stopped incomplete, and the
 * word that tells it to stop. Throws BpfError.
 */
function walkState(obj: BpfObject, memory: (name: string, bytes: number, prot: number) => Uint8Array): { words: Int32Array; count: number; incomplete: number; stop: number; fetchCount: number } {
  const btf = obj.btf();
  const t = btf.type(btf.find("walk_state", Kind.STRUCT)[0]!);
  const at = (name: string) => {
    const m = t.kind === Kind.STRUCT ? t.members.find((x) => x.name === name) : undefined;
    if (!m || m.bitOffset % 32) throw new BpfError(`bpf/map-walk.bpf.o: no word walk_state.${name}`, EINVAL);
    return m.bitOffset / 32;
  };
  // `state` is the one variable of the program's .bss, at its start. Mapped writable: gms sets
  // `stop` there, and Atomics.load, once the JIT has compiled it, faults on a read-only page
  // (seen here after a few walks; it seems to read with a locked instruction).
  const bss = memory(".bss", btf.sizeOf(btf.find("walk_state", Kind.STRUCT)[0]!), PROT_READ | PROT_WRITE);
  return { words: new Int32Array(bss.buffer, bss.byteOffset, bss.byteLength >> 2), count: at("count"), incomplete: at("incomplete"), stop: at("stop"), fetchCount: at("fetch_count") };
}
