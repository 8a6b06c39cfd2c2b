import { expect, test } from "bun:test";
import { slotRange, withBars } from "./histogram";

test("a log2 histogram's rows get their range and a bar scaled to the largest count", () => {
  const rs = withBars(
    { columns: [{ name: "key", numeric: true }, { name: "count", numeric: true }], rows: [[0, 5], [3, 20], [10, 0]], meta: {} },
    "us",
    "count",
  );
  expect(rs.columns.map((c) => c.name)).toEqual(["key", "range", "count", "bar"]);
  expect(rs.rows).toEqual([
    [0, "[0, 2) us", 5, "█".repeat(10)],
    [3, "[8, 16) us", 20, "█".repeat(40)],
    [10, "[1024, 2048) us", 0, ""],
  ]);
  expect(slotRange(1, "ms")).toBe("[2, 4) ms");
});

test("a result without the key or the count column is left as it is", () => {
  const rs = { columns: [{ name: "count", numeric: true }], rows: [[3]], meta: {} };
  expect(withBars(rs, "us", "count")).toBe(rs);
});
