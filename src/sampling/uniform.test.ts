import { describe, expect, test } from "bun:test";
import { Xoshiro128 } from "./rng";
import { CHI2_P001, pearson } from "./testing/goodness-of-fit";
import { UniformSampler } from "./uniform";

/** The uniform the sampler is offered for item i, given a fresh draw u; lets controls bias it. */
type Offer = (i: number, u: number) => number;
const fair: Offer = (_i, u) => u;

/**
 * subsetX2: Pearson X^2 of how often each 3-subset of 6 items was the sample over 200,000
 * seeded runs, against 1/20 each, and how many subsets ever appeared. df = 20 - 1 = 19: the
 * counts are multinomial over 20 cells whose total is fixed by the number of runs.
 */
function subsetX2(offer: Offer): { x2: number; seen: number } {
  const n = 6;
  const k = 3;
  const runs = 200_000;
  const cellOfMask = new Int32Array(1 << n).fill(-1);
  let cells = 0;
  for (let m = 0; m < 1 << n; m++) {
    let bits = 0;
    for (let b = 0; b < n; b++) bits += (m >> b) & 1;
    if (bits === k) cellOfMask[m] = cells++;
  }
  const counts = new Float64Array(cells);
  for (let r = 0; r < runs; r++) {
    const rng = Xoshiro128.fromSeed(r);
    const s = new UniformSampler<number>(k);
    for (let i = 0; i < n; i++) s.offer(offer(i, rng.nextDouble()), i);
    let mask = 0;
    for (const kept of s.finish().kept) mask |= 1 << kept.item;
    counts[cellOfMask[mask]!]!++;
  }
  return {
    x2: pearson(counts, new Float64Array(cells).fill(runs / cells)),
    seen: counts.filter((c) => c > 0).length,
  };
}

/**
 * inclusionX2: (N-1)/N * sum_i (C_i - R pi)^2 / (R pi (1 - pi)) for N = 1000 items, k = 10,
 * pi = k/N, over 20,000 seeded runs. Under simple random sampling without replacement the
 * inclusion indicators have covariance pi (1 - pi) N/(N-1) (I - J/N), and this is the
 * Mahalanobis form for it, so the statistic is chi-square with N - 1 = 999 df.
 */
function inclusionX2(offer: Offer): number {
  const n = 1000;
  const k = 10;
  const runs = 20_000;
  const counts = new Float64Array(n);
  const rng = Xoshiro128.fromSeed(77);
  for (let r = 0; r < runs; r++) {
    const s = new UniformSampler<number>(k);
    for (let i = 0; i < n; i++) s.offer(offer(i, rng.nextDouble()), i);
    for (const kept of s.finish().kept) counts[kept.item]!++;
  }
  const pi = k / n;
  let sum = 0;
  for (const c of counts) sum += (c - runs * pi) ** 2 / (runs * pi * (1 - pi));
  return ((n - 1) / n) * sum;
}

describe("UniformSampler", () => {
  test("issue 5 test 3: all 20 subsets of 3 from 6 appear, equally likely (X2 < 43.82, df 19)", () => {
    const { x2, seen } = subsetX2(fair);
    expect(seen).toBe(20);
    // The 43.82 is CHI2_P001[19] = 43.8202 rounded down, so slightly the stricter.
    expect(x2).toBeLessThan(Math.min(43.82, CHI2_P001[19]));
  });

  test("negative control: a sampler slightly favouring item 0 fails the subset check", () => {
    const { x2 } = subsetX2((i, u) => (i === 0 ? u * 0.97 : u));
    expect(x2).toBeGreaterThan(CHI2_P001[19]);
  });

  test("issue 5 test 3: each of 1000 items is kept with probability k/N (X2 < 1142.85, df 999)", () => {
    expect(inclusionX2(fair)).toBeLessThan(Math.min(1142.85, CHI2_P001[999]));
  });

  test("negative control: favouring the first 100 of 1000 items fails the inclusion check", () => {
    expect(inclusionX2((i, u) => (i < 100 ? u * 0.9 : u))).toBeGreaterThan(CHI2_P001[999]);
  });

  test("finish orders by increasing u and reports prob k/n", () => {
    const s = new UniformSampler<string>(2);
    const us = [0.9, 0.2, 0.5, 0.1, 0.7];
    us.forEach((u, i) => s.offer(u, `item${i}`));
    const r = s.finish();
    expect(r.kept).toEqual([
      { item: "item3", prob: 0.4, u: 0.1 },
      { item: "item1", prob: 0.4, u: 0.2 },
    ]);
    expect(r.offered).toBe(5);
    expect(r.excluded).toBe(0);
  });

  test("with fewer than k offered every item is kept with prob 1", () => {
    const s = new UniformSampler<number>(5);
    s.offer(0.3, 1);
    s.offer(0.6, 2);
    expect(s.finish().kept.map((k) => [k.item, k.prob])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    expect(new UniformSampler<number>(5).finish()).toEqual({ kept: [], offered: 0, excluded: 0 });
  });

  test("keeps exactly the k smallest u, for k up to 3000 (past the buffer's first prunes)", () => {
    const rng = Xoshiro128.fromSeed(91);
    for (const [k, n] of [
      [1, 100],
      [50, 5000],
      [3000, 100_000],
    ] as const) {
      const us = Array.from({ length: n }, () => rng.nextDouble());
      const s = new UniformSampler<number>(k);
      us.forEach((u, i) => s.offer(u, i));
      const expected = us.map((_, i) => i).sort((a, b) => us[a]! - us[b]!).slice(0, k);
      const r = s.finish();
      expect(r.kept.map((x) => x.item)).toEqual(expected);
      expect(r.kept.every((x) => x.prob === k / n && x.u === us[x.item])).toBe(true);
    }
  });

  test("rejects a bad k or u", () => {
    for (const k of [0, -1, 1.5, Number.NaN]) expect(() => new UniformSampler(k)).toThrow(RangeError);
    const s = new UniformSampler<number>(1);
    for (const u of [0, 1, -0.1, Number.NaN]) expect(() => s.offer(u, 0)).toThrow(RangeError);
    s.offer(0.5, 0);
    for (const u of [0, 1, -0.1, Number.NaN]) expect(() => s.offer(u, 0)).toThrow(RangeError);
    expect(s.finish().offered).toBe(1);
  });
});
