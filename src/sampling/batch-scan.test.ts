/**
 * batch-scan: the scans against their one-row rule, for every stretch length up to 40 and at
 * CHUNK, at offsets into the arrays: the hits must be exactly the rows the rule does not
 * reject, in increasing order, however the stretch splits into the two halves and the rows
 * after them. The rows include the cases the rules must let through (u outside (0,1), NaN,
 * negative, zero, tiny and infinite weights) and rows on both sides of the cut.
 */
import { describe, expect, test } from "bun:test";
import { CHUNK, scanAbove, scanPriorities, TINY } from "./batch-scan";
import { Xoshiro128 } from "./rng";

const SPECIAL_U = [0, 1, -0.5, 1.5, Number.NaN, Infinity, 5e-324, 1 - 2 ** -53];
const SPECIAL_W = [0, -1, Number.NaN, Infinity, -Infinity, 5e-324, TINY, 1e300];

/** rows: n seeded (u, w), every 13th u and every 11th w one of the special values above. */
function rows(n: number, seed: number): { us: Float64Array; ws: Float64Array } {
  const rng = Xoshiro128.fromSeed(seed);
  const us = new Float64Array(n);
  const ws = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    us[i] = i % 13 === 3 ? SPECIAL_U[(i / 13) % SPECIAL_U.length | 0]! : rng.nextDouble();
    ws[i] = i % 11 === 4 ? SPECIAL_W[(i / 11) % SPECIAL_W.length | 0]! : rng.nextDouble() ** (-1 / 1.5);
  }
  return { us, ws };
}

/** The rows in [from, to) a one-row rule does not reject, in order. */
function expected(from: number, to: number, rejects: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) if (!rejects(i)) out.push(i);
  return out;
}

const LENGTHS = [...Array.from({ length: 41 }, (_, n) => n), 1001, 1002, 1003, CHUNK - 1, CHUNK];

describe("batch scans agree with their one-row rule", () => {
  const n = CHUNK + 64;
  const { us, ws } = rows(n, 7);
  const hits = new Int32Array(CHUNK);

  test("scanPriorities, for cuts that reject nothing, some and most rows", () => {
    for (const cut of [-0, 0.5, 3, 40, 1e6]) {
      const half = cut / 2;
      const rejects = (i: number) => {
        const u = us[i]!;
        const v = 1 - u;
        const h = half * u * v;
        return Math.abs(ws[i]! * v - h) < h - TINY;
      };
      for (const len of LENGTHS) {
        for (const from of [0, 5, 64]) {
          const m = scanPriorities(us, ws, from, from + len, cut, hits);
          expect(Array.from(hits.subarray(0, m))).toEqual(expected(from, from + len, rejects));
        }
      }
    }
  });

  test("scanAbove, for bounds that reject nothing, some and most rows", () => {
    for (const lo of [Infinity, 1, 0.999, 0.5, 0.01, 0]) {
      const c = (1 + lo) / 2;
      const r = (1 - lo) / 2 - 2 ** -50;
      const rejects = (i: number) => Math.abs(us[i]! - c) < r;
      for (const len of LENGTHS) {
        for (const from of [0, 5, 64]) {
          const m = scanAbove(us, from, from + len, lo, hits);
          expect(Array.from(hits.subarray(0, m))).toEqual(expected(from, from + len, rejects));
        }
      }
    }
  });

  test("the rules let through every row the samplers must see", () => {
    // A row rejected by scanPriorities has 0 < u < 1 and TINY < w < cut u; by scanAbove,
    // lo < u < 1.
    for (const cut of [3, 40, 1e6]) {
      const m = scanPriorities(us, ws, 0, CHUNK, cut, hits);
      const passed = new Set(hits.subarray(0, m));
      for (let i = 0; i < CHUNK; i++) {
        if (passed.has(i)) continue;
        const u = us[i]!;
        const w = ws[i]!;
        expect(u > 0 && u < 1 && w > TINY && w < cut * u * (1 + 2 ** -50)).toBe(true);
      }
      expect(m).toBeGreaterThan(0);
      expect(m).toBeLessThan(CHUNK);
    }
    for (const lo of [0.999, 0.5, 0.01]) {
      const m = scanAbove(us, 0, CHUNK, lo, hits);
      const passed = new Set(hits.subarray(0, m));
      for (let i = 0; i < CHUNK; i++) if (!passed.has(i)) expect(us[i]! > lo && us[i]! < 1).toBe(true);
      expect(m).toBeGreaterThan(0);
      expect(m).toBeLessThan(CHUNK);
    }
  });
});
