import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * The gms vocabulary. Every token carries a LABEL: diagnostics name tokens by their label
 * ("expected 'from'", "expected a percentage like 1%"), never by their type name.
 */

/** Keyword: the category every keyword belongs to, so a field segment after `.` may be any word. */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA, label: "a name" });

/**
 * SoftKeyword: keywords that may also be used as a name (a map called `probes`), because they
 * only ever follow `show`, where no name is expected. `id` is not one: `map id` must be an
 * error asking for the number, not a map called "id" (a field may still be called `id`).
 */
export const SoftKeyword = createToken({ name: "SoftKeyword", pattern: Lexer.NA, label: "a name" });

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
});

function keyword(word: string, ...categories: TokenType[]): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: word,
    longer_alt: Identifier,
    label: `'${word}'`,
    categories: [Keyword, ...categories],
  });
}

export const Sample = keyword("sample");
export const From = keyword("from");
export const Maps = keyword("maps", SoftKeyword);
export const MapKw = keyword("map");
export const Id = keyword("id");
export const Weighted = keyword("weighted");
export const By = keyword("by");
export const Seed = keyword("seed");
export const Trace = keyword("trace");
export const Stop = keyword("stop");
export const All = keyword("all");
export const Wait = keyword("wait");
export const Show = keyword("show");
export const Programs = keyword("programs", SoftKeyword);
export const Probes = keyword("probes", SoftKeyword);

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r]+/,
  group: Lexer.SKIPPED,
  label: "a space",
});

export const Comment = createToken({
  name: "Comment",
  pattern: /#[^\n]*/,
  group: Lexer.SKIPPED,
  label: "a comment",
});

export const Newline = createToken({
  name: "Newline",
  pattern: /\n/,
  line_breaks: true,
  label: "a newline",
});

export const Semicolon = createToken({ name: "Semicolon", pattern: ";", label: "';'" });

export const Dot = createToken({ name: "Dot", pattern: ".", label: "'.'" });

/**
 * StringLit: a double-quoted string. It also matches a string that is never closed (up to the
 * end of the line), so the lexer hands it over whole and the front end can say
 * "unterminated string" at the opening quote instead of reporting a stray `"` and lexing the
 * rest of the line as words.
 */
export const StringLit = createToken({
  name: "StringLit",
  pattern: /"(?:[^"\\\n]|\\[^\n]?)*"?/,
  label: "a string in double quotes",
});

export const Percent = createToken({
  name: "Percent",
  pattern: /\d+(?:\.\d+)?%/,
  label: "a percentage like 1%",
});

/**
 * Duration: a number with a unit glued to it. Any word is taken as the unit, so `2sec` is one
 * token whose unit a check rejects ("unknown duration unit 'sec'"), rather than `2s` followed by
 * a stray name `ec`.
 */
export const Duration = createToken({
  name: "Duration",
  pattern: /\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/,
  label: "a duration like 500ms",
});

export const NumberLit = createToken({
  name: "NumberLit",
  pattern: /\d+(?:\.\d+)?/,
  label: "a number",
});

/** keywords: every keyword token, in the order they appear in `allTokens`. */
export const keywords: TokenType[] = [
  Sample,
  From,
  Maps,
  MapKw,
  Id,
  Weighted,
  By,
  Seed,
  Trace,
  Stop,
  All,
  Wait,
  Show,
  Programs,
  Probes,
];

/**
 * allTokens: the lexer's vocabulary. The lexer tries the patterns in this order and takes the
 * first that matches (not the longest), so the order matters:
 * - Percent and Duration come before NumberLit, which matches a prefix of both: `1%` and
 *   `500ms` must be one token each, not a number followed by `%` or `ms`.
 * - Keywords come before Identifier, which would match them too; each keyword names Identifier
 *   as its `longer_alt`, so `samples` or `mapping` still lex as names.
 * - A keyword comes before any keyword that is a prefix of it (`maps` before `map`): the
 *   `longer_alt` of `map` is Identifier, so `maps` would otherwise lex as a name.
 * - The categories Keyword and SoftKeyword match no text (Lexer.NA); they are listed so the
 *   parser knows them.
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  StringLit,
  Percent,
  Duration,
  NumberLit,
  Dot,
  ...keywords,
  Identifier,
  Keyword,
  SoftKeyword,
];

/** gmsLexer: the lexer for gms text. Only `\n` ends a line; a `\r` before it is white space. */
export const gmsLexer = new Lexer(allTokens, {
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ["\n"],
  ensureOptimizations: true,
});

/** keywordText: the word a keyword token stands for, or undefined for other tokens. */
export function keywordText(tokenType: TokenType): string | undefined {
  return keywords.includes(tokenType) ? (tokenType.PATTERN as string) : undefined;
}
