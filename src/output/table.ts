import Table from "cli-table3";
import type { ChalkInstance } from "chalk";
import type { Cell, Meta, ResultSet } from "./result-set";
import { formatBytes, formatDuration, groupDigits } from "./units";

/**
 * Tables for people (JSON and CSV are for programs and keep every value exact):
 *
 * - Numbers are whole and right-aligned. Integers get thousands separators (`1,234,567`) unless
 *   the column names an identifier (`pid`, `cpu`, `port`, `*_id`, ...: see ID_NAME). Fractions
 *   keep six significant digits (`0.333333`, `1,234.57`); from 100,000 on they are rounded to
 *   whole numbers (`1,234,568`) rather than put in exponent form.
 * - A column whose name (its last dotted part) ends in `_ns` shows durations (`1.23 ms`), one
 *   ending in `_bytes` or named `memory` shows sizes (`1.21 MiB`); see units.ts for precision.
 *   `prob` shows four significant digits. The header stays the field name.
 * - Control characters in text are shown escaped (`\n`, `\t`, `\x1b`), so a value from a map can
 *   neither break a row over lines nor send escape sequences to the terminal.
 * - Given a width, the table fits it: numbers are never cut; text columns give up room, the
 *   widest first, down to their header's width (at least 4 characters and an ellipsis), and only
 *   if that is still too wide below it, down to a lone `…`. A table whose numbers alone are wider
 *   than the terminal is left wider.
 */

// Identifier-like columns: their integers are names, not amounts, so no thousands separators.
const ID_NAME =
  /^(?:pid|tid|tgid|ppid|pgid|sid|uid|gid|euid|egid|cpu|id|fd|port|sport|dport|ino|inode|dev|ifindex|errno|seed|idx|index|key|flags|mask|hash|addr|saddr|daddr|ip)$|_(?:id|pid|tid|uid|gid|cpu|idx|port|addr|flags|mask|hash)$/;

const enum Kind {
  Amount,
  Identifier,
  Probability,
  Duration,
  Bytes,
  Percent,
}

/** kindOf: how a column's numbers are shown, from its name (the last part of a dotted path). */
function kindOf(column: string): Kind {
  if (column === "prob") return Kind.Probability;
  const name = column.slice(column.lastIndexOf(".") + 1).toLowerCase();
  if (name.endsWith("_ns")) return Kind.Duration;
  if (name.endsWith("_bytes") || name === "memory") return Kind.Bytes;
  if (name.endsWith("_pct")) return Kind.Percent;
  if (ID_NAME.test(name)) return Kind.Identifier;
  return Kind.Amount;
}

// C0 controls, DEL and C1 controls.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;
const ESCAPES: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function escapeControl(c: string): string {
  return ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, "0"));

/**
 * groupInteger: an integer below 2^53 in magnitude with thousands separators, by arithmetic over
 * three-digit groups: what groupDigits(String(v)) gives (a test holds them equal), without
 * slicing the digits.
 */
function groupInteger(v: number): string {
  let n = v < 0 ? -v : v;
  if (n < 1000) return String(v);
  let q = Math.floor(n / 1000);
  let out = THREE_DIGITS[n - q * 1000]!;
  while (q >= 1000) {
    n = q;
    q = Math.floor(n / 1000);
    out = `${THREE_DIGITS[n - q * 1000]!},${out}`;
  }
  return `${v < 0 ? "-" : ""}${q},${out}`;
}

/** formatNumber: a finite number or a bigint as a table shows it in a column of `kind`. */
function formatNumber(v: number | bigint, kind: Kind): string {
  switch (kind) {
    case Kind.Duration: return formatDuration(v);
    case Kind.Bytes: return formatBytes(v);
    case Kind.Probability: return typeof v === "bigint" ? String(v) : String(Number(v.toPrecision(4)));
    case Kind.Percent: return `${typeof v === "bigint" ? String(v) : String(Number(v.toPrecision(3)))}%`;
    case Kind.Identifier: return typeof v === "bigint" || Number.isInteger(v) ? String(v) : v.toPrecision(6);
  }
  if (typeof v === "bigint") return groupDigits(String(v));
  const a = Math.abs(v);
  if (a >= 1e21) return String(v); // exponent form: no digits to group
  if (Number.isInteger(v)) return a < 2 ** 53 ? groupInteger(v) : groupDigits(String(v));
  if (a >= 1e5) return groupDigits(String(Math.round(v)));
  const text = v.toPrecision(6);
  if (a < 1000 || text.includes("e")) return text;
  const dot = text.indexOf(".");
  return dot < 0 ? groupDigits(text) : groupDigits(text.slice(0, dot)) + text.slice(dot);
}

/** formatValue: one value as table text for a column of `kind`. */
function formatValue(v: Cell | undefined, kind: Kind): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "null" : v > 0 ? "inf" : "-inf";
    return formatNumber(v, kind);
  }
  if (typeof v === "bigint") return formatNumber(v, kind);
  if (typeof v === "boolean") return String(v);
  const text = typeof v === "string" ? v : JSON.stringify(v, (_, x) => (typeof x === "bigint" ? x.toString() : x));
  return CONTROL.test(text) ? text.replace(CONTROLS, escapeControl) : text;
}

/**
 * formatCell: one value as table text: numbers with thousands separators, durations (`*_ns`)
 * and sizes (`*_bytes`, `memory`) in human units, probabilities to 4 significant digits,
 * control characters escaped. u64 values above 2^53 keep every digit.
 */
export function formatCell(v: Cell, column: string): string {
  return formatValue(v, kindOf(column));
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
  const line = parts.join(" · ");
  const totals = totalsLine(meta);
  return totals ? `${line}\n${totals}` : line;
}

/**
 * totalsLine: a sample's estimated totals (sum of value / prob) of its amount columns, each in
 * its column's units with one standard error to 3 digits (`est. totals: calls 1,234 ± 56 · total_ns 1.2 s ±
 * 30 ms`); exact totals have no ±. Identifier columns (pid, *_id...) have no meaningful total.
 */
function totalsLine(meta: Meta): string | undefined {
  const shown = (meta.estTotals ?? []).filter((t) => {
    const kind = kindOf(t.column);
    return kind !== Kind.Identifier && kind !== Kind.Probability && Number.isFinite(t.estimate);
  });
  if (!shown.length) return undefined;
  const exact = shown.every((t) => t.exact);
  const items = shown.map((t) => {
    const kind = kindOf(t.column);
    const v = formatNumber(t.estimate, kind);
    return t.exact || !Number.isFinite(t.se) ? `${t.column} ${v}` : `${t.column} ${v} ± ${formatNumber(Number(t.se.toPrecision(3)), kind)}`;
  });
  return `${exact ? "totals (the sample is the whole population)" : "est. totals (Horvitz-Thompson, ± 1 standard error)"}: ${items.join(" · ")}`;
}

/** TableOptions: how a table is laid out; `width` is the terminal's, none means no limit. */
export interface TableOptions {
  width?: number;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

let graphemes: Intl.Segmenter | undefined;

/**
 * truncate: `s` (wider than `width`) cut to `width - 1` columns plus `…`, as cli-table3 cuts,
 * but never inside a character: a wide character that does not fit leaves a blank.
 */
function truncate(s: string, width: number): string {
  const room = width - 1;
  if (PRINTABLE_ASCII.test(s)) return s.slice(0, room) + "…";
  graphemes ??= new Intl.Segmenter();
  let out = "";
  let used = 0;
  for (const { segment } of graphemes.segment(s)) {
    const w = Bun.stringWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return out + "…";
}

/**
 * fitWidths: the content width of each column so the table's lines take at most `avail`
 * content columns in all: columns above their floor give up room widest first (each is capped
 * at the largest common limit that fits), and room left over by rounding goes to the leftmost
 * capped columns. Returns null when even the floors do not fit.
 */
function fitWidths(natural: number[], floor: number[], avail: number): number[] | null {
  const sumAt = (cap: number) => natural.reduce((s, n, i) => s + Math.max(floor[i]!, Math.min(n, cap)), 0);
  if (sumAt(0) > avail) return null;
  let lo = 0;
  let hi = Math.max(0, ...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (sumAt(mid) <= avail) lo = mid;
    else hi = mid - 1;
  }
  const widths = natural.map((n, i) => Math.max(floor[i]!, Math.min(n, lo)));
  let spare = avail - sumAt(lo);
  for (let i = 0; i < widths.length && spare > 0; i++) {
    if (widths[i]! < natural[i]!) {
      widths[i]!++;
      spare--;
    }
  }
  return widths;
}

// The room kept for a text column before any header is cut: four characters and an ellipsis.
const MIN_TEXT = 5;

/**
 * layout: each column's content width: its widest cell or header, narrowed to fit `width`
 * (see the top of this file).
 */
function layout(natural: number[], header: number[], keep: number[], width: number | undefined): number[] {
  if (width === undefined || !(width > 0)) return natural;
  // A line is "│" then " cell │" per column.
  const avail = width - 1 - 3 * natural.length;
  if (natural.reduce((s, n) => s + n, 0) <= avail) return natural;
  const readable = natural.map((n, i) => Math.min(n, Math.max(keep[i]!, header[i]!, MIN_TEXT)));
  const least = natural.map((n, i) => Math.max(keep[i]!, Math.min(n, 1)));
  return fitWidths(natural, readable, avail) ?? fitWidths(natural, least, avail) ?? least;
}

/**
 * renderTable: a result set as a table plus its meta line, fitted to `opts.width` when given.
 *
 * cli-table3 draws the borders and the header; the body rows, which it would lay out in time
 * that grows faster than their count, are drawn here with the very characters, padding and
 * alignment it uses (a test holds the two byte for byte), in time linear in the cells.
 */
export function renderTable(rs: ResultSet, chalk: ChalkInstance, opts: TableOptions = {}): string {
  const meta = chalk.dim(metaLine(rs.rows.length, rs.meta));
  const ncol = rs.columns.length;
  if (ncol === 0) return meta;
  const nrow = rs.rows.length;

  // Every cell's text and width, row by row in one flat array.
  const texts = new Array<string>(nrow * ncol);
  const cellWidths = new Int32Array(nrow * ncol);
  const natural = rs.columns.map((c) => Bun.stringWidth(c.name));
  const header = natural.slice();
  // The narrowest each column may get: numeric columns keep their width, text columns the
  // width of any number they hold.
  const keep = new Array<number>(ncol).fill(0);
  const kinds = rs.columns.map((c) => kindOf(c.name));
  const numeric = rs.columns.map((c) => c.numeric);
  for (let i = 0; i < ncol; i++) {
    const kind = kinds[i]!;
    let widest = natural[i]!;
    let widestNumber = 0;
    for (let r = 0, at = i; r < nrow; r++, at += ncol) {
      const v = rs.rows[r]![i];
      // Finite numbers straight to formatNumber, so that neither function is compiled for one
      // type of value and thrown out when a column brings another.
      let text: string;
      let isNumber: boolean;
      let w: number;
      if (typeof v === "number" && Number.isFinite(v)) {
        text = formatNumber(v, kind);
        isNumber = true;
        w = text.length;
      } else {
        text = formatValue(v, kind);
        // Numbers, booleans and null come out as printable ASCII; only text needs measuring.
        const isText = typeof v === "string" || (typeof v === "object" && v !== null);
        isNumber = !isText && v !== null && v !== undefined && typeof v !== "boolean";
        w = isText ? Bun.stringWidth(text) : text.length;
      }
      texts[at] = text;
      cellWidths[at] = w;
      if (w > widest) widest = w;
      if (isNumber && w > widestNumber) widestNumber = w;
    }
    natural[i] = widest;
    keep[i] = numeric[i] ? widest : widestNumber;
  }
  const widths = layout(natural, header, keep, opts.width);

  const frame = new Table({
    head: rs.columns.map((c) => chalk.bold(c.name)),
    colWidths: widths.map((w) => w + 2),
    colAligns: numeric.map((n) => (n ? "right" : "left")),
    style: { head: [], border: [] },
    // No rule between body rows: a sample is read down its columns.
    chars: { mid: "", "left-mid": "", "mid-mid": "", "right-mid": "" },
  })
    .toString()
    .split("\n");
  const bottom = frame.pop()!;

  // The body, as cli-table3 draws a row: "│" then " cell │" per column, padded to the column.
  const spaces: string[] = [];
  const lines = frame;
  const parts: string[] = [];
  for (let r = 0, at = 0; r < nrow; r++) {
    parts.length = 0;
    parts.push("│");
    for (let i = 0; i < ncol; i++, at++) {
      let text = texts[at]!;
      const width = widths[i]!;
      let w = cellWidths[at]!;
      if (w > width) {
        text = truncate(text, width);
        w = Bun.stringWidth(text);
      }
      const n = width - w;
      const pad = n <= 0 ? "" : (spaces[n] ??= " ".repeat(n));
      if (numeric[i]) parts.push(" ", pad, text, " │");
      else parts.push(" ", text, pad, " │");
    }
    lines.push(parts.join(""));
  }
  lines.push(bottom);
  return `${lines.join("\n")}\n${meta}`;
}
