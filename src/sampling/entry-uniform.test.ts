import { describe, expect, test } from "bun:test";
import { entryUniform, entryUniforms } from "./entry-uniform";
import { doubleFrom53, Xoshiro128 } from "./rng";
import { CHI2_P001, pearson } from "./testing/goodness-of-fit";
import { UniformSampler } from "./uniform";

function u32Key(i: number): Uint8Array {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, i, true);
  return key;
}

function shuffled<T>(xs: readonly T[], rng: Xoshiro128): T[] {
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** X^2 of `n` values over 100 equal bins of (0,1); df 99. */
function binnedX2(n: number, value: (i: number) => number): number {
  const bins = new Float64Array(100);
  for (let i = 0; i < n; i++) bins[Math.floor(value(i) * 100)]!++;
  return pearson(bins, new Float64Array(100).fill(n / 100));
}

describe("entryUniform", () => {
  test("a seeded sample of a map does not depend on iteration order", () => {
    const keys = Array.from({ length: 2000 }, (_, i) => u32Key(i * 7919));
    const sampleIn = (order: Uint8Array[]) => {
      const s = new UniformSampler<Uint8Array>(25);
      for (const key of order) s.offer(entryUniform(99, key), key);
      return s.finish().kept.map((k) => Array.from(k.item).join(","));
    };
    const reference = sampleIn(keys);
    const rng = Xoshiro128.fromSeed(11);
    for (let r = 0; r < 3; r++) expect(sampleIn(shuffled(keys, rng))).toEqual(reference);
    expect(reference).toHaveLength(25);
  });

  test("is two MurmurHash3 x86_32 lanes, checked against Bun's own murmur32v3 for keys of 0..40 bytes", () => {
    const rng = Xoshiro128.fromSeed(5);
    let wrong = 0;
    for (let n = 0; n < 4000; n++) {
      const len = n % 41;
      const buf = Uint8Array.from({ length: len + 7 }, () => rng.below(256));
      const seed = rng.nextU32();
      const key = buf.subarray(3, 3 + len);
      const h1 = Bun.hash.murmur32v3(key, seed);
      const h2 = Bun.hash.murmur32v3(key, (seed ^ 0x9e3779b9) >>> 0);
      const want = doubleFrom53(h1 >>> 5, h2 >>> 6);
      // The key where it lies in a larger buffer, as a scan hands it over, and copied out.
      if (entryUniform(seed, buf, 3, 3 + len) !== want || entryUniform(seed, key.slice()) !== want) wrong++;
    }
    expect(wrong).toBe(0);
    // The reference's published answer: MurmurHash3_x86_32("hello", 0) = 0x248bfa47.
    expect(Bun.hash.murmur32v3(new TextEncoder().encode("hello"), 0)).toBe(0x248bfa47);
  });

  test("entryUniforms over a batch of keys gives entryUniform of each (u32 keys, and other sizes)", () => {
    const rng = Xoshiro128.fromSeed(6);
    for (const keySize of [4, 8, 3, 16, 0]) {
      const count = 1000;
      const bytes = Uint8Array.from({ length: keySize * count }, () => rng.below(256));
      const us = new Float64Array(count);
      entryUniforms(31, bytes, keySize, count, us);
      const one = Array.from({ length: count }, (_, i) => entryUniform(31, bytes, i * keySize, (i + 1) * keySize));
      expect(Array.from(us)).toEqual(one);
    }
    expect(() => entryUniforms(0.5, new Uint8Array(4), 4, 1, new Float64Array(1))).toThrow(RangeError);
  });

  test("depends on the key bytes only, not on the view that holds them", () => {
    const batch = new Uint8Array([9, 9, 9, 1, 2, 3, 4, 9]);
    const view = batch.subarray(3, 7);
    expect(entryUniform(5, view)).toBe(entryUniform(5, new Uint8Array([1, 2, 3, 4])));
    expect(entryUniform(5, view)).not.toBe(entryUniform(5, batch.subarray(2, 6)));
  });

  test("different seeds give different values; seeds are taken modulo 2^32", () => {
    let equal = 0;
    for (let i = 0; i < 1000; i++) if (entryUniform(1, u32Key(i)) === entryUniform(2, u32Key(i))) equal++;
    expect(equal).toBe(0);
    expect(entryUniform(-1, u32Key(3))).toBe(entryUniform(2 ** 32 - 1, u32Key(3)));
    expect(() => entryUniform(0.5, u32Key(3))).toThrow(RangeError);
  });

  test("values lie strictly inside (0,1), also for the empty key", () => {
    let inside = true;
    for (let i = 0; i < 10_000; i++) {
      const u = entryUniform(i, u32Key(i));
      if (!(u > 0 && u < 1)) inside = false;
    }
    expect(inside).toBe(true);
    const empty = entryUniform(0, new Uint8Array(0));
    expect(empty > 0 && empty < 1).toBe(true);
  });

  test("100,000 keys are uniform over 100 bins (chi-square, df 99)", () => {
    expect(binnedX2(100_000, (i) => entryUniform(2024, u32Key(i)))).toBeLessThan(CHI2_P001[99]);
  });

  test("negative control: a mildly skewed transform of the same values fails", () => {
    expect(binnedX2(100_000, (i) => entryUniform(2024, u32Key(i)) ** 1.05)).toBeGreaterThan(CHI2_P001[99]);
  });
});
