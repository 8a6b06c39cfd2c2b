/**
 * offerMany, the batch API of the three samplers, against offer, the per-row one: the same rows
 * must give the same sample (items, prob, u, w, in order), tau, counts and sums whichever API
 * offers them and however the batches are cut, including the weight policy's rows (NaN,
 * negative, zero, -Infinity and +Infinity weights) and the errors (a u outside (0,1), too many
 * infinite weights, an item callback that throws), after which both samplers must stand alike.
 */
import { describe, expect, test } from "bun:test";
import { BernoulliSampler } from "./bernoulli";
import { PrioritySampler, TooManyInfiniteWeightsError } from "./priority";
import { Xoshiro128 } from "./rng";
import { UniformSampler } from "./uniform";

interface Rows {
  us: Float64Array;
  ws: Float64Array;
  targets: Float64Array;
}

/**
 * rows: n seeded rows, u uniform in (0,1), w Pareto(1.5) but for the weight policy's rows: every
 * 97th NaN, every 89th negative, every 83rd zero, every 211th -Infinity, and +Infinity at the
 * rows in `infinite`. Targets are w rounded, or 1000 + i where w is not finite.
 */
function rows(n: number, seed: number, infinite: readonly number[] = []): Rows {
  const rng = Xoshiro128.fromSeed(seed);
  const us = new Float64Array(n);
  const ws = new Float64Array(n);
  const targets = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    us[i] = rng.nextDouble();
    let w = rng.nextDouble() ** (-1 / 1.5);
    if (i % 97 === 5) w = Number.NaN;
    else if (i % 89 === 7) w = -w;
    else if (i % 83 === 11) w = 0;
    else if (i % 211 === 13) w = -Infinity;
    if (infinite.includes(i)) w = Infinity;
    ws[i] = w;
    targets[i] = Number.isFinite(w) ? Math.round(w * 100) / 100 : 1000 + i;
  }
  return { us, ws, targets };
}

/** Batch sizes to cut the rows into: one row, odd sizes, the kernel's 4096, and everything. */
const BATCHES = [1, 7, 1000, 4096, Infinity];

/** The item of row i, as a caller would copy it out: an object, so that identity is checked. */
const itemOf = (i: number) => ({ row: i });

/** offerAll: offers rows [from, to) in batches of `batch` through `offerBatch`. */
function offerAll(n: number, batch: number, offerBatch: (from: number, to: number) => void): void {
  for (let from = 0; from < n; from += Math.min(batch, n)) offerBatch(from, Math.min(from + batch, n));
}

describe("offerMany agrees with offer", () => {
  test("BernoulliSampler: same sample and counts, items asked for only for the rows kept", () => {
    const n = 30_000;
    const { us } = rows(n, 1);
    for (const p of [0.05, 0.5, 1]) {
      const single = new BernoulliSampler<{ row: number }>(p);
      for (let i = 0; i < n; i++) single.offer(us[i]!, itemOf(i));
      const expected = single.finish();
      for (const batch of BATCHES) {
        const bulk = new BernoulliSampler<{ row: number }>(p);
        let calls = 0;
        offerAll(n, batch, (from, to) =>
          bulk.offerMany(us, undefined, from, to, (i) => {
            calls++;
            return itemOf(i);
          }),
        );
        const got = bulk.finish();
        expect(got).toEqual(expected);
        expect(calls).toBe(expected.kept.length);
      }
    }
  });

  for (const k of [1, 100, 5000]) {
    test(`UniformSampler k = ${k}: same sample and counts, items asked for where mightKeep says so`, () => {
      const n = 40_000;
      const { us } = rows(n, 2);
      const single = new UniformSampler<{ row: number }>(k);
      let copies = 0;
      for (let i = 0; i < n; i++) {
        const copy = single.mightKeep(us[i]!);
        copies += +copy;
        single.offer(us[i]!, copy ? itemOf(i) : { row: -1 });
      }
      const expected = single.finish();
      expect(expected.kept).toHaveLength(k);
      for (const batch of BATCHES) {
        const bulk = new UniformSampler<{ row: number }>(k);
        let calls = 0;
        offerAll(n, batch, (from, to) =>
          bulk.offerMany(us, undefined, from, to, (i) => {
            calls++;
            return itemOf(i);
          }),
        );
        expect(bulk.finish()).toEqual(expected);
        expect(calls).toBe(copies);
      }
    });
  }

  for (const [k, infinite] of [
    [1, []],
    [100, [3, 5000, 17_777]],
    [5000, [0, 1, 2, 39_999]],
  ] as const) {
    test(`PrioritySampler k = ${k}, ${infinite.length} infinite weights: same sample, tau, counts and sums`, () => {
      const n = 40_000;
      const { us, ws, targets } = rows(n, 3, infinite);
      for (const withTargets of [false, true]) {
        const single = new PrioritySampler<{ row: number }>(k);
        let copies = 0;
        for (let i = 0; i < n; i++) {
          const copy = single.mightKeep(us[i]!, ws[i]!);
          copies += +copy;
          single.offer(us[i]!, ws[i]!, copy ? itemOf(i) : { row: -1 }, withTargets ? targets[i] : undefined);
        }
        const expected = single.finish();
        expect(expected.kept.length).toBe(k);
        expect(expected.excluded).toBeGreaterThan(0);
        expect(expected.zeroWeight).toBeGreaterThan(0);
        expect(expected.infiniteWeight).toBe(infinite.length);
        if (withTargets) expect(expected.excludedTargetSum).toBeGreaterThan(0);
        for (const batch of BATCHES) {
          const bulk = new PrioritySampler<{ row: number }>(k);
          let calls = 0;
          offerAll(n, batch, (from, to) =>
            bulk.offerMany(
              us,
              ws,
              from,
              to,
              (i) => {
                calls++;
                return itemOf(i);
              },
              withTargets ? targets : undefined,
            ),
          );
          expect(bulk.finish()).toEqual(expected);
          // Only rows that may be kept are copied: no more than mightKeep lets through.
          expect(calls).toBeLessThanOrEqual(copies);
          expect(calls).toBeGreaterThanOrEqual(k);
        }
      }
    });
  }

  test("scale: weights times 1e-300 and 1e300 agree too", () => {
    const n = 20_000;
    const { us, ws } = rows(n, 4, [10]);
    for (const scale of [1e-300, 1e300]) {
      const scaled = ws.map((w) => w * scale);
      const single = new PrioritySampler<number>(200);
      for (let i = 0; i < n; i++) single.offer(us[i]!, scaled[i]!, i);
      const bulk = new PrioritySampler<number>(200);
      bulk.offerMany(us, scaled, 0, n, (i) => i);
      expect(bulk.finish()).toEqual(single.finish());
    }
  });
  test("subnormal corner: tiny u and w whose products leave the normal range agree too", () => {
    // 1,000 rows of weight about 1e-282 set tau near 1e-282 (so the cut is in use), then rows
    // with u about 1e-33 and w = u tau (1 + d), |d| < 1e-7: cut * u is subnormal, rounded to far
    // more than the cut's margin, so neither fast rejection may settle them.
    const rng = Xoshiro128.fromSeed(9);
    const n = 3000;
    const us = new Float64Array(n);
    const ws = new Float64Array(n);
    for (let i = 0; i < 1000; i++) {
      us[i] = rng.nextDouble();
      ws[i] = 1e-284 * rng.nextDouble() ** (-1 / 1.5);
    }
    const probe = new PrioritySampler<number>(3);
    probe.offerMany(us, ws, 0, 1000, (i) => i);
    const tau = probe.finish().tau;
    expect(tau).toBeGreaterThan(1e-289);
    for (let i = 1000; i < n; i++) {
      us[i] = 1e-33 * (1 + rng.nextDouble());
      ws[i] = us[i]! * tau * (1 + (rng.nextDouble() - 0.5) * 2e-7);
    }
    const single = new PrioritySampler<number>(3);
    for (let i = 0; i < n; i++) single.offer(us[i]!, ws[i]!, i);
    const bulk = new PrioritySampler<number>(3);
    bulk.offerMany(us, ws, 0, n, (i) => i);
    const expected = single.finish();
    expect(bulk.finish()).toEqual(expected);
    // The exact top 3 by w/u, from logarithms as the slow path takes them.
    const byPriority = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => Math.log(ws[b]!) - Math.log(us[b]!) - (Math.log(ws[a]!) - Math.log(us[a]!)),
    );
    expect(expected.kept.map((k) => k.item).sort()).toEqual(byPriority.slice(0, 3).sort());
  });
});

describe("offerMany errors leave the sampler as offer would", () => {
  /** us with a bad u at row `at`. */
  function withBad(u: number, at: number, n: number): Float64Array {
    const { us } = rows(n, 5);
    us[at] = u;
    return us;
  }

  for (const bad of [0, 1, -0.5, 1.5, Number.NaN, Infinity]) {
    test(`u = ${bad}: RangeError at that row, the rows before it offered`, () => {
      const n = 9000;
      const at = 5000;
      const us = withBad(bad, at, n);
      const ws = rows(n, 5).ws;
      const make = () =>
        [new BernoulliSampler<number>(0.3), new UniformSampler<number>(50), new PrioritySampler<number>(50)] as const;
      const [b1, u1, p1] = make();
      const [b2, u2, p2] = make();
      for (let i = 0; i < at; i++) {
        b1.offer(us[i]!, i);
        u1.offer(us[i]!, i);
        p1.offer(us[i]!, ws[i]!, i);
      }
      expect(() => b1.offer(us[at]!, at)).toThrow(RangeError);
      expect(() => u1.offer(us[at]!, at)).toThrow(RangeError);
      expect(() => p1.offer(us[at]!, ws[at]!, at)).toThrow(RangeError);
      expect(() => b2.offerMany(us, undefined, 0, n, (i) => i)).toThrow(RangeError);
      expect(() => u2.offerMany(us, undefined, 0, n, (i) => i)).toThrow(RangeError);
      expect(() => p2.offerMany(us, ws, 0, n, (i) => i)).toThrow(RangeError);
      expect(b2.finish()).toEqual(b1.finish());
      expect(u2.finish()).toEqual(u1.finish());
      expect(p2.finish()).toEqual(p1.finish());
    });
  }

  test("too many infinite weights: the error at the same row, the sampler still usable", () => {
    const n = 3000;
    const { us, ws } = rows(n, 6, [10, 20, 30, 40]);
    const single = new PrioritySampler<number>(3);
    let thrownAt = -1;
    for (let i = 0; i < n && thrownAt < 0; i++) {
      try {
        single.offer(us[i]!, ws[i]!, i);
      } catch (e) {
        expect(e).toBeInstanceOf(TooManyInfiniteWeightsError);
        thrownAt = i;
      }
    }
    expect(thrownAt).toBe(40);
    const bulk = new PrioritySampler<number>(3);
    expect(() => bulk.offerMany(us, ws, 0, n, (i) => i)).toThrow(TooManyInfiniteWeightsError);
    expect(bulk.finish()).toEqual(single.finish());
    // Both go on past the row that threw.
    for (let i = thrownAt + 1; i < n; i++) single.offer(us[i]!, ws[i]!, i);
    bulk.offerMany(us, ws, thrownAt + 1, n, (i) => i);
    expect(bulk.finish()).toEqual(single.finish());
  });

  test("an item callback that throws: that row and the rest not offered", () => {
    const n = 5000;
    const { us, ws } = rows(n, 7);
    for (const make of [
      () => new BernoulliSampler<number>(0.2),
      () => new UniformSampler<number>(20),
      () => new PrioritySampler<number>(20),
    ]) {
      const bulk = make();
      const offerMany = (from: number, to: number, item: (i: number) => number) => {
        if (bulk instanceof PrioritySampler) bulk.offerMany(us, ws, from, to, item);
        else bulk.offerMany(us, undefined, from, to, item);
      };
      // Throw on the 30th item asked for.
      let calls = 0;
      let failedAt = -1;
      expect(() =>
        offerMany(0, n, (i) => {
          if (++calls === 30) {
            failedAt = i;
            throw new Error("copy failed");
          }
          return i;
        }),
      ).toThrow("copy failed");
      expect(bulk.finish().offered).toBe(failedAt);
      offerMany(failedAt + 1, n, (i) => i);
      // The same as offering every row but that one.
      const single = make();
      for (let i = 0; i < n; i++) {
        if (i === failedAt) continue;
        if (single instanceof PrioritySampler) single.offer(us[i]!, ws[i]!, i);
        else single.offer(us[i]!, i);
      }
      expect(bulk.finish()).toEqual(single.finish());
    }
  });

  test("a bad range throws before any row is offered", () => {
    const { us, ws } = rows(100, 8);
    const s = new PrioritySampler<number>(5);
    for (const [from, to] of [
      [-1, 10],
      [10, 5],
      [0, 101],
      [0.5, 10],
    ] as const) {
      expect(() => s.offerMany(us, ws, from, to, (i) => i)).toThrow(RangeError);
    }
    expect(() => s.offerMany(us, ws.subarray(0, 50), 0, 60, (i) => i)).toThrow(RangeError);
    expect(() => new UniformSampler<number>(3).offerMany(us, undefined, 0, 101, (i) => i)).toThrow(RangeError);
    expect(() => new BernoulliSampler<number>(0.5).offerMany(us, undefined, 3, 2, (i) => i)).toThrow(RangeError);
    expect(s.finish().offered).toBe(0);
    // An empty range offers nothing.
    s.offerMany(us, ws, 7, 7, (i) => i);
    expect(s.finish().offered).toBe(0);
  });
});
