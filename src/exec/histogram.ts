import type { Cell, ResultSet } from "../output/result-set";

/** BAR_WIDTH: the characters of the longest bar (the largest count). */
const BAR_WIDTH = 40;

/** slotRange: the values slot i of a log2 histogram counts: [2^i, 2^(i+1)), slot 0 from 0. */
export function slotRange(slot: number, unit: string): string {
  return `[${slot === 0 ? 0 : 2 ** slot}, ${2 ** (slot + 1)}) ${unit}`;
}

/**
 * withBars: the rows of a log2 histogram map (key: the slot) with each slot's range after the
 * key and a text bar for its count last, the largest count BAR_WIDTH characters long. A result
 * without the key or count column (a `select` left them out) comes back as it is.
 */
export function withBars(rs: ResultSet, unit: string, countColumn: string): ResultSet {
  const key = rs.columns.findIndex((c) => c.name === "key");
  const count = rs.columns.findIndex((c) => c.name === countColumn);
  if (key < 0 || count < 0) return rs;
  const max = Math.max(0, ...rs.rows.map((r) => Number(r[count] ?? 0)));
  const rows: Cell[][] = rs.rows.map((r) => {
    const n = Number(r[count] ?? 0);
    const bar = max > 0 ? "█".repeat(Math.round((n / max) * BAR_WIDTH)) : "";
    return [...r.slice(0, key + 1), slotRange(Number(r[key]), unit), ...r.slice(key + 1), bar];
  });
  const columns = [...rs.columns.slice(0, key + 1), { name: "range", numeric: false }, ...rs.columns.slice(key + 1), { name: "bar", numeric: false }];
  return { ...rs, columns, rows };
}
