import type { CstElement, CstNode, IToken } from "chevrotain";
import type {
  Aggregate,
  BinaryOp,
  CallExpr,
  DescribeStmt,
  Destination,
  DurationLit,
  EstimateStmt,
  Expr,
  FieldRef,
  Identifier,
  LetStmt,
  NumberLit,
  OrderKey,
  PercentLit,
  Projection,
  QueryStmt,
  SampleSize,
  SampleStmt,
  SetStmt,
  ShowStmt,
  SourceRef,
  Statement,
  StopStmt,
  StringLit,
  TraceStmt,
  WaitStmt,
  WatchStmt,
} from "./ast";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { decodeString, durationMs, numberValue, percentFraction, sizeBytes } from "./literals";
import type { Span } from "./span";
import { didYouMean } from "./suggest";
import { nodeSpan, tokenSpan } from "./token-span";

/** AGGREGATES: the aggregates `estimate` knows, and how many arguments each takes. */
export const AGGREGATES: Record<Aggregate["fn"], number> = { sum: 1, count: 0, avg: 1 };

/**
 * buildStatement: the AST of one statement's CST, as `gmsParser.statement()` returns it for
 * input that parsed without errors. `text` is the whole text the tokens came from (for hints
 * that quote it). Problems the AST cannot hold (a clause given twice, a chained comparison, an
 * unknown aggregate) are pushed onto `diagnostics`; value checks are left to `checkStatement`.
 * Throws only when given a CST that did not come from a clean parse, which is a bug in the
 * caller.
 */
export function buildStatement(cst: CstNode, diagnostics: Diagnostic[], text = ""): Statement {
  const builder = new Builder(diagnostics, text);
  const explain = child(cst, "explainStatement");
  if (explain) {
    return {
      kind: "explain",
      span: nodeSpan(explain),
      statement: builder.simple(only(explain, "simpleStatement")),
    };
  }
  return builder.simple(only(cst, "simpleStatement"));
}

/** Builder: turns CST nodes into AST nodes, collecting the diagnostics of one statement. */
class Builder {
  constructor(
    private readonly diagnostics: Diagnostic[],
    private readonly text: string,
  ) {}

  simple(node: CstNode): Statement {
    const [name, inner] = onlyChild(node);
    switch (name) {
      case "sampleStatement":
        return this.sample(inner);
      case "queryStatement":
        return this.query(inner);
      case "estimateStatement":
        return this.estimate(inner);
      case "traceStatement":
        return this.trace(inner);
      case "stopStatement":
        return stop(inner);
      case "waitStatement":
        return wait(inner);
      case "helpStatement": {
        const word = inner.children.Keyword?.[0] ?? inner.children.Identifier?.[0];
        const t = word as IToken | undefined;
        return t ? { kind: "help", span: nodeSpan(inner), topic: { kind: "identifier", span: tokenSpan(t), name: t.image } } : { kind: "help", span: nodeSpan(inner) };
      }
      case "showStatement":
        return this.show(inner);
      case "describeStatement":
        return describe(inner);
      case "saveStatement":
        return { kind: "save", span: nodeSpan(inner), source: source(only(inner, "source")), to: destination(only(inner, "toClause")) };
      case "letStatement":
        return this.let(inner);
      case "setStatement":
        return set(inner);
      case "watchStatement":
        return this.watch(inner);
    }
    throw new Error(`buildStatement: unknown statement ${name}`);
  }

  private sample(node: CstNode): SampleStmt {
    const statement: SampleStmt = {
      kind: "sample",
      span: nodeSpan(node),
      size: sampleSize(only(node, "sampleSize")),
      source: source(only(node, "source")),
    };
    const per = child(node, "fieldRef");
    if (per) statement.per = fieldRef(per);
    const weighted = this.clause(node, "weightedClause", "weighted by");
    if (weighted) statement.weightedBy = this.expression(only(weighted, "expression"));
    const where = this.clause(node, "whereClause", "where");
    if (where) statement.where = this.expression(only(where, "expression"));
    const seed = this.clause(node, "seedClause", "seed");
    if (seed) statement.seed = numberLit(onlyToken(seed, "NumberLit"));
    const limit = this.clause(node, "limitClause", "limit");
    if (limit) statement.limit = numberLit(onlyToken(limit, "NumberLit"));
    const forClause = this.clause(node, "forClause", "for");
    if (forClause) statement.for = durationLit(onlyToken(forClause, "Duration"));
    const to = this.clause(node, "toClause", "to");
    if (to) statement.to = destination(to);
    return statement;
  }

  private query(node: CstNode): QueryStmt {
    const statement: QueryStmt = {
      kind: "query",
      span: nodeSpan(node),
      source: source(only(node, "source")),
    };
    const projections = children(node, "projection");
    if (projections.length > 0) statement.select = projections.map((p) => this.projection(p));
    this.tableClauses(node, statement);
    const forClause = this.clause(node, "forClause", "for");
    if (forClause) statement.for = durationLit(onlyToken(forClause, "Duration"));
    const to = this.clause(node, "toClause", "to");
    if (to) statement.to = destination(to);
    return statement;
  }

  /** tableClauses: `where`, `order by` and `limit`, as a plain query and `show` have them. */
  private tableClauses(node: CstNode, statement: QueryStmt | ShowStmt): void {
    const where = this.clause(node, "whereClause", "where");
    if (where) statement.where = this.expression(only(where, "expression"));
    const order = this.clause(node, "orderClause", "order by");
    if (order) statement.orderBy = children(order, "orderKey").map((k) => this.orderKey(k));
    const limit = this.clause(node, "limitClause", "limit");
    if (limit) statement.limit = numberLit(onlyToken(limit, "NumberLit"));
  }

  private projection(node: CstNode): Projection {
    const projection: Projection = {
      kind: "projection",
      span: nodeSpan(node),
      expr: this.expression(only(node, "expression")),
    };
    const alias = child(node, "alias");
    if (alias) projection.alias = identifier(only(alias, "name"));
    return projection;
  }

  private orderKey(node: CstNode): OrderKey {
    return {
      kind: "order-key",
      span: nodeSpan(node),
      expr: this.expression(only(node, "expression")),
      descending: token(node, "Desc") !== undefined,
    };
  }

  private estimate(node: CstNode): EstimateStmt {
    const statement: EstimateStmt = {
      kind: "estimate",
      span: nodeSpan(node),
      aggregates: children(node, "aggregate").map((a) => this.aggregate(a)),
      source: source(only(node, "source")),
      using: sampleSize(only(only(node, "usingClause"), "sampleSize")),
    };
    const where = child(node, "whereClause");
    if (where) statement.where = this.expression(only(where, "expression"));
    const weighted = this.clause(node, "weightedClause", "weighted by");
    if (weighted) statement.weightedBy = this.expression(only(weighted, "expression"));
    const seed = this.clause(node, "seedClause", "seed");
    if (seed) statement.seed = numberLit(onlyToken(seed, "NumberLit"));
    const to = this.clause(node, "toClause", "to");
    if (to) statement.to = destination(to);
    return statement;
  }

  /**
   * aggregate: `sum(EXPR)`, `count()` or `avg(EXPR)`. An unknown name or a wrong number of
   * arguments is reported here, since the AST has room for neither.
   */
  private aggregate(node: CstNode): Aggregate {
    const name = identifier(only(node, "name"));
    const args = this.argumentList(only(node, "argumentList"));
    const known = Object.keys(AGGREGATES) as Aggregate["fn"][];
    const fn = known.find((k) => k === name.name);
    const aggregate: Aggregate = { kind: "aggregate", span: nodeSpan(node), fn: fn ?? "count" };
    if (fn === undefined) {
      const hints = ["an aggregate is sum(EXPR), count() or avg(EXPR)"];
      const guess = didYouMean(name.name, known);
      if (guess) hints.unshift(guess);
      this.diagnostics.push(diagnostic(name.span, `unknown aggregate '${name.name}'`, ...hints));
    } else if (args.length !== AGGREGATES[fn]) {
      const wanted = AGGREGATES[fn] === 0 ? "no argument" : "one argument";
      this.diagnostics.push(
        diagnostic(
          nodeSpan(only(node, "argumentList")),
          `${fn}() takes ${wanted}`,
          fn === "count" ? "count() counts the rows: write count()" : `like ${fn}(qps)`,
        ),
      );
    }
    if (args[0]) aggregate.arg = args[0];
    const alias = child(node, "alias");
    if (alias) aggregate.alias = identifier(only(alias, "name"));
    return aggregate;
  }

  private trace(node: CstNode): TraceStmt {
    const statement: TraceStmt = {
      kind: "trace",
      span: nodeSpan(node),
      probe: identifier(only(node, "probeName")),
    };
    const sample = this.clause(node, "traceSample", "sample");
    if (sample) statement.sample = percentLit(onlyToken(sample, "Percent"));
    const where = this.clause(node, "whereClause", "where");
    if (where) statement.where = this.expression(only(where, "expression"));
    return statement;
  }

  private show(node: CstNode): ShowStmt {
    const what = tokensOf(node)[1]!.image as ShowStmt["what"];
    const statement: ShowStmt = { kind: "show", span: nodeSpan(node), what };
    this.tableClauses(node, statement);
    return statement;
  }

  private let(node: CstNode): LetStmt {
    return {
      kind: "let",
      span: nodeSpan(node),
      name: identifier(only(node, "name")),
      value: this.expression(only(node, "expression")),
    };
  }

  private watch(node: CstNode): WatchStmt {
    const every = durationLit(onlyToken(node, "Duration"));
    const [name, inner] = onlyChild(node);
    let query: WatchStmt["query"];
    switch (name) {
      case "sampleStatement":
        query = this.sample(inner);
        break;
      case "queryStatement":
        query = this.query(inner);
        break;
      case "estimateStatement":
        query = this.estimate(inner);
        break;
      case "showStatement":
        query = this.show(inner);
        break;
      default:
        throw new Error(`buildStatement: watch over ${name}`);
    }
    return { kind: "watch", span: nodeSpan(node), every, query };
  }

  /** clause: the first of a statement's clauses of one kind; a repeat is reported. */
  private clause(node: CstNode, rule: string, words: string): CstNode | undefined {
    const clauses = children(node, rule);
    for (const repeat of clauses.slice(1)) {
      this.diagnostics.push(
        diagnostic(nodeSpan(repeat), `'${words}' is given twice`, `keep one '${words}' clause`),
      );
    }
    return clauses[0];
  }

  // Expressions.

  expression(node: CstNode): Expr {
    return this.leftFold(node, "andExpression", ["Or"], (n) => this.and(n));
  }

  private and(node: CstNode): Expr {
    return this.leftFold(node, "notExpression", ["And"], (n) => this.not(n));
  }

  private not(node: CstNode): Expr {
    const inner = child(node, "notExpression");
    if (inner) return { kind: "unary", span: nodeSpan(node), op: "not", arg: this.not(inner) };
    return this.comparison(only(node, "comparison"));
  }

  /**
   * comparison: `a OP b`, `a in (...)`, `a not in (...)` (a unary `not` around the `in`). The
   * grammar takes a chain of them, reported here: comparisons do not associate.
   */
  private comparison(node: CstNode): Expr {
    const operands = children(node, "additive");
    const steps = [...children(node, "comparisonOperator"), ...children(node, "inList")].sort(
      (a, b) => nodeSpan(a).startOffset - nodeSpan(b).startOffset,
    );
    let left = this.additive(operands[0]!);
    let next = 1;
    for (const step of steps) {
      const start = left.span;
      if (step.name === "inList") {
        const list = children(step, "expression").map((e) => this.expression(e));
        const span = joinSpans(start, nodeSpan(step));
        const inExpr: Expr = { kind: "in", span, arg: left, list };
        left = token(step, "Not") ? { kind: "unary", span, op: "not", arg: inExpr } : inExpr;
      } else {
        const op = tokensOf(step)[0]!.image as BinaryOp;
        const right = this.additive(operands[next++]!);
        left = { kind: "binary", span: joinSpans(start, right.span), op, left, right };
      }
    }
    if (steps.length > 1) this.reportChain(node, operands, steps);
    return left;
  }

  private reportChain(node: CstNode, operands: CstNode[], steps: CstNode[]): void {
    const hints = ["compare twice and join with 'and'"];
    if (this.text !== "" && steps.every((s) => s.name === "comparisonOperator")) {
      const text = (n: CstNode): string => {
        const s = nodeSpan(n);
        return this.text.slice(s.startOffset, s.endOffset);
      };
      // Matches chain on one string (`comm ~ "a" ~ "b"`), comparisons on their neighbours.
      const matches = steps.every((op) => text(op) === "~");
      const pairs = steps.map(
        (op, i) => `${text(operands[matches ? 0 : i]!)} ${text(op)} ${text(operands[i + 1]!)}`,
      );
      hints[0] = `write '${pairs.join(" and ")}'`;
    }
    this.diagnostics.push(
      diagnostic(nodeSpan(node), "comparisons cannot be chained", ...hints),
    );
  }

  private additive(node: CstNode): Expr {
    return this.leftFold(node, "multiplicative", ["Plus", "Minus"], (n) => this.multiplicative(n));
  }

  private multiplicative(node: CstNode): Expr {
    return this.leftFold(node, "unary", ["Star", "Slash", "Modulo"], (n) => this.unary(n));
  }

  /** leftFold: `a op b op c` as `(a op b) op c`, the operands under `rule`. */
  private leftFold(
    node: CstNode,
    rule: string,
    operators: string[],
    build: (n: CstNode) => Expr,
  ): Expr {
    const operands = children(node, rule);
    const ops = operators
      .flatMap((name) => (node.children[name] ?? []).filter(isToken))
      .sort((a, b) => a.startOffset - b.startOffset);
    let left = build(operands[0]!);
    ops.forEach((op, i) => {
      const right = build(operands[i + 1]!);
      left = {
        kind: "binary",
        span: joinSpans(left.span, right.span),
        op: op.image as BinaryOp,
        left,
        right,
      };
    });
    return left;
  }

  private unary(node: CstNode): Expr {
    const inner = child(node, "unary");
    if (inner) return { kind: "unary", span: nodeSpan(node), op: "-", arg: this.unary(inner) };
    return this.primary(only(node, "primary"));
  }

  private primary(node: CstNode): Expr {
    const [name, element] = onlyElement(node);
    if (isToken(element)) {
      const span = tokenSpan(element);
      switch (name) {
        case "NumberLit":
          return numberLit(element);
        case "StringLit":
          return stringLit(element);
        case "Percent":
          return percentLit(element);
        case "Duration":
          return durationLit(element);
        case "Size":
          return { kind: "size", span, bytes: sizeBytes(element.image), text: element.image };
        case "True":
          return { kind: "bool", span, value: true };
        case "False":
          return { kind: "bool", span, value: false };
        case "Null":
          return { kind: "null", span };
      }
      throw new Error(`buildStatement: unknown literal ${name}`);
    }
    switch (name) {
      case "parenthesized":
        return this.expression(only(element, "expression"));
      case "call":
        return this.call(element);
      case "fieldRef":
        return fieldRef(element);
    }
    throw new Error(`buildStatement: unknown primary ${name}`);
  }

  private call(node: CstNode): CallExpr {
    return {
      kind: "call",
      span: nodeSpan(node),
      fn: identifier(only(node, "name")),
      args: this.argumentList(only(node, "argumentList")),
    };
  }

  private argumentList(node: CstNode): Expr[] {
    return children(node, "expression").map((e) => this.expression(e));
  }
}

function stop(node: CstNode): StopStmt {
  const statement: StopStmt = { kind: "stop", span: nodeSpan(node) };
  const probe = child(node, "probeName");
  if (probe) statement.probe = identifier(probe);
  return statement;
}

function wait(node: CstNode): WaitStmt {
  return { kind: "wait", span: nodeSpan(node), duration: durationLit(onlyToken(node, "Duration")) };
}

function describe(node: CstNode): DescribeStmt {
  return { kind: "describe", span: nodeSpan(node), source: source(only(node, "source")) };
}

function set(node: CstNode): SetStmt {
  const span = nodeSpan(node);
  const format = child(node, "formatName");
  if (token(node, "Budget")) {
    const percent = token(node, "Percent");
    if (percent) return { kind: "set", span, option: "budget", budget: percentLit(percent) };
    return { kind: "set", span, option: "budget", budget: null, off: identifier(only(node, "budgetOff")) };
  }
  const mode = child(node, "perCpuMode");
  if (mode) return { kind: "set", span, option: "percpu", value: identifier(mode) };
  const onOff = child(node, "onOff");
  if (onOff) return { kind: "set", span, option: "stats", value: identifier(onOff) };
  if (format) return { kind: "set", span, option: "format", format: identifier(format) };
  return { kind: "set", span, option: "seed", seed: numberLit(onlyToken(node, "NumberLit")) };
}

function sampleSize(node: CstNode): SampleSize {
  const percent = token(node, "Percent");
  if (percent) return { kind: "size", span: tokenSpan(percent), percent: percentLit(percent) };
  const count = onlyToken(node, "NumberLit");
  return { kind: "size", span: tokenSpan(count), count: numberLit(count) };
}

function source(node: CstNode): SourceRef {
  if (token(node, "Stream")) {
    const name = only(node, "stream");
    return { kind: "stream", span: nodeSpan(name), name: nameOf(name) };
  }
  if (token(node, "Tracepoint")) {
    const category = only(node, "category");
    const event = only(node, "event");
    return { kind: "tracepoint", span: joinSpans(nodeSpan(category), nodeSpan(event)), category: nameOf(category), event: nameOf(event) };
  }
  const file = token(node, "StringLit");
  if (file) return { kind: "file", span: tokenSpan(file), path: decodeString(file.image).value };
  const ref = child(node, "mapRef");
  if (!ref) return { kind: "map-name", span: nodeSpan(node), name: nameOf(only(node, "name")) };
  const span = nodeSpan(ref);
  const id = token(ref, "NumberLit");
  if (id) return { kind: "map-id", span, id: numberValue(id.image) };
  const string = token(ref, "StringLit");
  if (string) {
    // A quoted string is a pinned path when it starts with `/`, and otherwise a map name, for
    // kernel map names a bare name cannot spell (`.rodata`, `syscalls.bss`).
    const text = decodeString(string.image).value;
    return text.startsWith("/")
      ? { kind: "map-pinned", span, path: text }
      : { kind: "map-name", span, name: text };
  }
  return { kind: "map-name", span, name: nameOf(only(ref, "name")) };
}

function destination(node: CstNode): Destination {
  return { kind: "to", span: nodeSpan(node), path: stringLit(onlyToken(node, "StringLit")) };
}

function fieldRef(node: CstNode): FieldRef {
  const path = tokensOf(node)
    .filter((t) => t.tokenType.name !== "Dot")
    .map((t) => t.image);
  return { kind: "field", span: nodeSpan(node), path };
}

function identifier(node: CstNode): Identifier {
  return { kind: "identifier", span: nodeSpan(node), name: nameOf(node) };
}

function nameOf(node: CstNode): string {
  return tokensOf(node)
    .map((t) => t.image)
    .join("");
}

function numberLit(t: IToken): NumberLit {
  return { kind: "number", span: tokenSpan(t), text: t.image, value: numberValue(t.image) };
}

function stringLit(t: IToken): StringLit {
  return { kind: "string", span: tokenSpan(t), value: decodeString(t.image).value };
}

function percentLit(t: IToken): PercentLit {
  return { kind: "percent", span: tokenSpan(t), fraction: percentFraction(t.image), text: t.image };
}

function durationLit(t: IToken): DurationLit {
  return { kind: "duration", span: tokenSpan(t), ms: durationMs(t.image), text: t.image };
}

/** andAll: the parts joined by `and`, or null for none. */
export function andAll(parts: Expr[]): Expr | null {
  if (!parts.length) return null;
  return parts.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b, span: joinSpans(a.span, b.span) }));
}

/** joinSpans: the span from the start of `a` to the end of `b`. */
export function joinSpans(a: Span, b: Span): Span {
  return {
    startOffset: a.startOffset,
    endOffset: b.endOffset,
    line: a.line,
    column: a.column,
    endLine: b.endLine,
    endColumn: b.endColumn,
  };
}

function isToken(e: CstElement): e is IToken {
  return "image" in e;
}

/** tokensOf: every token under a node, in text order. */
function tokensOf(node: CstNode): IToken[] {
  const out: IToken[] = [];
  const walk = (n: CstNode): void => {
    for (const list of Object.values(n.children)) {
      for (const e of list) {
        if (isToken(e)) out.push(e);
        else walk(e);
      }
    }
  };
  walk(node);
  return out.sort((a, b) => a.startOffset - b.startOffset);
}

function children(node: CstNode, rule: string): CstNode[] {
  return (node.children[rule] ?? []).filter((e): e is CstNode => !isToken(e));
}

function child(node: CstNode, rule: string): CstNode | undefined {
  return children(node, rule)[0];
}

function only(node: CstNode, rule: string): CstNode {
  const c = child(node, rule);
  if (!c) throw new Error(`buildStatement: ${node.name} has no ${rule}`);
  return c;
}

/** onlyChild: the one sub-rule node of a node that is a choice between rules. */
function onlyChild(node: CstNode): [string, CstNode] {
  for (const [name, list] of Object.entries(node.children)) {
    const found = list.find((e): e is CstNode => !isToken(e));
    if (found) return [name, found];
  }
  throw new Error(`buildStatement: ${node.name} has no sub-rule`);
}

/** onlyElement: the one element (token or node) of a node that is a choice of one element. */
function onlyElement(node: CstNode): [string, CstElement] {
  for (const [name, list] of Object.entries(node.children)) {
    if (list[0]) return [name, list[0]];
  }
  throw new Error(`buildStatement: ${node.name} is empty`);
}

function token(node: CstNode, name: string): IToken | undefined {
  return (node.children[name] ?? []).find(isToken);
}

function onlyToken(node: CstNode, name: string): IToken {
  const t = token(node, name);
  if (!t) throw new Error(`buildStatement: ${node.name} has no ${name} token`);
  return t;
}
