import { describe, expect, test } from "bun:test";
import { Lexer } from "chevrotain";
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

  test("sizes and durations: 1m is a minute, 1M a mebibyte", () => {
    // Sizes take k K M G and durations ns us ms s m h: only the case of m/M tells a minute
    // from a mebibyte. A longer word is one duration with an unknown unit, for a check to
    // report: 4kb is not 4k then a name kb, and 1Ms is not 1M then s.
    expect(lex("1m 1M 4k 4K 2G 1.5k 10ms 1Ms 4kb 2h 5ns")).toEqual([
      "Duration:1m",
      "Size:1M",
      "Size:4k",
      "Size:4K",
      "Size:2G",
      "Size:1.5k",
      "Duration:10ms",
      "Duration:1Ms",
      "Duration:4kb",
      "Duration:2h",
      "Duration:5ns",
    ]);
  });

  test("hex numbers, and what follows them, are one token", () => {
    expect(lex("0x1f 0XFF 0x 0x1g 0 0.5")).toEqual([
      "HexLit:0x1f",
      "HexLit:0XFF",
      "HexLit:0x",
      "HexLit:0x1g",
      "NumberLit:0",
      "NumberLit:0.5",
    ]);
  });

  test("operators: the longer first, % after digits is a percentage", () => {
    expect(lex("a==b!=c<=d>=e<f>g=h~i+j-k*l/m%n 10 % 3 10%3 x%2")).toEqual([
      "Identifier:a", "Equal:==", "Identifier:b", "NotEqual:!=", "Identifier:c",
      "LessEqual:<=", "Identifier:d", "GreaterEqual:>=", "Identifier:e", "Less:<",
      "Identifier:f", "Greater:>", "Identifier:g", "Assign:=", "Identifier:h", "Match:~",
      "Identifier:i", "Plus:+", "Identifier:j", "Minus:-", "Identifier:k", "Star:*",
      "Identifier:l", "Slash:/", "Identifier:m", "Modulo:%", "Identifier:n",
      "NumberLit:10", "Modulo:%", "NumberLit:3",
      "Percent:10%", "NumberLit:3",
      "Identifier:x", "Modulo:%", "NumberLit:2",
    ]);
  });

  test("a keyword that is a prefix of another does not hide it", () => {
    expect(lex("as asc or order desc describe map maps")).toEqual([
      "As:as",
      "Asc:asc",
      "Or:or",
      "Order:order",
      "Desc:desc",
      "Describe:describe",
      "Map:map",
      "Maps:maps",
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
    expect(lex('key.pid "a\\"b" ;x # a comment ; sample\ny (a, b)')).toEqual([
      "Identifier:key",
      "Dot:.",
      "Identifier:pid",
      'StringLit:"a\\"b"',
      "Semicolon:;",
      "Identifier:x",
      "Newline:\n",
      "Identifier:y",
      "LParen:(",
      "Identifier:a",
      "Comma:,",
      "Identifier:b",
      "RParen:)",
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

describe("start_chars_hint", () => {
  // A hint that leaves out a character makes the optimised lexer skip the pattern for words
  // starting with it; one that adds a character only costs a failed match. Both must agree with
  // the pattern: a character is hinted exactly when some text starting with it matches.
  const suffixes = ["", "0", "1%", "1k", "1ms", "x1", "a", '"'];
  const hinted = allTokens.filter((t) => t.START_CHARS_HINT !== undefined);

  test("the tokens given a hint are the ones matching a regular expression", () => {
    expect(hinted.map((t) => t.name).sort()).toEqual(
      allTokens.filter((t) => t.PATTERN instanceof RegExp && t.PATTERN !== Lexer.NA).map((t) => t.name).sort(),
    );
  });

  for (const t of hinted) {
    test(`${t.name}: every ASCII character that can start a match, and no other`, () => {
      const anchored = new RegExp(`^(?:${(t.PATTERN as RegExp).source})`);
      const starts: string[] = [];
      for (let c = 0; c < 128; c++) {
        const ch = String.fromCharCode(c);
        if (suffixes.some((s) => anchored.test(ch + s))) starts.push(ch);
      }
      expect([...(t.START_CHARS_HINT as string[])].sort()).toEqual(starts.sort());
    });
  }
});
