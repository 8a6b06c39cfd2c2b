import type { CstElement, CstNode, IToken } from "chevrotain";
import type {
  DurationLit,
  FieldRef,
  Identifier,
  MapRef,
  NumberLit,
  PercentLit,
  SampleSize,
  SampleStmt,
  ShowStmt,
  Statement,
  StopStmt,
  TraceStmt,
  WaitStmt,
} from "./ast";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { decodeString, durationMs, percentFraction } from "./literals";
import { nodeSpan, tokenSpan } from "./token-span";

/**
 * buildStatement: the AST of one statement's CST, as `gmsParser.statement()` returns it for
 * input that parsed without errors. Problems the AST cannot hold (a clause given twice) are
 * pushed onto `diagnostics`; value checks are left to `checkStatement`. Throws only when given
 * a CST that did not come from a clean parse, which is a bug in the caller.
 */
export function buildStatement(cst: CstNode, diagnostics: Diagnostic[]): Statement {
  const sample = child(cst, "sampleStatement");
  if (sample) return buildSample(sample, diagnostics);
  const trace = child(cst, "traceStatement");
  if (trace) return buildTrace(trace);
  const stop = child(cst, "stopStatement");
  if (stop) return buildStop(stop);
  const wait = child(cst, "waitStatement");
  if (wait) return buildWait(wait);
  const show = child(cst, "showStatement");
  if (show) return buildShow(show);
  throw new Error(`buildStatement: unknown statement ${Object.keys(cst.children).join(", ")}`);
}

function buildSample(node: CstNode, diagnostics: Diagnostic[]): SampleStmt {
  const statement: SampleStmt = {
    kind: "sample",
    span: nodeSpan(node),
    size: buildSize(only(node, "sampleSize")),
    source: buildMapSource(only(node, "mapSource")),
  };
  const weighted = children(node, "weightedClause");
  const seeds = children(node, "seedClause");
  reportRepeats(weighted, "weighted by", diagnostics);
  reportRepeats(seeds, "seed", diagnostics);
  if (weighted[0]) statement.weightedBy = buildField(only(weighted[0], "fieldRef"));
  if (seeds[0]) statement.seed = numberLit(onlyToken(seeds[0], "NumberLit"));
  return statement;
}

function reportRepeats(clauses: CstNode[], words: string, diagnostics: Diagnostic[]): void {
  for (const repeat of clauses.slice(1)) {
    diagnostics.push(
      diagnostic(nodeSpan(repeat), `'${words}' is given twice`, `keep one '${words}' clause`),
    );
  }
}

function buildSize(node: CstNode): SampleSize {
  const percent = token(node, "Percent");
  if (percent) return { kind: "size", span: tokenSpan(percent), percent: percentLit(percent) };
  const count = onlyToken(node, "NumberLit");
  return { kind: "size", span: tokenSpan(count), count: numberLit(count) };
}

function buildMapSource(node: CstNode): MapRef {
  const ref = child(node, "mapRef");
  if (!ref) return { kind: "map-name", span: nodeSpan(node), name: nameOf(only(node, "name")) };
  const span = nodeSpan(ref);
  const id = token(ref, "NumberLit");
  if (id) return { kind: "map-id", span, id: Number(id.image) };
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

function buildField(node: CstNode): FieldRef {
  const path = tokensOf(node)
    .filter((t) => t.tokenType.name !== "Dot")
    .map((t) => t.image);
  return { kind: "field", span: nodeSpan(node), path };
}

function buildTrace(node: CstNode): TraceStmt {
  return { kind: "trace", span: nodeSpan(node), probe: identifier(only(node, "probeName")) };
}

function buildStop(node: CstNode): StopStmt {
  const statement: StopStmt = { kind: "stop", span: nodeSpan(node) };
  const probe = child(node, "probeName");
  if (probe) statement.probe = identifier(probe);
  return statement;
}

function buildWait(node: CstNode): WaitStmt {
  const t = onlyToken(node, "Duration");
  const duration: DurationLit = {
    kind: "duration",
    span: tokenSpan(t),
    ms: durationMs(t.image),
    text: t.image,
  };
  return { kind: "wait", span: nodeSpan(node), duration };
}

function buildShow(node: CstNode): ShowStmt {
  const what = tokensOf(node)[1]!.image as ShowStmt["what"];
  return { kind: "show", span: nodeSpan(node), what };
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
  return { kind: "number", span: tokenSpan(t), text: t.image, value: Number(t.image) };
}

function percentLit(t: IToken): PercentLit {
  return { kind: "percent", span: tokenSpan(t), fraction: percentFraction(t.image), text: t.image };
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

function token(node: CstNode, name: string): IToken | undefined {
  return (node.children[name] ?? []).find(isToken);
}

function onlyToken(node: CstNode, name: string): IToken {
  const t = token(node, name);
  if (!t) throw new Error(`buildStatement: ${node.name} has no ${name} token`);
  return t;
}
