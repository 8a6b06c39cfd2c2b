import { describe, expect, test } from "bun:test";
import type { Expr } from "./ast";
import { parseProgram } from "./parse";
import { spanAt } from "./testing/span-at";

const at = (column: number, endColumn: number) => spanAt(1, column, endColumn);

/** expr: the expression of `let x = TEXT`, which must parse cleanly. */
function expr(text: string): Expr {
  const result = parseProgram(`let x = ${text}`);
  expect(result.diagnostics).toEqual([]);
  const statement = result.statements[0];
  if (statement?.kind !== "let") throw new Error(`not a let: ${text}`);
  return statement.value;
}

/** sexpr: an expression as an S-expression, to compare shapes at a glance. */
function sexpr(e: Expr): string {
  switch (e.kind) {
    case "field":
      return e.path.join(".");
    case "number":
    case "percent":
    case "duration":
    case "size":
      return e.text;
    case "string":
      return JSON.stringify(e.value);
    case "bool":
      return String(e.value);
    case "null":
      return "null";
    case "unary":
      return `(${e.op} ${sexpr(e.arg)})`;
    case "binary":
      return `(${e.op} ${sexpr(e.left)} ${sexpr(e.right)})`;
    case "in":
      return `(in ${[e.arg, ...e.list].map(sexpr).join(" ")})`;
    case "call":
      return `(${e.fn.name}()${e.args.map((a) => ` ${sexpr(a)}`).join("")})`;
  }
}

const shape = (text: string): string => sexpr(expr(text));


describe("precedence", () => {
  test("or, and, not, comparison, + -, * / %, unary - (loosest first)", () => {
    expect(shape("a or b and not c == 1 + 2 * -3")).toBe(
      "(or a (and b (not (== c (+ 1 (* 2 (- 3)))))))",
    );
    expect(shape("-a * b + c / d % e - f")).toBe("(- (+ (* (- a) b) (% (/ c d) e)) f)");
  });

  test("binary operators associate to the left", () => {
    expect(shape("a - b - c")).toBe("(- (- a b) c)");
    expect(shape("a / b * c")).toBe("(* (/ a b) c)");
    expect(shape("a or b or c")).toBe("(or (or a b) c)");
    expect(shape("a and b and c")).toBe("(and (and a b) c)");
  });

  test("parentheses", () => {
    expect(shape("(a or b) and c")).toBe("(and (or a b) c)");
    expect(shape("100 * (1 - errors / calls) * log2(qps + 1)")).toBe(
      "(* (* 100 (- 1 (/ errors calls))) (log2() (+ qps 1)))",
    );
  });

  test("not binds looser than a comparison, and stacks", () => {
    expect(shape("not a < b")).toBe("(not (< a b))");
    expect(shape("not not a")).toBe("(not (not a))");
    expect(shape("- - a")).toBe("(- (- a))");
  });

  test("every comparison, and the regex match", () => {
    for (const op of ["==", "!=", "<", "<=", ">", ">="]) {
      expect(shape(`a + 1 ${op} b * 2`)).toBe(`(${op} (+ a 1) (* b 2))`);
    }
    expect(shape('comm ~ "^ng" and pid > 1')).toBe('(and (~ comm "^ng") (> pid 1))');
  });

  test("in and not in", () => {
    expect(shape("a in (1, 2, b + 1)")).toBe("(in a 1 2 (+ b 1))");
    expect(shape('comm not in ("gms", "bash")')).toBe('(not (in comm "gms" "bash"))');
    expect(shape("a + 1 in (2) and b")).toBe("(and (in (+ a 1) 2) b)");
  });
});

describe("primaries", () => {
  test("literals", () => {
    expect(expr("42")).toEqual({ kind: "number", span: at(9, 10), text: "42", value: 42 });
    expect(expr("0.5")).toMatchObject({ kind: "number", text: "0.5", value: 0.5 });
    expect(expr("0x1F")).toMatchObject({ kind: "number", text: "0x1F", value: 31 });
    expect(expr("18446744073709551615")).toMatchObject({
      kind: "number",
      text: "18446744073709551615",
    });
    expect(expr('"a\\"b\\n"')).toEqual({ kind: "string", span: at(9, 16), value: 'a"b\n' });
    expect(expr("0.5%")).toEqual({ kind: "percent", span: at(9, 12), fraction: 0.005, text: "0.5%" });
    expect(expr("true")).toEqual({ kind: "bool", span: at(9, 12), value: true });
    expect(expr("false")).toMatchObject({ kind: "bool", value: false });
    expect(expr("null")).toEqual({ kind: "null", span: at(9, 12) });
  });

  test("durations in each unit, in milliseconds", () => {
    const ms = (t: string) => {
      const e = expr(t);
      return e.kind === "duration" ? e.ms : undefined;
    };
    expect([ms("5ns"), ms("10us"), ms("500ms"), ms("2s"), ms("1m"), ms("2h"), ms("0s")]).toEqual([
      0.000005, 0.01, 500, 2000, 60_000, 7_200_000, 0,
    ]);
    expect(expr("500ms")).toEqual({ kind: "duration", span: at(9, 13), ms: 500, text: "500ms" });
  });

  test("sizes in bytes, powers of 1024; 1M is a size and 1m a duration", () => {
    const bytes = (t: string) => {
      const e = expr(t);
      return e.kind === "size" ? e.bytes : undefined;
    };
    expect([bytes("4k"), bytes("4K"), bytes("1M"), bytes("2G"), bytes("1.5k")]).toEqual([
      4096, 4096, 1_048_576, 2_147_483_648, 1536,
    ]);
    expect(expr("1M")).toEqual({ kind: "size", span: at(9, 10), bytes: 1_048_576, text: "1M" });
    expect(expr("1m")).toMatchObject({ kind: "duration", ms: 60_000 });
  });

  test("field paths; keywords may follow a dot", () => {
    expect(expr("value.stats.max")).toEqual({
      kind: "field",
      span: at(9, 23),
      path: ["value", "stats", "max"],
    });
    expect(expr("key.from.map.and")).toMatchObject({ path: ["key", "from", "map", "and"] });
    expect(expr("id")).toMatchObject({ kind: "field", path: ["id"] });
    expect(expr("desc")).toMatchObject({ kind: "field", path: ["desc"] });
  });

  test("calls, with no, one or several arguments", () => {
    expect(expr("max(a, 1)")).toEqual({
      kind: "call",
      span: at(9, 17),
      fn: { kind: "identifier", span: at(9, 11), name: "max" },
      args: [
        { kind: "field", span: at(13, 13), path: ["a"] },
        { kind: "number", span: at(16, 16), text: "1", value: 1 },
      ],
    });
    expect(shape("ksym(0xffffffff81000000)")).toBe("(ksym() 0xffffffff81000000)");
    expect(shape("min(a, b, c)")).toBe("(min() a b c)");
  });
});

describe("spans", () => {
  test("an operator's node spans its operands", () => {
    const e = expr("a + b * 2");
    expect(e.span).toEqual(at(9, 17));
    expect(e.kind === "binary" ? e.right.span : undefined).toEqual(at(13, 17));
  });

  test("a unary operator spans itself and its operand; parentheses are not kept", () => {
    expect(expr("not a").span).toEqual(at(9, 13));
    expect(expr("-(a)").span).toEqual(at(9, 12));
    expect(expr("(a + b)").span).toEqual(at(10, 14));
  });

  test("in and not in span the list", () => {
    const e = expr("a not in (1, 2)");
    expect(e.span).toEqual(at(9, 23));
    expect(e.kind === "unary" ? e.arg.span : undefined).toEqual(at(9, 23));
  });
});
