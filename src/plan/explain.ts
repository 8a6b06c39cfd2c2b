import type { Expr } from "../lang/ast";
import type { SamplerConfig } from "./config";

const PRECEDENCE: Record<string, number> = {
  or: 1, and: 2, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "~": 4, "+": 5, "-": 5, "*": 6, "/": 6, "%": 6,
};

function quote(s: string): string {
  return JSON.stringify(s);
}

/**
 * exprText: an expression as gms text, parenthesised only where precedence needs it, so
 * `explain` shows expressions as they read (`errors / calls > 0.1`), not as trees.
 */
export function exprText(e: Expr, outer = 0): string {
  switch (e.kind) {
    case "field": return e.path.join(".");
    case "number": return e.text;
    case "string": return quote(e.value);
    case "percent": return e.text;
    case "duration": return e.text;
    case "size": return e.text;
    case "bool": return String(e.value);
    case "null": return "null";
    case "unary": {
      const s = e.op === "not" ? `not ${exprText(e.arg, 3)}` : `-${exprText(e.arg, 7)}`;
      return outer > (e.op === "not" ? 3 : 7) ? `(${s})` : s;
    }
    case "binary": {
      const p = PRECEDENCE[e.op]!;
      const s = `${exprText(e.left, p)} ${e.op} ${exprText(e.right, p + 1)}`;
      return outer > p ? `(${s})` : s;
    }
    case "in": {
      const s = `${exprText(e.arg, 5)} in (${e.list.map((x) => exprText(x)).join(", ")})`;
      return outer > 4 ? `(${s})` : s;
    }
    case "call": return `${e.fn.name}(${e.args.map((x) => exprText(x)).join(", ")})`;
  }
}

const EXPR_KINDS = new Set(["field", "number", "string", "percent", "duration", "size", "bool", "null", "unary", "binary", "in", "call"]);

function isExpr(v: unknown): v is Expr {
  return !!v && typeof v === "object" && "span" in v && EXPR_KINDS.has((v as unknown as { kind: string }).kind);
}

/**
 * explainText: a sampler configuration as `explain` prints it: indented JSON in the
 * configuration's own key order, without source spans, expressions shown as text.
 */
export function explainText(config: SamplerConfig): string {
  return JSON.stringify(
    config,
    (key, value) => {
      if (key === "span") return undefined;
      if (isExpr(value)) return exprText(value);
      return value;
    },
    2,
  );
}
