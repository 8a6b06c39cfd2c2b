import { doubleFrom53 } from "./rng";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/** The second lane's seed differs from the first by this constant (2^32 / golden ratio). */
const LANE2 = 0x9e3779b9;

/** fmix32: MurmurHash3's finaliser, as an int32 (callers take its bits with >>>). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/**
 * entryUniform: the uniform double strictly inside (0,1) that belongs to one map entry under one
 * seed: the key bytes `bytes[start, end)` hashed by two lanes of MurmurHash3 (x86, 32-bit), one
 * seeded with `seed` modulo 2^32 and one with that seed xor 0x9e3779b9; the top 27 bits of the
 * first and the top 26 of the second make the 53 bits doubleFrom53 maps into (0,1).
 * It depends only on the seed and the key bytes, never on when or in which order entries are
 * seen, so a seeded sample of a map is the same whatever order the kernel iterates it in. It
 * reads the bytes where they lie (a key inside a batch buffer) and allocates nothing: it runs for
 * every entry of a scan.
 * Throws RangeError unless `seed` is an integer.
 */
export function entryUniform(seed: number, bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  return murmurUniform(seed >>> 0, bytes, start, end);
}

/**
 * entryUniforms: entryUniform for `count` keys of `keySize` bytes lying end to end in `bytes`
 * (a batch of a scan), into `us`. Throws RangeError unless `seed` is an integer.
 */
export function entryUniforms(seed: number, bytes: Uint8Array, keySize: number, count: number, us: Float64Array): void {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const s = seed >>> 0;
  if (keySize === 4) {
    // The common u32 key, one block: the same steps as murmurUniform, unrolled, in int32
    // arithmetic throughout, the key read as one little-endian word (a third of the time of
    // four byte reads and the uint32 conversions, in a fresh process over 1M keys).
    const h1seed = s | 0;
    const h2seed = (s ^ LANE2) | 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0, at = 0; i < count; i++, at += 4) {
      let k = view.getInt32(at, true);
      k = Math.imul(k, C1);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, C2);
      let h1 = h1seed ^ k;
      h1 = (h1 << 13) | (h1 >>> 19);
      h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
      let h2 = h2seed ^ k;
      h2 = (h2 << 13) | (h2 >>> 19);
      h2 = (Math.imul(h2, 5) + 0xe6546b64) | 0;
      us[i] = doubleFrom53(fmix32(h1 ^ 4) >>> 5, fmix32(h2 ^ 4) >>> 6);
    }
    return;
  }
  for (let i = 0, at = 0; i < count; i++, at += keySize) us[i] = murmurUniform(s, bytes, at, at + keySize);
}

function murmurUniform(seed: number, bytes: Uint8Array, start: number, end: number): number {
  let h1 = seed;
  let h2 = (h1 ^ LANE2) >>> 0;
  const len = end - start;
  const blocks = start + (len & ~3);
  let i = start;
  for (; i < blocks; i += 4) {
    let k = bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h1 ^= k;
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    h2 ^= k;
    h2 = (h2 << 13) | (h2 >>> 19);
    h2 = (Math.imul(h2, 5) + 0xe6546b64) | 0;
  }
  const tail = len & 3;
  if (tail) {
    let k = bytes[i]!;
    if (tail > 1) k |= bytes[i + 1]! << 8;
    if (tail > 2) k |= bytes[i + 2]! << 16;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h1 ^= k;
    h2 ^= k;
  }
  h1 = fmix32(h1 ^ len);
  h2 = fmix32(h2 ^ len);
  return doubleFrom53(h1 >>> 5, h2 >>> 6);
}
