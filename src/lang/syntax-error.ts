import { tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { gmsParser, ruleLabels } from "../../grammar/parser";
import {
  And,
  Assign,
  Dot,
  Duration,
  Equal,
  Explain,
  Identifier,
  Limit,
  In,
  keywordText,
  LParen,
  MapKw,
  Minus,
  Newline,
  Not,
  NumberLit,
  Operator,
  Or,
  Order,
  Percent,
  Select,
  Semicolon,
  Size,
  Star,
  StringLit,
  Weighted,
  Where,
} from "../../grammar/tokens";
import { diagnostic, type Diagnostic } from "./diagnostic";
import type { Span } from "./span";
import { spanAfter, tokenSpan } from "./token-span";
import { didYouMean, orList } from "./suggest";

/** Expected: what the grammar allows after some tokens, in words and as token types. */
interface Expected {
  /** "'from'", "a map name, `map id N` or ...", "'seed' or the end of the statement". */
  phrase: string;
  /** The keywords among the allowed tokens, for "did you mean". */
  keywords: string[];
  types: Set<TokenType>;
  /** The rules each allowed token would be consumed in. */
  ruleStacks: string[][];
}

/**
 * syntaxDiagnostic: a Chevrotain parse error turned into a sentence. `tokens` are the tokens of
 * the one statement that was parsed (its terminator included). What may come next is asked of
 * the grammar itself (content assist over the tokens before the error), so messages follow the
 * grammar as it grows.
 */
export function syntaxDiagnostic(error: IRecognitionException, tokens: IToken[]): Diagnostic {
  let index = tokens.indexOf(error.token);
  if (index < 0) index = tokens.length;
  const found = tokens[index];
  const previous = tokens[index - 1];
  const expected = expectedAfter(tokens.slice(0, index));
  const atEnd = found === undefined || isTerminator(found.tokenType);

  if (previous === undefined) {
    if (found === undefined) return diagnostic(zeroSpan(), "expected a statement");
    return statementStart(found, expected);
  }
  if (atEnd) {
    return diagnostic(spanAfter(previous), `expected ${expected.phrase} after ${quote(previous)}`);
  }
  const hints: string[] = [];
  const guess = isWord(found) ? didYouMean(found.image, expected.keywords) : undefined;
  if (guess) hints.push(guess);
  hints.push(...slipHints(found, previous, tokens[index + 1], expected));
  const dotted = dottedMapName(tokens, index, expected);
  if (dotted !== undefined) {
    hints.push(`a map name with a dot is written in quotes: map "${dotted}"`);
  } else if (found.tokenType === StringLit && expected.types.has(MapKw)) {
    hints.push(`a quoted map name or pinned path follows 'map': map ${found.image}`);
  }
  hints.push(`expected ${expected.phrase}`);
  return diagnostic(
    tokenSpan(found),
    `unexpected ${quote(found)} after ${quote(previous)}`,
    ...hints,
  );
}

/** slipHints: what was probably meant, for common slips: `=` for `==`, `wait 2`, `sys-calls`. */
function slipHints(
  found: IToken,
  previous: IToken,
  next: IToken | undefined,
  expected: Expected,
): string[] {
  const hints: string[] = [];
  const is = (type: TokenType): boolean => tokenMatcher(found, type);
  if (is(Assign) && expected.types.has(Equal)) hints.push("use '==' to compare");
  if (is(Equal) && expected.types.has(Assign)) hints.push("'let' takes one '='");
  if (is(Star) && previous.tokenType === Select) {
    hints.push("name the columns, or leave out 'select' to get them all: from ...");
  }
  const inEstimate = expected.ruleStacks.some((stack) => stack.includes("estimateStatement"));
  if (is(Where) && inEstimate) hints.push("'where' comes before 'using sample'");
  if ((is(Order) || is(Limit)) && expected.types.has(Weighted)) {
    hints.push("a sample has no 'order by' or 'limit'; a plain query (from ...) has");
  }
  const gluedToPercent = previous.tokenType === Percent && adjacent(previous, found);
  if (gluedToPercent && is(NumberLit)) {
    const amount = previous.image.slice(0, -1);
    hints.push(`for a remainder write ${amount} % ${found.image}, with spaces`);
  }
  if (is(Explain) && previous.tokenType === Explain) {
    hints.push("'explain' takes one statement, which is not itself an 'explain'");
  }
  if (found.tokenType === NumberLit && expected.types.has(Duration)) {
    hints.push(`a duration needs a unit (ns, us, ms, s, m or h), like ${found.image}ms`);
  }
  if (is(Size) && expected.types.has(Duration)) {
    const minutes = found.image.endsWith("M") ? `; a minute is ${found.image.slice(0, -1)}m` : "";
    hints.push(`${found.image} is a size in bytes${minutes}`);
  }
  if (
    is(Minus) &&
    isWord(previous) &&
    adjacent(previous, found) &&
    next !== undefined &&
    isWord(next) &&
    adjacent(found, next)
  ) {
    hints.push(`a name holds letters, digits and '_', not '-'`);
  }
  return hints;
}

function statementStart(found: IToken, expected: Expected): Diagnostic {
  const starts = `a statement starts with ${orList(expected.keywords.map((k) => `'${k}'`))}`;
  const guess = isWord(found) ? didYouMean(found.image, expected.keywords) : undefined;
  if (found.tokenType === Identifier) {
    return diagnostic(tokenSpan(found), `unknown statement ${quote(found)}`, guess ?? starts);
  }
  const hints = guess ? [guess, starts] : [starts];
  return diagnostic(
    tokenSpan(found),
    `unexpected ${quote(found)} at the start of a statement`,
    ...hints,
  );
}

/**
 * dottedMapName: `syscalls.bss` when the error is a `.` inside a map name written bare (kernel
 * names such as `syscalls.bss` or `.rodata` hold dots, which a bare name cannot).
 */
function dottedMapName(tokens: IToken[], index: number, expected: Expected): string | undefined {
  const found = tokens[index];
  if (found?.tokenType !== Dot) return undefined;
  let start = index;
  const previous = tokens[index - 1];
  if (previous && adjacent(previous, found) && isWord(previous)) {
    const before = gmsParser.computeContentAssist("statement", tokens.slice(0, index - 1));
    const wasMapName = before.some(
      (s) => tokenMatcher(previous, s.nextTokenType) && s.ruleStack.some(isMapRule),
    );
    if (!wasMapName) return undefined;
    start = index - 1;
  } else if (!expected.ruleStacks.some((stack) => stack.some(isMapRule))) {
    return undefined;
  }
  let end = start + 1;
  while (end < tokens.length) {
    const t = tokens[end]!;
    if (!adjacent(tokens[end - 1]!, t) || !(t.tokenType === Dot || isWord(t))) break;
    end++;
  }
  return tokens
    .slice(start, end)
    .map((t) => t.image)
    .join("");
}

function isMapRule(rule: string): boolean {
  return rule === "source" || rule === "mapRef";
}

function adjacent(a: IToken, b: IToken): boolean {
  return (a.endOffset ?? a.startOffset) + 1 === b.startOffset;
}

/**
 * expectedAfter: what the `statement` rule allows after `prefix`. Where an expression could go
 * on, its many ways to go on (`+`, `==`, `and`, `in`, `.`, `(`...) are said as "an operator".
 */
function expectedAfter(prefix: IToken[]): Expected {
  const suggestions = gmsParser.computeContentAssist("statement", prefix);
  const phrases: string[] = [];
  const keywords: string[] = [];
  const types = new Set<TokenType>();
  let end = false;
  // A `-` may start an expression too; any other operator means one could go on here.
  const operators = suggestions.some(
    (s) => isOperator(s.nextTokenType) && s.nextTokenType !== Minus,
  );
  const labels = ruleLabelsOf(suggestions);
  for (const s of suggestions) {
    const type = s.nextTokenType;
    types.add(type);
    const word = keywordText(type);
    if (word !== undefined && !keywords.includes(word)) keywords.push(word);
    if (isTerminator(type)) {
      end = true;
      continue;
    }
    if (operators && continuesExpression(type)) {
      if (!phrases.includes("an operator")) phrases.push("an operator");
      continue;
    }
    const phrase = labels.get(s) ?? type.LABEL ?? type.name;
    if (!phrases.includes(phrase)) phrases.push(phrase);
  }
  if (end) phrases.push("the end of the statement");
  const ruleStacks = suggestions.map((s) => s.ruleStack);
  return { phrase: orList(phrases), keywords, types, ruleStacks };
}

type Suggestion = ReturnType<typeof gmsParser.computeContentAssist>[number];

/**
 * ruleLabelsOf: the rule label (see ruleLabels) that names each suggestion, if any. A rule
 * names a suggestion when the suggestions that would start the same occurrence of the rule
 * (the same rule stack up to it) are exactly the rule's first tokens. When several rules
 * qualify, the outermost names it: "an expression", not "a field".
 */
function ruleLabelsOf(suggestions: Suggestion[]): Map<Suggestion, string> {
  // An occurrence of a rule is a node of the trie of rule stacks (stacks run hundreds of
  // rules deep in nested expressions, too deep to compare as strings).
  const trie = new Map<string, number>();
  const occurrences = (s: Suggestion): { node: number; rule: string }[] => {
    const out: { node: number; rule: string }[] = [];
    let node = 0;
    for (const rule of s.ruleStack) {
      const edge = `${node}>${rule}`;
      let child = trie.get(edge);
      if (child === undefined) {
        child = trie.size + 1;
        trie.set(edge, child);
      }
      node = child;
      if (rule in ruleLabels) out.push({ node, rule });
    }
    return out;
  };
  const starts = suggestions.map(occurrences);
  const groups = new Map<number, Set<TokenType>>();
  suggestions.forEach((s, i) => {
    for (const { node } of starts[i]!) {
      const group = groups.get(node) ?? new Set<TokenType>();
      group.add(s.nextTokenType);
      groups.set(node, group);
    }
  });
  const labels = new Map<Suggestion, string>();
  suggestions.forEach((s, i) => {
    const fit = starts[i]!.find(({ node, rule }) => sameSet(groups.get(node)!, firstOf(rule)));
    if (fit) labels.set(s, ruleLabels[fit.rule]!);
  });
  return labels;
}

const firstSets = new Map<string, Set<TokenType>>();

function firstOf(rule: string): Set<TokenType> {
  let first = firstSets.get(rule);
  if (!first) {
    first = new Set(gmsParser.computeContentAssist(rule, []).map((s) => s.nextTokenType));
    firstSets.set(rule, first);
  }
  return first;
}

function sameSet<T>(a: Set<T>, b: Set<T>): boolean {
  return a.size === b.size && [...a].every((x) => b.has(x));
}

function isOperator(type: TokenType): boolean {
  return type.CATEGORIES?.includes(Operator) === true;
}

/** continuesExpression: a token that goes on an expression already complete. */
function continuesExpression(type: TokenType): boolean {
  return isOperator(type) || [And, Or, In, Not, Dot, LParen].includes(type);
}

function isTerminator(type: TokenType): boolean {
  return type === Newline || type === Semicolon;
}

function isWord(t: IToken): boolean {
  return t.tokenType === Identifier || keywordText(t.tokenType) !== undefined;
}

function quote(t: IToken): string {
  return t.tokenType === StringLit ? t.image : `'${t.image}'`;
}

function zeroSpan(): Span {
  return { startOffset: 0, endOffset: 0, line: 1, column: 1, endLine: 1, endColumn: 1 };
}
