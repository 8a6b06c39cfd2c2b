import type { Cell, ResultSet } from "./result-set";

/**
 * withDeltas: a result with, after each numeric column, the change of its value since `prev`
 * (the previous refresh of a `watch`), named `Δname`. A row is matched to the previous round's
 * by its first column (a map's key, a process id) and its text columns; a row new this round,
 * or a value that is not a number, has no change (null). The first column and `prob` get none.
 */
export function withDeltas(prev: ResultSet | undefined, cur: ResultSet): ResultSet {
  if (!prev || cur.rows.length === 0) return cur;
  const numeric = cur.columns.map((c, i) => i > 0 && c.numeric && c.name !== "prob");
  if (!numeric.some(Boolean)) return cur;
  const identity = (row: Cell[], cols: ResultSet["columns"]) =>
    JSON.stringify(cols.map((c, i) => (i === 0 || !c.numeric ? row[i] : undefined)), (_, v) => (typeof v === "bigint" ? `${v}n` : v));
  const before = new Map<string, Cell[]>();
  const prevIndex = new Map(prev.columns.map((c, i) => [c.name, i]));
  for (const r of prev.rows) before.set(identity(r, prev.columns), r);
  const columns: ResultSet["columns"] = [];
  cur.columns.forEach((c, i) => {
    columns.push(c);
    if (numeric[i]) columns.push({ name: `Δ${c.name}`, numeric: true });
  });
  const rows = cur.rows.map((r) => {
    const old = before.get(identity(r, cur.columns));
    const out: Cell[] = [];
    r.forEach((v, i) => {
      out.push(v);
      if (!numeric[i]) return;
      const j = prevIndex.get(cur.columns[i]!.name);
      const was = old && j !== undefined ? old[j] : undefined;
      out.push(typeof v === "number" && typeof was === "number" ? v - was : typeof v === "bigint" && typeof was === "bigint" ? v - was : null);
    });
    return out;
  });
  return { ...cur, columns, rows };
}
