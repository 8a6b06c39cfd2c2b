import { describe, expect, test } from "bun:test";
import { BernoulliSampler } from "./bernoulli";
import { Xoshiro128 } from "./rng";
import { binomialX2, CHI2_P001, withinZ } from "./testing/goodness-of-fit";

const P = 0.01;

/** The uniform the sampler is offered, given a fresh draw u; lets controls degrade it. */
type Offer = (u: number) => number;
const fair: Offer = (u) => u;
/**
 * A uniform built from only 8 bits (the cell midpoint), as from one byte of a hash: u < 0.01
 * then holds for 3 of 256 cells, probability 0.0117 instead of 0.01.
 */
const eightBit: Offer = (u) => (Math.floor(u * 256) + 0.5) / 256;

/** Whether the number kept out of 1e6 offered lies within Z_P001 sigma of n p. */
function keptCountOk(offer: Offer): boolean {
  const n = 1_000_000;
  const rng = Xoshiro128.fromSeed(31);
  const s = new BernoulliSampler<number>(P);
  for (let i = 0; i < n; i++) s.offer(offer(rng.nextDouble()), i);
  return withinZ(s.finish().kept.length, n * P, Math.sqrt(n * P * (1 - P)));
}

/**
 * perItemX2: sum over 100 items of (C_i - R p)^2 / (R p (1 - p)) over 10,000 seeded runs.
 * Items are kept independently, so the C_i are independent binomials and the statistic is
 * chi-square with one df per item: df 100 (nothing fixes the total, unlike a fixed-size sample).
 */
function perItemX2(offer: Offer): number {
  const items = 100;
  const runs = 10_000;
  const counts = new Float64Array(items);
  for (let r = 0; r < runs; r++) {
    const rng = Xoshiro128.fromSeed(1000 + r);
    const s = new BernoulliSampler<number>(P);
    for (let i = 0; i < items; i++) s.offer(offer(rng.nextDouble()), i);
    for (const kept of s.finish().kept) counts[kept.item]!++;
  }
  return binomialX2(counts, runs, new Float64Array(items).fill(P));
}

describe("BernoulliSampler", () => {
  test("issue 5 test 4: the count kept of 1e6 at p = 0.01 is within 3.29 sigma (so 4.42) of n p", () => {
    expect(keptCountOk(fair)).toBe(true);
  });

  test("negative control: 8-bit uniforms fail the kept-count check", () => {
    expect(keptCountOk(eightBit)).toBe(false);
  });

  test("each item is kept with probability p (chi-square, df 100)", () => {
    expect(perItemX2(fair)).toBeLessThan(CHI2_P001[100]);
  });

  test("negative control: 8-bit uniforms fail the per-item check", () => {
    expect(perItemX2(eightBit)).toBeGreaterThan(CHI2_P001[100]);
  });

  test("keeps exactly the items with u < p, by increasing u, with prob p", () => {
    const s = new BernoulliSampler<string>(0.5);
    s.offer(0.7, "a");
    s.offer(0.4, "b");
    s.offer(0.5, "c");
    s.offer(0.1, "d");
    expect(s.finish()).toEqual({
      kept: [
        { item: "d", prob: 0.5, u: 0.1 },
        { item: "b", prob: 0.5, u: 0.4 },
      ],
      offered: 4,
      excluded: 0,
    });
  });

  test("p = 1 keeps everything; bad p or u throws", () => {
    const s = new BernoulliSampler<number>(1);
    for (let i = 0; i < 5; i++) s.offer(0.999, i);
    expect(s.finish().kept).toHaveLength(5);
    for (const p of [0, -0.1, 1.01, Number.NaN]) expect(() => new BernoulliSampler(p)).toThrow(RangeError);
    for (const u of [0, 1, Number.NaN]) expect(() => s.offer(u, 0)).toThrow(RangeError);
    expect(s.finish().offered).toBe(5);
    const half = new BernoulliSampler<number>(0.5);
    for (const u of [0, -0.1, -0, 1, 1.5, Number.NaN, Infinity]) expect(() => half.offer(u, 0)).toThrow(RangeError);
    expect(half.finish()).toEqual({ kept: [], offered: 0, excluded: 0 });
  });
});
