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
    const n = node as { type?: string; name?: string; definition?: unknown; separator?: unknown };
    if (n.type === "Terminal" && n.name !== undefined) names.add(n.name);
    walk(n.definition);
    walk(n.separator);
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
    // A token is used when the grammar consumes it or one of its categories (HexLit is taken
    // as a NumberLit, every soft keyword as a name). A category (a pattern of Lexer.NA) need
    // not be consumed itself, but some token must belong to it.
    const used = terminalNames();
    const unused = allTokens
      .filter((t) => t.GROUP !== Lexer.SKIPPED && t.PATTERN !== Lexer.NA)
      .filter((t) => !used.has(t.name) && !(t.CATEGORIES ?? []).some((c) => used.has(c.name)))
      .map((t) => t.name);
    expect(unused).toEqual([]);
    const emptyCategories = allTokens
      .filter((c) => c.PATTERN === Lexer.NA)
      .filter((c) => !allTokens.some((t) => t.CATEGORIES?.includes(c)))
      .map((c) => c.name);
    expect(emptyCategories).toEqual([]);
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
      "sample 5 per comm from map events weighted by qps where comm != \"gms\" seed 7 to \"x.csv\"",
      "sample 1% from events to \"x\" where x seed 1 weighted by 1",
      'sample 1% from file "dump.json"',
      "from events",
      "from map events where qps > 100 order by qps desc limit 10",
      'select comm, errors / calls as err_rate from events order by 1, comm asc to "o.csv"',
      "estimate sum(qps), count() as n, avg(lat) from events where x using sample 1%",
      "estimate count() from events using sample 100 weighted by qps seed 3 to \"e.json\"",
      "trace syscalls sample 1% where pid == 1234",
      "trace syscalls where pid == 1 sample 1%",
      "show maps where type == \"hash\" order by name limit 3",
      "describe map events",
      "describe events",
      'describe file "x.json"',
      'describe map "/sys/fs/bpf/x"',
      "explain sample 1% from map events weighted by qps",
      "explain watch every 1s show probes",
      "let slow = 500ms",
      "set format json",
      "set seed 42",
      "watch every 1s sample 10 from map events weighted by qps",
      "watch every 2s from events limit 3",
      "watch every 2s estimate count() from events using sample 1%",
      "let x = -a.b.c * (1 + 0x1f) % 3 - f(1, g()) / 4k",
      "let x = not a in (1, 2) or b not in (\"x\") and c ~ \"^a\"",
      "let x = true != false == null",
      "let probes = desc.from + asc",
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
    const simple = cst.children.simpleStatement?.[0];
    const stop = simple && "children" in simple ? simple.children.stopStatement?.[0] : undefined;
    expect(stop && "children" in stop ? Object.keys(stop.children).sort() : []).toEqual([
      "All",
      "Stop",
    ]);
  });

  test("explain does not nest, and watch takes only queries", () => {
    expect(parse("explain explain show maps")).not.toEqual([]);
    expect(parse("watch every 1s trace x")).not.toEqual([]);
    expect(parse("watch every 1s wait 1s")).not.toEqual([]);
  });

  test("hard keywords are not names; soft ones are", () => {
    expect(parse("from where")).not.toEqual([]);
    expect(parse("trace sample 1%")).not.toEqual([]);
    expect(parse("let x = limit")).not.toEqual([]);
    expect(parse("let format = per + every + maps")).toEqual([]);
  });
});
