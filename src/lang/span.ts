/**
 * Span: where a piece of source text lies. Lines and columns are 1-based, `endColumn` is
 * inclusive, offsets are 0-based into the statement text that was parsed.
 */
export interface Span {
  startOffset: number;
  endOffset: number; // exclusive
  line: number;
  column: number;
  endLine: number;
  endColumn: number; // inclusive
}
