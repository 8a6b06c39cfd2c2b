import { describe, expect, test } from "bun:test";
import { PrioritySampler } from "./priority";
import { Xoshiro128 } from "./rng";
import { CHI2_P001, mahalanobisX2, withinZ } from "./testing/goodness-of-fit";
import { priorityInclusion, priorityPairInclusion } from "./testing/priority-inclusion";

const WEIGHTS = [1, 2, 3, 5, 8, 13, 40];
const K = 3;
const TOTAL = WEIGHTS.reduce((a, b) => a + b, 0);
const RUNS = 100_000;

const PI = priorityInclusion(WEIGHTS, K, 50_000);
const PIJ = priorityPairInclusion(WEIGHTS, K, 50_000);

interface Runs {
  counts: Float64Array;
  /** Per-run Horvitz-Thompson estimate of TOTAL: sum of w / prob over the kept items. */
  estimates: Float64Array;
  /** The same with prob = w / tau uncapped, i.e. k tau: the textbook mistake. */
  uncapped: Float64Array;
}

/** RUNS seeded priority samples of WEIGHTS, each item offered with uniform transform(u). */
function sampleRuns(transform: (u: number) => number): Runs {
  const n = WEIGHTS.length;
  const counts = new Float64Array(n);
  const estimates = new Float64Array(RUNS);
  const uncapped = new Float64Array(RUNS);
  for (let r = 0; r < RUNS; r++) {
    const rng = Xoshiro128.fromSeed(500_000 + r);
    const s = new PrioritySampler<number>(K);
    for (let i = 0; i < n; i++) s.offer(transform(rng.nextDouble()), WEIGHTS[i]!, i);
    const result = s.finish();
    let est = 0;
    for (const kept of result.kept) {
      counts[kept.item]!++;
      est += kept.w! / kept.prob;
    }
    estimates[r] = est;
    uncapped[r] = K * result.tau!;
  }
  return { counts, estimates, uncapped };
}

/**
 * inclusionX2: how far the inclusion counts of the first N - 1 items are from RUNS * pi_i,
 * measured with the exact covariance of the inclusion indicators, cov_ij = pi_ij - pi_i pi_j.
 * Why df = N - 1 = 6: with N = 7 > k every run keeps exactly k items, so the N indicators sum to
 * k and their covariance has rank N - 1; the last item's count is determined by the others and is
 * dropped, leaving a 6-dimensional vector with a nonsingular covariance, whose Mahalanobis form is
 * chi-square with 6 df. The per-item binomial form sum (C - R pi)^2 / (R pi (1 - pi)) is not
 * used: the indicators are correlated with unequal pi, so it is a weighted sum of chi-squares
 * with no single df (the (N-1)/N correction is exact only for equal pi).
 */
function inclusionX2(counts: Float64Array): number {
  const m = WEIGHTS.length - 1;
  const n = WEIGHTS.length;
  const cov = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) cov[i * m + j] = PIJ[i * n + j]! - PI[i]! * PI[j]!;
  }
  return mahalanobisX2(counts.subarray(0, m), RUNS, PI.subarray(0, m), cov);
}

/** Whether the mean of `estimates` is within Z_P001 standard errors of TOTAL. */
function unbiased(estimates: Float64Array): boolean {
  let sum = 0;
  let sumSq = 0;
  for (const e of estimates) {
    sum += e;
    sumSq += e * e;
  }
  const mean = sum / estimates.length;
  const variance = (sumSq - estimates.length * mean * mean) / (estimates.length - 1);
  return withinZ(mean, TOTAL, Math.sqrt(variance / estimates.length));
}

describe("priority inclusion reference", () => {
  test("matches the closed form for k = 1 and two items: pi_light = w_light / (2 w_heavy)", () => {
    const pi = priorityInclusion([1, 3], 1);
    expect(pi[0]!).toBeCloseTo(1 / 6, 8);
    expect(pi[1]!).toBeCloseTo(5 / 6, 8);
  });

  test("equal weights give k/N", () => {
    for (const p of priorityInclusion([2, 2, 2, 2, 2], 2)) expect(p).toBeCloseTo(0.4, 8);
  });

  test("satisfies the fixed-size identities sum pi_i = k and sum_{j != i} pi_ij = (k - 1) pi_i", () => {
    const n = WEIGHTS.length;
    expect(PI.reduce((a, b) => a + b, 0)).toBeCloseTo(K, 6);
    for (let i = 0; i < n; i++) {
      let row = 0;
      for (let j = 0; j < n; j++) if (j !== i) row += PIJ[i * n + j]!;
      expect(row).toBeCloseTo((K - 1) * PI[i]!, 6);
    }
  });
});

/** once: f's value, computed on first use so the runs are timed and reported inside a test. */
function once<T>(f: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: f() }).v;
}

describe("PrioritySampler", () => {
  const fair = once(() => sampleRuns((u) => u));
  const squared = once(() => sampleRuns((u) => u * u));

  test(`inclusion counts over ${RUNS} runs match the exact pi (chi-square, df 6)`, () => {
    expect(inclusionX2(fair().counts)).toBeLessThan(CHI2_P001[6]);
  });

  test("negative control: keeping the k largest w/u^2 fails the inclusion check", () => {
    expect(inclusionX2(squared().counts)).toBeGreaterThan(CHI2_P001[6]);
  });

  test("the Horvitz-Thompson estimate sum(w / prob) is unbiased for the total weight", () => {
    expect(unbiased(fair().estimates)).toBe(true);
  });

  test("negative control: prob = w / tau without the cap at 1 biases the estimate", () => {
    expect(unbiased(fair().uncapped)).toBe(false);
  });

  test("kept items come by decreasing w with prob min(1, w/tau), tau the (k+1)-th priority", () => {
    const s = new PrioritySampler<string>(2);
    s.offer(0.5, 1, "a"); // priority 2
    s.offer(0.5, 4, "b"); // 8
    s.offer(0.1, 1, "c"); // 10
    s.offer(0.8, 2, "d"); // 2.5
    const r = s.finish();
    expect(r.tau).toBe(2.5);
    expect(r.kept).toEqual([
      { item: "b", prob: 1, u: 0.5, w: 4 },
      { item: "c", prob: 0.4, u: 0.1, w: 1 },
    ]);
    expect(r.offered).toBe(4);
    expect(r.excluded).toBe(0);
    expect(r.zeroWeight).toBe(0);
  });

  test("at most k positive weights: all kept with prob 1 and tau 0", () => {
    const s = new PrioritySampler<number>(3);
    s.offer(0.9, 0.001, 1);
    s.offer(0.2, 5, 2);
    s.offer(0.5, 0, 3);
    const r = s.finish();
    expect(r.tau).toBe(0);
    expect(r.kept.map((k) => [k.item, k.prob])).toEqual([
      [2, 1],
      [1, 1],
    ]);
  });

  test("weight policy: invalid weights excluded, zeros counted apart, neither kept", () => {
    const s = new PrioritySampler<string>(10);
    const invalid = [Number.NaN, -1, -Infinity, null, undefined, "3"] as unknown as number[];
    invalid.forEach((w, i) => s.offer(0.5, w, `bad${i}`));
    s.offer(0.5, 0, "zero1");
    s.offer(0.5, -0, "zero2");
    s.offer(0.5, 2, "ok");
    const r = s.finish();
    expect(r.offered).toBe(9);
    expect(r.excluded).toBe(6);
    expect(r.zeroWeight).toBe(2);
    expect(r.kept.map((k) => k.item)).toEqual(["ok"]);
  });

  test("an infinite weight is kept with prob 1 and tau stays finite", () => {
    const rng = Xoshiro128.fromSeed(8);
    for (let r = 0; r < 200; r++) {
      const s = new PrioritySampler<number>(2);
      s.offer(rng.nextDouble(), Infinity, -1);
      for (let i = 0; i < 20; i++) s.offer(rng.nextDouble(), 1 + i, i);
      const result = s.finish();
      expect(result.kept).toHaveLength(2);
      expect(result.kept[0]).toMatchObject({ item: -1, prob: 1, w: Infinity });
      expect(Number.isFinite(result.tau!) && result.tau! > 0).toBe(true);
    }
  });

  test("more infinite weights than k are all kept; finite ones then get no place", () => {
    const s = new PrioritySampler<string>(2);
    s.offer(0.5, 100, "x"); // priority 200
    s.offer(0.1, 1, "y"); // 10
    s.offer(0.3, Infinity, "i1");
    s.offer(0.2, Infinity, "i2");
    s.offer(0.9, Infinity, "i3");
    const r = s.finish();
    expect(r.kept.map((k) => [k.item, k.prob])).toEqual([
      ["i2", 1],
      ["i1", 1],
      ["i3", 1],
    ]);
    expect(r.tau).toBe(200);
  });

  test("rejects a bad k or u", () => {
    for (const k of [0, 2.5, Number.NaN]) expect(() => new PrioritySampler(k)).toThrow(RangeError);
    const s = new PrioritySampler<number>(1);
    for (const u of [0, 1, Number.NaN]) expect(() => s.offer(u, 1, 0)).toThrow(RangeError);
    expect(() => s.offer(0, Number.NaN, 0)).toThrow(RangeError);
  });
});
