/**
 * estimate: Horvitz-Thompson estimates of sum, count and avg over the rows of a sample, with a
 * standard error and a 95% interval. The items passed are the sampled rows that contribute (the
 * ones a filter kept); rows the sample holds but the filter dropped count as zeros, so filtered
 * (domain) estimates come out right as long as the design describes the whole sample.
 */
import { garwoodBounds, hypergeometricBounds } from "./count-bounds";

/** Estimate: one aggregate estimated from a sample. */
export interface Estimate {
  /** Horvitz-Thompson estimate (a ratio of two of them for avg). */
  estimate: number;
  /** Estimated standard error; 0 when exact, Infinity when the sample cannot estimate it. */
  se: number;
  /** The 95% interval. */
  low: number;
  high: number;
  /** The sample was the whole population (n <= K, p = 1 or tau = 0): estimate is the answer. */
  exact: boolean;
  /** One row contributes more than half of the estimate, or fewer than 5 rows contributed. */
  lowConfidence: boolean;
  /** Sampled rows that contributed. */
  rows: number;
}

/** Design: how the sample was drawn; each item's prob must agree with it. */
export type Design =
  /** Poisson sampling with equal p: every entry kept independently with probability p. */
  | { kind: "bernoulli"; p: number }
  /** Simple random sampling without replacement of min(k, n) entries from n. */
  | { kind: "uniform"; k: number; n: number }
  /** Priority sampling with threshold tau (0 when every positive weight was kept). */
  | { kind: "priority"; tau: number };

/** Z_95: the two-sided 95% normal quantile, norm.isf(0.025). */
export const Z_95 = 1.959963984540054;

/** SMALL_COUNT: counts from fewer sampled rows than this get exact bounds, not normal ones. */
export const SMALL_COUNT = 30;

/** LOW_CONFIDENCE_ROWS: estimates from fewer contributing rows than this are low-confidence. */
export const LOW_CONFIDENCE_ROWS = 5;

const PROB_TOLERANCE = 1e-9;

interface Checked {
  probs: Float64Array;
  exact: boolean;
  /** Sample size for the uniform design, min(k, n). */
  m: number;
}

/**
 * check: validates the design and the items' probabilities against it. Throws RangeError for
 * an unknown design kind, parameters out of range, a prob outside (0,1] or not the one the
 * design implies, or more items than a uniform sample holds.
 */
function check(items: ReadonlyArray<{ prob: number }>, design: Design): Checked {
  const probs = new Float64Array(items.length);
  items.forEach((it, i) => {
    if (typeof it.prob !== "number") throw new RangeError(`item ${i}: prob must lie in (0,1], got ${it.prob}`);
    probs[i] = it.prob;
  });
  return checkProbs(probs, design);
}

/** checkProbs: check() over the probabilities as an array (kept as the result's probs). */
function checkProbs(probs: Float64Array, design: Design): Checked {
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!(p > 0 && p <= 1)) throw new RangeError(`item ${i}: prob must lie in (0,1], got ${p}`);
  }
  const expectProb = (expected: number) => {
    probs.forEach((p, i) => {
      if (Math.abs(p - expected) > PROB_TOLERANCE * expected) {
        throw new RangeError(`item ${i}: prob ${p} disagrees with the design's ${expected}`);
      }
    });
  };
  switch (design.kind) {
    case "bernoulli": {
      const p = design.p;
      if (!(p > 0 && p <= 1)) throw new RangeError(`bernoulli p must lie in (0,1], got ${p}`);
      expectProb(p);
      return { probs, exact: p === 1, m: 0 };
    }
    case "uniform": {
      const { k, n } = design;
      if (!Number.isInteger(k) || k < 1) {
        throw new RangeError(`uniform k must be an integer >= 1, got ${k}`);
      }
      if (!Number.isInteger(n) || n < 0) {
        throw new RangeError(`uniform n must be an integer >= 0, got ${n}`);
      }
      const m = Math.min(k, n);
      if (probs.length > m) throw new RangeError(`${probs.length} items, but a uniform sample holds ${m}`);
      if (probs.length > 0) expectProb(Math.min(1, k / n));
      return { probs, exact: k >= n, m };
    }
    case "priority": {
      const tau = design.tau;
      if (!(tau >= 0 && tau < Infinity)) {
        throw new RangeError(`priority tau must be finite and >= 0, got ${tau}`);
      }
      if (tau === 0) expectProb(1);
      return { probs, exact: tau === 0, m: 0 };
    }
    default:
      throw new RangeError(`unknown design ${JSON.stringify(design)}`);
  }
}

function checkValues(items: ReadonlyArray<{ value: number }>): Float64Array {
  const values = new Float64Array(items.length);
  items.forEach((it, i) => {
    if (typeof it.value !== "number") throw new RangeError(`item ${i}: value must be a finite number, got ${it.value}`);
    values[i] = it.value;
  });
  return checkedValues(values);
}

/** checkedValues: checkValues over the values as an array. */
function checkedValues(values: Float64Array): Float64Array {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new RangeError(`item ${i}: value must be a finite number, got ${values[i]}`);
  }
  return values;
}

/**
 * totalVariance: the design's unbiased variance estimate of the Horvitz-Thompson total of z,
 * where z holds the contributing rows' values and every other sampled row has z = 0.
 *
 * - bernoulli and priority: sum z_i^2 (1 - p_i) / p_i^2. For Poisson sampling this is the
 *   Horvitz-Thompson variance estimator with pi_ij = pi_i pi_j (Sarndal, Swensson and Wretman,
 *   Model Assisted Survey Sampling, 1992, section 3.5). For priority sampling it is the estimator
 *   of Duffield, Lund and Thorup ("Priority sampling for estimation of arbitrary subset sums",
 *   J. ACM 54(6), 2007, section on variance estimation): v_i = tau max(0, tau - w_i) for y = w,
 *   unbiased for Var(w_i^) with zero covariances between items, so the sum over any subset is
 *   unbiased for the variance of the subset-sum estimate. For y other than w the same argument
 *   (item i is Poisson-sampled with prob p_i given the threshold set by the others) gives
 *   y_i^2 (1 - p_i) / p_i^2.
 * - uniform (SRSWOR of m from N): N^2 (1 - m/N) s^2 / m with s^2 the sample variance of z over
 *   all m sampled rows (Cochran, Sampling Techniques, 3rd ed., 1977, theorem 2.4 and
 *   section 2.12 for domains). Infinity when m < 2, where s^2 is undefined.
 */
function totalVariance(z: Float64Array, c: Checked, design: Design): number {
  if (design.kind === "uniform") {
    const { n } = design;
    const m = c.m;
    if (m >= n) return 0;
    if (m < 2) return Infinity;
    let sum = 0;
    for (const v of z) sum += v;
    const mean = sum / m;
    let ss = (m - z.length) * mean * mean;
    for (const v of z) ss += (v - mean) ** 2;
    const s2 = ss / (m - 1);
    return ((n * n * (1 - m / n)) / m) * s2;
  }
  let v = 0;
  for (let i = 0; i < z.length; i++) {
    const zi = z[i]!;
    const p = c.probs[i]!;
    v += (zi * zi * (1 - p)) / (p * p);
  }
  return v;
}

function exactResult(estimate: number, rows: number): Estimate {
  return { estimate, se: 0, low: estimate, high: estimate, exact: true, lowConfidence: false, rows };
}

/** dominated: whether one term of a Horvitz-Thompson sum exceeds half of the sum's magnitude. */
function dominated(terms: Float64Array, total: number): boolean {
  const half = 0.5 * Math.abs(total);
  for (let i = 0; i < terms.length; i++) if (Math.abs(terms[i]!) > half) return true;
  return false;
}

/**
 * estimateSum: the Horvitz-Thompson estimate sum(value / prob) of the population sum, its
 * standard error from the design's variance estimator (see totalVariance) and the normal 95%
 * interval estimate +/- 1.96 se. When every value is >= 0 the population sum is taken to be at
 * least the observed sum of values, and low is raised to it (likewise high lowered when every
 * value is <= 0). With no rows and an inexact design nothing bounds the sum: estimate 0,
 * se 0, interval (-Infinity, Infinity), low-confidence. Throws RangeError for a bad design, a
 * prob that disagrees with it or a value that is not finite.
 */
export function estimateSum(
  items: ReadonlyArray<{ value: number; prob: number }>,
  design: Design,
): Estimate {
  const c = check(items, design);
  return sumEstimate(checkValues(items), c, design);
}

/**
 * estimateSumOf: estimateSum over the rows as two arrays, values[i] kept with probability
 * probs[i] (of equal length), for callers that estimate several columns of one sample (the
 * table footer's totals) without an object per row. Throws as estimateSum does.
 */
export function estimateSumOf(values: Float64Array, probs: Float64Array, design: Design): Estimate {
  if (values.length !== probs.length) throw new RangeError(`${values.length} values but ${probs.length} probs`);
  return sumEstimate(checkedValues(values), checkProbs(probs, design), design);
}

function sumEstimate(values: Float64Array, c: Checked, design: Design): Estimate {
  const rows = values.length;
  const terms = new Float64Array(rows);
  let estimate = 0;
  let observed = 0;
  let negative = false;
  let positive = false;
  for (let i = 0; i < rows; i++) {
    const y = values[i]!;
    const t = y / c.probs[i]!;
    terms[i] = t;
    estimate += t;
    observed += y;
    if (y < 0) negative = true;
    else if (y > 0) positive = true;
  }
  if (c.exact) return exactResult(estimate, rows);
  if (rows === 0) {
    return { estimate: 0, se: 0, low: -Infinity, high: Infinity, exact: false, lowConfidence: true, rows };
  }
  const se = Math.sqrt(totalVariance(values, c, design));
  let low = estimate - Z_95 * se;
  let high = estimate + Z_95 * se;
  if (!negative) low = Math.max(low, observed);
  if (!positive) high = Math.min(high, observed);
  return {
    estimate,
    se,
    low,
    high,
    exact: false,
    lowConfidence: rows < LOW_CONFIDENCE_ROWS || dominated(terms, estimate),
    rows,
  };
}

/**
 * estimateCount: the Horvitz-Thompson estimate sum(1 / prob) of the number of population rows
 * the contributing rows stand for, with its standard error (see totalVariance, z = 1). The 95%
 * interval:
 * - bernoulli, fewer than SMALL_COUNT rows: Garwood's exact Poisson bounds on the row count
 *   scaled by 1/p (the count of kept rows is Binomial(D, p), close to Poisson(D p) for small p
 *   and less dispersed otherwise, so coverage stays at or above 95%). 0 rows give
 *   [0, 3.6889 / p], each tail holding 2.5% (see garwoodBounds).
 * - uniform, fewer than SMALL_COUNT rows either in or out of the count: the exact
 *   hypergeometric bounds (see hypergeometricBounds); 0 rows give a finite upper bound too.
 * - otherwise the normal interval estimate +/- 1.96 se.
 * The interval never goes below the rows seen, nor, for uniform samples, above n minus the
 * sampled rows that did not contribute. With no rows under priority sampling the upper bound is
 * Infinity: rows of tiny weight may go unseen in any number. se stays the plug-in standard
 * error even where the interval is exact (so it is 0 with no rows). Throws RangeError for a bad
 * design or a prob that disagrees with it.
 */
export function estimateCount(items: ReadonlyArray<{ prob: number }>, design: Design): Estimate {
  const c = check(items, design);
  const rows = items.length;
  const terms = c.probs.map((p) => 1 / p);
  const estimate = terms.reduce((a, b) => a + b, 0);
  if (c.exact) return exactResult(estimate, rows);
  const se = Math.sqrt(totalVariance(new Float64Array(rows).fill(1), c, design));
  let low = estimate - Z_95 * se;
  let high = estimate + Z_95 * se;
  if (design.kind === "bernoulli" && rows < SMALL_COUNT) {
    const g = garwoodBounds(rows);
    low = g.low / design.p;
    high = g.high / design.p;
  } else if (design.kind === "uniform") {
    const outside = c.m - rows;
    if (Math.min(rows, outside) < SMALL_COUNT) {
      ({ low, high } = hypergeometricBounds(rows, c.m, design.n));
    } else {
      high = Math.min(high, design.n - outside);
    }
  } else if (rows === 0) {
    high = Infinity;
  }
  return {
    estimate,
    se,
    low: Math.max(low, rows),
    high,
    exact: false,
    lowConfidence: rows < LOW_CONFIDENCE_ROWS || dominated(terms, estimate),
    rows,
  };
}

/**
 * estimateAvg: the ratio estimate R = sum(value / prob) / sum(1 / prob) of the population mean
 * of the rows the contributing rows stand for, with the linearized (delta-method) variance
 * Var(R) ~ V(sum (value_i - R) / prob_i) / N^2, V the design's variance estimator (see
 * totalVariance) and N the estimated count (Sarndal, Swensson and Wretman 1992, section 5.6),
 * and the normal 95% interval, whose low is raised to 0 when every value is >= 0 (and high
 * lowered to 0 when every value is <= 0). R is not unbiased for priority sampling (its bias is
 * O(1/rows)); for Bernoulli and uniform samples it is the plain mean of the rows, unbiased given
 * at least one row. With no rows the mean is undefined: estimate, se, low and high are NaN. With
 * one row of an inexact design se is Infinity. Throws RangeError for a bad design, a prob that
 * disagrees with it or a value that is not finite.
 */
export function estimateAvg(
  items: ReadonlyArray<{ value: number; prob: number }>,
  design: Design,
): Estimate {
  const c = check(items, design);
  const values = checkValues(items);
  const rows = items.length;
  if (rows === 0) {
    return { estimate: NaN, se: NaN, low: NaN, high: NaN, exact: c.exact, lowConfidence: !c.exact, rows };
  }
  const sumTerms = values.map((y, i) => y / c.probs[i]!);
  const countTerms = c.probs.map((p) => 1 / p);
  const sum = sumTerms.reduce((a, b) => a + b, 0);
  const count = countTerms.reduce((a, b) => a + b, 0);
  const estimate = sum / count;
  if (c.exact) return exactResult(estimate, rows);
  const residuals = values.map((y) => y - estimate);
  const se = rows < 2 ? Infinity : Math.sqrt(totalVariance(residuals, c, design)) / count;
  let low = estimate - Z_95 * se;
  let high = estimate + Z_95 * se;
  if (values.every((y) => y >= 0)) low = Math.max(low, 0);
  if (values.every((y) => y <= 0)) high = Math.min(high, 0);
  return {
    estimate,
    se,
    low,
    high,
    exact: false,
    lowConfidence:
      rows < LOW_CONFIDENCE_ROWS || dominated(sumTerms, sum) || dominated(countTerms, count),
    rows,
  };
}
