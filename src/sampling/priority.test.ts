import { describe, expect, test } from "bun:test";
import { AllWeightsZeroError, PrioritySampler, TooManyInfiniteWeightsError } from "./priority";
import { Xoshiro128 } from "./rng";
import { CHI2_P001, mahalanobisX2, withinZ, Z_P001_OF_100 } from "./testing/goodness-of-fit";
import { priorityInclusion, priorityInclusionExact, priorityPairInclusion } from "./testing/priority-inclusion";

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

  test("k infinite weights take every place: finite ones get none, tau is the largest finite", () => {
    const s = new PrioritySampler<string>(2);
    s.offer(0.5, 100, "x"); // priority 200
    s.offer(0.1, 1, "y"); // 10
    s.offer(0.3, Infinity, "i1");
    s.offer(0.2, Infinity, "i2");
    const r = s.finish();
    expect(r.kept.map((k) => [k.item, k.prob])).toEqual([
      ["i2", 1],
      ["i1", 1],
    ]);
    expect(r.tau).toBe(200);
    expect(r.infiniteWeight).toBe(2);
  });

  test("rejects a bad k or u", () => {
    for (const k of [0, 2.5, Number.NaN]) expect(() => new PrioritySampler(k)).toThrow(RangeError);
    const s = new PrioritySampler<number>(1);
    for (const u of [0, 1, Number.NaN]) expect(() => s.offer(u, 1, 0)).toThrow(RangeError);
    expect(() => s.offer(0, Number.NaN, 0)).toThrow(RangeError);
    expect(s.finish().offered).toBe(0);
  });
});

/*
 * Issue 5, tests 5 and 7: priority sampling of weights 1..100 with K = 10 over 20,000 runs,
 * against the exact inclusion probabilities.
 */
const W100 = Array.from({ length: 100 }, (_, i) => i + 1);
const K10 = 10;
const RUNS_5 = 20_000;
const SEED_5 = 5_005;
/** The cut-off: chi2.ppf(0.999, 99) = 148.2304, as the issue rounds it (slightly stricter). */
const X2_CUT_5 = 148.23;
const PI100 = once(() => priorityInclusionExact(W100, K10));

/** Inclusion counts of RUNS_5 priority samples of K10 from `weights`, uniforms from SEED_5. */
function priorityCounts(weights: readonly number[]): Float64Array {
  const rng = Xoshiro128.fromSeed(SEED_5);
  const counts = new Float64Array(weights.length);
  for (let r = 0; r < RUNS_5; r++) {
    const s = new PrioritySampler<number>(K10);
    for (let i = 0; i < weights.length; i++) s.offer(rng.nextDouble(), weights[i]!, i);
    for (const kept of s.finish().kept) counts[kept.item]!++;
  }
  return counts;
}

/**
 * The negative control: successive sampling (Efraimidis and Spirakis' A-Res, keys ln(u) / w,
 * the K largest kept), a different weighted design whose inclusion probabilities differ from
 * priority sampling's by a few percent at each end of the weights.
 */
function successiveCounts(weights: readonly number[]): Float64Array {
  const rng = Xoshiro128.fromSeed(SEED_5);
  const counts = new Float64Array(weights.length);
  const idx = weights.map((_, i) => i);
  const keys = new Float64Array(weights.length);
  for (let r = 0; r < RUNS_5; r++) {
    for (let i = 0; i < weights.length; i++) keys[i] = Math.log(rng.nextDouble()) / weights[i]!;
    idx.sort((a, b) => keys[b]! - keys[a]!);
    for (let j = 0; j < K10; j++) counts[idx[j]!]!++;
  }
  return counts;
}

/**
 * test5: (N-1)/N sum_i (C_i - R pi_i)^2 / (R pi_i (1 - pi_i)) and the largest |z_i|, as the
 * issue defines them. The (N-1)/N factor makes the statistic chi-square with N - 1 df for equal
 * pi (fixed sample size); for these nearly proportional pi it is close to that, its mean being
 * exactly N - 1 = 99.
 */
function test5(counts: Float64Array): { x2: number; maxZ: number } {
  const pi = PI100();
  const n = W100.length;
  let sum = 0;
  let maxZ = 0;
  for (let i = 0; i < n; i++) {
    const p = pi[i]!;
    const z2 = (counts[i]! - RUNS_5 * p) ** 2 / (RUNS_5 * p * (1 - p));
    sum += z2;
    maxZ = Math.max(maxZ, Math.sqrt(z2));
  }
  return { x2: ((n - 1) / n) * sum, maxZ };
}

describe("issue 5 test 5: priority sampling of weights 1..100, K = 10, 20,000 runs", () => {
  const counts = once(() => priorityCounts(W100));

  test("the exact inclusion probabilities: sum 10, pi_1 = 0.0019546, pi_100 = 0.19934", () => {
    const pi = PI100();
    expect(Math.abs(pi.reduce((a, b) => a + b, 0) - 10)).toBeLessThan(1e-9);
    expect(Math.abs(pi[0]! - 0.0019546)).toBeLessThan(5e-8);
    expect(Math.abs(pi[99]! - 0.19934)).toBeLessThan(5e-6);
    // The Gauss-Legendre reference agrees with the slower midpoint-rule one.
    const coarse = priorityInclusion(W100.slice(0, 30), 4, 4000);
    const exact = priorityInclusionExact(W100.slice(0, 30), 4);
    for (let i = 0; i < 30; i++) expect(Math.abs(coarse[i]! - exact[i]!)).toBeLessThan(1e-7);
  });

  test("(N-1)/N sum (C - R pi)^2 / (R pi (1 - pi)) < 148.23 and every |z| < 4.42", () => {
    const { x2, maxZ } = test5(counts());
    expect(x2).toBeLessThan(X2_CUT_5);
    expect(maxZ).toBeLessThan(Z_P001_OF_100);
    // Every run keeps exactly K.
    expect(counts().reduce((a, b) => a + b, 0)).toBe(K10 * RUNS_5);
  });

  test("negative control: successive sampling (A-Res, keys ln(u)/w) fails, X2 near 250", () => {
    const { x2 } = test5(successiveCounts(W100));
    expect(x2).toBeGreaterThan(X2_CUT_5);
    expect(x2).toBeGreaterThan(200);
  });
});

describe("issue 5 test 7: scale invariance", () => {
  const reference = once(() => priorityCounts(W100));

  // The factors, then two that would overflow w/u (w up to 1e308) or reach the
  // subnormal range without the sampler's log-space priorities.
  for (const factor of [1e-9, 1e200, 1e306, 1e-300]) {
    test(`weights times ${factor} pass test 5 unchanged: the same samples, run for run`, () => {
      const counts = priorityCounts(W100.map((w) => w * factor));
      const { x2, maxZ } = test5(counts);
      expect(x2).toBeLessThan(X2_CUT_5);
      expect(maxZ).toBeLessThan(Z_P001_OF_100);
      expect(Array.from(counts)).toEqual(Array.from(reference()));
    });
  }

  test("tau scales with the weights and prob does not", () => {
    for (const factor of [1e-9, 1e200, 1e306, 1e-300]) {
      const draw = (f: number) => {
        const rng = Xoshiro128.fromSeed(77);
        const s = new PrioritySampler<number>(K10);
        for (const w of W100) s.offer(rng.nextDouble(), w * f, w);
        return s.finish();
      };
      const base = draw(1);
      const scaled = draw(factor);
      expect(scaled.kept.map((k) => k.item)).toEqual(base.kept.map((k) => k.item));
      scaled.kept.forEach((k, i) => expect(k.prob).toBeCloseTo(base.kept[i]!.prob, 12));
      if (Number.isFinite(scaled.tau)) expect(scaled.tau / factor / base.tau).toBeCloseTo(1, 12);
      expect(scaled.logTau - Math.log(factor)).toBeCloseTo(base.logTau, 9);
    }
  });

  test("weights near the largest double: tau overflows to Infinity, logTau and prob stay right", () => {
    const s = new PrioritySampler<string>(1);
    s.offer(0.25, 1e308, "a"); // priority 4e308: overflows
    s.offer(0.5, 1.5e308, "b"); // 3e308
    const r = s.finish();
    expect(r.kept.map((k) => k.item)).toEqual(["a"]);
    expect(r.tau).toBe(Infinity);
    expect(r.logTau).toBeCloseTo(Math.log(1.5e308) - Math.log(0.5), 12);
    expect(r.kept[0]!.prob).toBeCloseTo(1 / 3, 12); // 1e308 / 3e308
  });
});

describe("issue 5 test 9: the weight policy", () => {
  test("null, NaN, negative and -Infinity weights are left out and counted", () => {
    const s = new PrioritySampler<string>(10);
    const invalid = [null, Number.NaN, -1, -Number.MIN_VALUE, -Infinity] as unknown as number[];
    invalid.forEach((w, i) => s.offer(0.5, w, `bad${i}`));
    s.offer(0.5, 3, "ok");
    const r = s.finish();
    expect(r.excluded).toBe(5);
    expect(r.offered).toBe(6);
    expect(r.kept.map((k) => k.item)).toEqual(["ok"]);
  });

  test("the exact sum of the target values of left-out rows is reported", () => {
    const s = new PrioritySampler<number>(2);
    // Summed naively these would give 0: the 1 is lost next to 1e16.
    s.offer(0.5, Number.NaN, 0, 1e16);
    s.offer(0.5, -2, 1, 1);
    s.offer(0.5, null as unknown as number, 2, -1e16);
    s.offer(0.5, -Infinity, 3); // no target: counted, adds nothing
    s.offer(0.5, 0, 4, 0.1);
    s.offer(0.5, 0, 5, 0.2);
    // Kept rows and rows the sample passes over are not left out for their weight.
    for (let i = 0; i < 50; i++) s.offer((i + 0.5) / 50, 1 + i, 100 + i, 1000);
    const r = s.finish();
    expect(r.excluded).toBe(4);
    expect(r.excludedTargetSum).toBe(1);
    expect(r.zeroWeight).toBe(2);
    expect(r.zeroWeightTargetSum).toBe(0.30000000000000004);
    expect(new PrioritySampler<number>(1).finish().excludedTargetSum).toBe(0);
  });

  test("+Infinity weights are kept with prob 1; more than K of them is a TooManyInfiniteWeightsError", () => {
    const s = new PrioritySampler<number>(3);
    for (let i = 0; i < 20; i++) s.offer((i + 0.5) / 20, 1 + i, i);
    for (let i = 0; i < 3; i++) s.offer(0.5, Infinity, 100 + i);
    let error: unknown;
    try {
      s.offer(0.5, Infinity, 103);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TooManyInfiniteWeightsError);
    expect(error).toBeInstanceOf(RangeError);
    // The refused row left no trace: the sample is the three infinite rows.
    const r = s.finish();
    expect(r.offered).toBe(23);
    expect(r.kept.map((k) => [k.item, k.prob])).toEqual([
      [100, 1],
      [101, 1],
      [102, 1],
    ]);
  });

  test("all weights zero is an AllWeightsZeroError at finish(); no rows at all is an empty sample", () => {
    const s = new PrioritySampler<number>(5);
    for (let i = 0; i < 10; i++) s.offer(0.5, 0, i);
    s.offer(0.5, Number.NaN, 10);
    expect(() => s.finish()).toThrow(AllWeightsZeroError);
    expect(() => s.finish()).toThrow(RangeError);
    s.offer(0.5, 1e-300, 11);
    expect(s.finish().kept.map((k) => k.item)).toEqual([11]);
    expect(new PrioritySampler<number>(5).finish().kept).toEqual([]);
    const onlyInvalid = new PrioritySampler<number>(5);
    onlyInvalid.offer(0.5, -1, 0);
    expect(onlyInvalid.finish()).toMatchObject({ kept: [], excluded: 1, tau: 0 });
  });
});

describe("PrioritySampler against a sort", () => {
  test("keeps exactly the k largest w/u and reports the (k+1)-th as tau, for k up to 3000", () => {
    const rng = Xoshiro128.fromSeed(909);
    for (const [k, n] of [
      [1, 50],
      [7, 1000],
      [3000, 100_000],
    ] as const) {
      const us = Array.from({ length: n }, () => rng.nextDouble());
      const ws = Array.from({ length: n }, () => rng.nextDouble() ** -2);
      const s = new PrioritySampler<number>(k);
      for (let i = 0; i < n; i++) s.offer(us[i]!, ws[i]!, i);
      const r = s.finish();
      const byPriority = us.map((_, i) => i).sort((a, b) => ws[b]! / us[b]! - ws[a]! / us[a]!);
      const expected = byPriority.slice(0, k).sort((a, b) => ws[b]! - ws[a]! || us[a]! - us[b]!);
      expect(r.kept.map((x) => x.item)).toEqual(expected);
      const t = byPriority[k]!;
      expect(r.tau).toBe(ws[t]! / us[t]!);
      for (const x of r.kept) expect(x.prob).toBe(Math.min(1, x.w! / r.tau));
    }
  });
});

describe("PrioritySampler.finish(k) with k below the sampler's", () => {
  /** A sampler of `k` over the rows, and one of `big` finished at k: the same result, whole. */
  function both(k: number, big: number, rows: Array<[number, number]>) {
    const small = new PrioritySampler<number>(k);
    const large = new PrioritySampler<number>(big);
    rows.forEach(([u, w], i) => {
      small.offer(u, w, i);
      large.offer(u, w, i);
    });
    return { want: small.finish(), got: large.finish(k), large };
  }

  test("is the sample a sampler of k draws from the same rows: items, probs, tau, counts", () => {
    const rng = Xoshiro128.fromSeed(4242);
    for (const [k, big, n] of [
      [1, 2, 10],
      [10, 13, 1000],
      [100, 125, 20_000],
      [50, 50, 300],
      [40, 200, 30],
    ] as const) {
      const rows: Array<[number, number]> = Array.from({ length: n }, () => [rng.nextDouble(), rng.nextDouble() ** -1.5]);
      const { want, got } = both(k, big, rows);
      expect(got).toEqual(want);
    }
  });

  test("holds with infinite, zero and invalid weights and across the switch to log keys", () => {
    const rng = Xoshiro128.fromSeed(77);
    const rows: Array<[number, number]> = [];
    for (let i = 0; i < 2000; i++) rows.push([rng.nextDouble(), rng.nextDouble() * (i === 1000 ? 1e306 : 1e300)]);
    rows.push([0.5, Infinity], [0.25, 0], [0.75, Number.NaN], [0.3, Infinity]);
    const { want, got } = both(20, 31, rows);
    expect(got).toEqual(want);
    expect(got.infiniteWeight).toBe(2);
    expect(got.kept).toHaveLength(20);
  });

  test("leaves the sampler whole: finish() afterwards is its own k's sample", () => {
    const rng = Xoshiro128.fromSeed(5);
    const rows: Array<[number, number]> = Array.from({ length: 500 }, () => [rng.nextDouble(), 1 + rng.nextDouble()]);
    const { large } = both(7, 30, rows);
    const again = new PrioritySampler<number>(30);
    rows.forEach(([u, w], i) => again.offer(u, w, i));
    expect(large.finish()).toEqual(again.finish());
  });

  test("refuses k outside 1..the sampler's k, and more infinite weights than k", () => {
    const s = new PrioritySampler<number>(5);
    for (let i = 0; i < 3; i++) s.offer(0.5, Infinity, i);
    expect(() => s.finish(6)).toThrow(RangeError);
    expect(() => s.finish(0)).toThrow(RangeError);
    expect(() => s.finish(2.5)).toThrow(RangeError);
    expect(() => s.finish(2)).toThrow(TooManyInfiniteWeightsError);
    expect(s.finish(3).kept.map((x) => x.item)).toEqual([0, 1, 2]);
  });
});
