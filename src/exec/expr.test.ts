import { describe, expect, test } from "bun:test";
import type { Value } from "../bpf/btf-decode";
import type { BinaryOp, Expr, NumberLit } from "../lang/ast";
import { DiagnosticError, type Diagnostic } from "../lang/diagnostic";
import type { Span } from "../lang/span";
import { compileExpr, fieldsOf, isTruthy, toNumber, typeOf, type ExprScope, type ExprType } from "./expr";

// ---- AST helpers: dummy spans unless a test cares where a node is.

function sp(start = 0, end = start + 1): Span {
  return { startOffset: start, endOffset: end, line: 1, column: start + 1, endLine: 1, endColumn: end };
}

const num = (text: string, span = sp()): NumberLit => ({ kind: "number", span, text, value: Number(text) });
const str = (value: string, span = sp()): Expr => ({ kind: "string", span, value });
const f = (name: string, span = sp()): Expr => ({ kind: "field", span, path: name.split(".") });
const bool = (value: boolean): Expr => ({ kind: "bool", span: sp(), value });
const nul = (): Expr => ({ kind: "null", span: sp() });
const bin = (left: Expr, op: BinaryOp, right: Expr, span = sp()): Expr => ({ kind: "binary", span, op, left, right });
const neg = (arg: Expr): Expr => ({ kind: "unary", span: sp(), op: "-", arg });
const not = (arg: Expr): Expr => ({ kind: "unary", span: sp(), op: "not", arg });
const inList = (arg: Expr, ...list: Expr[]): Expr => ({ kind: "in", span: sp(), arg, list });
const call = (name: string, args: Expr[], span = sp(), fnSpan = sp()): Expr => ({
  kind: "call",
  span,
  fn: { kind: "identifier", span: fnSpan, name },
  args,
});

/** A literal for a value: numbers by their text, so bigints stay exact. */
function lit(v: Value): Expr {
  if (v === null) return nul();
  if (typeof v === "boolean") return bool(v);
  if (typeof v === "string") return str(v);
  if (typeof v === "number" && v < 0) return neg(num(String(-v)));
  if (typeof v === "bigint" && v < 0n) return neg(num(String(-v)));
  return num(String(v));
}

// ---- A scope: a map with these fields, and a row holding these values.

const COLUMNS: { name: string; type: ExprType }[] = [
  { name: "qps", type: "number" },
  { name: "comm", type: "string" },
  { name: "errors", type: "number" },
  { name: "calls", type: "number" },
  { name: "big", type: "number" },
  { name: "nothing", type: "number" },
  { name: "ok", type: "bool" },
  { name: "key.pid", type: "number" },
  { name: "blob", type: "any" },
  { name: "addr", type: "number" },
];

const U64_MAX = 18446744073709551615n;

const VALUES: Value[] = [120, "nginx", 3, 12, U64_MAX, null, true, 4242, [1, 2], 0xffffffff821f94a4n];

function scope(extra: Partial<ExprScope> = {}): ExprScope {
  return {
    column: (path) => {
      const i = COLUMNS.findIndex((c) => c.name === path.join("."));
      return i < 0 ? undefined : i;
    },
    fieldNames: () => COLUMNS.map((c) => c.name),
    columnType: (i) => COLUMNS[i]!.type,
    sourceName: "map events",
    ...extra,
  };
}

function evalWith(e: Expr, values: Value[] = VALUES, s: ExprScope = scope()): Value {
  return compileExpr(e, s)((i) => values[i]!);
}

const ev = (e: Expr): Value => evalWith(e);

/** The diagnostics compileExpr throws for `e` (fails the test when it compiles). */
function diagnostics(e: Expr, s: ExprScope = scope()): Diagnostic[] {
  try {
    compileExpr(e, s);
  } catch (err) {
    expect(err).toBeInstanceOf(DiagnosticError);
    // typeOf runs the same checks.
    expect(() => typeOf(e, s)).toThrow(DiagnosticError);
    return (err as DiagnosticError).diagnostics;
  }
  throw new Error("expected a DiagnosticError");
}

function only(e: Expr, s?: ExprScope): Diagnostic {
  const ds = diagnostics(e, s);
  expect(ds).toHaveLength(1);
  return ds[0]!;
}

describe("literals", () => {
  test("each kind of literal has its value in base units", () => {
    expect(ev(num("42"))).toBe(42);
    expect(ev(num("2.5"))).toBe(2.5);
    expect(ev(num("0x1f"))).toBe(31);
    expect(ev(num("9007199254740991"))).toBe(9007199254740991);
    expect(ev(num("9007199254740993"))).toBe(9007199254740993n);
    expect(ev(num("18446744073709551615"))).toBe(U64_MAX);
    expect(ev(num("0xffffffffffffffff"))).toBe(U64_MAX);
    expect(ev(str("a\"b"))).toBe('a"b');
    expect(ev({ kind: "percent", span: sp(), fraction: 0.01, text: "1%" })).toBe(0.01);
    expect(ev({ kind: "duration", span: sp(), ms: 500, text: "500ms" })).toBe(500_000_000);
    expect(ev({ kind: "duration", span: sp(), ms: 0.01, text: "10us" })).toBe(10_000);
    expect(ev({ kind: "duration", span: sp(), ms: 1100, text: "1.1s" })).toBe(1_100_000_000);
    expect(ev({ kind: "size", span: sp(), bytes: 4096, text: "4k" })).toBe(4096);
    expect(ev(bool(true))).toBe(true);
    expect(ev(bool(false))).toBe(false);
    expect(ev(nul())).toBe(null);
  });

  test("literal types", () => {
    const s = scope();
    expect(typeOf(num("1"), s)).toBe("number");
    expect(typeOf(str("x"), s)).toBe("string");
    expect(typeOf(bool(true), s)).toBe("bool");
    expect(typeOf(nul(), s)).toBe("null");
    expect(typeOf({ kind: "percent", span: sp(), fraction: 0.5, text: "50%" }, s)).toBe("number");
  });
});

describe("fields", () => {
  test("a field reads its column, with the column's type", () => {
    expect(ev(f("qps"))).toBe(120);
    expect(ev(f("comm"))).toBe("nginx");
    expect(ev(f("key.pid"))).toBe(4242);
    expect(ev(f("blob"))).toEqual([1, 2]);
    const s = scope();
    expect(typeOf(f("comm"), s)).toBe("string");
    expect(typeOf(f("blob"), s)).toBe("any");
    expect(typeOf(f("ok"), s)).toBe("bool");
  });

  test("only the columns an expression reads are fetched", () => {
    const read: number[] = [];
    const fn = compileExpr(bin(f("errors"), "/", f("calls")), scope());
    expect(fn((i) => (read.push(i), VALUES[i]!))).toBe(0.25);
    expect(read).toEqual([2, 3]);
  });

  test("an unknown field points at the field, with did-you-mean", () => {
    const d = only(bin(num("100"), "*", f("qsp", sp(36, 39))));
    expect(d.message).toBe("unknown field 'qsp' in map events");
    expect(d.span).toEqual(sp(36, 39));
    expect(d.hints).toEqual(["did you mean 'qps'?"]);
    expect(only(f("key.pd")).hints).toEqual(["did you mean 'key.pid'?"]);
  });

  test("an unknown field nothing is close to lists the fields", () => {
    const d = only(f("latency"));
    expect(d.message).toBe("unknown field 'latency' in map events");
    expect(d.hints).toEqual([`fields: ${COLUMNS.map((c) => c.name).join(", ")}`]);
    const empty = scope({ fieldNames: () => [], column: () => undefined });
    expect(only(f("x"), empty).hints).toEqual(["map events has no fields"]);
  });

  test("every problem is reported, not only the first", () => {
    const ds = diagnostics(bin(f("qsp", sp(0, 3)), "+", f("erors", sp(6, 11))));
    expect(ds.map((d) => d.message)).toEqual([
      "unknown field 'qsp' in map events",
      "unknown field 'erors' in map events",
    ]);
    expect(ds.map((d) => d.span)).toEqual([sp(0, 3), sp(6, 11)]);
  });

  test("fieldsOf lists each field path once, in order", () => {
    const e = bin(
      bin(f("errors"), "/", f("calls")),
      "+",
      call("max", [f("errors"), inList(f("key.pid"), num("1"), f("qps")), neg(f("calls"))]),
    );
    expect(fieldsOf(e)).toEqual([["errors"], ["calls"], ["key", "pid"], ["qps"]]);
    expect(fieldsOf(not(bin(f("comm"), "~", str("x"))))).toEqual([["comm"]]);
    expect(fieldsOf(num("1"))).toEqual([]);
  });
});

describe("arithmetic", () => {
  test("+ - * / % on small numbers", () => {
    expect(ev(bin(num("7"), "+", num("2")))).toBe(9);
    expect(ev(bin(num("7"), "-", num("9")))).toBe(-2);
    expect(ev(bin(num("7"), "*", num("6")))).toBe(42);
    expect(ev(bin(num("7"), "/", num("2")))).toBe(3.5);
    expect(ev(bin(num("7"), "%", num("3")))).toBe(1);
    expect(ev(bin(neg(num("7")), "%", num("3")))).toBe(-1);
    expect(ev(bin(num("7.5"), "%", num("2")))).toBe(1.5);
    expect(ev(bin(num("0.5"), "+", num("0.25")))).toBe(0.75);
    expect(ev(neg(f("qps")))).toBe(-120);
    expect(ev(neg(neg(num("3"))))).toBe(3);
  });

  test("division is a ratio: errors / calls", () => {
    expect(ev(bin(f("errors"), "/", f("calls")))).toBe(0.25);
    expect(ev(bin(num("6"), "/", num("3")))).toBe(2);
    expect(ev(bin(num("100"), "*", bin(num("1"), "-", bin(f("errors"), "/", f("calls")))))).toBe(75);
  });

  test("division and remainder by zero are null", () => {
    expect(ev(bin(num("1"), "/", num("0")))).toBe(null);
    expect(ev(bin(num("0"), "/", num("0")))).toBe(null);
    expect(ev(bin(num("1"), "%", num("0")))).toBe(null);
    expect(ev(bin(num("1.5"), "%", num("0")))).toBe(null);
    expect(ev(bin(f("big"), "%", num("0")))).toBe(null);
    expect(ev(bin(f("big"), "/", num("0")))).toBe(null);
    expect(evalWith(bin(f("errors"), "/", f("calls")), [0, "", 0, 0])).toBe(null);
  });

  test("u64 arithmetic is exact", () => {
    expect(ev(bin(num("18446744073709551615"), "-", num("1")))).toBe(18446744073709551614n);
    expect(ev(bin(f("big"), "-", num("1")))).toBe(18446744073709551614n);
    expect(ev(bin(f("big"), "+", num("1")))).toBe(18446744073709551616n);
    expect(ev(bin(f("big"), "%", num("1000")))).toBe(615);
    expect(ev(bin(f("big"), "*", num("2")))).toBe(36893488147419103230n);
    // Leaving the safe range goes to bigint; coming back goes to number.
    expect(ev(bin(num("9007199254740991"), "+", num("1")))).toBe(9007199254740992n);
    expect(ev(bin(num("9007199254740991"), "+", num("2")))).toBe(9007199254740993n);
    expect(ev(bin(num("4294967296"), "*", num("4294967296")))).toBe(18446744073709551616n);
    expect(ev(bin(neg(num("9007199254740991")), "-", num("10")))).toBe(-9007199254741001n);
    expect(ev(bin(f("big"), "-", num("18446744073709551600")))).toBe(15);
    expect(typeof ev(bin(f("big"), "-", f("big")))).toBe("number");
    expect(ev(neg(f("big")))).toBe(-U64_MAX);
    expect(ev(bin(f("big"), "/", num("2")))).toBe(Number(U64_MAX) / 2);
  });

  test("bigint with a fraction is double arithmetic", () => {
    expect(ev(bin(f("big"), "*", num("0.5")))).toBe(Number(U64_MAX) * 0.5);
    expect(ev(bin(f("big"), "+", num("0.5")))).toBe(Number(U64_MAX) + 0.5);
    expect(ev(bin(num("9007199254740993"), "%", num("2.5")))).toBe(Number(9007199254740993n) % 2.5);
  });

  test("null propagates through arithmetic", () => {
    for (const op of ["+", "-", "*", "/", "%"] as const) {
      expect(ev(bin(f("nothing"), op, num("1")))).toBe(null);
      expect(ev(bin(num("1"), op, f("nothing")))).toBe(null);
      expect(ev(bin(num("1"), op, nul()))).toBe(null);
    }
    expect(ev(neg(f("nothing")))).toBe(null);
  });

  test("a value of the wrong kind in an untyped column gives null", () => {
    expect(ev(bin(f("blob"), "+", num("1")))).toBe(null);
    expect(ev(bin(f("blob"), "/", num("1")))).toBe(null);
    expect(ev(bin(f("blob"), "%", num("1")))).toBe(null);
    expect(ev(neg(f("blob")))).toBe(null);
    expect(evalWith(bin(f("blob"), "*", num("2")), [0, "", 0, 0, 0, 0, 0, 0, "7"])).toBe(null);
  });

  test("arithmetic on strings or bools is a type error at the operand", () => {
    const d = only(bin(f("comm", sp(0, 4)), "+", num("1", sp(7, 8)), sp(0, 8)));
    expect(d.message).toBe("'+' needs numbers, but comm is a string");
    expect(d.span).toEqual(sp(0, 4));
    expect(only(bin(num("1"), "*", bool(true))).message).toBe("'*' needs numbers, but true is a bool");
    expect(only(neg(str("x"))).message).toBe("'-' needs a number, but \"x\" is a string");
    expect(diagnostics(bin(f("comm"), "-", f("ok"))).map((d) => d.message)).toEqual([
      "'-' needs numbers, but comm is a string",
      "'-' needs numbers, but ok is a bool",
    ]);
  });
});

describe("comparisons", () => {
  const cases: [Value, BinaryOp, Value, Value][] = [
    [1, "==", 1, true],
    [1, "==", 2, false],
    [1, "!=", 2, true],
    [1, "<", 2, true],
    [2, "<", 2, false],
    [2, "<=", 2, true],
    [3, ">", 2, true],
    [2, ">=", 3, false],
    [1.5, "<", 2, true],
    ["abc", "<", "abd", true],
    ["b", ">", "abc", true],
    ["Z", "<", "a", true],
    ["x", "==", "x", true],
    ["x", "!=", "y", true],
    [true, "==", true, true],
    [true, "!=", false, true],
  ];
  for (const [a, op, b, want] of cases) {
    test(`${JSON.stringify(a)} ${op} ${JSON.stringify(b)} is ${want}`, () => {
      expect(ev(bin(lit(a), op, lit(b)))).toBe(want);
    });
  }

  test("numbers compare with bigints exactly", () => {
    expect(ev(bin(f("big"), ">", num("9007199254740993")))).toBe(true);
    expect(ev(bin(f("big"), "==", num("18446744073709551615")))).toBe(true);
    expect(ev(bin(f("big"), "==", num("18446744073709551614")))).toBe(false);
    expect(ev(bin(f("big"), "!=", num("18446744073709551614")))).toBe(true);
    expect(ev(bin(f("big"), ">=", num("18446744073709551615")))).toBe(true);
    expect(ev(bin(f("big"), "<", num("18446744073709551615")))).toBe(false);
    // 2^64 - 1 and 2^64 are the same double, yet not the same number.
    expect(ev(bin(f("big"), "<", num("18446744073709551616")))).toBe(true);
    expect(ev(bin(f("big"), "==", num("18446744073709551616")))).toBe(false);
    expect(ev(bin(f("qps"), "<", f("big")))).toBe(true);
    expect(ev(bin(num("0.5"), "<", num("9007199254740993")))).toBe(true);
    expect(ev(bin(num("9007199254740993"), "<=", num("9007199254740992.5")))).toBe(false);
  });

  test("comparisons with null are null, except == null and != null", () => {
    for (const op of ["==", "!=", "<", "<=", ">", ">="] as const) {
      expect(ev(bin(f("nothing"), op, num("1")))).toBe(null);
      expect(ev(bin(num("1"), op, f("nothing")))).toBe(null);
    }
    expect(ev(bin(f("nothing"), "==", nul()))).toBe(true);
    expect(ev(bin(nul(), "==", f("nothing")))).toBe(true);
    expect(ev(bin(f("qps"), "==", nul()))).toBe(false);
    expect(ev(bin(f("nothing"), "!=", nul()))).toBe(false);
    expect(ev(bin(f("qps"), "!=", nul()))).toBe(true);
    expect(ev(bin(nul(), "==", nul()))).toBe(true);
    expect(ev(bin(f("qps"), "<", nul()))).toBe(null);
    expect(ev(bin(bin(f("errors"), "/", num("0")), "==", nul()))).toBe(true);
  });

  test("comparing a string with a number is a type error at the comparison", () => {
    const e = bin(f("comm", sp(6, 10)), ">", num("5", sp(13, 14)), sp(6, 14));
    const d = only(e);
    expect(d.message).toBe("cannot compare a string with a number");
    expect(d.span).toEqual(sp(6, 14));
    expect(d.hints).toEqual([
      "the left side, comm, is a string; the right side, 5, is a number",
      "str(x) turns a number into a string",
    ]);
    expect(only(bin(f("qps"), "==", str("x"))).hints[0]).toBe(
      'the left side, qps, is a number; the right side, "x", is a string',
    );
    expect(only(bin(f("ok"), "==", num("1"))).message).toBe("cannot compare a bool with a number");
    expect(only(bin(f("ok"), "<", bool(true))).message).toBe("cannot order bools with '<'");
    expect(typeOf(bin(f("blob"), "==", num("1")), scope())).toBe("bool");
  });

  test("values of different kinds in an untyped column are not equal", () => {
    const row = [0, "", 0, 0, 0, 0, 0, 0, "5"];
    expect(evalWith(bin(f("blob"), "==", num("5")), row)).toBe(false);
    expect(evalWith(bin(f("blob"), "!=", num("5")), row)).toBe(true);
    expect(evalWith(bin(f("blob"), "<", num("5")), row)).toBe(null);
    expect(ev(bin(f("blob"), "==", num("5")))).toBe(null); // an array
  });
});

describe("logic", () => {
  const T = true;
  const F = false;
  const N = null;
  // SQL's truth tables.
  const and: [Value, Value, Value][] = [
    [T, T, T], [T, F, F], [T, N, N],
    [F, T, F], [F, F, F], [F, N, F],
    [N, T, N], [N, F, F], [N, N, N],
  ];
  const or: [Value, Value, Value][] = [
    [T, T, T], [T, F, T], [T, N, T],
    [F, T, T], [F, F, F], [F, N, N],
    [N, T, T], [N, F, N], [N, N, N],
  ];
  test("and, or and not use three-valued logic", () => {
    for (const [a, b, want] of and) expect(ev(bin(lit(a), "and", lit(b)))).toBe(want);
    for (const [a, b, want] of or) expect(ev(bin(lit(a), "or", lit(b)))).toBe(want);
    expect(ev(not(bool(true)))).toBe(false);
    expect(ev(not(bool(false)))).toBe(true);
    expect(ev(not(nul()))).toBe(null);
  });

  test("three-valued logic over rows (not folded to constants)", () => {
    const big = bin(f("qps"), ">", num("100")); // true
    const unknown = bin(f("nothing"), ">", num("1")); // null
    const small = bin(f("qps"), "<", num("100")); // false
    expect(ev(bin(big, "and", unknown))).toBe(null);
    expect(ev(bin(small, "and", unknown))).toBe(false);
    expect(ev(bin(unknown, "and", small))).toBe(false);
    expect(ev(bin(unknown, "or", big))).toBe(true);
    expect(ev(bin(small, "or", unknown))).toBe(null);
    expect(ev(not(unknown))).toBe(null);
    expect(ev(not(small))).toBe(true);
  });

  test("and/or stop early", () => {
    const read: number[] = [];
    const fn = compileExpr(bin(bin(f("qps"), "<", num("0")), "and", bin(f("errors"), ">", num("0"))), scope());
    expect(fn((i) => (read.push(i), VALUES[i]!))).toBe(false);
    expect(read).toEqual([0]);
  });

  test("logic on numbers or strings is a type error", () => {
    const d = only(bin(f("qps", sp(0, 3)), "and", bin(f("errors"), ">", num("1"))));
    expect(d.message).toBe("'and' needs bools, but qps is a number");
    expect(d.span).toEqual(sp(0, 3));
    expect(d.hints).toEqual(["compare it first, like qps != 0"]);
    expect(only(not(f("comm"))).message).toBe("'not' needs a bool, but comm is a string");
    expect(only(bin(bool(true), "or", str("x"))).message).toBe("'or' needs bools, but \"x\" is a string");
  });

  test("isTruthy keeps only true; toNumber reads weights", () => {
    expect(isTruthy(true)).toBe(true);
    for (const v of [false, null, 1, "true", 1n] as Value[]) expect(isTruthy(v)).toBe(false);
    expect(toNumber(5)).toBe(5);
    expect(toNumber(2.5)).toBe(2.5);
    expect(toNumber(U64_MAX)).toBe(18446744073709552000);
    expect(toNumber(null)).toBeNaN();
    expect(toNumber("5")).toBeNaN();
    expect(toNumber(true)).toBeNaN();
    expect(toNumber([1])).toBeNaN();
  });
});

describe("regex match", () => {
  test("~ searches a string with a pattern compiled once", () => {
    expect(ev(bin(f("comm"), "~", str("^ng")))).toBe(true);
    expect(ev(bin(f("comm"), "~", str("inx$")))).toBe(true);
    expect(ev(bin(f("comm"), "~", str("gin")))).toBe(true);
    expect(ev(bin(f("comm"), "~", str("^gin")))).toBe(false);
    expect(ev(bin(f("comm"), "~", str("^(nginx|sshd)$")))).toBe(true);
    expect(ev(bin(str("a.b"), "~", str("a\\.b")))).toBe(true);
    expect(ev(bin(str("axb"), "~", str("a\\.b")))).toBe(false);
    expect(ev(bin(nul(), "~", str("x")))).toBe(null);
    expect(ev(bin(f("blob"), "~", str("x")))).toBe(null);
    expect(typeOf(bin(f("comm"), "~", str("x")), scope())).toBe("bool");
  });

  test("the same regex evaluates the same on every row (no lastIndex state)", () => {
    const fn = compileExpr(bin(f("comm"), "~", str("x")), scope());
    for (let i = 0; i < 5; i++) expect(fn(() => "xx")).toBe(true);
  });

  test("an invalid pattern is an error at the literal", () => {
    const d = only(bin(f("comm"), "~", str("(ng", sp(10, 15)), sp(0, 15)));
    expect(d.message).toStartWith('invalid regular expression "(ng": ');
    expect(d.span).toEqual(sp(10, 15));
  });

  test("the pattern must be a string literal, matched against a string", () => {
    const d = only(bin(f("comm"), "~", f("comm", sp(8, 12))));
    expect(d.message).toBe("the pattern after '~' must be a string literal");
    expect(d.span).toEqual(sp(8, 12));
    const e = only(bin(f("qps", sp(0, 3)), "~", str("1")));
    expect(e.message).toBe("'~' matches strings, but qps is a number");
    expect(e.span).toEqual(sp(0, 3));
    expect(e.hints).toEqual(['str(qps) ~ "..." matches its digits']);
  });
});

describe("in", () => {
  test("in is equality with any member", () => {
    expect(ev(inList(f("qps"), num("1"), num("120"), num("3")))).toBe(true);
    expect(ev(inList(f("qps"), num("1"), num("2")))).toBe(false);
    expect(ev(inList(f("comm"), str("sshd"), str("nginx")))).toBe(true);
    expect(ev(inList(f("comm"), str("sshd")))).toBe(false);
    expect(ev(inList(f("big"), num("1"), num("18446744073709551615")))).toBe(true);
    expect(ev(inList(f("big"), num("18446744073709551614")))).toBe(false);
    expect(ev(inList(num("120"), f("errors"), f("qps")))).toBe(true);
    expect(ev(inList(num("7"), f("errors"), f("qps")))).toBe(false);
    expect(ev(inList(bin(num("60"), "*", num("2")), bin(f("qps"), "+", num("0"))))).toBe(true);
    expect(ev(not(inList(f("qps"), num("1"))))).toBe(true);
  });

  test("null in and around in", () => {
    expect(ev(inList(f("nothing"), num("1")))).toBe(null);
    expect(ev(inList(f("nothing"), num("1"), nul()))).toBe(true);
    expect(ev(inList(f("qps"), num("1"), nul()))).toBe(false);
    // A member that is null at run time makes "not found" unknown.
    expect(ev(inList(f("qps"), num("1"), f("nothing")))).toBe(null);
    expect(ev(inList(f("qps"), f("nothing"), num("120")))).toBe(true);
    expect(ev(inList(f("qps"), bin(num("1"), "/", num("0"))))).toBe(null);
  });

  test("a member of another kind is a type error at the member", () => {
    const d = only(inList(f("comm"), str("a"), num("5", sp(20, 21))));
    expect(d.message).toBe("cannot compare a string with a number");
    expect(d.span).toEqual(sp(20, 21));
    expect(d.hints[0]).toBe("comm is a string; 5 is a number");
  });
});

describe("functions", () => {
  test("logarithms and square roots; null where not finite", () => {
    expect(ev(call("log2", [num("1024")]))).toBe(10);
    expect(ev(call("ln", [num("1")]))).toBe(0);
    expect(ev(call("log10", [num("1000")]))).toBe(3);
    expect(ev(call("sqrt", [num("81")]))).toBe(9);
    expect(ev(call("log2", [f("big")]))).toBe(64);
    expect(ev(call("log2", [num("0")]))).toBe(null);
    expect(ev(call("ln", [neg(num("1"))]))).toBe(null);
    expect(ev(call("log10", [num("0")]))).toBe(null);
    expect(ev(call("sqrt", [neg(num("4"))]))).toBe(null);
    expect(ev(call("sqrt", [num("0")]))).toBe(0);
    expect(ev(call("log2", [bin(f("qps"), "+", num("8"))]))).toBe(7);
  });

  test("abs floor ceil", () => {
    expect(ev(call("abs", [neg(num("3"))]))).toBe(3);
    expect(ev(call("abs", [num("2.5")]))).toBe(2.5);
    expect(ev(call("abs", [neg(f("big"))]))).toBe(U64_MAX);
    expect(ev(call("floor", [num("2.7")]))).toBe(2);
    expect(ev(call("floor", [neg(num("2.2"))]))).toBe(-3);
    expect(ev(call("ceil", [num("2.2")]))).toBe(3);
    expect(ev(call("ceil", [f("big")]))).toBe(U64_MAX);
    expect(ev(call("floor", [bin(f("errors"), "/", f("calls"))]))).toBe(0);
  });

  test("min and max take two or more, exactly; null if any is null", () => {
    expect(ev(call("min", [num("3"), num("1"), num("2")]))).toBe(1);
    expect(ev(call("max", [num("3"), num("1"), num("2")]))).toBe(3);
    expect(ev(call("max", [f("qps"), f("big")]))).toBe(U64_MAX);
    expect(ev(call("min", [f("big"), num("18446744073709551614")]))).toBe(18446744073709551614n);
    expect(ev(call("min", [num("0.5"), f("qps")]))).toBe(0.5);
    expect(ev(call("max", [f("qps"), f("nothing")]))).toBe(null);
    expect(ev(call("min", [nul(), num("1")]))).toBe(null);
  });

  test("str", () => {
    expect(ev(call("str", [f("qps")]))).toBe("120");
    expect(ev(call("str", [num("0.1")]))).toBe("0.1");
    expect(ev(call("str", [f("big")]))).toBe("18446744073709551615");
    expect(ev(call("str", [f("comm")]))).toBe("nginx");
    expect(ev(call("str", [f("ok")]))).toBe("true");
    expect(ev(call("str", [f("nothing")]))).toBe(null);
    expect(evalWith(call("str", [f("blob")]), [0, "", 0, 0, 0, 0, 0, 0, [1n, { a: 2 }]])).toBe('["1",{"a":2}]');
    expect(ev(bin(call("str", [f("qps")]), "==", str("120")))).toBe(true);
    expect(typeOf(call("str", [f("qps")]), scope())).toBe("string");
  });

  test("hex", () => {
    expect(ev(call("hex", [num("255")]))).toBe("0xff");
    expect(ev(call("hex", [num("0")]))).toBe("0x0");
    expect(ev(call("hex", [f("big")]))).toBe("0xffffffffffffffff");
    expect(ev(call("hex", [neg(num("1"))]))).toBe("-0x1");
    expect(ev(call("hex", [num("1.5")]))).toBe(null);
    expect(ev(call("hex", [f("nothing")]))).toBe(null);
  });

  test("ksym resolves through the scope, or gives hex", () => {
    const seen: bigint[] = [];
    const withSymbols = scope({ ksym: (a) => (seen.push(a), a === 0xffffffff821f94a4n ? "schedule+0x4" : "?") });
    expect(evalWith(call("ksym", [f("addr")]), VALUES, withSymbols)).toBe("schedule+0x4");
    expect(ev(call("ksym", [f("addr")]))).toBe("0xffffffff821f94a4");
    // A signed column holding an address is taken as its u64 bits.
    expect(evalWith(call("ksym", [neg(num("1"))]), VALUES, withSymbols)).toBe("?");
    expect(seen.at(-1)).toBe(U64_MAX);
    expect(ev(call("ksym", [f("nothing")]))).toBe(null);
  });

  test("functions of constants are folded once", () => {
    let calls = 0;
    const s = scope({ ksym: () => (calls++, "x") });
    const fn = compileExpr(call("ksym", [num("4096")]), s);
    expect(calls).toBe(1);
    fn(() => null);
    fn(() => null);
    expect(calls).toBe(1);
  });

  test("an unknown function points at its name, with did-you-mean", () => {
    const d = only(call("lg2", [f("qps")], sp(0, 8), sp(0, 3)));
    expect(d.message).toBe("unknown function 'lg2'");
    expect(d.span).toEqual(sp(0, 3));
    expect(d.hints).toEqual(["did you mean 'log2'?"]);
    expect(only(call("frobnicate", [f("qps")])).hints).toEqual([
      "functions: log2, ln, log10, sqrt, abs, floor, ceil, min, max, str, hex, ksym",
    ]);
    const agg = only(call("sum", [f("qps")]));
    expect(agg.message).toBe("'sum' is an aggregate, not a function of one row");
  });

  test("a wrong number of arguments points at the call", () => {
    const d = only(call("log2", [num("1"), num("2")], sp(4, 14)));
    expect(d.message).toBe("log2 takes 1 argument, not 2");
    expect(d.span).toEqual(sp(4, 14));
    expect(d.hints).toEqual(["usage: log2(x)"]);
    expect(only(call("max", [num("1")])).message).toBe("max takes 2 or more arguments, not 1");
    expect(only(call("str", [])).message).toBe("str takes 1 argument, not 0");
  });

  test("a numeric function given a string is a type error at the argument", () => {
    const d = only(call("log2", [f("comm", sp(5, 9))]));
    expect(d.message).toBe("log2 needs a number, but comm is a string");
    expect(d.span).toEqual(sp(5, 9));
    expect(only(call("max", [num("1"), bool(true)])).message).toBe("max needs a number, but true is a bool");
    expect(typeOf(call("log2", [f("blob")]), scope())).toBe("number");
  });
});

describe("typeOf", () => {
  test("result types", () => {
    const s = scope();
    expect(typeOf(bin(f("errors"), "/", f("calls")), s)).toBe("number");
    expect(typeOf(bin(f("qps"), ">", num("1")), s)).toBe("bool");
    expect(typeOf(inList(f("qps"), num("1")), s)).toBe("bool");
    expect(typeOf(not(f("ok")), s)).toBe("bool");
    expect(typeOf(call("hex", [f("qps")]), s)).toBe("string");
    expect(typeOf(neg(f("blob")), s)).toBe("number");
  });

  test("the design's weight expression compiles and evaluates", () => {
    // 100 * (1 - errors / calls) * log2(qps + 1)
    const e = bin(
      bin(num("100"), "*", bin(num("1"), "-", bin(f("errors"), "/", f("calls")))),
      "*",
      call("log2", [bin(f("qps"), "+", num("1"))]),
    );
    expect(typeOf(e, scope())).toBe("number");
    expect(ev(e)).toBeCloseTo(75 * Math.log2(121), 12);
  });
});
