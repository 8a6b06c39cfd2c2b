/**
 * group-seed: the seed of one group of a stratified (`per FIELD`) sample, derived from the
 * sample's seed and the group's value, so each group draws its own independent sample and the
 * same seed over the same entries gives the same per-group samples.
 */

const encoder = new TextEncoder();

/**
 * A prefix that sets group seeds apart from entryUniform's hashes: entryUniform hashes key bytes
 * under the same seed, and a group value whose bytes equal some key must not give a seed equal
 * to that key's hash.
 */
const DOMAIN = encoder.encode("gms:group-seed\0");

/**
 * groupSeed: the u32 seed for `group` under `seed`: xxHash64 of the bytes of
 * "gms:group-seed\0" followed by the group's UTF-8 bytes, seeded with `seed` modulo 2^32, its
 * high and low 32 bits xor-ed. Stable across runs and platforms (it is part of what a seed
 * reproduces); distinct groups collide with probability 2^-32 per pair. Throws RangeError unless
 * `seed` is an integer.
 */
export function groupSeed(seed: number, group: string): number {
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const bytes = encoder.encode(group);
  const input = new Uint8Array(DOMAIN.length + bytes.length);
  input.set(DOMAIN);
  input.set(bytes, DOMAIN.length);
  const h = Bun.hash.xxHash64(input, BigInt(seed >>> 0));
  return Number((h >> 32n) ^ (h & 0xffffffffn));
}
