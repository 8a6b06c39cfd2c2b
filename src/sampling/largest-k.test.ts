import { describe, expect, test } from "bun:test";
import { LargestK, nthLargest } from "./largest-k";
import { Xoshiro128 } from "./rng";

/** The m largest of keys by a sort, as sorted key lists (descending). */
function reference(keys: readonly number[], m: number): number[] {
  return keys
    .slice()
    .sort((a, b) => b - a)
    .slice(0, m);
}

function heldKeys(top: LargestK<number>): number[] {
  const { n, keys } = top.held();
  return Array.from(keys.subarray(0, n)).sort((a, b) => b - a);
}

describe("nthLargest", () => {
  test("agrees with a sort on random keys, ties, sorted and reversed input", () => {
    const rng = Xoshiro128.fromSeed(1);
    const cases: number[][] = [
      Array.from({ length: 1000 }, () => rng.nextDouble()),
      Array.from({ length: 1000 }, () => rng.below(5)),
      Array.from({ length: 500 }, (_, i) => i),
      Array.from({ length: 500 }, (_, i) => -i),
      [7],
      [3, 3, 3, 3],
    ];
    for (const keys of cases) {
      const sorted = keys.slice().sort((a, b) => b - a);
      for (const t of [0, 1, keys.length >> 1, keys.length - 1]) {
        if (t >= keys.length) continue;
        const xs = Float64Array.from(keys);
        expect(nthLargest(xs, xs.length, t)).toBe(sorted[t]!);
        for (let i = 0; i < t; i++) expect(xs[i]!).toBeGreaterThanOrEqual(xs[t]!);
        for (let i = t + 1; i < xs.length; i++) expect(xs[i]!).toBeLessThanOrEqual(xs[t]!);
      }
    }
  });
});

describe("LargestK", () => {
  test("keeps exactly the m largest, with their values, for small and pruning sizes", () => {
    const rng = Xoshiro128.fromSeed(2);
    for (const [m, n] of [
      [1, 100],
      [3, 10],
      [10, 5000],
      [1500, 50_000],
      [5000, 60_000],
    ] as const) {
      const keys = Array.from({ length: n }, () => rng.nextDouble());
      const top = new LargestK<number>(m);
      for (let i = 0; i < n; i++) if (keys[i]! > top.threshold) top.add(keys[i]!, i, 2 * i, -i);
      top.compact();
      expect(top.size).toBe(Math.min(m, n));
      expect(heldKeys(top)).toEqual(reference(keys, m));
      const held = top.held();
      for (let i = 0; i < held.n; i++) {
        const value = held.values[i]!;
        expect(keys[value]).toBe(held.keys[i]!);
        expect([held.as[i], held.bs[i]]).toEqual([2 * value, -value]);
      }
    }
  });

  test("mapKeys with an increasing function keeps what is kept, keys and threshold mapped alike", () => {
    const rng = Xoshiro128.fromSeed(4);
    const m = 300;
    const keys = Array.from({ length: 20_000 }, () => rng.nextDouble() * 1e6 + 1);
    const top = new LargestK<number>(m);
    const half = keys.length / 2;
    for (let i = 0; i < half; i++) if (keys[i]! > top.threshold) top.add(keys[i]!, i, 0, 0);
    const before = top.threshold;
    expect(before).toBeGreaterThan(-Infinity); // some prune has raised it
    top.mapKeys(Math.log);
    expect(top.threshold).toBe(Math.log(before));
    for (let i = half; i < keys.length; i++) {
      const key = Math.log(keys[i]!);
      if (key > top.threshold) top.add(key, i, 0, 0);
    }
    top.compact();
    expect(heldKeys(top)).toEqual(reference(keys, m).map(Math.log));
    const empty = new LargestK<number>(3);
    empty.mapKeys(Math.log);
    expect(empty.threshold).toBe(-Infinity);
  });

  test("the threshold never passes the m-th largest key seen so far", () => {
    const rng = Xoshiro128.fromSeed(3);
    const m = 1200;
    const top = new LargestK<number>(m);
    const seen: number[] = [];
    for (let i = 0; i < 40_000; i++) {
      const key = rng.nextDouble() * (1 + i / 1000); // drifting upwards
      seen.push(key);
      if (key > top.threshold) top.add(key, i, 0, 0);
      if (i % 5000 === 4999) expect(top.threshold).toBeLessThanOrEqual(reference(seen, m)[m - 1]!);
    }
  });

  test("ties at the cut keep exactly m; shrink keeps fewer from then on", () => {
    const top = new LargestK<string>(3);
    for (const [k, v] of [
      [1, "a"],
      [2, "b"],
      [2, "c"],
      [2, "d"],
      [0, "e"],
    ] as const) {
      top.add(k, v, 0, 0);
    }
    top.compact();
    expect(heldKeys(top as unknown as LargestK<number>)).toEqual([2, 2, 2]);
    top.shrink();
    top.compact();
    expect(top.size).toBe(2);
    expect(top.threshold).toBe(2);
    top.shrink();
    expect(() => top.shrink()).toThrow(RangeError);
    expect(() => new LargestK(0)).toThrow(RangeError);
  });

  test("many equal keys (a prune cut that keeps too few falls back to exact selection)", () => {
    const m = 2000;
    const top = new LargestK<number>(m);
    const rng = Xoshiro128.fromSeed(4);
    const keys = Array.from({ length: 30_000 }, () => rng.below(3));
    keys.forEach((k, i) => {
      if (k > top.threshold) top.add(k, i, 0, 0);
    });
    top.compact();
    expect(heldKeys(top)).toEqual(reference(keys, m));
  });
});
