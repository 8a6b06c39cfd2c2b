import { expect, test } from "bun:test";
import { withDeltas } from "./deltas";
import type { ResultSet } from "./result-set";

const rs = (rows: (number | string | bigint)[][]): ResultSet => ({
  columns: [{ name: "pid", numeric: true }, { name: "comm", numeric: false }, { name: "calls", numeric: true }, { name: "prob", numeric: true }],
  rows,
  meta: {},
});

test("each numeric column gets its change since the previous refresh, rows matched by their first and text columns", () => {
  const prev = rs([[1, "a", 10, 1], [2, "b", 5n, 1]]);
  const cur = rs([[2, "b", 9n, 1], [1, "a", 12, 1], [3, "c", 7, 1]]);
  const d = withDeltas(prev, cur);
  expect(d.columns.map((c) => c.name)).toEqual(["pid", "comm", "calls", "Δcalls", "prob"]);
  expect(d.rows).toEqual([
    [2, "b", 9n, 4n, 1],
    [1, "a", 12, 2, 1],
    [3, "c", 7, null, 1],
  ]);
});

test("the first refresh, or a result without numbers to compare, is left as it is", () => {
  const cur = rs([[1, "a", 10, 1]]);
  expect(withDeltas(undefined, cur)).toBe(cur);
});
