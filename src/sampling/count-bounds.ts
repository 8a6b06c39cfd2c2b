/**
 * count-bounds: exact confidence bounds for counts, used where the normal approximation fails
 * because few rows were sampled.
 */
import { gammaQuantile, lnGamma } from "./gamma";

const EPS = 1e-17;

/** Bounds: a two-sided confidence interval [low, high]. */
export interface Bounds {
  low: number;
  high: number;
}

function checkLevel(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must lie in (0,1), got ${level}`);
  return level;
}

function checkCount(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${name} must be an integer >= 0, got ${x}`);
}

/**
 * garwoodBounds: Garwood's exact two-sided interval for the mean of a Poisson variable observed
 * as c: low = chi2_{(1-level)/2}(2c) / 2 (0 when c = 0) and high = chi2_{(1+level)/2}(2c + 2) / 2,
 * that is P(Poisson(low) >= c) = P(Poisson(high) <= c) = (1 - level) / 2. Each tail gets half of
 * 1 - level even at c = 0, so 0 events at level 0.95 give [0, -ln 0.025] = [0, 3.6889], not the
 * one-sided [0, 2.9957]. Coverage is at least `level` for every mean (Garwood, Biometrika 28,
 * 1936). Throws RangeError unless c is an integer >= 0 and 0 < level < 1.
 */
export function garwoodBounds(c: number, level = 0.95): Bounds {
  checkCount("c", c);
  const tail = (1 - checkLevel(level)) / 2;
  return {
    low: c === 0 ? 0 : gammaQuantile(tail, c),
    high: gammaQuantile(1 - tail, c + 1),
  };
}

/** lnChoose: ln C(n, k) for integers 0 <= k <= n. */
function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/**
 * hypergeometricAtMost: P(X <= t) for X the number of marked items in a sample of m drawn
 * without replacement from N items of which D are marked. Sums whichever side of t lies away
 * from the mode, where the pmf falls monotonically, starting from the pmf at the boundary (from
 * log-gamma) and stopping once terms no longer change the sum, so the cost is a few standard
 * deviations of terms whatever N. Throws nothing; the arguments are taken to be integers with
 * 0 <= D <= N and 0 <= m <= N.
 */
export function hypergeometricAtMost(t: number, N: number, D: number, m: number): number {
  const xMin = Math.max(0, m - (N - D));
  const xMax = Math.min(m, D);
  if (t < xMin) return 0;
  if (t >= xMax) return 1;
  const lnTotal = lnChoose(N, m);
  const pmf = (x: number) => Math.exp(lnChoose(D, x) + lnChoose(N - D, m - x) - lnTotal);
  const mode = Math.floor(((m + 1) * (D + 1)) / (N + 2));
  if (t < mode) {
    let p = pmf(t);
    let sum = p;
    for (let x = t; x > xMin && p > sum * EPS; x--) {
      p *= (x * (N - D - m + x)) / ((D - x + 1) * (m - x + 1));
      sum += p;
    }
    return Math.min(1, sum);
  }
  let p = pmf(t + 1);
  let sum = p;
  for (let x = t + 1; x < xMax && p > sum * EPS; x++) {
    p *= ((D - x) * (m - x)) / ((x + 1) * (N - D - m + x + 1));
    sum += p;
  }
  return Math.max(0, 1 - sum);
}

/**
 * hypergeometricBounds: the exact two-sided interval for the number D of marked items among N,
 * given c marked in a simple random sample of m drawn without replacement. It holds every D
 * that neither tail test rejects at (1 - level) / 2: high is the largest D with P(X <= c) above
 * that, low the smallest with P(X >= c) above it, so coverage is at least `level` for every D.
 * Always c <= low and high <= N - (m - c). Found by bisection over D, O(log N) tail sums.
 * Throws RangeError unless c, m, N are integers with 0 <= c <= m <= N and 0 < level < 1.
 */
export function hypergeometricBounds(c: number, m: number, N: number, level = 0.95): Bounds {
  checkCount("c", c);
  checkCount("m", m);
  checkCount("N", N);
  if (c > m || m > N) throw new RangeError(`need c <= m <= N, got c=${c} m=${m} N=${N}`);
  const tail = (1 - checkLevel(level)) / 2;
  const dMin = c;
  const dMax = N - (m - c);
  // Largest D whose lower tail P(X <= c) stays above `tail`; that tail falls as D grows.
  let lo = dMin;
  let hi = dMax;
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (hypergeometricAtMost(c, N, mid, m) > tail) lo = mid;
    else hi = mid - 1;
  }
  const high = lo;
  // Smallest D whose upper tail P(X >= c) = 1 - P(X <= c - 1) is above `tail`; it grows with D.
  lo = dMin;
  hi = dMax;
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (1 - hypergeometricAtMost(c - 1, N, mid, m) > tail) hi = mid;
    else lo = mid + 1;
  }
  return { low: lo, high };
}
