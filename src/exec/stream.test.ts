import { expect, test } from "bun:test";
import { tauFor } from "./stream";

test("tauFor finds the threshold that keeps the target share of the events the kept ones stand for", () => {
  // Weights 1..1000 all kept so far (p = 1): keeping a tenth, sum(w)/tau = 100, tau = 5005.
  const all: [number, number][] = Array.from({ length: 1000 }, (_, i) => [i + 1, 1]);
  expect(tauFor(all, 0.1)! / 5005).toBeCloseTo(1, 3);
  // The same population seen through a sample of half of it (p = 0.5 each): the same tau.
  const half: [number, number][] = all.filter((_, i) => i % 2 === 0).map(([w]) => [w, 0.5]);
  expect(tauFor(half, 0.1)! / 5005).toBeCloseTo(1, 1);
  // Keeping everything: tau at or below the smallest weight.
  expect(tauFor(all, 1)!).toBeLessThanOrEqual(1.0001);
});

test("tauFor waits for ten events with a weight", () => {
  expect(tauFor([[5, 1], [0, 1]], 0.1)).toBeUndefined();
});
