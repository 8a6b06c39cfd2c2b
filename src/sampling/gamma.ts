/**
 * gamma: the log-gamma function, the regularized incomplete gamma functions and their inverse,
 * which give the chi-square quantiles behind the exact Poisson (Garwood) bounds. No dependencies.
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);
const EPS = 1e-16;
const TINY = 1e-300;
const MAX_TERMS = 100_000;

/**
 * lnGamma: ln Γ(x) for x > 0, by the Lanczos approximation (g = 7, 9 terms; relative error
 * about 1e-15), with the reflection formula below 0.5. Throws RangeError unless x > 0 and finite.
 */
export function lnGamma(x: number): number {
  if (!(x > 0 && x < Infinity)) throw new RangeError(`lnGamma needs a finite x > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LN_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** logPrefactor: ln(x^a e^-x / Γ(a)), the factor both expansions below share. */
function logPrefactor(a: number, x: number): number {
  return a * Math.log(x) - x - lnGamma(a);
}

/** gammaSeries: P(a, x) by its power series, which converges fast for x < a + 1. */
function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < MAX_TERMS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return sum * Math.exp(logPrefactor(a, x));
}

/** gammaContinuedFraction: Q(a, x) by Legendre's continued fraction (modified Lentz), for x >= a + 1. */
function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_TERMS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefactor(a, x)) * h;
}

function checkShape(a: number, x: number): void {
  if (!(a > 0 && a < Infinity)) throw new RangeError(`shape a must be finite and > 0, got ${a}`);
  if (!(x >= 0)) throw new RangeError(`x must be >= 0, got ${x}`);
}

/**
 * regularizedGammaP: P(a, x) = γ(a, x) / Γ(a), the CDF at x of a gamma distribution with shape a
 * and scale 1. For integer a it equals P(Poisson(x) >= a). Throws RangeError unless a is finite
 * and > 0 and x >= 0 (x may be Infinity).
 */
export function regularizedGammaP(a: number, x: number): number {
  checkShape(a, x);
  if (x === 0) return 0;
  if (x === Infinity) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/**
 * regularizedGammaQ: Q(a, x) = 1 - P(a, x), computed directly so small upper tails keep their
 * precision. For integer a it equals P(Poisson(x) <= a - 1). Throws like regularizedGammaP.
 */
export function regularizedGammaQ(a: number, x: number): number {
  checkShape(a, x);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

/**
 * gammaQuantile: the x with P(a, x) = prob, by Newton's method kept inside a bisection bracket
 * (relative precision about 1e-14). Solves on the lower tail P for prob < 0.5 and on the upper
 * tail Q otherwise, so extreme quantiles keep their precision. prob = 0 gives 0 and prob = 1
 * gives Infinity. Throws RangeError unless 0 <= prob <= 1 and a is finite and > 0.
 */
export function gammaQuantile(prob: number, a: number): number {
  if (!(prob >= 0 && prob <= 1)) throw new RangeError(`prob must lie in [0,1], got ${prob}`);
  checkShape(a, 0);
  if (prob === 0) return 0;
  if (prob === 1) return Infinity;
  const lower = prob < 0.5;
  // f(x) = P(a,x) - prob, increasing in x, written on whichever tail is small.
  const f = lower
    ? (x: number) => regularizedGammaP(a, x) - prob
    : (x: number) => 1 - prob - regularizedGammaQ(a, x);
  let lo = 0;
  let hi = Math.max(1, a);
  while (f(hi) < 0) {
    lo = hi;
    hi *= 2;
  }
  let x = Math.min(Math.max(a, lo), hi);
  for (let i = 0; i < 1000; i++) {
    const fx = f(x);
    if (fx === 0) return x;
    if (fx < 0) lo = x;
    else hi = x;
    const density = Math.exp(logPrefactor(a, x)) / x;
    let next = x - fx / density;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-15 * next || hi - lo <= 1e-15 * hi) return next;
    x = next;
  }
  return x;
}

/**
 * chiSquareQuantile: the prob-quantile of the chi-square distribution with df degrees of freedom,
 * 2 * gammaQuantile(prob, df / 2). Throws RangeError unless 0 <= prob <= 1 and df is finite and > 0.
 */
export function chiSquareQuantile(prob: number, df: number): number {
  if (!(df > 0 && df < Infinity)) throw new RangeError(`df must be finite and > 0, got ${df}`);
  return 2 * gammaQuantile(prob, df / 2);
}
