/**
 * priority-inclusion: exact first- and second-order inclusion probabilities of priority sampling,
 * by numerical integration, as the reference the priority sampler's tests compare against.
 * Test support only; not exported from the sampling index.
 *
 * Item j's priority q_j = w_j / u_j exceeds t with probability min(1, w_j / t), independently
 * of the others, so the number of items in a set whose priority exceeds t is Poisson-binomial.
 * An item is kept iff fewer than k other priorities exceed its own.
 */

/**
 * atMost: P(fewer than m + 1 of the items in `idx` have priority above t), that is
 * P(PoissonBinomial(min(1, w_j / t) for j in idx) <= m), by the usual dynamic programme cut at
 * m + 1 successes. `scratch` needs at least m + 2 slots. Throws nothing; m < 0 gives 0.
 */
function atMost(
  weights: ArrayLike<number>,
  idx: readonly number[],
  t: number,
  m: number,
  scratch: Float64Array,
): number {
  if (m < 0) return 0;
  scratch.fill(0, 0, m + 2);
  scratch[0] = 1;
  for (const j of idx) {
    const p = Math.min(1, weights[j]! / t);
    for (let c = m + 1; c >= 1; c--) scratch[c] = scratch[c]! * (1 - p) + scratch[c - 1]! * p;
    scratch[0] = scratch[0]! * (1 - p);
  }
  let sum = 0;
  for (let c = 0; c <= m; c++) sum += scratch[c]!;
  return sum;
}

function others(n: number, ...skip: number[]): number[] {
  const idx: number[] = [];
  for (let j = 0; j < n; j++) if (!skip.includes(j)) idx.push(j);
  return idx;
}

/**
 * priorityInclusion: pi_i = P(item i is among the k kept) for positive finite weights, as
 * integral over v in (0,1) of P(at most k - 1 others exceed w_i / v), by the midpoint rule on
 * `points` cells. The integrand is bounded, has finitely many kinks (where w_i / v crosses
 * another weight) and tends to 1 as v -> 0, so the midpoint rule converges as points^-2.
 * Throws RangeError unless weights are positive and finite and k, points are integers >= 1.
 */
export function priorityInclusion(
  weights: readonly number[],
  k: number,
  points = 20_000,
): Float64Array {
  checkArgs(weights, k, points);
  const n = weights.length;
  const pi = new Float64Array(n);
  const scratch = new Float64Array(k + 2);
  for (let i = 0; i < n; i++) {
    const rest = others(n, i);
    let sum = 0;
    for (let c = 0; c < points; c++) {
      const v = (c + 0.5) / points;
      sum += atMost(weights, rest, weights[i]! / v, k - 1, scratch);
    }
    pi[i] = sum / points;
  }
  return pi;
}

/**
 * priorityPairInclusion: the n x n row-major matrix of pi_ij = P(items i and j both kept), with
 * pi_ii = pi_i. Both are kept iff at most k - 2 of the other items exceed M = min(q_i, q_j).
 * M has survival function H(t) = min(1, w_i/t) min(1, w_j/t), continuous and decreasing, so
 * pi_ij is the integral over v in (0,1) of P(at most k - 2 others exceed H^-1(v)), taken by the
 * midpoint rule. With a <= b the two weights, H^-1(v) = a / v for v >= a / b and sqrt(ab / v)
 * below. Throws RangeError like priorityInclusion.
 */
export function priorityPairInclusion(
  weights: readonly number[],
  k: number,
  points = 20_000,
): Float64Array {
  checkArgs(weights, k, points);
  const n = weights.length;
  const pi = priorityInclusion(weights, k, points);
  const pij = new Float64Array(n * n);
  const scratch = new Float64Array(k + 2);
  for (let i = 0; i < n; i++) {
    pij[i * n + i] = pi[i]!;
    for (let j = i + 1; j < n; j++) {
      const a = Math.min(weights[i]!, weights[j]!);
      const b = Math.max(weights[i]!, weights[j]!);
      const rest = others(n, i, j);
      let sum = 0;
      for (let c = 0; c < points; c++) {
        const v = (c + 0.5) / points;
        const t = v >= a / b ? a / v : Math.sqrt((a * b) / v);
        sum += atMost(weights, rest, t, k - 2, scratch);
      }
      pij[i * n + j] = pij[j * n + i] = sum / points;
    }
  }
  return pij;
}

/**
 * gaussLegendre: the nodes and weights of the m-point Gauss-Legendre rule on (-1, 1), exact for
 * polynomials of degree up to 2m - 1; nodes by Newton's method on P_m from the usual Chebyshev
 * guesses. Throws RangeError unless m is an integer >= 1.
 */
export function gaussLegendre(m: number): { x: Float64Array; w: Float64Array } {
  if (!Number.isInteger(m) || m < 1) throw new RangeError(`m must be an integer >= 1, got ${m}`);
  const x = new Float64Array(m);
  const w = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (m + 0.5));
    let dp = 0;
    for (let iter = 0; iter < 100; iter++) {
      // P_m(z) and its derivative by the three-term recurrence.
      let p0 = 1;
      let p1 = z;
      for (let j = 2; j <= m; j++) {
        const p2 = ((2 * j - 1) * z * p1 - (j - 1) * p0) / j;
        p0 = p1;
        p1 = p2;
      }
      const pm = m === 1 ? z : p1;
      const pm1 = m === 1 ? 1 : p0;
      dp = (m * (z * pm - pm1)) / (z * z - 1);
      const dz = pm / dp;
      z -= dz;
      if (Math.abs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

/**
 * priorityInclusionExact: pi_i as in priorityInclusion, to about 1e-12, fast enough for 100
 * items: with y = u_i the integrand P(at most k - 1 others have u_j < min(1, y w_j / w_i)) is a
 * polynomial in y between the kinks y = w_i / w_j (where item j's probability reaches 1), so
 * the integral over (0, 1) is taken piece by piece with the `nodes`-point Gauss-Legendre rule.
 * Throws RangeError like priorityInclusion.
 */
export function priorityInclusionExact(weights: readonly number[], k: number, nodes = 24): Float64Array {
  checkArgs(weights, k, nodes);
  const n = weights.length;
  const pi = new Float64Array(n);
  const scratch = new Float64Array(k + 2);
  const { x, w } = gaussLegendre(nodes);
  for (let i = 0; i < n; i++) {
    const wi = weights[i]!;
    const rest = others(n, i);
    const cuts = [0, 1];
    for (const j of rest) if (weights[j]! > wi) cuts.push(wi / weights[j]!);
    cuts.sort((a, b) => a - b);
    let sum = 0;
    for (let c = 0; c + 1 < cuts.length; c++) {
      const a = cuts[c]!;
      const b = cuts[c + 1]!;
      if (!(b > a)) continue;
      const half = (b - a) / 2;
      const mid = (a + b) / 2;
      for (let g = 0; g < nodes; g++) {
        const y = mid + half * x[g]!;
        // Priority of j above w_i / y, that is u_j < y w_j / w_i: atMost's threshold t = w_i / y.
        sum += half * w[g]! * atMost(weights, rest, wi / y, k - 1, scratch);
      }
    }
    pi[i] = sum;
  }
  return pi;
}

function checkArgs(weights: readonly number[], k: number, points: number): void {
  if (!weights.every((w) => w > 0 && Number.isFinite(w))) {
    throw new RangeError("weights must be positive and finite");
  }
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  if (!Number.isInteger(points) || points < 1) {
    throw new RangeError(`points must be an integer >= 1, got ${points}`);
  }
}
