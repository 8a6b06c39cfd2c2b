import { tokenMatcher, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { gmsParser, ruleLabels } from "../../grammar/parser";
import {
  Dot,
  Duration,
  Identifier,
  keywordText,
  MapKw,
  Newline,
  NumberLit,
  Semicolon,
  StringLit,
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
  if (found.tokenType === NumberLit && expected.types.has(Duration)) {
    hints.push(`a duration needs a unit (us, ms, s or m), like ${found.image}ms`);
  }
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
  return rule === "mapSource" || rule === "mapRef";
}

function adjacent(a: IToken, b: IToken): boolean {
  return (a.endOffset ?? a.startOffset) + 1 === b.startOffset;
}

/** expectedAfter: what the `statement` rule allows after `prefix`. */
function expectedAfter(prefix: IToken[]): Expected {
  const suggestions = gmsParser.computeContentAssist("statement", prefix);
  const phrases: string[] = [];
  const keywords: string[] = [];
  const types = new Set<TokenType>();
  let end = false;
  const labelledRules = Object.keys(ruleLabels).filter((rule) => {
    const inRule = suggestions.filter((s) => s.ruleStack.includes(rule));
    return inRule.length > 0 && sameSet(new Set(inRule.map((s) => s.nextTokenType)), firstOf(rule));
  });
  for (const s of suggestions) {
    const type = s.nextTokenType;
    types.add(type);
    const word = keywordText(type);
    if (word !== undefined && !keywords.includes(word)) keywords.push(word);
    if (isTerminator(type)) {
      end = true;
      continue;
    }
    const rule = labelledRules.find((r) => s.ruleStack.includes(r));
    const phrase = rule === undefined ? (type.LABEL ?? type.name) : ruleLabels[rule]!;
    if (!phrases.includes(phrase)) phrases.push(phrase);
  }
  if (end) phrases.push("the end of the statement");
  const ruleStacks = suggestions.map((s) => s.ruleStack);
  return { phrase: orList(phrases), keywords, types, ruleStacks };
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
