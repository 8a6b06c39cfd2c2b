import { describe, expect, test } from "bun:test";
import { entryUniform } from "./entry-uniform";
import { groupSeed } from "./group-seed";
import { withinZ } from "./testing/goodness-of-fit";

/** groupSeed(0, ""), groupSeed(42, "nginx"), groupSeed(2^32 - 1, "größe 🚀"), as first computed. */
const GOLDEN = [1317485944, 933130083, 3140139147] as const;

function u32Key(i: number): Uint8Array {
  const key = new Uint8Array(4);
  new DataView(key.buffer).setUint32(0, i, true);
  return key;
}

describe("groupSeed", () => {
  test("is stable: known values (a change here changes every stratified sample)", () => {
    expect(groupSeed(0, "")).toBe(GOLDEN[0]);
    expect(groupSeed(42, "nginx")).toBe(GOLDEN[1]);
    expect(groupSeed(2 ** 32 - 1, "größe 🚀")).toBe(GOLDEN[2]);
    expect(groupSeed(42, "nginx")).toBe(groupSeed(42, "nginx"));
  });

  test("different groups get different u32 seeds", () => {
    const names = ["", "a", "b", "ab", "ba", "a\0", "\0a", "A", " a", "1", "01", "null", "\"a\""];
    for (let i = 0; i < 1000; i++) names.push(`group${i}`, String(i));
    const unique = [...new Set(names)];
    const seeds = unique.map((g) => groupSeed(7, g));
    expect(new Set(seeds).size).toBe(unique.length);
    for (const s of seeds) expect(Number.isInteger(s) && s >= 0 && s < 2 ** 32).toBe(true);
  });

  test("depends on the seed (modulo 2^32) and rejects non-integer seeds", () => {
    expect(groupSeed(1, "x")).not.toBe(groupSeed(2, "x"));
    expect(groupSeed(-1, "x")).toBe(groupSeed(2 ** 32 - 1, "x"));
    expect(() => groupSeed(1.5, "x")).toThrow(RangeError);
    expect(() => groupSeed(Number.NaN, "x")).toThrow(RangeError);
  });

  test("is not entryUniform's hash of the same bytes under the same seed", () => {
    const h = Bun.hash.xxHash64(new TextEncoder().encode("x"), 9n);
    expect(groupSeed(9, "x")).not.toBe(Number((h >> 32n) ^ (h & 0xffffffffn)));
  });

  test("two groups' uniforms over the same keys are uncorrelated", () => {
    // Pearson correlation of 20,000 pairs: se 1/sqrt(n) under independence.
    const n = 20_000;
    const a = groupSeed(3, "cpu0");
    const b = groupSeed(3, "cpu1");
    let sxy = 0;
    for (let i = 0; i < n; i++) sxy += (entryUniform(a, u32Key(i)) - 0.5) * (entryUniform(b, u32Key(i)) - 0.5);
    const r = sxy / n / (1 / 12);
    expect(withinZ(r, 0, 1 / Math.sqrt(n))).toBe(true);
  });
});
