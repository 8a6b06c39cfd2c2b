import { createToken, Lexer, type TokenType } from "chevrotain";

/**
 * The gms vocabulary. Every token carries a LABEL: diagnostics name tokens by their label
 * ("expected 'from'", "expected a percentage like 1%"), never by their type name.
 */

/** Keyword: the category every keyword belongs to, so a field segment after `.` may be any word. */
export const Keyword = createToken({ name: "Keyword", pattern: Lexer.NA, label: "a name" });

/**
 * SoftKeyword: keywords that may also be used as a name (a map called `probes`, a field called
 * `desc`), because no name may stand where they are keywords: `maps`, `programs` and `probes`
 * only follow `show`, `format` only follows `set`, `every` only `watch`, `per` only a sample
 * size, `asc` and `desc` only an order key. The others stay hard, so that a missing name is
 * reported at the keyword that came instead (`trace sample 1%`, `from to "x"`, `stop all`);
 * `id` is hard so that `map id` asks for the number rather than reading a map called "id" (a
 * field may still be called `id`, see fieldRef). Any keyword may follow a `.` in a field path.
 */
export const SoftKeyword = createToken({ name: "SoftKeyword", pattern: Lexer.NA, label: "a name" });

/** Operator: the category of the binary operators, so diagnostics can say "an operator". */
export const Operator = createToken({ name: "Operator", pattern: Lexer.NA, label: "an operator" });

/**
 * The first characters of the regular expressions below, given as `start_chars_hint` (and
 * `line_breaks: false` where no match holds a newline), so that building the lexer does not
 * parse each expression to find them out: about 2 of its 5-9 ms at every start. A test holds
 * each hint equal to the characters its pattern can start with.
 */
const DIGITS = [..."0123456789"];
const LETTERS = [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_"];

export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: "a name",
  line_breaks: false,
  start_chars_hint: LETTERS,
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

// Statements.
export const Sample = keyword("sample");
export const Select = keyword("select");
export const From = keyword("from");
export const Estimate = keyword("estimate");
export const Trace = keyword("trace");
export const Stop = keyword("stop");
export const Wait = keyword("wait");
export const Show = keyword("show");
export const Describe = keyword("describe");
export const Save = keyword("save");
export const Explain = keyword("explain");
export const Let = keyword("let");
export const SetKw = keyword("set");
export const Watch = keyword("watch");
export const Help = keyword("help");
// Sources and what `show` lists.
export const MapKw = keyword("map");
export const Tracepoint = keyword("tracepoint");
export const Stream = keyword("stream");
export const Id = keyword("id");
export const File = keyword("file");
export const Maps = keyword("maps", SoftKeyword);
export const Programs = keyword("programs", SoftKeyword);
export const Probes = keyword("probes", SoftKeyword);
export const All = keyword("all");
// Clauses.
export const Per = keyword("per", SoftKeyword);
export const Weighted = keyword("weighted");
export const By = keyword("by");
export const Where = keyword("where");
export const Seed = keyword("seed");
export const Order = keyword("order");
export const Asc = keyword("asc", SoftKeyword);
export const Desc = keyword("desc", SoftKeyword);
export const Limit = keyword("limit");
export const To = keyword("to");
export const As = keyword("as");
export const Using = keyword("using");
export const Every = keyword("every", SoftKeyword);
export const For = keyword("for", SoftKeyword);
export const Format = keyword("format", SoftKeyword);
export const Stats = keyword("stats", SoftKeyword);
export const Percpu = keyword("percpu", SoftKeyword);
export const Budget = keyword("budget", SoftKeyword);
// Expressions.
export const And = keyword("and");
export const Or = keyword("or");
export const Not = keyword("not");
export const In = keyword("in");
export const True = keyword("true");
export const False = keyword("false");
export const Null = keyword("null");

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r]+/,
  group: Lexer.SKIPPED,
  label: "a space",
  line_breaks: false,
  start_chars_hint: [" ", "\t", "\r"],
});

export const Comment = createToken({
  name: "Comment",
  pattern: /#[^\n]*/,
  group: Lexer.SKIPPED,
  label: "a comment",
  line_breaks: false,
  start_chars_hint: ["#"],
});

export const Newline = createToken({
  name: "Newline",
  pattern: /\n/,
  line_breaks: true,
  label: "a newline",
  start_chars_hint: ["\n"],
});

export const Semicolon = createToken({ name: "Semicolon", pattern: ";", label: "';'" });
export const Comma = createToken({ name: "Comma", pattern: ",", label: "','" });
export const Dot = createToken({ name: "Dot", pattern: ".", label: "'.'" });
export const Colon = createToken({ name: "Colon", pattern: ":", label: "':'" });
export const LParen = createToken({ name: "LParen", pattern: "(", label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: ")", label: "')'" });

function operator(name: string, text: string): TokenType {
  return createToken({ name, pattern: text, label: `'${text}'`, categories: [Operator] });
}

export const Equal = operator("Equal", "==");
export const NotEqual = operator("NotEqual", "!=");
export const LessEqual = operator("LessEqual", "<=");
export const GreaterEqual = operator("GreaterEqual", ">=");
export const Less = operator("Less", "<");
export const Greater = operator("Greater", ">");
export const Match = operator("Match", "~");
export const Plus = operator("Plus", "+");
export const Minus = operator("Minus", "-");
export const Star = operator("Star", "*");
export const Slash = operator("Slash", "/");
/** Modulo: `%` on its own; `1%` (digits glued to it) is a percentage. */
export const Modulo = operator("Modulo", "%");

/** Assign: `=` in `let x = 1`. Not an operator: in an expression it gets "use '=='". */
export const Assign = createToken({ name: "Assign", pattern: "=", label: "'='" });

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
  line_breaks: false,
  start_chars_hint: ['"'],
});

export const Percent = createToken({
  name: "Percent",
  pattern: /\d+(?:\.\d+)?%/,
  label: "a percentage like 1%",
  line_breaks: false,
  start_chars_hint: DIGITS,
});

/**
 * Duration: a number with a unit glued to it. Any word is taken as the unit, so `2sec` is one
 * token whose unit a check rejects ("unknown duration unit 'sec'"), rather than `2s` followed by
 * a stray name `ec`. The units are ns us ms s m h: `1m` is one minute.
 */
export const Duration = createToken({
  name: "Duration",
  pattern: /\d+(?:\.\d+)?[A-Za-z_][A-Za-z0-9_]*/,
  label: "a duration like 500ms",
  line_breaks: false,
  start_chars_hint: DIGITS,
});

/**
 * Size: a number of bytes with a suffix k K M G (powers of 1024: `4k` and `4K` are 4096). Only
 * upper case `M` is a size: `1M` is a mebibyte, while `1m` is a minute (a Duration). When more
 * letters follow (`1Ms`, `4kb`) the longer Duration wins, and its unit is reported as unknown.
 */
export const Size = createToken({
  name: "Size",
  pattern: /\d+(?:\.\d+)?[kKMG]/,
  longer_alt: Duration,
  label: "a size like 4k",
  line_breaks: false,
  start_chars_hint: DIGITS,
});

export const NumberLit = createToken({
  name: "NumberLit",
  pattern: /\d+(?:\.\d+)?/,
  label: "a number",
  line_breaks: false,
  start_chars_hint: DIGITS,
});

/**
 * HexLit: `0x1f`, a NumberLit (it has NumberLit as its category, so the grammar takes it
 * wherever a number goes). It takes every letter and digit that follows, so `0x1g` is one token
 * that a check rejects, rather than `0x1` and a stray name `g`.
 */
export const HexLit = createToken({
  name: "HexLit",
  pattern: /0[xX][0-9A-Za-z_]*/,
  label: "a number",
  categories: [NumberLit],
  line_breaks: false,
  start_chars_hint: ["0"],
});

/**
 * keywords: every keyword token, longest word first, the order the lexer tries them in: a
 * keyword must come before any keyword that is a prefix of it (`asc` before `as`, `order` before
 * `or`, `describe` before `desc`, `maps` before `map`), since the prefix would match first and
 * its `longer_alt` (Identifier) would then take the whole word as a name.
 */
export const keywords: TokenType[] = [
  Sample, Select, From, Estimate, Trace, Stop, Wait, Show, Describe, Save, Explain, Let, SetKw, Watch, Help,
  MapKw, Tracepoint, Stream, Id, File, Maps, Programs, Probes, All,
  Per, Weighted, By, Where, Seed, Order, Asc, Desc, Limit, To, As, Using, Every, For, Format, Stats, Percpu, Budget,
  And, Or, Not, In, True, False, Null,
].sort((a, b) => (b.PATTERN as string).length - (a.PATTERN as string).length);

/**
 * allTokens: the lexer's vocabulary. The lexer tries the patterns in this order and takes the
 * first that matches (not the longest), so the order matters:
 * - Percent, HexLit, Size and Duration come before NumberLit, which matches a prefix of each:
 *   `1%`, `0x1f`, `4k` and `500ms` must be one token each, not a number and something else.
 * - HexLit comes before Duration, which would take `0x1f` as 0 with a unit `x1f`.
 * - Size comes before Duration, which would take `4k` as a duration with a unit `k`; Size names
 *   Duration as its `longer_alt`, so `4kb` and `1Ms` are still one (bad) duration each.
 *   Durations use lower case `m` (minute) and sizes upper case `M` (mebibyte), so `1m` and `1M`
 *   never compete.
 * - Two-character operators come before their one-character prefixes (`==` before `=`, `<=`
 *   before `<`, `>=` before `>`).
 * - Keywords come before Identifier, which would match them too; each keyword names Identifier
 *   as its `longer_alt`, so `samples` or `mapping` still lex as names. See `keywords` for
 *   their order among themselves.
 * - The categories Keyword, SoftKeyword and Operator match no text (Lexer.NA); they are listed
 *   so the parser knows them.
 */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Newline,
  Semicolon,
  Comma,
  StringLit,
  Percent,
  HexLit,
  Size,
  Duration,
  NumberLit,
  Dot,
  Colon,
  LParen,
  RParen,
  Equal,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Assign,
  Match,
  Plus,
  Minus,
  Star,
  Slash,
  Modulo,
  ...keywords,
  Identifier,
  Keyword,
  SoftKeyword,
  Operator,
];

/**
 * SKIP_VALIDATIONS: Chevrotain's checks of the token definitions (unreachable or conflicting
 * patterns) and of the grammar (ambiguities, left recursion) take much of the lexer's and the
 * parser's construction time, which every gms start pays (6-7 of the lexer's 14 ms). The
 * vocabulary and grammar are the same on every run, so the checks run under `bun test`
 * (NODE_ENV=test), where a broken one fails the suite, and are skipped in the shipped program.
 */
export const SKIP_VALIDATIONS = process.env.NODE_ENV !== "test";

/** gmsLexer: the lexer for gms text. Only `\n` ends a line; a `\r` before it is white space. */
export const gmsLexer = new Lexer(allTokens, {
  lineTerminatorsPattern: /\n/g,
  lineTerminatorCharacters: ["\n"],
  ensureOptimizations: true,
  skipValidations: SKIP_VALIDATIONS,
});

/** keywordText: the word a keyword token stands for, or undefined for other tokens. */
export function keywordText(tokenType: TokenType): string | undefined {
  return keywords.includes(tokenType) ? (tokenType.PATTERN as string) : undefined;
}
