import { describe, expect, test } from "bun:test";
import { Xoshiro128 } from "./rng";
import { ascendingOrder } from "./sort-order";

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
