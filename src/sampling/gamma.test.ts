import { describe, expect, test } from "bun:test";
import { chiSquareQuantile, gammaQuantile, lnGamma, regularizedGammaP, regularizedGammaQ } from "./gamma";
import { CHI2_P001 } from "./testing/goodness-of-fit";
import { poissonAtMost } from "./testing/poisson";


describe("lnGamma", () => {
  test("matches factorials and known values", () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(2)).toBeCloseTo(0, 14);
    expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    // Γ(0.001) = 999.4237724845955 (scipy.special.gamma); the reflection branch.
    expect(lnGamma(0.001)).toBeCloseTo(Math.log(999.4237724845955), 12);
    // Stirling's series to the 1/(12x) term; the next term, 1/(360x^3), is below 1e-23 here.
    const x = 1e7;
    const stirling = (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * x);
    expect(Math.abs(lnGamma(x) - stirling) / stirling).toBeLessThan(1e-14);
  });

  test("rejects x <= 0, NaN and Infinity", () => {
    for (const x of [0, -1, Number.NaN, Infinity]) expect(() => lnGamma(x)).toThrow(RangeError);
  });
});

describe("regularized incomplete gamma", () => {
  test("integer shapes match the Poisson tail on both sides of x = a + 1", () => {
    for (const a of [1, 2, 5, 30, 200]) {
      for (const x of [0.01, 0.5, a / 2, a, a + 1, 2 * a + 3, 3 * a + 10]) {
        const q = poissonAtMost(a - 1, x);
        expect(Math.abs(regularizedGammaQ(a, x) - q)).toBeLessThan(1e-13);
        expect(Math.abs(regularizedGammaP(a, x) - (1 - q))).toBeLessThan(1e-13);
      }
    }
  });

  test("edges and argument checks", () => {
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, 0)).toBe(1);
    expect(regularizedGammaP(3, Infinity)).toBe(1);
    expect(regularizedGammaQ(3, Infinity)).toBe(0);
    expect(() => regularizedGammaP(0, 1)).toThrow(RangeError);
    expect(() => regularizedGammaQ(1, -1)).toThrow(RangeError);
    expect(() => regularizedGammaP(1, Number.NaN)).toThrow(RangeError);
  });
});

describe("quantiles", () => {
  test("chiSquareQuantile reproduces the scipy cut-offs of goodness-of-fit", () => {
    for (const [df, cut] of Object.entries(CHI2_P001)) {
      // The table is rounded up at the 4th decimal.
      const q = chiSquareQuantile(0.999, Number(df));
      expect(cut - q).toBeGreaterThanOrEqual(0);
      expect(cut - q).toBeLessThan(1e-4);
    }
    expect(chiSquareQuantile(0.975, 2)).toBeCloseTo(7.377758908227871, 10);
    expect(chiSquareQuantile(0.5, 1)).toBeCloseTo(0.454936423119572, 10);
  });

  test("gammaQuantile inverts P, including far tails and small shapes", () => {
    for (const a of [0.1, 0.5, 1, 3, 31, 500]) {
      for (const prob of [1e-12, 0.001, 0.025, 0.5, 0.975, 0.999, 1 - 1e-12]) {
        const x = gammaQuantile(prob, a);
        const back = prob < 0.5 ? regularizedGammaP(a, x) : regularizedGammaQ(a, x);
        const target = prob < 0.5 ? prob : 1 - prob;
        expect(Math.abs(back - target) / target).toBeLessThan(1e-9);
      }
    }
    expect(gammaQuantile(0, 2)).toBe(0);
    expect(gammaQuantile(1, 2)).toBe(Infinity);
    for (const p of [-0.1, 1.1, Number.NaN]) expect(() => gammaQuantile(p, 1)).toThrow(RangeError);
    expect(() => chiSquareQuantile(0.5, 0)).toThrow(RangeError);
  });
});
