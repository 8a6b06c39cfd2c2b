import type { ILexingError, IToken } from "chevrotain";
import { gmsParser } from "../../grammar/parser";
import { gmsLexer, Newline, Semicolon, StringLit } from "../../grammar/tokens";
import type { Statement } from "./ast";
import { buildStatement } from "./build-ast";
import { checkStatement } from "./check";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { decodeString, escapeList } from "./literals";
import { syntaxDiagnostic } from "./syntax-error";
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
 * throws for bad input: every problem becomes a Diagnostic. Each statement is parsed on its
 * own, so all of them are checked and a broken one cannot hide the errors of the next. A
 * statement with a lexical error (a stray character, an unterminated string) gets no syntax
 * error on top of it, since those would only repeat the lexical one.
 */
export function parseProgram(text: string): ParseResult {
  const lexed = gmsLexer.tokenize(text);
  const lexical = [
    ...lexed.errors.map((e) => lexingDiagnostic(e, text)),
    ...lexed.tokens.filter((t) => t.tokenType === StringLit).flatMap(stringDiagnostics),
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

    gmsParser.input = group.tokens;
    const cst = gmsParser.statement();
    const firstError = gmsParser.errors[0];
    if (firstError) {
      diagnostics.push(syntaxDiagnostic(firstError, group.tokens));
      continue;
    }
    const own: Diagnostic[] = [];
    const statement = buildStatement(cst, own);
    own.push(...checkStatement(statement));
    diagnostics.push(...own);
    if (!own.some((d) => d.severity === "error")) statements.push(statement);
  }

  diagnostics.sort((a, b) => a.span.startOffset - b.span.startOffset);
  return { statements, diagnostics };
}

function isTerminator(t: IToken): boolean {
  return t.tokenType === Newline || t.tokenType === Semicolon;
}

/** splitStatements: the token stream cut after each newline and `;`. */
function splitStatements(tokens: IToken[], textLength: number): StatementTokens[] {
  const groups: StatementTokens[] = [];
  let current: IToken[] = [];
  let startOffset = 0;
  for (const t of tokens) {
    current.push(t);
    if (isTerminator(t)) {
      const endOffset = t.startOffset + 1;
      groups.push({ tokens: current, startOffset, endOffset });
      current = [];
      startOffset = endOffset;
    }
  }
  groups.push({ tokens: current, startOffset, endOffset: textLength + 1 });
  return groups;
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
  return bad.startsWith("'")
    ? diagnostic(span, message, 'strings are written in double quotes, like "syscalls.bss"')
    : diagnostic(span, message);
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
