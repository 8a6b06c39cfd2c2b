import { describe, expect, test } from "bun:test";
import { binomialX2, mahalanobisX2, pearson, withinZ } from "./goodness-of-fit";

describe("goodness-of-fit", () => {
  test("pearson and binomialX2 on hand-computed cases", () => {
    expect(pearson([12, 8], [10, 10])).toBeCloseTo(0.8, 12);
    expect(binomialX2([30], 100, [0.25])).toBeCloseTo(25 / 18.75, 12);
    expect(() => pearson([1], [0])).toThrow(RangeError);
    expect(() => binomialX2([1], 10, [1])).toThrow(RangeError);
  });

  test("mahalanobisX2 reduces to binomialX2 for a diagonal covariance", () => {
    const counts = [30, 55];
    const p = [0.25, 0.5];
    const cov = [0.25 * 0.75, 0, 0, 0.25];
    expect(mahalanobisX2(counts, 100, p, cov)).toBeCloseTo(binomialX2(counts, 100, p), 12);
  });

  test("mahalanobisX2 accounts for correlation and rejects a singular covariance", () => {
    // cov [[1, 0.5], [0.5, 1]] has inverse (4/3) [[1, -0.5], [-0.5, 1]]; d = (1, 1) gives 4/3.
    expect(mahalanobisX2([2, 2], 1, [1, 1], [1, 0.5, 0.5, 1])).toBeCloseTo(4 / 3, 12);
    expect(() => mahalanobisX2([1, 1], 1, [0, 0], [1, 1, 1, 1])).toThrow(RangeError);
  });

  test("withinZ", () => {
    expect(withinZ(103, 100, 1)).toBe(true);
    expect(withinZ(104, 100, 1)).toBe(false);
    expect(() => withinZ(0, 0, 0)).toThrow(RangeError);
  });
});
