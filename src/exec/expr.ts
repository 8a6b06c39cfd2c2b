import type { Value } from "../bpf/btf-decode";
import type { BinaryExpr, CallExpr, Expr, FieldRef, InExpr, NumberLit, StringLit, UnaryExpr } from "../lang/ast";
import { diagnostic, DiagnosticError, type Diagnostic } from "../lang/diagnostic";
import type { Span } from "../lang/span";
import { didYouMean } from "../lang/suggest";

/**
 * Expressions: compiles an AST expression (a weight, a `where` filter, an order key, a
 * projection) once into a closure, then evaluates it over millions of rows.
 *
 * Values are number | bigint | string | boolean | null (a column may also hold an array or an
 * object; every operator treats those as a value of the wrong type, see below).
 *
 * Numbers
 * - An integer is kept as a number while it is a safe integer (|x| <= 2^53 - 1) and as a bigint
 *   beyond, like the BTF decoder does. Integer literals (decimal or 0x hex) above 2^53 are
 *   bigints, so `18446744073709551615` is exact.
 * - `+ - *` on two integers are exact: a result that leaves the safe range is computed with
 *   BigInt, and comes back as a number when it fits again. When either side is not an integer
 *   (a fraction), the arithmetic is in doubles, a bigint converted to the nearest double.
 * - `/` always gives a double, so `errors / calls` is a ratio and `7 / 2` is 3.5.
 * - `%` is the remainder with the sign of the dividend; exact on integers (bigints too), fmod on
 *   fractions.
 * - `/` and `%` by zero give null.
 * - Durations are nanoseconds (`500ms` is 500000000, rounded to a whole ns), percentages are
 *   fractions (`1%` is 0.01), sizes are bytes (`4k` is 4096).
 *
 * Null and three-valued logic
 * - null propagates through arithmetic, comparisons and functions: `null + 1`, `null < 1` and
 *   `log2(null)` are null.
 * - `and`, `or`, `not` follow SQL: `false and null` is false, `true or null` is true, `not null`
 *   is null. A filter keeps a row only when it is `true` (isTruthy), so null drops the row.
 * - `x == null` and `x != null`, with the literal `null` written on either side, test for null
 *   (SQL's IS NULL / IS NOT NULL): they are true or false, never null. Any other comparison with
 *   a null value is null.
 * - `x in (a, b, ...)` is `x == a or x == b or ...` with the rules above: a literal `null` in the
 *   list matches a null `x`; otherwise a null `x` gives null, and so does a member that evaluates
 *   to null when nothing matched.
 *
 * Comparisons
 * - Numbers compare exactly whatever their form (a number with a bigint: `2^64 - 1 > 2^53`).
 * - Strings compare with strings by UTF-16 code units; booleans with booleans by `==`/`!=` only.
 * - Mixing kinds (a string with a number, a bool with a number) is a type error found when the
 *   expression compiles, pointed at the whole comparison.
 * - `s ~ "re"` is an unanchored JavaScript regular expression search; the pattern must be a
 *   string literal and is compiled once (an invalid pattern is an error at the literal).
 *
 * Functions: `log2 ln log10 sqrt` (null where the result is not finite: of zero or a negative),
 * `abs floor ceil`, `min max` (two or more arguments, null if any is null), `str` (numbers in
 * their shortest exact form, bigints as all their digits), `hex` (`0xff`, `-0x1` for negatives,
 * null for a fraction), `ksym` (a kernel address, taken as its u64 bits, to `symbol+0xoff`
 * through the scope, its hex when the scope has no symbols).
 *
 * Types are checked before anything runs (typeOf). A column of type "any" may hold a value of
 * the wrong kind at run time; the operator then gives null (an ordering comparison, arithmetic,
 * `~`, a function) or false (`==` between different kinds), never an exception.
 */

/** ExprType: what an expression evaluates to, as far as can be known before running it. */
export type ExprType = "number" | "string" | "bool" | "null" | "any";

/** ExprScope: the fields an expression may read, and how to name them in diagnostics. */
export interface ExprScope {
  /** Column index for a field path, or undefined if no such field. */
  column(path: string[]): number | undefined;
  /** Names of all fields (for did-you-mean). */
  fieldNames(): string[];
  /** Static type of a column: "number" for integers and floats, "string" for char arrays, "any" otherwise. */
  columnType(index: number): ExprType;
  /** What to call the source in messages: "map events". */
  sourceName: string;
  /** Kernel address -> symbol, for ksym(); may be absent (then ksym gives hex). */
  ksym?: (addr: bigint) => string;
}

/** Row: a lazy column getter, so an expression decodes only the columns it reads. */
export type Row = (column: number) => Value;

type Eval = (row: Row) => Value;

interface Compiled {
  type: ExprType;
  fn: Eval;
  /** Set when the expression reads no field: it is evaluated once, at compile time. */
  constant: boolean;
}

/**
 * compileExpr: `e` as a closure over a row. Checks the expression first (see typeOf).
 * Throws DiagnosticError with every problem found: unknown fields and functions, wrong
 * argument counts, type errors, invalid regular expressions.
 */
export function compileExpr(e: Expr, scope: ExprScope): (row: Row) => Value {
  return check(e, scope).fn;
}

/**
 * typeOf: the static type of `e`. Throws DiagnosticError as compileExpr does (it runs the same
 * checks).
 */
export function typeOf(e: Expr, scope: ExprScope): ExprType {
  return check(e, scope).type;
}

/** fieldsOf: every field path `e` reads, each once, in the order they first appear. */
export function fieldsOf(e: Expr): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case "field": {
        const key = x.path.join("\0");
        if (!seen.has(key)) {
          seen.add(key);
          out.push(x.path);
        }
        return;
      }
      case "unary":
        return walk(x.arg);
      case "binary":
        walk(x.left);
        return walk(x.right);
      case "in":
        walk(x.arg);
        return x.list.forEach(walk);
      case "call":
        return x.args.forEach(walk);
      default:
        return;
    }
  };
  walk(e);
  return out;
}

/** isTruthy: whether a filter keeps a row: only for `true` (null and false drop it, as in SQL). */
export function isTruthy(v: Value): boolean {
  return v === true;
}

/** toNumber: a value as a weight: numbers as they are, bigints to the nearest double, else NaN. */
export function toNumber(v: Value): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  return Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Checking and building, in one pass. Problems are collected so that several are shown together.

interface Context {
  scope: ExprScope;
  errors: Diagnostic[];
}

function check(e: Expr, scope: ExprScope): Compiled {
  const ctx: Context = { scope, errors: [] };
  const c = build(e, ctx);
  if (ctx.errors.length) throw new DiagnosticError(ctx.errors);
  return c;
}

const noRow: Row = () => {
  throw new Error("internal error: a constant expression read a column");
};

function constant(type: ExprType, value: Value): Compiled {
  return { type, fn: () => value, constant: true };
}

/** made: a compiled node from its closure, folded to a constant when its children all are. */
function made(type: ExprType, fn: Eval, children: Compiled[]): Compiled {
  if (children.every((c) => c.constant)) return constant(type, fn(noRow));
  return { type, fn, constant: false };
}

/** failed: what a node that has an error compiles to, so checking can go on. */
function failed(ctx: Context, d: Diagnostic): Compiled {
  ctx.errors.push(d);
  return { type: "any", fn: () => null, constant: false };
}

function build(e: Expr, ctx: Context): Compiled {
  switch (e.kind) {
    case "field":
      return buildField(e, ctx);
    case "number":
      return constant("number", numberValue(e));
    case "string":
      return constant("string", e.value);
    case "percent":
      return constant("number", e.fraction);
    case "duration":
      return constant("number", Math.round(e.ms * 1_000_000));
    case "size":
      return constant("number", e.bytes);
    case "bool":
      return constant("bool", e.value);
    case "null":
      return constant("null", null);
    case "unary":
      return buildUnary(e, ctx);
    case "binary":
      return buildBinary(e, ctx);
    case "in":
      return buildIn(e, ctx);
    case "call":
      return buildCall(e, ctx);
  }
}

function buildField(e: FieldRef, ctx: Context): Compiled {
  const { scope } = ctx;
  const index = scope.column(e.path);
  const name = e.path.join(".");
  if (index === undefined) {
    const names = scope.fieldNames();
    const hint =
      didYouMean(name, names) ??
      (names.length ? `fields: ${names.join(", ")}` : `${scope.sourceName} has no fields`);
    return failed(ctx, diagnostic(e.span, `unknown field '${name}' in ${scope.sourceName}`, hint));
  }
  return { type: scope.columnType(index), fn: (row) => row(index), constant: false };
}

/** numberValue: a literal's value; integers (decimal or 0x hex) exactly, as bigints above 2^53. */
function numberValue(e: NumberLit): number | bigint {
  if (/^(?:\d+|0[xX][0-9a-fA-F]+)$/.test(e.text)) return exact(BigInt(e.text));
  return e.value;
}

function buildUnary(e: UnaryExpr, ctx: Context): Compiled {
  const arg = build(e.arg, ctx);
  const f = arg.fn;
  if (e.op === "-") {
    if (!numeric(arg.type)) return failed(ctx, needs(e.op, "a number", e.arg, arg.type));
    return made("number", (row) => negate(f(row)), [arg]);
  }
  if (!logical(arg.type)) {
    return failed(ctx, needs(e.op, "a bool", e.arg, arg.type, `compare it first, like ${show(e.arg)} != 0`));
  }
  return made("bool", (row) => not(f(row)), [arg]);
}

function buildBinary(e: BinaryExpr, ctx: Context): Compiled {
  if (e.op === "~") return buildMatch(e, ctx);
  const left = build(e.left, ctx);
  const right = build(e.right, ctx);
  const l = left.fn;
  const r = right.fn;
  const both = [left, right];
  switch (e.op) {
    case "+":
    case "-":
    case "*":
    case "/":
    case "%": {
      let bad = false;
      for (const [side, c] of [[e.left, left], [e.right, right]] as const) {
        if (!numeric(c.type)) {
          ctx.errors.push(needs(e.op, "numbers", side, c.type));
          bad = true;
        }
      }
      if (bad) return { type: "any", fn: () => null, constant: false };
      const op = e.op;
      switch (op) {
        case "+": return made("number", (row) => add(l(row), r(row)), both);
        case "-": return made("number", (row) => subtract(l(row), r(row)), both);
        case "*": return made("number", (row) => multiply(l(row), r(row)), both);
        case "/": return made("number", (row) => divide(l(row), r(row)), both);
        case "%": return made("number", (row) => remainder(l(row), r(row)), both);
      }
      break;
    }
    case "and":
    case "or": {
      let bad = false;
      for (const [side, c] of [[e.left, left], [e.right, right]] as const) {
        if (!logical(c.type)) {
          ctx.errors.push(needs(e.op, "bools", side, c.type, `compare it first, like ${show(side)} != 0`));
          bad = true;
        }
      }
      if (bad) return { type: "any", fn: () => null, constant: false };
      if (e.op === "and") {
        return made("bool", (row) => {
          const a = l(row);
          if (a === false) return false;
          const b = r(row);
          if (b === false) return false;
          return a === true && b === true ? true : null;
        }, both);
      }
      return made("bool", (row) => {
        const a = l(row);
        if (a === true) return true;
        const b = r(row);
        if (b === true) return true;
        return a === false && b === false ? false : null;
      }, both);
    }
    case "==":
    case "!=":
    case "<":
    case "<=":
    case ">":
    case ">=": {
      const problem = comparable(e.op, e.left, left.type, e.right, right.type, e.span);
      if (problem) return failed(ctx, problem);
      return made("bool", comparison(e.op, e.left.kind === "null", e.right.kind === "null", l, r), both);
    }
  }
  throw new Error(`internal error: unknown operator ${String(e.op)}`);
}

function comparison(op: BinaryExpr["op"], leftNull: boolean, rightNull: boolean, l: Eval, r: Eval): Eval {
  // A null literal makes ==/!= a null test (IS NULL / IS NOT NULL).
  if ((op === "==" || op === "!=") && (leftNull || rightNull)) {
    const other = leftNull ? r : l;
    return op === "==" ? (row) => other(row) === null : (row) => other(row) !== null;
  }
  switch (op) {
    case "==": return (row) => equal(l(row), r(row));
    case "!=": return (row) => not(equal(l(row), r(row)));
    case "<": return (row) => { const c = order(l(row), r(row)); return c === null ? null : c < 0; };
    case "<=": return (row) => { const c = order(l(row), r(row)); return c === null ? null : c <= 0; };
    case ">": return (row) => { const c = order(l(row), r(row)); return c === null ? null : c > 0; };
    case ">=": return (row) => { const c = order(l(row), r(row)); return c === null ? null : c >= 0; };
    default: throw new Error(`internal error: ${op} is not a comparison`);
  }
}

function buildMatch(e: BinaryExpr, ctx: Context): Compiled {
  const left = build(e.left, ctx);
  if (left.type !== "string" && left.type !== "any" && left.type !== "null") {
    ctx.errors.push(
      diagnostic(
        e.left.span,
        `'~' matches strings, but ${show(e.left)} is ${typeName(left.type)}`,
        `str(${show(e.left)}) ~ "..." matches its digits`,
      ),
    );
  }
  if (e.right.kind !== "string") {
    build(e.right, ctx); // for the diagnostics inside it
    ctx.errors.push(
      diagnostic(e.right.span, "the pattern after '~' must be a string literal", 'like comm ~ "^nginx"'),
    );
    return { type: "any", fn: () => null, constant: false };
  }
  const re = regex(e.right, ctx);
  if (!re || ctx.errors.length) return { type: "any", fn: () => null, constant: false };
  const l = left.fn;
  return made("bool", (row) => {
    const s = l(row);
    return typeof s === "string" ? re.test(s) : null;
  }, [left]);
}

function regex(lit: StringLit, ctx: Context): RegExp | undefined {
  try {
    return new RegExp(lit.value);
  } catch (err) {
    const reason = (err instanceof Error ? err.message : String(err)).replace(/^Invalid regular expression:\s*/i, "");
    ctx.errors.push(
      diagnostic(
        lit.span,
        `invalid regular expression ${JSON.stringify(lit.value)}: ${reason}`,
        "patterns are JavaScript regular expressions; escape a literal character with \\\\, like \"a\\\\.b\"",
      ),
    );
    return undefined;
  }
}

function buildIn(e: InExpr, ctx: Context): Compiled {
  const arg = build(e.arg, ctx);
  const members = e.list.map((m) => build(m, ctx));
  let bad = false;
  e.list.forEach((m, i) => {
    const problem = comparable("in", e.arg, arg.type, m, members[i]!.type, m.span);
    if (problem) {
      ctx.errors.push(problem);
      bad = true;
    }
  });
  if (bad) return { type: "any", fn: () => null, constant: false };
  const a = arg.fn;
  // A literal null in the list matches a null argument.
  const matchesNull = e.list.some((m) => m.kind === "null");
  const live = members.filter((m, i) => e.list[i]!.kind !== "null");
  if (live.every((m) => m.constant)) {
    // A constant list is a set lookup: numbers are normalised (exact) so 5 and 5n meet.
    const set = new Set<Value>();
    let nullMember = false;
    for (const m of live) {
      const v = m.fn(noRow);
      if (v === null) nullMember = true;
      else set.add(typeof v === "bigint" ? exact(v) : v);
    }
    const unknown = nullMember ? null : false;
    return made("bool", (row) => {
      const v = a(row);
      if (v === null) return matchesNull ? true : null;
      if (typeof v === "object") return null;
      return set.has(typeof v === "bigint" ? exact(v) : v) ? true : unknown;
    }, [arg]);
  }
  const fns = live.map((m) => m.fn);
  return made("bool", (row) => {
    const v = a(row);
    if (v === null) return matchesNull ? true : null;
    let result: boolean | null = false;
    for (let i = 0; i < fns.length; i++) {
      const eq = equal(v, fns[i]!(row));
      if (eq === true) return true;
      if (eq === null) result = null;
    }
    return result;
  }, [arg, ...members]);
}

// ---------------------------------------------------------------------------------------------
// Functions.

interface FnSpec {
  min: number;
  max: number;
  /** What every argument must be. */
  arg: "number" | "anything";
  result: ExprType;
  usage: string;
  make(args: Eval[], scope: ExprScope): Eval;
}

function unaryMath(f: (x: number) => number): FnSpec["make"] {
  return ([x]) => (row) => {
    const v = x!(row);
    if (typeof v !== "number" && typeof v !== "bigint") return null;
    const r = f(Number(v));
    return Number.isFinite(r) ? r : null;
  };
}

function rounding(f: (x: number) => number): FnSpec["make"] {
  return ([x]) => (row) => {
    const v = x!(row);
    if (typeof v === "bigint") return v;
    return typeof v === "number" ? f(v) : null;
  };
}

function extreme(sign: 1 | -1): FnSpec["make"] {
  return (args) => (row) => {
    let best = args[0]!(row);
    if (typeof best !== "number" && typeof best !== "bigint") return null;
    for (let i = 1; i < args.length; i++) {
      const v = args[i]!(row);
      if (typeof v !== "number" && typeof v !== "bigint") return null;
      if (sign > 0 ? v > best : v < best) best = v;
    }
    return best;
  };
}

const FUNCTIONS: Record<string, FnSpec> = {
  log2: { min: 1, max: 1, arg: "number", result: "number", usage: "log2(x)", make: unaryMath(Math.log2) },
  ln: { min: 1, max: 1, arg: "number", result: "number", usage: "ln(x)", make: unaryMath(Math.log) },
  log10: { min: 1, max: 1, arg: "number", result: "number", usage: "log10(x)", make: unaryMath(Math.log10) },
  sqrt: { min: 1, max: 1, arg: "number", result: "number", usage: "sqrt(x)", make: unaryMath(Math.sqrt) },
  abs: {
    min: 1, max: 1, arg: "number", result: "number", usage: "abs(x)",
    make: ([x]) => (row) => {
      const v = x!(row);
      if (typeof v === "number") return Math.abs(v);
      if (typeof v === "bigint") return v < 0n ? exact(-v) : v;
      return null;
    },
  },
  floor: { min: 1, max: 1, arg: "number", result: "number", usage: "floor(x)", make: rounding(Math.floor) },
  ceil: { min: 1, max: 1, arg: "number", result: "number", usage: "ceil(x)", make: rounding(Math.ceil) },
  min: { min: 2, max: Infinity, arg: "number", result: "number", usage: "min(a, b, ...)", make: extreme(-1) },
  max: { min: 2, max: Infinity, arg: "number", result: "number", usage: "max(a, b, ...)", make: extreme(1) },
  str: {
    min: 1, max: 1, arg: "anything", result: "string", usage: "str(x)",
    make: ([x]) => (row) => {
      const v = x!(row);
      if (v === null || typeof v === "string") return v;
      if (typeof v === "object") return JSON.stringify(v, bigintAsString);
      return String(v);
    },
  },
  hex: {
    min: 1, max: 1, arg: "number", result: "string", usage: "hex(x)",
    make: ([x]) => (row) => {
      const v = x!(row);
      if (!isInteger(v)) return null;
      const b = BigInt(v);
      return b < 0n ? `-0x${(-b).toString(16)}` : `0x${b.toString(16)}`;
    },
  },
  ksym: {
    min: 1, max: 1, arg: "number", result: "string", usage: "ksym(address)",
    make: ([x], scope) => {
      const symbol = scope.ksym;
      return (row) => {
        const v = x!(row);
        if (!isInteger(v)) return null;
        const addr = BigInt.asUintN(64, BigInt(v));
        return symbol ? symbol(addr) : `0x${addr.toString(16)}`;
      };
    },
  },
};

/** FUNCTION_NAMES: the functions an expression may call. */
export const FUNCTION_NAMES: readonly string[] = Object.keys(FUNCTIONS);

const AGGREGATES = ["sum", "count", "avg"];

function buildCall(e: CallExpr, ctx: Context): Compiled {
  const name = e.fn.name;
  const args = e.args.map((a) => build(a, ctx));
  const spec = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
  if (!spec) {
    if (AGGREGATES.includes(name)) {
      return failed(
        ctx,
        diagnostic(
          e.fn.span,
          `'${name}' is an aggregate, not a function of one row`,
          `aggregates go in estimate, like: estimate ${name}(${name === "count" ? "" : "qps"}) from map events using sample 1%`,
        ),
      );
    }
    const hint = didYouMean(name, FUNCTION_NAMES) ?? `functions: ${FUNCTION_NAMES.join(", ")}`;
    return failed(ctx, diagnostic(e.fn.span, `unknown function '${name}'`, hint));
  }
  if (args.length < spec.min || args.length > spec.max) {
    const wanted =
      spec.max === Infinity ? `${spec.min} or more arguments` : `${spec.min} argument${spec.min === 1 ? "" : "s"}`;
    return failed(ctx, diagnostic(e.span, `${name} takes ${wanted}, not ${args.length}`, `usage: ${spec.usage}`));
  }
  let bad = false;
  if (spec.arg === "number") {
    e.args.forEach((a, i) => {
      const t = args[i]!.type;
      if (!numeric(t)) {
        ctx.errors.push(diagnostic(a.span, `${name} needs a number, but ${show(a)} is ${typeName(t)}`));
        bad = true;
      }
    });
  }
  if (bad) return { type: "any", fn: () => null, constant: false };
  return made(spec.result, spec.make(args.map((a) => a.fn), ctx.scope), args);
}

// ---------------------------------------------------------------------------------------------
// Type rules.

function numeric(t: ExprType): boolean {
  return t === "number" || t === "any" || t === "null";
}

function logical(t: ExprType): boolean {
  return t === "bool" || t === "any" || t === "null";
}

function typeName(t: ExprType): string {
  switch (t) {
    case "number": return "a number";
    case "string": return "a string";
    case "bool": return "a bool";
    case "null": return "null";
    case "any": return "of any type";
  }
}

function needs(op: string, what: string, side: Expr, t: ExprType, ...hints: string[]): Diagnostic {
  return diagnostic(side.span, `'${op}' needs ${what}, but ${show(side)} is ${typeName(t)}`, ...hints);
}

/** comparable: the diagnostic for comparing `lt` with `rt` with `op`, or undefined when fine. */
function comparable(
  op: string, left: Expr, lt: ExprType, right: Expr, rt: ExprType, span: Span,
): Diagnostic | undefined {
  const loose = (t: ExprType): boolean => t === "any" || t === "null";
  if (loose(lt) || loose(rt)) return undefined;
  if (lt === rt) {
    if (lt !== "bool" || op === "==" || op === "!=" || op === "in") return undefined;
    return diagnostic(span, `cannot order bools with '${op}'`, "bools compare only with == and !=");
  }
  const sides =
    op === "in"
      ? `${show(left)} is ${typeName(lt)}; ${show(right)} is ${typeName(rt)}`
      : `the left side, ${show(left)}, is ${typeName(lt)}; the right side, ${show(right)}, is ${typeName(rt)}`;
  const hints = [sides];
  if ((lt === "string" && rt === "number") || (lt === "number" && rt === "string")) {
    hints.push("str(x) turns a number into a string");
  }
  return diagnostic(span, `cannot compare ${typeName(lt)} with ${typeName(rt)}`, ...hints);
}

/** show: an expression as short text for messages. */
function show(e: Expr): string {
  const text = showFull(e);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function showFull(e: Expr): string {
  const inner = (x: Expr): string =>
    x.kind === "binary" || x.kind === "in" || (x.kind === "unary" && x.op === "not") ? `(${showFull(x)})` : showFull(x);
  switch (e.kind) {
    case "field": return e.path.join(".");
    case "number":
    case "percent":
    case "duration":
    case "size": return e.text;
    case "string": return JSON.stringify(e.value);
    case "bool": return String(e.value);
    case "null": return "null";
    case "unary": return e.op === "-" ? `-${inner(e.arg)}` : `not ${inner(e.arg)}`;
    case "binary": return `${inner(e.left)} ${e.op} ${inner(e.right)}`;
    case "in": return `${inner(e.arg)} in (${e.list.map(showFull).join(", ")})`;
    case "call": return `${e.fn.name}(${e.args.map(showFull).join(", ")})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Run-time operations. Each takes values as they come and never throws.

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** exact: a bigint as a number when it is a safe integer, else as it is. */
function exact(v: bigint): number | bigint {
  return v <= MAX_SAFE && v >= -MAX_SAFE ? Number(v) : v;
}

function isInteger(v: Value): v is number | bigint {
  return typeof v === "bigint" || (typeof v === "number" && Number.isInteger(v));
}

function bigintAsString(_key: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

// Fast paths first: two numbers whose result is a safe integer, or that are not both integers.
// If the true result of an operation on two integer doubles is at least 2^53, rounding cannot
// bring it under 2^53, so a safe result is exact.

function add(a: Value, b: Value): Value {
  if (typeof a === "number" && typeof b === "number") {
    const r = a + b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
    return exact(BigInt(a) + BigInt(b));
  }
  return slow(a, b, (x, y) => x + y, (x, y) => x + y);
}

function subtract(a: Value, b: Value): Value {
  if (typeof a === "number" && typeof b === "number") {
    const r = a - b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
    return exact(BigInt(a) - BigInt(b));
  }
  return slow(a, b, (x, y) => x - y, (x, y) => x - y);
}

function multiply(a: Value, b: Value): Value {
  if (typeof a === "number" && typeof b === "number") {
    const r = a * b;
    if (Number.isSafeInteger(r) || !Number.isInteger(a) || !Number.isInteger(b)) return r;
    return exact(BigInt(a) * BigInt(b));
  }
  return slow(a, b, (x, y) => x * y, (x, y) => x * y);
}

/** slow: arithmetic where a side is a bigint or not a number at all. */
function slow(
  a: Value, b: Value, big: (x: bigint, y: bigint) => bigint, double: (x: number, y: number) => number,
): Value {
  if ((typeof a !== "number" && typeof a !== "bigint") || (typeof b !== "number" && typeof b !== "bigint")) return null;
  if (isInteger(a) && isInteger(b)) return exact(big(BigInt(a), BigInt(b)));
  return double(Number(a), Number(b));
}

function divide(a: Value, b: Value): Value {
  if ((typeof a !== "number" && typeof a !== "bigint") || (typeof b !== "number" && typeof b !== "bigint")) return null;
  const y = Number(b);
  return y === 0 ? null : Number(a) / y;
}

function remainder(a: Value, b: Value): Value {
  if (typeof a === "number" && typeof b === "number") return b === 0 ? null : a % b;
  if ((typeof a !== "number" && typeof a !== "bigint") || (typeof b !== "number" && typeof b !== "bigint")) return null;
  if (isInteger(a) && isInteger(b)) {
    const y = BigInt(b);
    return y === 0n ? null : exact(BigInt(a) % y);
  }
  const y = Number(b);
  return y === 0 ? null : Number(a) % y;
}

function negate(a: Value): Value {
  if (typeof a === "number") return -a;
  if (typeof a === "bigint") return exact(-a);
  return null;
}

function not(a: Value): Value {
  return a === true ? false : a === false ? true : null;
}

/** equal: `a == b`: null when either is null (or not a scalar), false across kinds. */
function equal(a: Value, b: Value): boolean | null {
  if (a === null || b === null || typeof a === "object" || typeof b === "object") return null;
  if (a === b) return true;
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "bigint" && tb === "number") || (ta === "number" && tb === "bigint")) {
    // Loose equality between a bigint and a number compares their mathematical values.
    return (a as bigint | number) == (b as bigint | number);
  }
  return false;
}

/** order: the sign of `a - b` for two numbers or two strings; null otherwise (or for NaN). */
function order(a: Value, b: Value): number | null {
  const ta = typeof a;
  const tb = typeof b;
  if ((ta === "number" || ta === "bigint") && (tb === "number" || tb === "bigint")) {
    // Relational operators compare a bigint and a number exactly.
    const x = a as number | bigint;
    const y = b as number | bigint;
    return x < y ? -1 : x > y ? 1 : x === y || x == y ? 0 : null;
  }
  if (ta === "string" && tb === "string") return (a as string) < (b as string) ? -1 : a === b ? 0 : 1;
  return null;
}
