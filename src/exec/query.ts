import type { Value } from "../bpf/btf-decode";
import type { Expr } from "../lang/ast";
import type { Projection } from "../plan/config";
import type { Cell, ResultSet } from "../output/result-set";
import type { Source } from "../sources/source";
import { compileExpr, isTruthy, typeOf, type Row } from "./expr";
import { scopeOf } from "./scope";
import type { JsonOut } from "../output/json-out";
import { jsonKeys } from "../output/json";

export interface QueryShape {
  select: Projection[] | null;
  where: Expr | null;
  orderBy: { expr: Expr; descending: boolean }[];
  limit: number | null;
}

/** compareValues: the order `order by` sorts in: nulls last, numbers exactly (bigint too), text by code unit. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if ((typeof a === "number" || typeof a === "bigint") && (typeof b === "number" || typeof b === "bigint")) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  const x = typeof a === "string" ? a : JSON.stringify(a, (_, v) => (typeof v === "bigint" ? String(v) : v));
  const y = typeof b === "string" ? b : JSON.stringify(b, (_, v) => (typeof v === "bigint" ? String(v) : v));
  return x < y ? -1 : x > y ? 1 : 0;
}

interface Shown {
  name: string;
  eval: (row: Row) => Value;
  numeric: boolean;
}

/** prepare: a query's `where` and projections, compiled against the source. Throws DiagnosticError. */
function prepare(source: Source, q: QueryShape): { scope: ReturnType<typeof scopeOf>; where?: (row: Row) => Value; projections: Shown[] } {
  const scope = scopeOf(source);
  const where = q.where ? compileExpr(q.where, scope) : undefined;
  const projections: Shown[] = q.select
    ? q.select.map((p) => ({ name: p.name, eval: compileExpr(p.expr, scope), numeric: typeOf(p.expr, scope) === "number" }))
    : source.columns.map((c, i) => ({ name: c.name, eval: (row: Row) => row(i), numeric: c.numeric }));
  return { scope, where, projections };
}

/**
 * runQuery: the plain query: a full scan with no sampling. Rows pass `where`, are projected by
 * `select` (every column without it), sorted by `order by` (keys may name a projection's alias),
 * and cut at `limit`. Without `order by`, the scan still reads everything but keeps only `limit`
 * rows. Throws DiagnosticError (unknown fields, type errors), BpfError.
 */
export function runQuery(source: Source, q: QueryShape, started: number): ResultSet {
  const { scope, where, projections } = prepare(source, q);
  const aliases = new Map(projections.map((p, i) => [p.name, i]));
  const keys = q.orderBy.map((k) => {
    const alias = k.expr.kind === "field" && scope.column(k.expr.path) === undefined ? aliases.get(k.expr.path.join(".")) : undefined;
    return { alias, eval: alias === undefined ? compileExpr(k.expr, scope) : undefined, sign: k.descending ? -1 : 1 };
  });

  const rows: { cells: Cell[]; keys: Value[] }[] = [];
  let matched = 0;
  const stats = source.scan((c) => {
    const row = c.cell;
    if (where && !isTruthy(where(row))) return;
    matched++;
    if (!keys.length && q.limit !== null && rows.length >= q.limit) return;
    const cells = projections.map((p) => p.eval(row));
    rows.push({ cells, keys: keys.map((k) => (k.alias !== undefined ? cells[k.alias]! : k.eval!(row))) });
  });
  if (keys.length) {
    rows.sort((a, b) => {
      for (let i = 0; i < keys.length; i++) {
        const d = compareValues(a.keys[i]!, b.keys[i]!);
        if (d) return d * keys[i]!.sign;
      }
      return 0;
    });
  }
  const shown = q.limit !== null ? rows.slice(0, q.limit) : rows;
  const notes = [...stats.notes];
  if (where) notes.unshift(`${matched} matched where`);
  return {
    columns: projections.map((p) => ({ name: p.name, numeric: p.numeric })),
    rows: shown.map((r) => r.cells),
    meta: { scanned: stats.entries, method: "full scan, no sampling", readMethod: stats.method, notes, elapsedMs: performance.now() - started },
  };
}

/**
 * streamQuery: a plain query without `order by`, its rows written as JSON (`json`: the text
 * renderJson gives; `ndjson`: renderNdjson's, each line ended) to `out` as the scan goes, so a
 * full dump needs no memory for its rows. Without `select`, rows are written from the entry's
 * bytes where the source can (Cursor.writeRowJson). Returns the meta runQuery would give.
 * Throws DiagnosticError, BpfError.
 */
export function streamQuery(source: Source, q: QueryShape, format: "json" | "ndjson", out: JsonOut, started: number): ResultSet {
  if (q.orderBy.length) throw new Error("streamQuery: a query with 'order by' needs every row first");
  const { where, projections } = prepare(source, q);
  const keys = jsonKeys(projections);
  let matched = 0;
  let shown = 0;
  out.text(format === "json" ? "[" : "");
  const stats = source.scan((c) => {
    if (where && !isTruthy(where(c.cell))) return;
    matched++;
    if (q.limit !== null && shown >= q.limit) return;
    // JSON: "[" then "\n" before the first row and ",\n" between rows; NDJSON: "\n" between rows.
    if (shown > 0) out.ascii(format === "json" ? ",\n" : "\n");
    else if (format === "json") out.ascii("\n");
    shown++;
    if (!q.select && c.writeRowJson?.(out)) return;
    for (let i = 0; i < projections.length; i++) {
      out.text(keys[i]!);
      out.cell(projections[i]!.eval(c.cell));
    }
    out.ascii("}");
  });
  out.text(format === "json" ? (shown ? "\n]\n" : "]\n") : "\n");
  out.flush();
  const notes = [...stats.notes];
  if (where) notes.unshift(`${matched} matched where`);
  return {
    columns: projections.map((p) => ({ name: p.name, numeric: p.numeric })),
    rows: [],
    meta: { scanned: stats.entries, method: "full scan, no sampling", readMethod: stats.method, notes, elapsedMs: performance.now() - started },
  };
}
