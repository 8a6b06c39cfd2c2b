import type { Span } from "../span";

/**
 * spanAt: a one-line span for tests, from column `column` to `endColumn` (inclusive), starting
 * at `offset` in the text (by default the offset of `column` on the first line).
 */
export function spanAt(line: number, column: number, endColumn: number, offset = column - 1): Span {
  return { startOffset: offset, endOffset: offset + endColumn - column + 1, line, column, endLine: line, endColumn };
}
