import { describe, expect, test } from "bun:test";
import { Xoshiro128 } from "./rng";
import { ascendingOrder, weightOrder } from "./sort-order";

function reference(keys: readonly number[]): number[] {
  return keys.map((_, i) => i).sort((a, b) => keys[a]! - keys[b]! || a - b);
}

describe("ascendingOrder", () => {
  test("matches a stable comparison sort", () => {
    const rng = Xoshiro128.fromSeed(1);
    const cases: Array<[number[], number, number]> = [
      [Array.from({ length: 10_000 }, () => rng.nextDouble() * 0.01), 0, 0.01],
      // Ties, in and out of range.
      [Array.from({ length: 3000 }, () => rng.below(1000) / 1000), 0, 1],
      [Array.from({ length: 3000 }, () => rng.nextDouble() * 3 - 1), 0, 1],
      // Uneven keys: one bucket overflows, the comparison-sort fallback.
      [Array.from({ length: 3000 }, () => rng.nextDouble() ** 20), 0, 1],
      [Array.from({ length: 100 }, () => 0.5), 0, 1],
      [Array.from({ length: 100 }, (_, i) => 100 - i), 5, 5],
      [[Infinity, 1, -Infinity], 0, 0],
      [[0.3], 0, 1],
      [[], 0, 1],
    ];
    for (const [keys, lo, hi] of cases) expect(Array.from(ascendingOrder(keys, lo, hi))).toEqual(reference(keys));
  });
});

describe("weightOrder", () => {
  function reference(ws: readonly number[], us: readonly number[]): number[] {
    return ws.map((_, i) => i).sort((a, b) => ws[b]! - ws[a]! || us[a]! - us[b]!);
  }

  test("matches a stable sort by decreasing weight, then increasing u", () => {
    const rng = Xoshiro128.fromSeed(2);
    const u = (n: number) => Array.from({ length: n }, () => rng.nextDouble());
    const cases: Array<[number[], number[]]> = [];
    const add = (ws: number[], us = u(ws.length)) => cases.push([ws, us]);
    add(Array.from({ length: 10_000 }, () => rng.nextDouble() ** (-1 / 1.5)));
    // Ties in w, and in both w and u.
    add(Array.from({ length: 3000 }, () => 1 + rng.below(20)));
    add(Array.from({ length: 500 }, () => 1 + rng.below(3)), Array.from({ length: 500 }, () => (1 + rng.below(4)) / 8));
    // All equal (too many for the insertion pass), and a few equal.
    add(Array.from({ length: 200 }, () => 7));
    add([5, 5, 5, 1, 5]);
    // Weights that differ only in their lowest mantissa bits, which carry the index.
    const x = 1.2345;
    add(Array.from({ length: 300 }, (_, i) => x + (i % 7) * Number.EPSILON * x));
    add(Array.from({ length: 300 }, (_, i) => (1 + (i % 40)) * (1 + ((i * 7) % 3) * Number.EPSILON)));
    // Infinite weights (first, by u), the largest finite double, tiny and subnormal weights.
    add([Infinity, 3, Infinity, Number.MAX_VALUE, Infinity, 5e-324, 1e-310, 2 ** -1074 * 3, Number.MAX_VALUE]);
    add([Infinity, Infinity], [0.5, 0.5]);
    add([2]);
    add([]);
    for (const [ws, us] of cases) {
      expect(Array.from(weightOrder(new Float64Array(ws), new Float64Array(us)))).toEqual(reference(ws, us));
    }
  });
});
