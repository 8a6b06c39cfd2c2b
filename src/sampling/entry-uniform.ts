import { doubleFrom53 } from "./rng";

/**
 * entryUniform: the uniform double strictly inside (0,1) that belongs to one map entry under one
 * seed: the top 53 bits of xxHash64(key) seeded with `seed` modulo 2^32, mapped by doubleFrom53.
 * It depends only on the seed and the key bytes, never on when or in which order entries are
 * seen, so a seeded sample of a map is the same whatever order the kernel iterates it in.
 * Throws RangeError unless `seed` is an integer.
 */
export function entryUniform(seed: number, key: Uint8Array): number {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const h = Bun.hash.xxHash64(key, BigInt(seed >>> 0));
  return doubleFrom53(Number(h >> 37n), Number((h >> 11n) & 0x3ffffffn));
}
