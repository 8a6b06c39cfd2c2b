import Table from "cli-table3";
import type { ChalkInstance } from "chalk";
import type { Cell, Meta, ResultSet } from "./result-set";

/** formatCell: one value as table text: probabilities to 4 significant digits, u64 exact. */
export function formatCell(v: Cell, column: string): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "null" : v > 0 ? "inf" : "-inf";
    if (column === "prob") return String(Number(v.toPrecision(4)));
    return Number.isInteger(v) ? String(v) : v.toPrecision(6);
  }
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (typeof v === "string") return v;
  return JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x));
}

/** metaLine: the one line under a table saying how its rows came to be. */
export function metaLine(rows: number, meta: Meta): string {
  const parts: string[] = [];
  const shown = `${rows} ${rows === 1 ? "row" : "rows"}`;
  parts.push(meta.scanned !== undefined ? `${shown} of ${meta.scanned} ${meta.scanned === 1 ? "entry" : "entries"}` : shown);
  if (meta.method) parts.push(meta.method);
  if (meta.seed !== undefined) parts.push(`seed ${meta.seed}`);
  if (meta.excluded) parts.push(`${meta.excluded} left out (weight zero or not a positive number)`);
  if (meta.readMethod) parts.push(meta.readMethod);
  for (const n of meta.notes ?? []) parts.push(n);
  if (meta.elapsedMs !== undefined) parts.push(`${meta.elapsedMs.toFixed(1)} ms`);
  return parts.join(" · ");
}

// cli-table3 lays out a table in time that grows faster than its row count (2,000 rows take
// half a second), so long results are drawn in chunks of this many rows with shared widths.
const CHUNK = 100;

/** renderTable: a result set as a cli-table3 table plus its meta line. */
export function renderTable(rs: ResultSet, chalk: ChalkInstance): string {
  const cells = rs.rows.map((r) => r.map((v, i) => formatCell(v, rs.columns[i]!.name)));
  const colWidths = rs.columns.map(
    (c, i) => 2 + cells.reduce((w, r) => Math.max(w, Bun.stringWidth(r[i]!)), Bun.stringWidth(c.name)),
  );
  const options = {
    colWidths,
    colAligns: rs.columns.map((c) => (c.numeric ? "right" : "left")) as ("right" | "left")[],
    style: { head: [], border: [] },
    // No rule between body rows: a sample is read down its columns.
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  };
  const parts: string[] = [];
  for (let at = 0; at === 0 || at < cells.length; at += CHUNK) {
    const t = at === 0 ? new Table({ ...options, head: rs.columns.map((c) => chalk.bold(c.name)) }) : new Table(options);
    t.push(...cells.slice(at, at + CHUNK));
    let lines = t.toString().split("\n");
    if (at > 0) lines = lines.slice(1); // the top border
    if (at + CHUNK < cells.length) lines = lines.slice(0, -1); // the bottom border
    parts.push(lines.join("\n"));
  }
  return `${parts.join("\n")}\n${chalk.dim(metaLine(rs.rows.length, rs.meta))}`;
}
