import { closeSync, readFileSync } from "node:fs";
import { libbpf } from "./libbpf";
import { BpfError, check, EINVAL, ENOENT } from "./errors";
import type { Btf } from "./btf";
import { loadKernelBtf } from "./btf-load";
import { uapiEnumName, uapiStruct } from "./uapi";
import { allIds } from "./ids";
import { CTRL, readWorker, type ReadJob } from "./split-read";
import { walkable, walkMap, type ValueFetcher, type WalkOptions } from "./map-walk";

/** MapInfo: what the kernel says of a map (from `struct bpf_map_info`). */
export interface MapInfo {
  id: number;
  name: string;
  type: string;
  typeId: number;
  keySize: number;
  valueSize: number;
  maxEntries: number;
  flags: number;
  btfId: number;
  btfKeyTypeId: number;
  btfValueTypeId: number;
  /** Bytes the kernel charges for the map (`memlock` in its fdinfo). */
  memory: number;
}


/** mapIds: the ids of every map in the kernel. Throws BpfError (EPERM without privilege). */
export function mapIds(): number[] {
  return allIds("map get next id", (id, out) => libbpf().bpf_map_get_next_id(id, out));
}

/**
 * MapHandle: an open file descriptor on a kernel map and its info. Close it when done; gms only
 * reads maps it does not own.
 */
export class MapHandle {
  private closed = false;
  constructor(
    readonly fd: number,
    readonly info: MapInfo,
    private readonly owned = true,
  ) {}

  /** byId: opens map `id`. Throws BpfError (ENOENT when the map is gone). */
  static byId(id: number): MapHandle {
    const fd = check(`open map id ${id}`, libbpf().bpf_map_get_fd_by_id(id));
    return MapHandle.fromFd(fd);
  }

  /** pinned: opens the map pinned at `path` in bpffs. Throws BpfError. */
  static pinned(path: string): MapHandle {
    const fd = check(`open pinned map ${path}`, libbpf().bpf_obj_get(Buffer.from(`${path}\0`)));
    return MapHandle.fromFd(fd);
  }

  /** fromFd: a handle on a map fd, owning it (closing it) unless `owned` is false. Throws BpfError. */
  static fromFd(fd: number, owned = true): MapHandle {
    try {
      return new MapHandle(fd, mapInfo(fd), owned);
    } catch (e) {
      if (owned) closeSync(fd);
      throw e;
    }
  }

  /** btf: the map's BTF, or undefined when the map was created without one. Throws BpfError. */
  btf(): Btf | undefined {
    return this.info.btfId ? loadKernelBtf(this.info.btfId) : undefined;
  }

  /**
   * write: sets one entry. gms writes only its own probes' maps (their configuration); other
   * programs' maps are read-only to it. Throws BpfError.
   */
  write(key: Uint8Array, value: Uint8Array): void {
    check(`map update ${this.info.name}`, libbpf().bpf_map_update_elem(this.fd, key, value, 0));
  }

  /** pin: pins the map at a bpffs path (tests; gms pins nothing unless asked). Throws BpfError. */
  pin(path: string): void {
    check(`pin map at ${path}`, libbpf().bpf_obj_pin(this.fd, Buffer.from(`${path}\0`)));
  }

  /** remove: deletes one entry (gms's own maps only, as `write`); false when it was not there. Throws BpfError. */
  remove(key: Uint8Array): boolean {
    const rc = libbpf().bpf_map_delete_elem(this.fd, key);
    if (rc === -ENOENT) return false;
    check(`map delete ${this.info.name}`, rc);
    return true;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.owned) closeSync(this.fd);
  }
}

function mapInfo(fd: number): MapInfo {
  const s = uapiStruct("bpf_map_info");
  const buf = new Uint8Array(s.size);
  const len = new Uint32Array([s.size]);
  check("map info", libbpf().bpf_obj_get_info_by_fd(fd, buf, len));
  const i = s.read(buf);
  const typeId = i.type as number;
  return {
    id: i.id as number,
    name: i.name as string,
    type: uapiEnumName("bpf_map_type", "BPF_MAP_TYPE_", typeId),
    typeId,
    keySize: i.key_size as number,
    valueSize: i.value_size as number,
    maxEntries: i.max_entries as number,
    flags: i.map_flags as number,
    btfId: i.btf_id as number,
    btfKeyTypeId: i.btf_key_type_id as number,
    btfValueTypeId: i.btf_value_type_id as number,
    memory: memlock(fd),
  };
}

/** memlock: the memory the kernel charges for a BPF object, from its fdinfo (0 if unknown). */
export function memlock(fd: number): number {
  try {
    const m = /^memlock:\s+(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** hasName: whether a map is the one a user names (the kernel keeps 15 characters of a name). */
export function hasName(info: MapInfo, name: string): boolean {
  return info.name === name || (name.length > 15 && info.name === name.slice(0, 15));
}

/** allMapInfos: the info of every map, skipping maps that vanish while being listed. */
export function allMapInfos(): MapInfo[] {
  const out: MapInfo[] = [];
  for (const id of mapIds()) {
    let h: MapHandle;
    try {
      h = MapHandle.byId(id);
    } catch (e) {
      if (e instanceof BpfError && e.code === "ENOENT") continue;
      throw e;
    }
    out.push(h.info);
    h.close();
  }
  return out;
}

/** Batch: one chunk of entries read from a map: `count` keys and values packed end to end. */
export interface Batch {
  keys: Uint8Array;
  values: Uint8Array;
  count: number;
  keySize: number;
  valueSize: number;
  /**
   * Set when `values` hold only part of each value (a walk asked for part of it): where in the
   * whole value their valueSize bytes lie.
   */
  valueOffset?: number;
}

// Map types whose kernel code implements BPF_MAP_LOOKUP_BATCH (hash and array families, 5.6+).
const BATCH_TYPES = new Set(["hash", "lru_hash", "percpu_hash", "lru_percpu_hash", "array", "percpu_array"]);
const PERCPU_TYPES = new Set(["percpu_hash", "lru_percpu_hash", "percpu_array", "percpu_cgroup_storage"]);

/** valueStride: bytes per value as the kernel copies it out (per-CPU values: 8-aligned, one per CPU). */
export function valueStride(info: MapInfo): number {
  if (!PERCPU_TYPES.has(info.type)) return info.valueSize;
  return ((info.valueSize + 7) & ~7) * libbpf().libbpf_num_possible_cpus();
}

export function isPerCpu(info: MapInfo): boolean {
  return PERCPU_TYPES.has(info.type);
}

/** ReadStats: how a read went. */
export interface ReadStats {
  method: "batch" | "key-by-key" | "walk";
  /** Threads that read the map: 2 when a large hash map was split between two readers. */
  readers: number;
  entries: number;
  /** Keys that vanished between being listed and being looked up (key-by-key reads). */
  vanished: number;
  /** Keys handed over a second time (moved by concurrent updates): dropped, counted here. */
  repeated: number;
  /** The read stopped at max_entries plus a margin: the map was rewritten faster than read. */
  incomplete: boolean;
  /** A walk that copied part of each value (WalkOptions.part): the whole values of chosen keys. */
  values?: ValueFetcher;
}

/**
 * readEntries: every entry of a map, handed over in batches (a batch's buffers are reused after
 * `onBatch` returns). Uses batch lookup where the map type supports it, growing the batch when a
 * hash bucket does not fit (ENOSPC); key by key otherwise. A large hash map is read by two
 * threads (startSplit) unless `oneReader`; their batches all reach `onBatch` on this thread.
 * With `walk`, such a map (hash or LRU hash) is instead copied out by one pass in the kernel
 * (map-walk.ts) where it can be: faster, but a key may come twice if the map changes meanwhile
 * (method "walk"), so only callers that can take that ask for it; WalkOptions may ask for part
 * of each value only (the stats' `values` then fetches whole ones).
 * Stops after max_entries plus a margin so a map rewritten under the read still ends.
 * Throws BpfError.
 */
export function readEntries(map: MapHandle, onBatch: (b: Batch) => void, opts: { keyByKey?: boolean; oneReader?: boolean; walk?: boolean | WalkOptions } = {}): ReadStats {
  const { info } = map;
  const limit = info.maxEntries + Math.max(64, info.maxEntries >> 2);
  const walk = opts.walk === true ? {} : opts.walk;
  if (walk && !opts.keyByKey && info.maxEntries >= SPLIT_ENTRIES && walkable(info, limit, walk.part?.size)) {
    const walked = walkMap(map, onBatch, limit, BATCH, walk);
    if (walked) return { method: "walk", readers: 1, entries: walked.entries, vanished: 0, repeated: 0, incomplete: walked.incomplete, values: walked.values };
  }
  // A batch read walks hash buckets (or array slots) once each, and a key lives in one bucket:
  // it cannot hand a key over twice. A key-by-key walk restarts from the first key when the
  // current one is deleted under it, so there keys are checked for repeats.
  const batched = !opts.keyByKey && BATCH_TYPES.has(info.type) && !noBatch.has(info.type) ? readBatched(map, onBatch, limit, !opts.oneReader) : undefined;
  if (batched) return { ...batched, repeated: 0, incomplete: batched.entries > limit };
  const unique = uniqueKeys(info.keySize);
  let repeated = 0;
  const deliver = (b: Batch) => {
    repeated += unique(b);
    if (b.count) onBatch(b);
  };
  const stats = readKeyByKey(map, deliver, limit);
  return { ...stats, entries: stats.entries - repeated, repeated, incomplete: stats.entries > limit };
}

/**
 * uniqueKeys: a filter that drops keys already handed over in this read, compacting the batch in
 * place, so a result never shows a key twice. Integer keys (4 or 8 bytes) are remembered as
 * numbers, others as strings.
 */
function uniqueKeys(keySize: number): (b: Batch) => number {
  const seen = new Set<number | bigint | string>();
  return (b) => {
    const kv = new DataView(b.keys.buffer, b.keys.byteOffset, b.keys.byteLength);
    let out = 0;
    for (let i = 0; i < b.count; i++) {
      const at = i * keySize;
      const id =
        keySize === 4 ? kv.getUint32(at, true)
        : keySize === 8 ? kv.getBigUint64(at, true)
        : String.fromCharCode(...b.keys.subarray(at, at + keySize));
      if (seen.has(id)) continue;
      seen.add(id);
      if (out !== i) {
        b.keys.copyWithin(out * keySize, at, at + keySize);
        b.values.copyWithin(out * b.valueSize, i * b.valueSize, (i + 1) * b.valueSize);
      }
      out++;
    }
    const dropped = b.count - out;
    b.count = out;
    return dropped;
  };
}

/** Map types this kernel refused to batch: found out once, then read key by key. */
const noBatch = new Set<string>();

/** BatchCall: one bpf_map_lookup_batch call's outcome: entries got, the next token, whether the map ended. */
interface BatchCall {
  got: number;
  out: number;
  end: boolean;
}

/**
 * batchReader: one reader's batch calls over a map: buffers that grow when a hash bucket does
 * not fit (ENOSPC), and the batch token, which for hash maps is a u32 bucket index and for arrays
 * the last key. `call(token, want)` reads up to `want` entries from `token` (null: the start);
 * `undefined` when this kernel cannot batch the map's type.
 */
function batchReader(map: MapHandle) {
  const lib = libbpf();
  const { info } = map;
  const stride = valueStride(info);
  const tokenSize = Math.max(8, info.keySize);
  const inToken = new Uint8Array(tokenSize);
  const outToken = new Uint8Array(tokenSize);
  const inView = new DataView(inToken.buffer);
  const outView = new DataView(outToken.buffer);
  const count = new Uint32Array(1);
  /** A batch size that ENOSPC showed is needed: later calls ask at least this much. */
  let grown = 0;
  const r = {
    keys: new Uint8Array(0),
    values: new Uint8Array(0),
    batch: (n: number): Batch => ({ keys: r.keys, values: r.values, count: n, keySize: info.keySize, valueSize: stride }),
    /** The full out token (arrays: a key), to continue from with `follow`. */
    outToken,
    call(token: number | Uint8Array | null, asked: number): BatchCall | undefined {
      let want = Math.max(asked, grown);
      if (r.keys.length < want * info.keySize) {
        r.keys = new Uint8Array(want * info.keySize);
        r.values = new Uint8Array(want * stride);
      }
      if (typeof token === "number") inView.setUint32(0, token, true);
      else if (token) inToken.set(token);
      for (;;) {
        count[0] = want;
        const rc = lib.bpf_map_lookup_batch(map.fd, token === null ? null : inToken, outToken, r.keys, r.values, count, null);
        if (rc >= 0 || -rc === ENOENT) return { got: count[0]!, out: outView.getUint32(0, true), end: rc < 0 };
        const err = new BpfError("map lookup batch", -rc);
        if (err.code === "ENOSPC" && want < 1 << 20) {
          want *= 4;
          grown = want;
          r.keys = new Uint8Array(want * info.keySize);
          r.values = new Uint8Array(want * stride);
          continue;
        }
        if (token === null && (err.code === "EINVAL" || err.code === "ENOTSUPP" || err.code === "EOPNOTSUPP")) {
          // This kernel cannot batch this map type (BPF_MAP_LOOKUP_BATCH came in 5.6, for hash and
          // array maps first): remember it, and read this type key by key from now on.
          noBatch.add(info.type);
          return undefined;
        }
        throw err;
      }
    },
  };
  return r;
}

/**
 * Where the second reader starts, as a fraction of the buckets: this thread reads the first part
 * and also works through every batch of both (decoding, sampling, JSON), so it takes less than
 * half (measured with bench/map-read: 0.4 beat 0.5 on every case, 0.33 on none by more than noise).
 */
const SPLIT_AT = 0.4;
/** Hash maps at least this large are read by two threads, when there are two CPUs. */
const SPLIT_ENTRIES = 1 << 16;
const HASH_TYPES = new Set(["hash", "lru_hash", "percpu_hash", "lru_percpu_hash"]);

function readBatched(map: MapHandle, onBatch: (b: Batch) => void, limit: number, mayShare: boolean): Omit<ReadStats, "repeated" | "incomplete"> | undefined {
  const { info } = map;
  const want = Math.max(1, Math.min(info.maxEntries, BATCH));
  const reader = batchReader(map);
  let entries = 0;
  const deliver = (b: Batch) => {
    if (b.count > 0) {
      onBatch(b);
      entries += b.count;
    }
  };
  const split = mayShare && HASH_TYPES.has(info.type) && info.maxEntries >= SPLIT_ENTRIES ? startSplit(map) : undefined;
  try {
    let token: number | Uint8Array | null = null;
    for (;;) {
      const r = reader.call(token, want);
      if (!r) return undefined;
      if (split && !r.end && r.out >= split.from) {
        // The batch may have crossed into the second half: what both readers saw is shown once.
        if (r.got > 0 && r.out > split.from) split.seam(reader.batch(r.got), r.out);
        else deliver(reader.batch(r.got));
        token = r.out;
        break;
      }
      deliver(reader.batch(r.got));
      if (r.end || entries > limit) return { method: "batch", readers: 1, entries, vanished: 0 };
      token = split ? r.out : reader.outToken;
    }
    // The second half: the worker's batches, or this thread's own read when it got there first.
    if (split!.rest(deliver, () => entries > limit)) return { method: "batch", readers: 2, entries, vanished: 0 };
    for (;;) {
      const r = reader.call(token, want);
      if (!r) throw new BpfError("map lookup batch", EINVAL);
      deliver(reader.batch(r.got));
      if (r.end || entries > limit) break;
      token = r.out;
    }
    return { method: "batch", readers: 1, entries, vanished: 0 };
  } finally {
    split?.stop();
  }
}

const BATCH = 4096;

/**
 * startSplit: a second reader for the buckets from the middle of a large hash map on, when a
 * worker thread is available. A hash map's batch token is the index of the next bucket
 * (kernel/bpf/hashtab.c since 5.6) and a key lives in one bucket, so the two halves hold
 * different keys; only the batch that crosses the middle reads into the other half, and its
 * keys that the worker also read are dropped (`seam`). `rest` hands over the worker's batches;
 * it returns false when this thread must read the second half itself: the worker had not
 * started yet (this thread claimed the half first), or a call of the worker failed.
 * Returns undefined without a worker.
 */
function startSplit(map: MapHandle) {
  const w = readWorker();
  if (!w) return undefined;
  const { info } = map;
  const stride = valueStride(info);
  // n_buckets = roundup_pow_of_two(max_entries); a wrong guess only makes the halves unequal.
  const buckets = 2 ** Math.ceil(Math.log2(info.maxEntries));
  const from = Math.round(buckets * SPLIT_AT);
  const slotBytes = BATCH * (info.keySize + stride);
  const slots = Math.max(2, Math.min(256, Math.floor((64 << 20) / slotBytes)));
  const ctrlBuf = new SharedArrayBuffer(4 * (CTRL.slots + 3 * slots));
  const data = new SharedArrayBuffer(slots * slotBytes);
  const ctrl = new Int32Array(ctrlBuf);
  const job: ReadJob = { kind: "read", fd: map.fd, from, keySize: info.keySize, stride, batch: BATCH, slots, ctrl: ctrlBuf, data };
  w.postMessage(job);
  const bytes = new Uint8Array(data);
  let consumed = 0;
  /** The next batch of the worker, waiting for it; undefined once it has stopped. */
  const next = (): { batch: Batch; start: number } | undefined => {
    for (;;) {
      if (Atomics.load(ctrl, CTRL.produced) > consumed) break;
      if (Atomics.load(ctrl, CTRL.done)) {
        if (Atomics.load(ctrl, CTRL.produced) > consumed) break;
        return undefined;
      }
      Atomics.wait(ctrl, CTRL.produced, consumed, 100);
    }
    const slot = consumed % slots;
    const meta = CTRL.slots + 3 * slot;
    const base = slot * slotBytes;
    const keys = bytes.subarray(base, base + BATCH * info.keySize);
    const values = bytes.subarray(base + BATCH * info.keySize, base + slotBytes);
    return { batch: { keys, values, count: ctrl[meta]!, keySize: info.keySize, valueSize: stride }, start: ctrl[meta + 1]! >>> 0 };
  };
  const release = () => {
    consumed++;
    Atomics.store(ctrl, CTRL.consumed, consumed);
    Atomics.notify(ctrl, CTRL.consumed);
  };
  let seam: { batch: Batch; out: number } | undefined;
  return {
    from,
    /** Keeps the batch that crossed the middle (ending before bucket `out`) until `rest`. */
    seam(b: Batch, out: number): void {
      seam = { batch: { ...b, keys: b.keys.slice(0, b.count * b.keySize), values: b.values.slice(0, b.count * b.valueSize) }, out };
    },
    /** Hands over the second half; false when this thread must read it. Throws BpfError. */
    rest(deliver: (b: Batch) => void, enough: () => boolean): boolean {
      if (Atomics.compareExchange(ctrl, CTRL.claim, 0, 2) === 0) {
        if (seam) deliver(seam.batch);
        return false;
      }
      // The seam batch's keys that a worker batch starting before its end also holds are dropped.
      const seen = uniqueKeys(info.keySize);
      const flushSeam = () => {
        if (!seam) return;
        seen(seam.batch);
        deliver(seam.batch);
        seam = undefined;
      };
      for (let n = next(); n && !enough(); n = next()) {
        if (seam && n.start < seam.out) seen({ ...n.batch, keys: n.batch.keys.slice(0, n.batch.count * info.keySize), values: new Uint8Array(0), valueSize: 0 });
        else flushSeam();
        deliver(n.batch);
        release();
      }
      flushSeam();
      const errno = Atomics.load(ctrl, CTRL.errno);
      if (errno) throw new BpfError("map lookup batch (second reader)", errno);
      return true;
    },
    /** Tells the worker to stop (a read that ends early or fails must not leave it reading). */
    stop(): void {
      Atomics.store(ctrl, CTRL.cancel, 1);
      Atomics.notify(ctrl, CTRL.consumed);
    },
  };
}

function readKeyByKey(map: MapHandle, onBatch: (b: Batch) => void, limit: number): Omit<ReadStats, "repeated" | "incomplete"> {
  const lib = libbpf();
  const { info } = map;
  const stride = valueStride(info);
  const chunk = 256;
  const keys = new Uint8Array(chunk * info.keySize);
  const values = new Uint8Array(chunk * stride);
  let prev: Uint8Array | null = null;
  const next = new Uint8Array(info.keySize);
  let n = 0;
  let entries = 0;
  let vanished = 0;
  for (;;) {
    const rc = lib.bpf_map_get_next_key(map.fd, prev, next);
    if (rc === -ENOENT) break;
    check("map get next key", rc);
    prev = next.slice();
    const vbuf = values.subarray(n * stride, (n + 1) * stride);
    const lrc = lib.bpf_map_lookup_elem(map.fd, next, vbuf);
    if (lrc === -ENOENT) {
      vanished++;
      continue;
    }
    check("map lookup", lrc);
    keys.set(next, n * info.keySize);
    n++;
    entries++;
    if (n === chunk) {
      onBatch({ keys, values, count: n, keySize: info.keySize, valueSize: stride });
      n = 0;
    }
    if (entries > limit) break;
  }
  if (n > 0) onBatch({ keys, values, count: n, keySize: info.keySize, valueSize: stride });
  return { method: "key-by-key", readers: 1, entries, vanished };
}


/** perCpuTotal: a per-CPU u64 counter (key 0 of a per-CPU array) summed over CPUs. Throws BpfError. */
export function perCpuTotal(map: MapHandle): number {
  let n = 0n;
  readEntries(map, (b) => {
    const v = new DataView(b.values.buffer, b.values.byteOffset, b.values.byteLength);
    for (let at = 0; at + 8 <= b.count * b.valueSize; at += 8) n += v.getBigUint64(at, true);
  });
  return Number(n);
}
