import type { CstNode, IToken } from "chevrotain";
import type { Span } from "./span";

/** tokenSpan: the span of one token. */
export function tokenSpan(t: IToken): Span {
  return {
    startOffset: t.startOffset,
    endOffset: (t.endOffset ?? t.startOffset) + 1,
    line: t.startLine ?? 1,
    column: t.startColumn ?? 1,
    endLine: t.endLine ?? t.startLine ?? 1,
    endColumn: t.endColumn ?? t.startColumn ?? 1,
  };
}

/** spanAfter: the one column just past a token, where a missing token would go. */
export function spanAfter(t: IToken): Span {
  const end = (t.endOffset ?? t.startOffset) + 1;
  const line = t.endLine ?? t.startLine ?? 1;
  const column = (t.endColumn ?? t.startColumn ?? 1) + 1;
  return { startOffset: end, endOffset: end + 1, line, column, endLine: line, endColumn: column };
}

/**
 * nodeSpan: the span of a CST node, from the location the parser tracks. Throws when the node
 * has none, which happens only to a node the parser recovered from an error.
 */
export function nodeSpan(node: CstNode): Span {
  const l = node.location;
  if (!l || Number.isNaN(l.startOffset)) {
    throw new Error(`nodeSpan: ${node.name} has no location (was it recovered from an error?)`);
  }
  return {
    startOffset: l.startOffset,
    endOffset: (l.endOffset ?? l.startOffset) + 1,
    line: l.startLine ?? 1,
    column: l.startColumn ?? 1,
    endLine: l.endLine ?? l.startLine ?? 1,
    endColumn: l.endColumn ?? l.startColumn ?? 1,
  };
}
