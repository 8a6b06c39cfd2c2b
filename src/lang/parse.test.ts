import { describe, expect, test } from "bun:test";
import type { Statement } from "./ast";
import { parseProgram } from "./parse";
import { spanAt } from "./testing/span-at";

const at = spanAt;


/** only: the one statement of a text that must parse cleanly. */
function only(text: string): Statement {
  const result = parseProgram(text);
  expect(result.diagnostics).toEqual([]);
  expect(result.statements).toHaveLength(1);
  return result.statements[0]!;
}

describe("parseProgram builds the AST", () => {
  test("trace", () => {
    expect(only("trace syscalls")).toEqual({
      kind: "trace",
      span: at(1, 1, 14, 0),
      probe: { kind: "identifier", span: at(1, 7, 14, 6), name: "syscalls" },
    });
  });

  test("stop NAME and stop all", () => {
    expect(only("stop syscalls")).toEqual({
      kind: "stop",
      span: at(1, 1, 13, 0),
      probe: { kind: "identifier", span: at(1, 6, 13, 5), name: "syscalls" },
    });
    expect(only("stop all")).toEqual({ kind: "stop", span: at(1, 1, 8, 0) });
  });

  test("wait, in each unit", () => {
    expect(only("wait 500ms")).toEqual({
      kind: "wait",
      span: at(1, 1, 10, 0),
      duration: { kind: "duration", span: at(1, 6, 10, 5), ms: 500, text: "500ms" },
    });
    const ms = (text: string) => {
      const s = only(`wait ${text}`);
      return s.kind === "wait" ? s.duration.ms : undefined;
    };
    expect([ms("10us"), ms("2s"), ms("1m"), ms("1.5s"), ms("0.5us")]).toEqual([
      0.01, 2000, 60_000, 1500, 0.0005,
    ]);
  });

  test("show", () => {
    expect(only("show maps")).toEqual({ kind: "show", span: at(1, 1, 9, 0), what: "maps" });
    expect(only("show programs")).toMatchObject({ kind: "show", what: "programs" });
    expect(only("show probes")).toMatchObject({ kind: "show", what: "probes" });
  });

  test("sample with every clause", () => {
    const text = "sample 1% from map events weighted by value.stats.max seed 7";
    expect(only(text)).toEqual({
      kind: "sample",
      span: at(1, 1, 60, 0),
      size: {
        kind: "size",
        span: at(1, 8, 9, 7),
        percent: { kind: "percent", span: at(1, 8, 9, 7), fraction: 0.01, text: "1%" },
      },
      source: { kind: "map-name", span: at(1, 20, 25, 19), name: "events" },
      weightedBy: { kind: "field", span: at(1, 39, 53, 38), path: ["value", "stats", "max"] },
      seed: { kind: "number", span: at(1, 60, 60, 59), text: "7", value: 7 },
    });
  });

  test("sample clauses in either order", () => {
    expect(only("sample 1% from events seed 7 weighted by qps")).toMatchObject({
      seed: { value: 7 },
      weightedBy: { path: ["qps"] },
    });
  });

  test("sample sizes: a percentage, a fractional percentage, a count", () => {
    expect(only("sample 1% from events")).toMatchObject({
      size: { percent: { fraction: 0.01, text: "1%" } },
    });
    expect(only("sample 0.5% from events")).toMatchObject({
      size: { percent: { fraction: 0.005, text: "0.5%" } },
    });
    expect(only("sample 100% from events")).toMatchObject({ size: { percent: { fraction: 1 } } });
    expect(only("sample 100 from events")).toEqual({
      kind: "sample",
      span: at(1, 1, 22, 0),
      size: {
        kind: "size",
        span: at(1, 8, 10, 7),
        count: { kind: "number", span: at(1, 8, 10, 7), text: "100", value: 100 },
      },
      source: { kind: "map-name", span: at(1, 17, 22, 16), name: "events" },
    });
  });

  test("map references: a name, with or without `map`, an id, a pinned path", () => {
    const source = (text: string) => {
      const s = only(`sample 1% from ${text}`);
      return s.kind === "sample" ? s.source : undefined;
    };
    expect(source("events")).toEqual({ kind: "map-name", span: at(1, 16, 21, 15), name: "events" });
    expect(source("map events")).toEqual({
      kind: "map-name",
      span: at(1, 20, 25, 19),
      name: "events",
    });
    expect(source("map id 42")).toEqual({ kind: "map-id", span: at(1, 20, 24, 19), id: 42 });
    expect(source('map "/sys/fs/bpf/foo"')).toEqual({
      kind: "map-pinned",
      span: at(1, 20, 36, 19),
      path: "/sys/fs/bpf/foo",
    });
  });

  test("a quoted string that does not start with '/' is a map name", () => {
    expect(only('sample 1% from map "syscalls.bss"')).toMatchObject({
      source: { kind: "map-name", name: "syscalls.bss" },
    });
    expect(only('sample 1% from map ".rodata"')).toMatchObject({
      source: { kind: "map-name", name: ".rodata" },
    });
  });

  test("keywords may be field segments; `id` and `maps` may be names where nothing clashes", () => {
    expect(only("sample 1% from maps weighted by id")).toMatchObject({
      source: { kind: "map-name", name: "maps" },
      weightedBy: { path: ["id"] },
    });
    expect(only("sample 1% from events weighted by key.map.from")).toMatchObject({
      weightedBy: { path: ["key", "map", "from"] },
    });
  });
});

describe("parseProgram splits statements", () => {
  test("at newlines and ';', with blank lines, empty statements and comments", () => {
    const text = [
      "# a script",
      "",
      "trace syscalls   # start the probe",
      "wait 2s; ;",
      "  ;",
      "sample 1% from map events;show maps",
      "stop all # done",
      "",
    ].join("\n");
    const result = parseProgram(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.statements.map((s) => s.kind)).toEqual([
      "trace",
      "wait",
      "sample",
      "show",
      "stop",
    ]);
    expect(result.statements.map((s) => [s.span.line, s.span.column])).toEqual([
      [3, 1],
      [4, 1],
      [6, 1],
      [6, 27],
      [7, 1],
    ]);
  });

  test("offsets count from the start of the whole text", () => {
    const result = parseProgram("show maps\n  trace syscalls");
    expect(result.statements[1]).toEqual({
      kind: "trace",
      span: at(2, 3, 16, 12),
      probe: { kind: "identifier", span: at(2, 9, 16, 18), name: "syscalls" },
    });
  });

  test("an empty text, and one with only comments, has no statements", () => {
    expect(parseProgram("")).toEqual({ statements: [], diagnostics: [] });
    expect(parseProgram("# nothing\n\n;;")).toEqual({ statements: [], diagnostics: [] });
  });

  test("statements with errors are left out; the others are kept", () => {
    const result = parseProgram("trace syscalls\nsmaple 1% from events\nwait 0s\nshow maps");
    expect(result.statements.map((s) => s.kind)).toEqual(["trace", "show"]);
    expect(result.diagnostics.map((d) => d.span.line)).toEqual([2, 3]);
  });

  test("CRLF line endings", () => {
    const result = parseProgram("trace syscalls\r\nshow maps\r\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.statements.map((s) => s.kind)).toEqual(["trace", "show"]);
  });
});

describe("a statement may go on on the next line", () => {
  const kinds = (text: string) => {
    const result = parseProgram(text);
    return {
      kinds: result.statements.map((s) => s.kind),
      errors: result.diagnostics.map((d) => `${d.span.line}:${d.span.column} ${d.message}`),
    };
  };

  test("when the next line starts with a clause or an operator", () => {
    const text = [
      "sample 20 from map events weighted by 100 * (1 - errors / calls) * log2(qps + 1)",
      '       where comm != "gms" seed 7',
      "show maps",
    ].join("\n");
    expect(kinds(text)).toEqual({ kinds: ["sample", "show"], errors: [] });
    const sample = parseProgram(text).statements[0]!;
    expect(sample.span).toEqual({
      startOffset: 0,
      endOffset: 114,
      line: 1,
      column: 1,
      endLine: 2,
      endColumn: 33,
    });
    expect(sample).toMatchObject({ seed: { span: { line: 2, column: 33, startOffset: 113 } } });
    expect(kinds("from events where a > 1\n  and b < 2\n  order by a\n  limit 3")).toEqual({
      kinds: ["query"],
      errors: [],
    });
    expect(kinds("let x = 1\n  + 2")).toEqual({ kinds: ["let"], errors: [] });
  });

  test("when the line ends where the statement cannot end", () => {
    expect(kinds("select comm,\n  qps\nfrom events where\n  qps > 1 and\n  qps < 9")).toEqual({
      kinds: ["query"],
      errors: [],
    });
    expect(kinds("let x = max(1,\n 2,\n 3)")).toEqual({ kinds: ["let"], errors: [] });
    expect(kinds("explain\nshow maps")).toEqual({ kinds: ["explain"], errors: [] });
  });

  test("a line that starts a statement starts one", () => {
    expect(kinds("trace syscalls\nsample 1% from events")).toEqual({
      kinds: ["trace", "sample"],
      errors: [],
    });
    expect(kinds("sample 1% from events\nfrom events")).toEqual({
      kinds: ["sample", "query"],
      errors: [],
    });
  });

  test("a cut-off statement is reported where it was cut, and the next line kept", () => {
    expect(kinds("sample 1% from\nshow maps")).toEqual({
      kinds: ["show"],
      errors: [
        "1:15 expected a map name, `map id N`, `map \"/pinned/path\"`, `file \"dump.json\"`, `tracepoint category:name` or `stream exec` after 'from'",
      ],
    });
    expect(kinds("from events where (a >\nwait 1s")).toEqual({
      kinds: ["wait"],
      errors: ["1:23 expected an expression after '>'"],
    });
  });

  test("a blank line, a comment line, ';' and an unterminated string always end a statement", () => {
    expect(kinds("from events\n\nwhere a")).toMatchObject({
      kinds: ["query"],
      errors: ["3:1 unexpected 'where' at the start of a statement"],
    });
    expect(kinds("from events\n# the filter\nwhere a")).toMatchObject({ kinds: ["query"] });
    expect(kinds("from events;\nwhere a").kinds).toEqual(["query"]);
    expect(kinds('from events where a == "x\nand b').errors).toEqual([
      "1:24 unterminated string",
      "2:1 unexpected 'and' at the start of a statement",
    ]);
  });

  test("a misspelled word on the next line is a statement of its own", () => {
    expect(kinds("sample 1% from events\nwehre a > 1").errors).toEqual([
      "2:1 unknown statement 'wehre'",
    ]);
  });
});

describe("parseProgram never throws", () => {
  test("deep nesting is reported, not a crash", () => {
    const text = `let x = ${"(".repeat(5000)}1${")".repeat(5000)}\nshow maps`;
    const result = parseProgram(text);
    expect(result.statements.map((s) => s.kind)).toEqual(["show"]);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["statement nested too deeply"]);
    expect(parseProgram(`let x = ${"(".repeat(200)}1${")".repeat(200)}`).diagnostics).toEqual([]);
  });
});
