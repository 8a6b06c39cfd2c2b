import { describe, expect, test } from "bun:test";
import { BernoulliSampler } from "./bernoulli";
import { hypergeometricBounds } from "./count-bounds";
import { type Design, type Estimate, estimateAvg, estimateCount, estimateSum, estimateSumOf, Z_95 } from "./estimate";
import { lnGamma } from "./gamma";
import { PrioritySampler } from "./priority";
import { Xoshiro128 } from "./rng";
import { withinZ, Z_P001 } from "./testing/goodness-of-fit";
import { UniformSampler } from "./uniform";

const RUNS = 2000;

/**
 * Coverage cut-offs: 95% +/- 1.5 points. For 2,000 independent runs the covered fraction has
 * binomial sigma sqrt(0.95 * 0.05 / 2000) = 0.00487, so this is +/- 3.08 sigma (two-sided
 * p = 0.002): a correct 95% interval fails it for 1 seed in 500, an interval 10% too narrow
 * (coverage ~92.1%) nearly always.
 */
const COVERAGE_LOW = 0.935;
const COVERAGE_HIGH = 0.965;

interface Interval {
  low: number;
  high: number;
}

function coverage(intervals: readonly Interval[], truth: number): number {
  return intervals.filter((i) => i.low <= truth && truth <= i.high).length / intervals.length;
}

/** coverageOk: the check every 95% interval must pass: coverage within [93.5%, 96.5%]. */
function coverageOk(intervals: readonly Interval[], truth: number): boolean {
  const c = coverage(intervals, truth);
  return c >= COVERAGE_LOW && c <= COVERAGE_HIGH;
}

/** unbiased: whether the mean of `xs` lies within z standard errors of the mean of `truth`. */
function unbiased(xs: readonly number[], truth: number, z = Z_P001): boolean {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  return withinZ(mean, truth, Math.sqrt(variance / n), z);
}

function uniforms(n: number, seed: number): Float64Array {
  const rng = Xoshiro128.fromSeed(seed);
  return Float64Array.from({ length: n }, () => rng.nextDouble());
}

function sumOf(xs: ArrayLike<number>, keep?: ArrayLike<boolean>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) if (!keep || keep[i]) s += xs[i]!;
  return s;
}

/** once: f's value, computed on first use so the runs are timed inside the test that uses them. */
function once<T>(f: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: f() }).v;
}

/** One seeded sample: the kept items' indexes and probabilities, and the design behind them. */
interface Sample {
  kept: Array<{ item: number; prob: number }>;
  design: Design;
}

function sampleRuns(draw: (rng: Xoshiro128) => Sample, firstSeed: number): Sample[] {
  return Array.from({ length: RUNS }, (_, r) => draw(Xoshiro128.fromSeed(firstSeed + r)));
}

/** rowsOf: the contributing rows of a sample for values y, restricted to a filter if given. */
function rowsOf(s: Sample, y: ArrayLike<number>, filter?: ArrayLike<boolean>) {
  return s.kept.filter((k) => !filter || filter[k.item]).map((k) => ({ value: y[k.item]!, prob: k.prob }));
}

/**
 * The population for Bernoulli and uniform samples: 2,000 uniform(0,1) values and a filter that
 * keeps about half of them, independently of the values.
 */
const N = 2000;
const Y = uniforms(N, 1);
const FILTER = Array.from(uniforms(N, 2), (u) => u < 0.5);
const F_COUNT = FILTER.filter(Boolean).length;
const TRUTH = { sum: sumOf(Y), fSum: sumOf(Y, FILTER), fAvg: sumOf(Y, FILTER) / F_COUNT };

const P = 0.05;
const bernoulliRuns = once(() =>
  sampleRuns((rng) => {
    const s = new BernoulliSampler<number>(P);
    for (let i = 0; i < N; i++) s.offer(rng.nextDouble(), i);
    return { kept: s.finish().kept, design: { kind: "bernoulli", p: P } };
  }, 10_000),
);

const K = 100;
const uniformRuns = once(() =>
  sampleRuns((rng) => {
    const s = new UniformSampler<number>(K);
    for (let i = 0; i < N; i++) s.offer(rng.nextDouble(), i);
    return { kept: s.finish().kept, design: { kind: "uniform", k: K, n: N } };
  }, 20_000),
);

/**
 * The population for priority sampling (issue 5, test 6): 10,000 Pareto(1.5) weights
 * w = u^(-1/1.5) (infinite variance; the largest here is about 460 against a mean of 3), a filter
 * keeping about 30%, and a second value y = w (0.5 + v) correlated with w but not equal to it.
 */
const PN = 10_000;
const PK = 500;
const W = Array.from(uniforms(PN, 3), (u) => u ** (-1 / 1.5));
const P_FILTER = Array.from(uniforms(PN, 4), (u) => u < 0.3);
const P_Y = Array.from(uniforms(PN, 5), (v, i) => W[i]! * (0.5 + v));
const P_COUNT = P_FILTER.filter(Boolean).length;
const priorityRuns = once(() =>
  sampleRuns((rng) => {
    const s = new PrioritySampler<number>(PK);
    for (let i = 0; i < PN; i++) s.offer(rng.nextDouble(), W[i]!, i);
    const r = s.finish();
    return { kept: r.kept, design: { kind: "priority", tau: r.tau! } };
  }, 30_000),
);

function halfSe(e: Estimate): Interval {
  return { low: e.estimate - (Z_95 * e.se) / 2, high: e.estimate + (Z_95 * e.se) / 2 };
}

describe("estimates under Bernoulli sampling (p = 0.05 of 2,000 uniform values, 2,000 runs)", () => {
  const sums = once(() => bernoulliRuns().map((s) => estimateSum(rowsOf(s, Y), s.design)));

  test("issue 5 test 4: sum over uniform values: unbiased, 95% intervals cover in [93.5%, 96.5%]", () => {
    expect(unbiased(sums().map((e) => e.estimate), TRUTH.sum)).toBe(true);
    expect(coverageOk(sums(), TRUTH.sum)).toBe(true);
  });

  test("variance estimator sum y^2 (1-p)/p^2: mean se^2 within Z_P001 SE of the exact one", () => {
    const exact = sumOf(Y.map((y) => (y * y * (1 - P)) / P));
    expect(unbiased(sums().map((e) => e.se ** 2), exact)).toBe(true);
  });

  test("negative control: intervals of half the width fail the coverage check", () => {
    expect(coverage(sums().map(halfSe), TRUTH.sum)).toBeLessThan(0.75);
    expect(coverageOk(sums().map(halfSe), TRUTH.sum)).toBe(false);
  });

  test("count, filtered sum, filtered count and avg: unbiased, intervals cover", () => {
    const runs = bernoulliRuns();
    const cases: Array<[Estimate[], number]> = [
      [runs.map((s) => estimateCount(s.kept, s.design)), N],
      [runs.map((s) => estimateSum(rowsOf(s, Y, FILTER), s.design)), TRUTH.fSum],
      [runs.map((s) => estimateCount(rowsOf(s, Y, FILTER), s.design)), F_COUNT],
      [runs.map((s) => estimateAvg(rowsOf(s, Y, FILTER), s.design)), TRUTH.fAvg],
    ];
    for (const [estimates, truth] of cases) {
      expect(unbiased(estimates.map((e) => e.estimate), truth)).toBe(true);
      expect(coverageOk(estimates, truth)).toBe(true);
    }
  });
});

describe("estimates under uniform sampling (K = 100 of 2,000 uniform values, 2,000 runs)", () => {
  test("sum, filtered sum, filtered count and avg: unbiased, intervals cover", () => {
    const runs = uniformRuns();
    const cases: Array<[Estimate[], number]> = [
      [runs.map((s) => estimateSum(rowsOf(s, Y), s.design)), TRUTH.sum],
      [runs.map((s) => estimateSum(rowsOf(s, Y, FILTER), s.design)), TRUTH.fSum],
      [runs.map((s) => estimateCount(rowsOf(s, Y, FILTER), s.design)), F_COUNT],
      [runs.map((s) => estimateAvg(rowsOf(s, Y, FILTER), s.design)), TRUTH.fAvg],
    ];
    for (const [estimates, truth] of cases) {
      expect(unbiased(estimates.map((e) => e.estimate), truth)).toBe(true);
      expect(coverageOk(estimates, truth)).toBe(true);
    }
  });

  test("variance estimator N^2 (1 - K/N) s^2 / K: mean se^2 within Z_P001 SE of the exact one", () => {
    const mean = TRUTH.sum / N;
    const S2 = sumOf(Y.map((y) => (y - mean) ** 2)) / (N - 1);
    const exact = (N * N * (1 - K / N) * S2) / K;
    const se2 = uniformRuns().map((s) => estimateSum(rowsOf(s, Y), s.design).se ** 2);
    expect(unbiased(se2, exact)).toBe(true);
  });

  test("negative control: leaving out the finite-population correction fails at K = N/2", () => {
    // 200 of the first 400 values: 1 - K/N = 0.5, so intervals without it are sqrt(2) too wide.
    const n = 400;
    const k = 200;
    const truth = sumOf(Y.subarray(0, n));
    const withFpc: Interval[] = [];
    const withoutFpc: Interval[] = [];
    for (const s of sampleRuns((rng) => {
      const sampler = new UniformSampler<number>(k);
      for (let i = 0; i < n; i++) sampler.offer(rng.nextDouble(), i);
      return { kept: sampler.finish().kept, design: { kind: "uniform", k, n } };
    }, 40_000)) {
      const e = estimateSum(rowsOf(s, Y), s.design);
      withFpc.push(e);
      const se = e.se / Math.sqrt(1 - k / n);
      withoutFpc.push({ low: e.estimate - Z_95 * se, high: e.estimate + Z_95 * se });
    }
    expect(coverageOk(withFpc, truth)).toBe(true);
    expect(coverage(withoutFpc, truth)).toBeGreaterThan(COVERAGE_HIGH);
    expect(coverageOk(withoutFpc, truth)).toBe(false);
  });
});

describe("estimates under priority sampling (K = 500 of 10,000 Pareto(1.5) weights, 2,000 runs)", () => {
  /*
   * Why the normal interval works despite the infinite-variance weights: items with w >= tau
   * have prob 1 and add neither error nor variance; every other kept item adds y / p = tau y / w,
   * at most 1.5 tau here. The error is a sum of many bounded terms, so coverage sits near 95%.
   */
  test("issue 5 test 6: filtered sum of w: mean within 3 SE of the truth, coverage in [93.5%, 96.5%]", () => {
    const truth = sumOf(W, P_FILTER);
    const estimates = priorityRuns().map((s) => estimateSum(rowsOf(s, W, P_FILTER), s.design));
    expect(unbiased(estimates.map((e) => e.estimate), truth, 3)).toBe(true);
    expect(coverageOk(estimates, truth)).toBe(true);
  });

  test("sum of w, filtered sum of y = w (0.5 + v), filtered count: unbiased, intervals cover", () => {
    const runs = priorityRuns();
    const cases: Array<[Estimate[], number]> = [
      [runs.map((s) => estimateSum(rowsOf(s, W), s.design)), sumOf(W)],
      [runs.map((s) => estimateSum(rowsOf(s, P_Y, P_FILTER), s.design)), sumOf(P_Y, P_FILTER)],
      [runs.map((s) => estimateCount(rowsOf(s, W, P_FILTER), s.design)), P_COUNT],
    ];
    for (const [estimates, truth] of cases) {
      expect(unbiased(estimates.map((e) => e.estimate), truth)).toBe(true);
      expect(coverageOk(estimates, truth)).toBe(true);
    }
  });

  test("avg of y over the filter: bias O(1/rows) is below what 2,000 runs resolve; intervals cover", () => {
    const truth = sumOf(P_Y, P_FILTER) / P_COUNT;
    const estimates = priorityRuns().map((s) => estimateAvg(rowsOf(s, P_Y, P_FILTER), s.design));
    expect(unbiased(estimates.map((e) => e.estimate), truth)).toBe(true);
    expect(coverageOk(estimates, truth)).toBe(true);
  });
});

/** Binomial(n, p) pmf at c. */
function binomialPmf(c: number, n: number, p: number): number {
  const lnChoose = lnGamma(n + 1) - lnGamma(c + 1) - lnGamma(n - c + 1);
  return Math.exp(lnChoose + c * Math.log(p) + (n - c) * Math.log1p(-p));
}

/** C(n, k) by products, 0 outside 0 <= k <= n; exact enough for n <= ~100. */
function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

function fakeRows(c: number, prob: number): Array<{ prob: number }> {
  return Array.from({ length: c }, () => ({ prob }));
}

describe("small counts (exact coverage, computed, not simulated)", () => {
  /** P(interval from `bounds` covers D) when c ~ Binomial(D, p). */
  function bernoulliCoverage(D: number, p: number, bounds: (c: number) => Interval): number {
    let covered = 0;
    for (let c = 0; c <= D; c++) {
      const b = bounds(c);
      if (b.low <= D && D <= b.high) covered += binomialPmf(c, D, p);
    }
    return covered;
  }

  test("Bernoulli p = 0.05: Garwood count intervals cover every D <= 160 with probability >= 95%", () => {
    const design: Design = { kind: "bernoulli", p: 0.05 };
    const memo = Array.from({ length: 161 }, (_, c) => estimateCount(fakeRows(c, 0.05), design));
    for (let D = 1; D <= 160; D++) {
      expect(bernoulliCoverage(D, 0.05, (c) => memo[c]!)).toBeGreaterThanOrEqual(0.95);
    }
  });

  test("negative control: normal count intervals cover D = 100 with probability < 0.9", () => {
    const design: Design = { kind: "bernoulli", p: 0.05 };
    const wald = (c: number): Interval => {
      const e = estimateCount(fakeRows(c, 0.05), design);
      return { low: e.estimate - Z_95 * e.se, high: e.estimate + Z_95 * e.se };
    };
    expect(bernoulliCoverage(100, 0.05, wald)).toBeLessThan(0.9);
  });

  test("uniform K = 12 of N = 60: count intervals cover every D w.p. >= 95%; normal ones do not", () => {
    const n = 60;
    const k = 12;
    const design: Design = { kind: "uniform", k, n };
    const estimates = Array.from({ length: k + 1 }, (_, c) => estimateCount(fakeRows(c, k / n), design));
    let worstNormal = 1;
    for (let D = 0; D <= n; D++) {
      let covered = 0;
      let normal = 0;
      for (let c = 0; c <= k; c++) {
        const pmf = (choose(D, c) * choose(n - D, k - c)) / choose(n, k);
        const e = estimates[c]!;
        if (e.low <= D && D <= e.high) covered += pmf;
        if (Math.abs(e.estimate - D) <= Z_95 * e.se) normal += pmf;
      }
      expect(covered).toBeGreaterThanOrEqual(0.95);
      worstNormal = Math.min(worstNormal, normal);
    }
    expect(worstNormal).toBeLessThan(0.9);
  });
});

describe("exact answers", () => {
  test("Bernoulli p = 1: the whole population, se 0, interval the point", () => {
    const s = new BernoulliSampler<number>(1);
    const rng = Xoshiro128.fromSeed(5);
    for (let i = 0; i < N; i++) s.offer(rng.nextDouble(), i);
    const sample: Sample = { kept: s.finish().kept, design: { kind: "bernoulli", p: 1 } };
    const sum = estimateSum(rowsOf(sample, Y), sample.design);
    expect(sum.estimate).toBeCloseTo(TRUTH.sum, 9);
    expect(sum).toMatchObject({ se: 0, low: sum.estimate, high: sum.estimate, exact: true, rows: N });
    expect(sum.lowConfidence).toBe(false);
    expect(estimateCount(sample.kept, sample.design)).toMatchObject({ estimate: N, exact: true, se: 0 });
    const avg = estimateAvg(rowsOf(sample, Y, FILTER), sample.design);
    expect(avg.estimate).toBeCloseTo(TRUTH.fAvg, 12);
    expect(avg).toMatchObject({ exact: true, se: 0, rows: F_COUNT });
  });

  test("uniform K >= n: exact, filtered answers included", () => {
    const s = new UniformSampler<number>(5000);
    const rng = Xoshiro128.fromSeed(6);
    for (let i = 0; i < N; i++) s.offer(rng.nextDouble(), i);
    const sample: Sample = { kept: s.finish().kept, design: { kind: "uniform", k: 5000, n: N } };
    const fSum = estimateSum(rowsOf(sample, Y, FILTER), sample.design);
    expect(fSum.estimate).toBeCloseTo(TRUTH.fSum, 9);
    expect(fSum).toMatchObject({ exact: true, se: 0, low: fSum.estimate, high: fSum.estimate });
    expect(estimateCount(rowsOf(sample, Y, FILTER), sample.design)).toMatchObject({
      estimate: F_COUNT,
      exact: true,
      low: F_COUNT,
      high: F_COUNT,
    });
  });

  test("priority with tau = 0 (no more than K positive weights) is exact; zero weights drop out", () => {
    const s = new PrioritySampler<number>(20);
    for (let i = 0; i < 15; i++) s.offer(0.5, i, i);
    const r = s.finish();
    expect(r.tau).toBe(0);
    const e = estimateSum(
      r.kept.map((k) => ({ value: k.w!, prob: k.prob })),
      { kind: "priority", tau: 0 },
    );
    expect(e).toEqual({
      estimate: 105,
      se: 0,
      low: 105,
      high: 105,
      exact: true,
      lowConfidence: false,
      rows: 14,
    });
  });

  test("not exact when some entries were left out, even if every kept prob is 1", () => {
    const e = estimateSum([{ value: 5, prob: 1 }], { kind: "priority", tau: 2 });
    expect(e.exact).toBe(false);
    expect(e.lowConfidence).toBe(true);
    expect(estimateSum([{ value: 1, prob: 0.5 }], { kind: "uniform", k: 1, n: 2 })).toMatchObject({
      exact: false,
      se: Infinity,
    });
  });
});

describe("empty samples", () => {
  test("Bernoulli: count in the two-sided Garwood [0, 3.6889 / p]; sum unbounded; avg NaN", () => {
    const design: Design = { kind: "bernoulli", p: 0.05 };
    const count = estimateCount([], design);
    expect(count).toMatchObject({ estimate: 0, se: 0, low: 0, exact: false, lowConfidence: true, rows: 0 });
    expect(count.high).toBeCloseTo(-Math.log(0.025) / 0.05, 9); // 73.78
    expect(estimateSum([], design)).toEqual({
      estimate: 0,
      se: 0,
      low: -Infinity,
      high: Infinity,
      exact: false,
      lowConfidence: true,
      rows: 0,
    });
    const avg = estimateAvg([], design);
    expect(Number.isNaN(avg.estimate) && Number.isNaN(avg.low) && Number.isNaN(avg.high)).toBe(true);
    expect(avg).toMatchObject({ exact: false, lowConfidence: true, rows: 0 });
  });

  test("uniform: the exact hypergeometric bound; priority: no upper bound", () => {
    const u = estimateCount([], { kind: "uniform", k: 100, n: 2000 });
    expect(u).toMatchObject({ estimate: 0, low: 0, high: hypergeometricBounds(0, 100, 2000).high });
    expect(u.high).toBe(70);
    const p = estimateCount([], { kind: "priority", tau: 3 });
    expect(p).toMatchObject({ estimate: 0, low: 0, high: Infinity });
  });

  test("an empty population sampled whole is exact", () => {
    const exact = { estimate: 0, se: 0, low: 0, high: 0, exact: true, lowConfidence: false, rows: 0 };
    expect(estimateSum([], { kind: "uniform", k: 10, n: 0 })).toEqual(exact);
    expect(estimateCount([], { kind: "bernoulli", p: 1 })).toEqual(exact);
    expect(estimateCount([], { kind: "priority", tau: 0 })).toEqual(exact);
    const avg = estimateAvg([], { kind: "priority", tau: 0 });
    expect(avg).toMatchObject({ exact: true, lowConfidence: false });
  });
});

describe("interval limits and confidence flags", () => {
  test("counts never go below the rows seen; non-negative sums never below the observed sum", () => {
    const design: Design = { kind: "bernoulli", p: 0.05 };
    // Garwood's lower bound for 1 event is 0.0253, scaled 0.506, under the one row seen.
    expect(estimateCount(fakeRows(1, 0.05), design).low).toBe(1);
    const ones = Array.from({ length: 9 }, () => ({ value: 1, prob: 0.05 }));
    const heavy = [{ value: 1000, prob: 0.05 }, ...ones];
    const sum = estimateSum(heavy, design);
    expect(sum.estimate - Z_95 * sum.se).toBeLessThan(0);
    expect(sum.low).toBe(1009);
    const negative = estimateSum(
      heavy.map((r) => ({ ...r, value: -r.value })),
      design,
    );
    expect(negative.high).toBe(-1009);
  });

  test("lowConfidence flags exactly the runs that caught the heavy row of a heavy-tailed population", () => {
    // 999 rows of 1 and one of 100,000; Bernoulli p = 0.1 keeps ~100 rows.
    const values = Array.from({ length: 1000 }, (_, i) => (i === 999 ? 100_000 : 1));
    let caught = 0;
    for (let r = 0; r < 300; r++) {
      const rng = Xoshiro128.fromSeed(50_000 + r);
      const s = new BernoulliSampler<number>(0.1);
      for (let i = 0; i < values.length; i++) s.offer(rng.nextDouble(), i);
      const kept = s.finish().kept;
      const heavy = kept.some((k) => k.item === 999);
      if (heavy) caught++;
      const rows = kept.map((k) => ({ value: values[k.item]!, prob: k.prob }));
      expect(estimateSum(rows, { kind: "bernoulli", p: 0.1 }).lowConfidence).toBe(heavy);
      expect(estimateAvg(rows, { kind: "bernoulli", p: 0.1 }).lowConfidence).toBe(heavy);
    }
    expect(caught).toBeGreaterThan(10);
    expect(caught).toBeLessThan(290);
  });

  test("fewer than 5 rows are low-confidence; 5 even rows are not", () => {
    const design: Design = { kind: "bernoulli", p: 0.5 };
    const rows = (n: number) => Array.from({ length: n }, () => ({ value: 2, prob: 0.5 }));
    expect(estimateSum(rows(4), design).lowConfidence).toBe(true);
    expect(estimateSum(rows(5), design).lowConfidence).toBe(false);
    expect(estimateCount(rows(4), design).lowConfidence).toBe(true);
    expect(estimateAvg(rows(5), design).lowConfidence).toBe(false);
  });

  test("avg from one row has an unbounded interval (0 below for non-negative values)", () => {
    expect(estimateAvg([{ value: 3, prob: 0.1 }], { kind: "bernoulli", p: 0.1 })).toMatchObject({
      estimate: 3,
      se: Infinity,
      low: 0,
      high: Infinity,
      lowConfidence: true,
    });
  });
});

describe("argument checks", () => {
  test("bad probabilities, values and designs throw RangeError", () => {
    const bern: Design = { kind: "bernoulli", p: 0.5 };
    for (const prob of [0, 1.5, -0.1, Number.NaN]) {
      expect(() => estimateCount([{ prob }], bern)).toThrow(RangeError);
    }
    expect(() => estimateCount([{ prob: 0.25 }], bern)).toThrow(RangeError);
    for (const value of [Number.NaN, Infinity, -Infinity]) {
      expect(() => estimateSum([{ value, prob: 0.5 }], bern)).toThrow(RangeError);
      expect(() => estimateAvg([{ value, prob: 0.5 }], bern)).toThrow(RangeError);
    }
    const bad: Design[] = [
      { kind: "bernoulli", p: 0 },
      { kind: "bernoulli", p: 1.5 },
      { kind: "uniform", k: 0, n: 10 },
      { kind: "uniform", k: 2.5, n: 10 },
      { kind: "uniform", k: 2, n: -1 },
      { kind: "priority", tau: -1 },
      { kind: "priority", tau: Number.NaN },
      { kind: "priority", tau: Infinity },
      { kind: "reservoir" } as unknown as Design,
    ];
    for (const d of bad) expect(() => estimateCount([], d)).toThrow(RangeError);
    expect(() => estimateCount(fakeRows(3, 0.2), { kind: "uniform", k: 2, n: 10 })).toThrow(RangeError);
    expect(() => estimateCount(fakeRows(2, 0.5), { kind: "uniform", k: 2, n: 10 })).toThrow(RangeError);
    expect(() => estimateCount([{ prob: 0.5 }], { kind: "priority", tau: 0 })).toThrow(RangeError);
  });
});

describe("estimateSumOf (the rows as two arrays)", () => {
  test("gives what estimateSum gives over the same rows, under each design", () => {
    const rng = Xoshiro128.fromSeed(11);
    const values = Float64Array.from({ length: 300 }, () => (rng.nextDouble() - 0.2) * 1000);
    const varied = Float64Array.from({ length: 300 }, () => rng.nextDouble());
    const designs: Array<[Design, Float64Array]> = [
      [{ kind: "bernoulli", p: 0.1 }, new Float64Array(300).fill(0.1)],
      [{ kind: "uniform", k: 300, n: 5000 }, new Float64Array(300).fill(300 / 5000)],
      [{ kind: "priority", tau: 3.5 }, varied],
      [{ kind: "priority", tau: 0 }, new Float64Array(300).fill(1)],
    ];
    for (const [design, probs] of designs) {
      const items = Array.from(values, (value, i) => ({ value, prob: probs[i]! }));
      expect(estimateSumOf(values, probs, design)).toEqual(estimateSum(items, design));
      const positive = values.map(Math.abs);
      expect(estimateSumOf(positive, probs, design)).toEqual(estimateSum(Array.from(positive, (value, i) => ({ value, prob: probs[i]! })), design));
    }
  });

  test("checks its arguments as estimateSum does, and the arrays' lengths", () => {
    const bern: Design = { kind: "bernoulli", p: 0.5 };
    expect(() => estimateSumOf(new Float64Array([1, 2]), new Float64Array([0.5]), bern)).toThrow(RangeError);
    expect(() => estimateSumOf(new Float64Array([Infinity]), new Float64Array([0.5]), bern)).toThrow("item 0: value must be a finite number");
    expect(() => estimateSumOf(new Float64Array([1]), new Float64Array([0.25]), bern)).toThrow("disagrees with the design");
    expect(() => estimateSumOf(new Float64Array([1]), new Float64Array([0]), bern)).toThrow("item 0: prob must lie in (0,1]");
  });
});
