import type { Cell, ResultSet } from "./result-set";

/**
 * JSON output: a result set's rows as objects keyed by column name, for pipes (`jq`) and files.
 *
 * - u64 values stay exact: a bigint (every integer beyond 2^53 is one) is written as a JSON
 *   string of its digits, inside nested values too; numbers up to 2^53 are JSON numbers.
 * - Nested values (arrays, structs) are JSON arrays and objects.
 * - A number that is not finite (NaN, Infinity) is written as null, as JSON.stringify does.
 * - The result's meta (entries scanned, method, seed...) is not part of the output: the text is
 *   the rows and nothing else, so every consumer sees the same shape. The caller decides whether
 *   and where to show meta.
 * - The text ends without a line break, like renderTable; the writer adds one.
 */

/** jsonReplacer: JSON.stringify's replacer that writes bigints as strings of their digits. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

/** jsonValue: one cell as JSON text (bigints as strings, nested values as compact JSON). */
export function jsonValue(v: Cell): string {
  // The common cases first, without JSON.stringify: this runs for every cell of a full dump.
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "bigint") return `"${v}"`;
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "string") return JSON.stringify(v);
  return JSON.stringify(v ?? null, jsonReplacer);
}

/**
 * jsonKeys: the text before each value of a row written as a JSON object: `{"name":` for the
 * first column, `,"name":` for the others.
 */
export function jsonKeys(columns: ReadonlyArray<{ name: string }>): string[] {
  return columns.map((c, i) => `${i ? "," : "{"}${JSON.stringify(c.name)}:`);
}

/** rowWriter: a function writing one row as a JSON object, with the keys' text made once. */
export function rowWriter(rs: Pick<ResultSet, "columns">): (row: Cell[]) => string {
  const keys = jsonKeys(rs.columns);
  return (row) => {
    let out = "";
    for (let i = 0; i < keys.length; i++) out += keys[i] + jsonValue(row[i] ?? null);
    return `${out}}`;
  };
}

/**
 * renderJson: the rows as a JSON array of objects, one object per line:
 *
 *     [
 *     {"comm":"nginx","qps":120},
 *     {"comm":"sshd","qps":3}
 *     ]
 *
 * `[]` when there are no rows. Columns are in result order.
 */
export function renderJson(rs: ResultSet): string {
  if (rs.rows.length === 0) return "[]";
  return `[\n${rs.rows.map(rowWriter(rs)).join(",\n")}\n]`;
}

/** renderNdjson: the rows as newline-delimited JSON, one object per line (empty for no rows). */
export function renderNdjson(rs: ResultSet): string {
  return rs.rows.map(rowWriter(rs)).join("\n");
}
