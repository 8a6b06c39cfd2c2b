import { expect, test } from "bun:test";
import { entryCursor, RowsSource, type Source } from "../sources/source";
import { PrioritySampler, entryUniform } from "../sampling";
import { parseProgram } from "../lang/parse";
import type { SampleStmt } from "../lang/ast";
import { drawSample } from "./sample";

const weights = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 1000) + 1);
const source = new RowsSource("rows", [{ name: "w", numeric: true, typeName: "number" }], weights.map((w) => [w]));

test("a weighted percentage, kept for the most rows the source could hold and cut at the end, is exactly priority sampling of ceil(p * n)", () => {
  // The where clause leaves n = 1200 of the 2000 rows the source could hold: the sampler keeps
  // 60 (3% of 2000) and the cut leaves ceil(3% of 1200) = 36.
  const stmt = parseProgram("sample 3% from rows weighted by w where w > 400").statements[0] as SampleStmt;
  const kept = weights.filter((w) => w > 400).length;
  expect(kept).toBe(1200);
  for (const seed of [1, 2, 3]) {
    const d = drawSample(source, { method: { method: "priority", fraction: 0.03 }, weight: stmt.weightedBy!, where: stmt.where!, per: null, seed });
    const direct = new PrioritySampler<number>(36);
    const enc = new TextEncoder();
    weights.forEach((w, i) => {
      if (w > 400) direct.offer(entryUniform(seed, enc.encode(String(i))), w, i);
    });
    const r = direct.finish();
    expect(d.k).toBe(36);
    expect(d.tau).toBe(r.tau);
    expect(d.kept.map((k) => [k.entry.cell(0), k.prob])).toEqual(r.kept.map((k) => [weights[k.item]!, k.prob]));
  }
});

test("a weighted percentage with more infinite weights than its size is an error at the weight, not a silent cut", () => {
  // 100 rows, 3 of infinite weight: 1% keeps ceil(0.01 * 100) = 1 row, and each infinite weight
  // must be kept with probability 1.
  const rows = Array.from({ length: 100 }, (_, i) => [i < 3 ? Infinity : i + 1]);
  const src = new RowsSource("rows", [{ name: "w", numeric: true, typeName: "number" }], rows);
  const stmt = parseProgram("sample 1% from rows weighted by w").statements[0] as SampleStmt;
  let error: unknown;
  try {
    drawSample(src, { method: { method: "priority", fraction: 0.01 }, weight: stmt.weightedBy!, where: null, per: null, seed: 1 });
  } catch (e) {
    error = e;
  }
  expect(String((error as Error).message)).toContain("more rows have an infinite weight than the sample holds (1)");
  // Three places hold them.
  const d = drawSample(src, { method: { method: "priority", fraction: 0.03 }, weight: stmt.weightedBy!, where: null, per: null, seed: 1 });
  expect(d.kept.map((k) => [k.entry.cell(0), k.prob])).toEqual([[Infinity, 1], [Infinity, 1], [Infinity, 1]]);
});

test("a read that may hand a key over twice (an in-kernel walk of a changing map) shows each key once, and says how many came twice", () => {
  // Rows 0..9 with row 3 and row 7 seen a second time, as a walk can while the map changes.
  const enc = new TextEncoder();
  const visits = [0, 1, 2, 3, 4, 5, 3, 6, 7, 8, 9, 7].map((i) => ({ key: enc.encode(String(i)), cell: () => i }));
  const repeating = (mayRepeat: boolean): Source => ({
    label: "walk",
    columns: [{ name: "x", numeric: true, typeName: "number" }],
    sizeBound: 12,
    scan(visit) {
      for (const e of visits) visit(entryCursor(e));
      return { entries: visits.length, method: "", notes: [], mayRepeat };
    },
    close() {},
  });
  for (const method of [{ method: "uniform", k: 20 }, { method: "bernoulli", p: 1 }] as const) {
    const d = drawSample(repeating(true), { method, weight: null, where: null, per: null, seed: 5 });
    expect(d.kept.map((k) => k.entry.cell(0)).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(d.stats.notes).toEqual(["2 entries came twice while the map changed under the read (shown once)"]);
    // A read that cannot repeat a key is taken as it came (both copies kept).
    const plain = drawSample(repeating(false), { method, weight: null, where: null, per: null, seed: 5 });
    expect(plain.kept.length).toBe(12);
    expect(plain.stats.notes).toEqual([]);
  }
});
