import { expect, test } from "bun:test";
import { RowsSource } from "../sources/source";
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
