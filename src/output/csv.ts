import { jsonValue } from "./json";
import type { Cell, ResultSet } from "./result-set";

/**
 * CSV output (RFC 4180), for spreadsheets and files:
 *
 * - The first record is the column names. Records end with CRLF; the text ends without a line
 *   break after the last record (which RFC 4180 allows), like renderTable; a writer adds one.
 * - A field is quoted when it holds a comma, a double quote, CR or LF; a quote inside is doubled.
 * - null is an empty field; an empty string is `""`, so the two stay apart (as PostgreSQL's
 *   COPY ... CSV does).
 * - Numbers are written in their shortest exact form, bigints with all their digits (u64 exact),
 *   booleans as `true`/`false`, nested values (arrays, structs) as compact JSON with bigints as
 *   strings. A number that is not finite is an empty field, as it is null in JSON output.
 */

/** csvField: one value as a CSV field, quoted when it must be. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "";
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  const text = typeof v === "string" ? v : jsonValue(v);
  return text === "" || /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** renderCsv: a result set as CSV: a header of column names, then one record per row. */
export function renderCsv(rs: ResultSet): string {
  const records = [rs.columns.map((c) => csvField(c.name)).join(",")];
  for (const row of rs.rows) records.push(rs.columns.map((_, i) => csvField(row[i] ?? null)).join(","));
  return records.join("\r\n");
}
