import { describe, expect, test } from "bun:test";
import { garwoodBounds, hypergeometricAtMost, hypergeometricBounds } from "./count-bounds";
import { lnGamma } from "./gamma";
import { poissonAtMost } from "./testing/poisson";


/** The hypergeometric pmf by direct products of small binomial coefficients (N <= ~100). */
function hyperPmf(x: number, N: number, D: number, m: number): number {
  const choose = (n: number, k: number) => {
    if (k < 0 || k > n) return 0;
    let r = 1;
    for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
    return r;
  };
  return (choose(D, x) * choose(N - D, m - x)) / choose(N, m);
}

describe("garwoodBounds", () => {
  test("known values: 0 -> [0, 3.689], 1 -> [0.0253, 5.572], 10 -> [4.795, 18.39]", () => {
    const b0 = garwoodBounds(0);
    expect(b0.low).toBe(0);
    expect(b0.high).toBeCloseTo(-Math.log(0.025), 12); // 3.688879...
    const b1 = garwoodBounds(1);
    expect(b1.low).toBeCloseTo(-Math.log(0.975), 12); // 0.0253178...
    expect(b1.high).toBeCloseTo(5.571643390938898, 9);
    const b10 = garwoodBounds(10);
    expect(b10.low).toBeCloseTo(4.795389, 5);
    expect(b10.high).toBeCloseTo(18.390356, 5);
  });

  test("each bound leaves exactly 2.5% in its Poisson tail", () => {
    for (let c = 0; c < 60; c++) {
      const { low, high } = garwoodBounds(c);
      expect(poissonAtMost(c, high)).toBeCloseTo(0.025, 12);
      if (c > 0) expect(1 - poissonAtMost(c - 1, low)).toBeCloseTo(0.025, 12);
    }
  });

  test("covers every Poisson mean on a grid with probability >= 95%", () => {
    const bounds = Array.from({ length: 150 }, (_, c) => garwoodBounds(c));
    for (let lambda = 0.05; lambda <= 40; lambda += 0.05) {
      let coverage = 0;
      let term = Math.exp(-lambda);
      for (let c = 0; c < 150; c++) {
        const { low, high } = bounds[c]!;
        if (low <= lambda && lambda <= high) coverage += term;
        term *= lambda / (c + 1);
      }
      expect(coverage).toBeGreaterThanOrEqual(0.95);
    }
  });

  test("other levels and argument checks", () => {
    expect(garwoodBounds(0, 0.9).high).toBeCloseTo(-Math.log(0.05), 12);
    for (const c of [-1, 1.5, Number.NaN]) expect(() => garwoodBounds(c)).toThrow(RangeError);
    for (const level of [0, 1, Number.NaN]) expect(() => garwoodBounds(1, level)).toThrow(RangeError);
  });
});

describe("hypergeometricAtMost", () => {
  test("matches direct sums of the pmf", () => {
    for (const [N, D, m] of [
      [60, 20, 12],
      [60, 55, 30],
      [80, 3, 50],
    ] as const) {
      let cdf = 0;
      for (let t = 0; t <= m; t++) {
        cdf += hyperPmf(t, N, D, m);
        expect(hypergeometricAtMost(t, N, D, m)).toBeCloseTo(Math.min(1, cdf), 12);
      }
    }
  });

  test("stays accurate where the pmf at the end of the support underflows", () => {
    // N = 1e6, D = N/2, m = 1e4: pmf(0) ~ 2^-10000. Reference: the full sum of pmf terms in logs.
    const N = 1e6;
    const D = 5e5;
    const m = 1e4;
    const lnTotal = lnGamma(N + 1) - lnGamma(m + 1) - lnGamma(N - m + 1);
    const lnPmf = (x: number) =>
      lnGamma(D + 1) - lnGamma(x + 1) - lnGamma(D - x + 1) +
      lnGamma(N - D + 1) - lnGamma(m - x + 1) - lnGamma(N - D - m + x + 1) - lnTotal;
    for (const t of [4850, 4990, 5000, 5100]) {
      let ref = 0;
      for (let x = 0; x <= t; x++) ref += Math.exp(lnPmf(x));
      expect(Math.abs(hypergeometricAtMost(t, N, D, m) - ref)).toBeLessThan(1e-8);
    }
  });
});

describe("hypergeometricBounds", () => {
  test("each bound is the last D its one-sided test keeps at 2.5%", () => {
    const N = 60;
    const m = 12;
    const atMost = (t: number, D: number) => {
      let s = 0;
      for (let x = 0; x <= t; x++) s += hyperPmf(x, N, D, m);
      return s;
    };
    for (let c = 0; c <= m; c++) {
      const { low, high } = hypergeometricBounds(c, m, N);
      expect(atMost(c, high)).toBeGreaterThan(0.025);
      if (high < N - (m - c)) expect(atMost(c, high + 1)).toBeLessThanOrEqual(0.025);
      expect(1 - atMost(c - 1, low)).toBeGreaterThan(0.025);
      if (low > c) expect(1 - atMost(c - 1, low - 1)).toBeLessThanOrEqual(0.025);
    }
  });

  test("covers every D of N = 60 (m = 12) with probability >= 95%", () => {
    const N = 60;
    const m = 12;
    const bounds = Array.from({ length: m + 1 }, (_, c) => hypergeometricBounds(c, m, N));
    for (let D = 0; D <= N; D++) {
      let coverage = 0;
      for (let c = 0; c <= m; c++) {
        if (bounds[c]!.low <= D && D <= bounds[c]!.high) coverage += hyperPmf(c, N, D, m);
      }
      expect(coverage).toBeGreaterThanOrEqual(0.95);
    }
  });

  test("approaches Garwood scaled by N/m for a small sampling fraction", () => {
    const h = hypergeometricBounds(29, 10_000, 10_000_000);
    const g = garwoodBounds(29);
    expect(Math.abs(h.low / (g.low * 1000) - 1)).toBeLessThan(0.005);
    expect(Math.abs(h.high / (g.high * 1000) - 1)).toBeLessThan(0.005);
  });

  test("whole-population and one-sided edges; argument checks", () => {
    expect(hypergeometricBounds(7, 20, 20)).toEqual({ low: 7, high: 7 });
    expect(hypergeometricBounds(0, 100, 2000).low).toBe(0);
    expect(hypergeometricBounds(100, 100, 2000).high).toBe(2000);
    expect(() => hypergeometricBounds(5, 4, 10)).toThrow(RangeError);
    expect(() => hypergeometricBounds(1, 11, 10)).toThrow(RangeError);
    expect(() => hypergeometricBounds(-1, 4, 10)).toThrow(RangeError);
    expect(() => hypergeometricBounds(1, 4, 10, 1)).toThrow(RangeError);
  });
});
