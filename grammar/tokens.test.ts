import { describe, expect, test } from "bun:test";
import { allTokens, gmsLexer, keywords, keywordText } from "./tokens";

/** lex: "TokenName:image" for each token of `text`, and the lexer's errors. */
function lex(text: string): string[] {
  const result = gmsLexer.tokenize(text);
  expect(result.errors).toEqual([]);
  return result.tokens.map((t) => `${t.tokenType.name}:${t.image}`);
}

describe("lexer", () => {
  test("a percentage, a number and a fractional percentage are one token each", () => {
    expect(lex("1% 1 1.5% 0.5 100%")).toEqual([
      "Percent:1%",
      "NumberLit:1",
      "Percent:1.5%",
      "NumberLit:0.5",
      "Percent:100%",
    ]);
  });

  test("durations are one token, whatever the unit", () => {
    expect(lex("10us 500ms 2s 1m 1.5s 2sec")).toEqual([
      "Duration:10us",
      "Duration:500ms",
      "Duration:2s",
      "Duration:1m",
      "Duration:1.5s",
      "Duration:2sec",
    ]);
  });

  test("every keyword lexes as itself, and a longer word as a name", () => {
    for (const k of keywords) {
      const word = keywordText(k)!;
      expect(lex(word)).toEqual([`${k.name}:${word}`]);
      expect(lex(`${word}x`)).toEqual([`Identifier:${word}x`]);
    }
    expect(lex("maps map mapping samples")).toEqual([
      "Maps:maps",
      "Map:map",
      "Identifier:mapping",
      "Identifier:samples",
    ]);
  });

  test("keywords are lower case", () => {
    expect(lex("SAMPLE Sample")).toEqual(["Identifier:SAMPLE", "Identifier:Sample"]);
  });

  test("strings, dots, separators and comments", () => {
    expect(lex('key.pid "a\\"b" ;x # a comment ; sample\ny')).toEqual([
      "Identifier:key",
      "Dot:.",
      "Identifier:pid",
      'StringLit:"a\\"b"',
      "Semicolon:;",
      "Identifier:x",
      "Newline:\n",
      "Identifier:y",
    ]);
  });

  test("an unterminated string is one token up to the end of the line", () => {
    expect(lex('"abc; def\nx')).toEqual(['StringLit:"abc; def', "Newline:\n", "Identifier:x"]);
  });

  test("a carriage return is white space and does not start a line", () => {
    const result = gmsLexer.tokenize("a\r\nb");
    expect(result.tokens.map((t) => [t.image, t.startLine, t.startColumn])).toEqual([
      ["a", 1, 1],
      ["\n", 1, 3],
      ["b", 2, 1],
    ]);
  });

  test("a character outside the language is a lexer error", () => {
    const result = gmsLexer.tokenize("a @ b");
    expect(result.errors.map((e) => [e.offset, e.length])).toEqual([[2, 1]]);
  });

  test("every token has a label", () => {
    for (const t of allTokens) expect(t.LABEL).toBeString();
  });
});
