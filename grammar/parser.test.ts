import { describe, expect, test } from "bun:test";
import { Lexer } from "chevrotain";
import { gmsParser, ruleLabels } from "./parser";
import { allTokens, gmsLexer } from "./tokens";

/** terminalNames: the name of every token type the grammar consumes somewhere. */
function terminalNames(): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(walk);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as { type?: string; name?: string; definition?: unknown };
    if (n.type === "Terminal" && n.name !== undefined) names.add(n.name);
    walk(n.definition);
  };
  walk(gmsParser.getSerializedGastProductions());
  return names;
}

function parse(text: string): string[] {
  gmsParser.input = gmsLexer.tokenize(text).tokens;
  gmsParser.statement();
  return gmsParser.errors.map((e) => e.name);
}

describe("grammar", () => {
  test("every token that reaches the parser is used by some rule", () => {
    const used = terminalNames();
    const unused = allTokens
      .filter((t) => t.GROUP !== Lexer.SKIPPED)
      .map((t) => t.name)
      .filter((name) => !used.has(name));
    expect(unused).toEqual([]);
  });

  test("ruleLabels name rules of the grammar", () => {
    const rules = Object.keys(gmsParser.getGAstProductions());
    for (const rule of Object.keys(ruleLabels)) expect(rules).toContain(rule);
  });

  test("each statement form parses", () => {
    for (const text of [
      "trace syscalls",
      "stop syscalls",
      "stop all",
      "wait 500ms",
      "show maps",
      "show programs",
      "show probes",
      "sample 1% from map events",
      "sample 100 from events",
      "sample 1% from map id 42",
      'sample 1% from map "/sys/fs/bpf/foo"',
      "sample 1% from map events weighted by value.stats.max seed 7",
      "sample 1% from map events seed 7 weighted by qps",
      "sample 1% from maps weighted by id",
      "sample 1% from events weighted by key.map\n",
      "trace syscalls;",
    ]) {
      expect({ text, errors: parse(text) }).toEqual({ text, errors: [] });
    }
  });

  test("`map id` wants a number; `id` is not a map name", () => {
    expect(parse("sample 1% from map id")).not.toEqual([]);
    expect(parse("sample 1% from id")).not.toEqual([]);
  });

  test("`stop all` is not a probe called all", () => {
    gmsParser.input = gmsLexer.tokenize("stop all").tokens;
    const cst = gmsParser.statement();
    const stop = cst.children.stopStatement?.[0];
    expect(stop && "children" in stop ? Object.keys(stop.children).sort() : []).toEqual([
      "All",
      "Stop",
    ]);
  });
});
