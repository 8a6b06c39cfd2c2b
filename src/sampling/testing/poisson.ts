/** poissonAtMost: P(Poisson(x) <= n), summed term by term: an independent reference for tests. */
export function poissonAtMost(n: number, x: number): number {
  if (n < 0) return 0;
  let term = Math.exp(-x);
  let sum = term;
  for (let j = 1; j <= n; j++) {
    term *= x / j;
    sum += term;
  }
  return sum;
}
