import { EOF, tokenMatcher, type ILexingError, type IToken, type TokenType } from "chevrotain";
import { gmsParser } from "../../grammar/parser";
import { gmsLexer, HexLit, Newline, Semicolon, StringLit } from "../../grammar/tokens";
import type { Statement } from "./ast";
import { buildStatement } from "./build-ast";
import { checkStatement } from "./check";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { decodeString, escapeList } from "./literals";
import { syntaxDiagnostic } from "./syntax-error";
import type { Span } from "./span";
import { tokenSpan } from "./token-span";

/** ParseResult: the statements of a text and every problem found in it. */
export interface ParseResult {
  /** The statements free of errors, in text order. */
  statements: Statement[];
  /** Every problem, in text order. Run nothing when one of them is an error. */
  diagnostics: Diagnostic[];
}

/** StatementTokens: the tokens of one statement (its terminator included) and its text range. */
interface StatementTokens {
  tokens: IToken[];
  startOffset: number;
  /** Exclusive: just past the terminator, or the end of the text. */
  endOffset: number;
}

/**
 * parseProgram: lex, parse, build and check a whole text (a prompt line, a file, `-e`). Never
 * throws: every problem becomes a Diagnostic (a bug in gms becomes one labelled "internal
 * error"). Each statement is parsed on its own, so all of them are checked and a broken one
 * cannot hide the errors of the next. A statement with a lexical error (a stray character, an
 * unterminated string) gets no syntax error on top of it, since those would only repeat the
 * lexical one. Where a statement ends is said at `splitStatements`.
 */
export function parseProgram(text: string): ParseResult {
  const lexed = gmsLexer.tokenize(text);
  const lexical = [
    ...lexed.errors.map((e) => lexingDiagnostic(e, text)),
    ...lexed.tokens.filter((t) => t.tokenType === StringLit).flatMap(stringDiagnostics),
    ...lexed.tokens.filter((t) => t.tokenType === HexLit).flatMap(hexDiagnostics),
  ];
  const diagnostics = [...lexical];
  const statements: Statement[] = [];

  for (const group of splitStatements(lexed.tokens, text.length)) {
    const statementTokens = group.tokens.filter((t) => !isTerminator(t));
    if (statementTokens.length === 0) continue;
    const lexicallyBad = lexical.some(
      (d) => d.span.startOffset >= group.startOffset && d.span.startOffset < group.endOffset,
    );
    if (lexicallyBad) continue;

    try {
      gmsParser.input = group.tokens;
      const cst = gmsParser.statement();
      const firstError = gmsParser.errors[0];
      if (firstError) {
        diagnostics.push(syntaxDiagnostic(firstError, group.tokens));
        continue;
      }
      const own: Diagnostic[] = [];
      const statement = buildStatement(cst, own, text);
      own.push(...checkStatement(statement));
      diagnostics.push(...own);
      if (!own.some((d) => d.severity === "error")) statements.push(statement);
    } catch (err) {
      diagnostics.push(internalError(err, statementTokens));
    }
  }

  diagnostics.sort((a, b) => a.span.startOffset - b.span.startOffset);
  return { statements, diagnostics };
}

function isTerminator(t: IToken): boolean {
  return t.tokenType === Newline || t.tokenType === Semicolon;
}

/**
 * splitStatements: the token stream cut into statements. A `;` always ends a statement. A
 * newline ends one too, unless the statement goes on on the next line: when the first token
 * of the next line may come next in the statement (asked of the grammar), and either the
 * statement is not complete without it (the line ended inside parentheses, or with an operator
 * or a word such as `where`, `and`, `by`, `from`) or that token cannot start a statement (a
 * line that starts with `where`, `and`, `+`, `order`...). So
 *
 *     sample 20 from map events weighted by qps
 *            where comm != "gms" seed 7
 *
 * is one statement, while a line that starts a statement (`trace x` then `sample 1% from e`)
 * or that cannot follow (`sample 1% from` then `show maps`) starts a new one, and the
 * statement before it is reported where it was cut off. A blank line (or a line holding only
 * a comment) always ends a statement, and so does a line that ends inside an unterminated
 * string.
 */
function splitStatements(tokens: IToken[], textLength: number): StatementTokens[] {
  const groups: StatementTokens[] = [];
  let current: IToken[] = [];
  let startOffset = 0;
  tokens.forEach((t, i) => {
    if (t.tokenType === Newline && continuesOnNextLine(current, tokens[i + 1])) return;
    current.push(t);
    if (isTerminator(t)) {
      const endOffset = t.startOffset + 1;
      groups.push({ tokens: current, startOffset, endOffset });
      current = [];
      startOffset = endOffset;
    }
  });
  groups.push({ tokens: current, startOffset, endOffset: textLength + 1 });
  return groups;
}

let statementStarts: TokenType[] | undefined;

/**
 * continuesOnNextLine: whether `next`, the first token of the next line, goes on `current`.
 * What may come next is found by parsing (far cheaper than the parser's content assist in
 * deeply nested expressions): `current` and `next` are a viable start of a statement when
 * their parse fails only at the end of the input (or does not fail).
 */
function continuesOnNextLine(current: IToken[], next: IToken | undefined): boolean {
  if (next === undefined || isTerminator(next) || current.length === 0) return false;
  const last = current[current.length - 1]!;
  if (last.tokenType === StringLit && !decodeString(last.image).closed) return false;
  let complete: boolean;
  try {
    if (!parsesAsPrefix([...current, next])) return false;
    gmsParser.input = current;
    gmsParser.statement();
    complete = gmsParser.errors.length === 0;
  } catch {
    // Nesting too deep for the parser's stack: the statement ends here, and its own parse
    // will say what is wrong with it.
    return false;
  }
  if (!complete) return true;
  statementStarts ??= gmsParser.computeContentAssist("statement", []).map((s) => s.nextTokenType);
  return !statementStarts.some((type) => tokenMatcher(next, type));
}

/** parsesAsPrefix: whether `tokens` start some statement (they may end before it does). */
function parsesAsPrefix(tokens: IToken[]): boolean {
  gmsParser.input = tokens;
  gmsParser.statement();
  const error = gmsParser.errors[0];
  return error === undefined || error.token.tokenType === EOF;
}

/**
 * internalError: a bug met while parsing one statement, labelled as such and pointing at the
 * statement. Nesting so deep that it exhausts the stack is the user's, and is said so.
 */
function internalError(err: unknown, tokens: IToken[]): Diagnostic {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const span: Span = { ...tokenSpan(first), endOffset: tokenSpan(last).endOffset };
  span.endLine = tokenSpan(last).endLine;
  span.endColumn = tokenSpan(last).endColumn;
  if (err instanceof RangeError) {
    const hint = "split it with 'let' into smaller parts";
    return diagnostic(span, "statement nested too deeply", hint);
  }
  const message = err instanceof Error ? err.message : String(err);
  return diagnostic(
    span,
    `internal error while reading this statement: ${message}`,
    "this is a bug in gms; please report it with the statement",
  );
}

function lexingDiagnostic(error: ILexingError, text: string): Diagnostic {
  const bad = text.slice(error.offset, error.offset + error.length);
  const line = error.line ?? 1;
  const column = error.column ?? 1;
  const span = {
    startOffset: error.offset,
    endOffset: error.offset + error.length,
    line,
    column,
    endLine: line,
    endColumn: column + error.length - 1,
  };
  const message =
    bad.length === 1 ? `unexpected character '${bad}'` : `unexpected characters '${bad}'`;
  const hint = characterHints.find(([c]) => bad.startsWith(c))?.[1];
  return hint === undefined ? diagnostic(span, message) : diagnostic(span, message, hint);
}

/** characterHints: what was probably meant by a character gms does not use. */
const characterHints: [string, string][] = [
  ["'", 'strings are written in double quotes, like "syscalls.bss"'],
  ["&", "write 'and'"],
  ["|", "write 'or'"],
  ["!", "write 'not', or '!=' to compare"],
];

/** hexDiagnostics: a hex number with no digits, or with one that is not hex (`0x1g`). */
function hexDiagnostics(t: IToken): Diagnostic[] {
  if (/^0[xX][0-9A-Fa-f]+$/.test(t.image)) return [];
  return [
    diagnostic(
      tokenSpan(t),
      `'${t.image}' is not a hex number`,
      "a hex number is 0x and the digits 0-9 and a-f, like 0xff",
    ),
  ];
}

/** stringDiagnostics: an unterminated string, or escapes a string may not hold. */
function stringDiagnostics(t: IToken): Diagnostic[] {
  const decoded = decodeString(t.image);
  const span = tokenSpan(t);
  if (!decoded.closed) {
    const quote = {
      ...span,
      endOffset: span.startOffset + 1,
      endLine: span.line,
      endColumn: span.column,
    };
    return [diagnostic(quote, "unterminated string", 'close it with " on the same line')];
  }
  return decoded.badEscapes.map((e) =>
    diagnostic(
      {
        ...span,
        startOffset: span.startOffset + e.index,
        endOffset: span.startOffset + e.index + e.text.length,
        column: span.column + e.index,
        endColumn: span.column + e.index + e.text.length - 1,
      },
      `unknown escape '${e.text}' in string`,
      `a string may hold the escapes ${escapeList}`,
    ),
  );
}
