/**
 * goodness-of-fit: the statistics the sampling tests use to compare seeded runs with exact
 * expectations. Test support only; not exported from the sampling index.
 *
 * Every cut-off is at significance p = 0.001: a correct sampler fails a given check for 0.1% of
 * seeds. The tests are seeded, so each one either always passes or always fails.
 */

/** Z_P001: the two-sided normal cut-off at p = 0.001 (scipy.stats.norm.isf(0.0005)). */
export const Z_P001 = 3.2905;

/**
 * Z_P001_OF_100: the cut-off issue 5 uses where 100 z-scores are checked at once, 4.42: the
 * two-sided normal cut-off at p = 0.001 / 100 (Bonferroni; norm.isf(0.000005) = 4.417), rounded
 * up as the issue gives it.
 */
export const Z_P001_OF_100 = 4.42;

/**
 * CHI2_P001: chi-square cut-offs at p = 0.001 by degrees of freedom
 * (scipy.stats.chi2.ppf(0.999, df), rounded up at the 4th decimal).
 */
export const CHI2_P001 = {
  6: 22.4578,
  9: 27.8772,
  19: 43.8202,
  99: 148.2304,
  100: 149.4493,
  999: 1142.848,
} as const;

/**
 * withinZ: whether `observed` lies within z standard errors `se` of `expected`.
 * Throws RangeError unless se > 0.
 */
export function withinZ(observed: number, expected: number, se: number, z = Z_P001): boolean {
  if (!(se > 0)) throw new RangeError(`standard error must be positive, got ${se}`);
  return Math.abs(observed - expected) <= z * se;
}

/**
 * pearson: Pearson's X^2 = sum (O - E)^2 / E. Throws RangeError when the lengths differ or an
 * expected count is not positive.
 */
export function pearson(observed: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (observed.length !== expected.length) throw new RangeError("observed/expected lengths differ");
  let x2 = 0;
  for (let i = 0; i < observed.length; i++) {
    const e = expected[i]!;
    if (!(e > 0)) throw new RangeError(`expected count ${i} is ${e}`);
    const d = observed[i]! - e;
    x2 += (d * d) / e;
  }
  return x2;
}

/**
 * binomialX2: sum over items of (C_i - R p_i)^2 / (R p_i (1 - p_i)), where item i was counted
 * C_i times in R runs with probability p_i each run. Chi-square with one df per item only when
 * the items are independent. Throws RangeError when lengths differ or some p_i is not in (0,1).
 */
export function binomialX2(counts: ArrayLike<number>, runs: number, p: ArrayLike<number>): number {
  if (counts.length !== p.length) throw new RangeError("counts/p lengths differ");
  let x2 = 0;
  for (let i = 0; i < counts.length; i++) {
    const pi = p[i]!;
    if (!(pi > 0 && pi < 1)) throw new RangeError(`p[${i}] is ${pi}`);
    const d = counts[i]! - runs * pi;
    x2 += (d * d) / (runs * pi * (1 - pi));
  }
  return x2;
}

/**
 * mahalanobisX2: R d^T S^-1 d with d = counts / R - mean, for per-run indicator vectors with
 * mean `mean` and covariance matrix `cov` (row-major, n x n, positive definite). For R
 * independent runs this is asymptotically chi-square with n df whatever the correlations
 * between the indicators. Throws RangeError when the sizes disagree or cov is not positive
 * definite.
 */
export function mahalanobisX2(
  counts: ArrayLike<number>,
  runs: number,
  mean: ArrayLike<number>,
  cov: ArrayLike<number>,
): number {
  const n = mean.length;
  if (counts.length !== n || cov.length !== n * n) throw new RangeError("sizes disagree");
  const l = cholesky(cov, n);
  const y = new Float64Array(n);
  let x2 = 0;
  for (let i = 0; i < n; i++) {
    let s = counts[i]! / runs - mean[i]!;
    for (let j = 0; j < i; j++) s -= l[i * n + j]! * y[j]!;
    const yi = s / l[i * n + i]!;
    y[i] = yi;
    x2 += yi * yi;
  }
  return runs * x2;
}

/** cholesky: the lower factor L with L L^T = a. Throws RangeError unless a is positive definite. */
function cholesky(a: ArrayLike<number>, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j]!;
      for (let m = 0; m < j; m++) s -= l[i * n + m]! * l[j * n + m]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError("covariance matrix is not positive definite");
        l[i * n + i] = Math.sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j]!;
      }
    }
  }
  return l;
}
