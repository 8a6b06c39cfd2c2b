import { describe, expect, test } from "bun:test";
import { parseProgram } from "./parse";
import { renderDiagnostics } from "./render";

/** errors: the rendered diagnostics of `text`, as the shell would print them. */
function errors(text: string): string {
  return renderDiagnostics(parseProgram(text).diagnostics, text, "<stdin>");
}

function lines(...l: string[]): string {
  return l.map((x) => `${x}\n`).join("");
}

describe("syntax errors", () => {
  test("a misspelled statement keyword", () => {
    expect(errors("smaple 1% from map events")).toBe(
      lines(
        "<stdin>:1:1-6: error: unknown statement 'smaple'",
        "smaple 1% from map events",
        "~~~~~~",
        "hint: did you mean 'sample'?",
      ),
    );
  });

  test("an unknown statement far from any keyword lists the statements", () => {
    expect(errors("foo bar")).toBe(
      lines(
        "<stdin>:1:1-3: error: unknown statement 'foo'",
        "foo bar",
        "~~~",
        "hint: a statement starts with 'explain', 'sample', 'select', 'from', 'estimate', " +
          "'trace', 'stop', 'wait', 'show', 'describe', 'save', 'let', 'set', 'watch' or 'help'",
      ),
    );
  });

  test("a statement that starts with something other than a word", () => {
    expect(errors("42 events")).toBe(
      lines(
        "<stdin>:1:1-2: error: unexpected '42' at the start of a statement",
        "42 events",
        "~~",
        "hint: a statement starts with 'explain', 'sample', 'select', 'from', 'estimate', " +
          "'trace', 'stop', 'wait', 'show', 'describe', 'save', 'let', 'set', 'watch' or 'help'",
      ),
    );
  });

  test("a statement cut off after 'from' points just past it", () => {
    expect(errors("sample 1% from")).toBe(
      lines(
        "<stdin>:1:15: error: expected a map name, `map id N`, `map \"/pinned/path\"`, " +
          "`file \"dump.json\"`, `tracepoint category:name` or `stream exec` after 'from'",
        "sample 1% from",
        "              ^",
      ),
    );
  });

  test("a statement cut off by the end of the line, before a comment, or by ';'", () => {
    expect(errors("sample 1% from map   # which?\nshow maps")).toBe(
      lines(
        "<stdin>:1:19: error: expected a map name, `id N` or a \"/pinned/path\" after 'map'",
        "sample 1% from map   # which?",
        "                  ^",
      ),
    );
    expect(errors("sample 1% from map id; show maps")).toBe(
      lines(
        "<stdin>:1:22: error: expected a number after 'id'",
        "sample 1% from map id; show maps",
        "                     ^",
      ),
    );
  });

  test("cut off where a choice or a field is expected", () => {
    expect(errors("stop")).toBe(
      lines(
        "<stdin>:1:5: error: expected 'all' or a probe name like syscalls after 'stop'",
        "stop",
        "    ^",
      ),
    );
    expect(errors("sample 1% from events weighted by")).toBe(
      lines(
        "<stdin>:1:34: error: expected an expression after 'by'",
        "sample 1% from events weighted by",
        "                                 ^",
      ),
    );
    expect(errors("sample 1% from events weighted by key.")).toBe(
      lines(
        "<stdin>:1:39: error: expected a name after '.'",
        "sample 1% from events weighted by key.",
        "                                      ^",
      ),
    );
  });

  test("a misspelled keyword inside a statement", () => {
    expect(errors("sample 1% form map events")).toBe(
      lines(
        "<stdin>:1:11-14: error: unexpected 'form' after '1%'",
        "sample 1% form map events",
        "          ~~~~",
        "hint: did you mean 'from'?",
        "hint: expected 'per' or 'from'",
      ),
    );
    expect(errors("show map")).toBe(
      lines(
        "<stdin>:1:6-8: error: unexpected 'map' after 'show'",
        "show map",
        "     ~~~",
        "hint: did you mean 'maps'?",
        "hint: expected 'maps', 'programs' or 'probes'",
      ),
    );
  });

  test("a missing word", () => {
    expect(errors("sample 1% from events weighted qps")).toBe(
      lines(
        "<stdin>:1:32-34: error: unexpected 'qps' after 'weighted'",
        "sample 1% from events weighted qps",
        "                               ~~~",
        "hint: expected 'by'",
      ),
    );
    expect(errors("sample from events")).toBe(
      lines(
        "<stdin>:1:8-11: error: unexpected 'from' after 'sample'",
        "sample from events",
        "       ~~~~",
        "hint: expected a sample size like 1% or 100",
      ),
    );
  });

  test("something after the end of a statement", () => {
    expect(errors("show maps extra")).toBe(
      lines(
        "<stdin>:1:11-15: error: unexpected 'extra' after 'maps'",
        "show maps extra",
        "          ~~~~~",
        "hint: expected 'where', 'order', 'limit' or the end of the statement",
      ),
    );
    expect(errors("sample 1% from events 7")).toBe(
      lines(
        "<stdin>:1:23: error: unexpected '7' after 'events'",
        "sample 1% from events 7",
        "                      ^",
        "hint: expected 'weighted', 'where', 'seed', 'limit', 'for', 'to' or the end of the statement",
      ),
    );
  });

  test("a number where a duration is expected", () => {
    expect(errors("wait 2")).toBe(
      lines(
        "<stdin>:1:6: error: unexpected '2' after 'wait'",
        "wait 2",
        "     ^",
        "hint: a duration needs a unit (ns, us, ms, s, m or h), like 2ms",
        "hint: expected a duration like 500ms",
      ),
    );
  });

  test("a string where a name is expected is quoted as written", () => {
    expect(errors('trace "syscalls"')).toBe(
      lines(
        "<stdin>:1:7-16: error: unexpected \"syscalls\" after 'trace'",
        'trace "syscalls"',
        "      ~~~~~~~~~~",
        "hint: expected a probe name like syscalls",
      ),
    );
  });
});

describe("map names with dots", () => {
  test("a bare dotted name is shown quoted", () => {
    expect(errors("sample 1% from syscalls.bss")).toBe(
      lines(
        "<stdin>:1:24: error: unexpected '.' after 'syscalls'",
        "sample 1% from syscalls.bss",
        "                       ^",
        'hint: a map name with a dot is written in quotes: map "syscalls.bss"',
        "hint: expected 'weighted', 'where', 'seed', 'limit', 'for', 'to' or the end of the statement",
      ),
    );
    expect(errors("sample 1% from map .rodata")).toBe(
      lines(
        "<stdin>:1:20: error: unexpected '.' after 'map'",
        "sample 1% from map .rodata",
        "                   ^",
        'hint: a map name with a dot is written in quotes: map ".rodata"',
        'hint: expected a map name, `id N` or a "/pinned/path"',
      ),
    );
  });

  test("a dot elsewhere gets no such hint", () => {
    expect(parseProgram("trace a.b").diagnostics[0]?.hints).toEqual([
      "expected 'sample', 'where' or the end of the statement",
    ]);
    expect(parseProgram("sample 1% from events .x").diagnostics[0]?.hints).toEqual([
      "expected 'weighted', 'where', 'seed', 'limit', 'for', 'to' or the end of the statement",
    ]);
  });

  test("a quoted name needs `map` before it", () => {
    expect(errors('sample 1% from "x.bss"')).toBe(
      lines(
        "<stdin>:1:16-22: error: unexpected \"x.bss\" after 'from'",
        'sample 1% from "x.bss"',
        "               ~~~~~~~",
        "hint: a quoted map name or pinned path follows 'map': map \"x.bss\"",
        'hint: expected a map name, `map id N`, `map "/pinned/path"`, `file "dump.json"`, `tracepoint category:name` or `stream exec`',
      ),
    );
  });
});

describe("lexical errors", () => {
  test("an unterminated string points at its opening quote", () => {
    expect(errors('sample 1% from map "/sys/fs/bpf/foo')).toBe(
      lines(
        "<stdin>:1:20: error: unterminated string",
        'sample 1% from map "/sys/fs/bpf/foo',
        "                   ^",
        'hint: close it with " on the same line',
      ),
    );
  });

  test("an unterminated string ends at the end of its line", () => {
    const result = parseProgram('trace "x; show maps\nshow probes');
    expect(result.diagnostics.map((d) => d.message)).toEqual(["unterminated string"]);
    expect(result.statements.map((s) => s.kind)).toEqual(["show"]);
  });

  test("an unknown escape", () => {
    expect(errors('sample 1% from map "a\\qb"')).toBe(
      lines(
        "<stdin>:1:22-23: error: unknown escape '\\q' in string",
        'sample 1% from map "a\\qb"',
        "                     ~~",
        "hint: a string may hold the escapes \\\" \\\\ \\n \\t",
      ),
    );
  });

  test("a stray character, reported once, without a syntax error on top", () => {
    expect(errors("trace sys$calls")).toBe(
      lines("<stdin>:1:10: error: unexpected character '$'", "trace sys$calls", "         ^"),
    );
  });

  test("single quotes", () => {
    expect(errors("trace 'x'")).toBe(
      lines(
        "<stdin>:1:7: error: unexpected character '''",
        "trace 'x'",
        "      ^",
        'hint: strings are written in double quotes, like "syscalls.bss"',
        "<stdin>:1:9: error: unexpected character '''",
        "trace 'x'",
        "        ^",
        'hint: strings are written in double quotes, like "syscalls.bss"',
      ),
    );
  });
});

describe("several errors are reported together", () => {
  test("one per broken statement, in text order, whatever their kind", () => {
    const text = [
      "smaple 1% from map events",
      "trace syscalls",
      "sample 1% from",
      "wait 0s; show map",
      "trace @",
      "sample 101% from events",
    ].join("\n");
    const result = parseProgram(text);
    expect(result.statements.map((s) => s.kind)).toEqual(["trace"]);
    expect(result.diagnostics.map((d) => [d.span.line, d.span.column, d.message])).toEqual([
      [1, 1, "unknown statement 'smaple'"],
      [3, 15, "expected a map name, `map id N`, `map \"/pinned/path\"`, `file \"dump.json\"`, `tracepoint category:name` or `stream exec` after 'from'"],
      [4, 6, "duration 0s is not longer than zero"],
      [4, 15, "unexpected 'map' after 'show'"],
      [5, 7, "unexpected character '@'"],
      [6, 8, "sample size 101% is out of range"],
    ]);
  });

  test("a broken statement does not swallow the next one on the same line", () => {
    const result = parseProgram("sample 1% from; smaple 2% from events");
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      "expected a map name, `map id N`, `map \"/pinned/path\"`, `file \"dump.json\"`, `tracepoint category:name` or `stream exec` after 'from'",
      "unknown statement 'smaple'",
    ]);
  });
});

describe("syntax errors of the whole language", () => {
  test("a misspelled clause keyword", () => {
    expect(errors("sample 1% from events wehre qps > 1")).toBe(
      lines(
        "<stdin>:1:23-27: error: unexpected 'wehre' after 'events'",
        "sample 1% from events wehre qps > 1",
        "                      ~~~~~",
        "hint: did you mean 'where'?",
        "hint: expected 'weighted', 'where', 'seed', 'limit', 'for', 'to' or the end of the statement",
      ),
    );
  });

  test("'=' where '==' is meant", () => {
    expect(errors("from events where qps = 1")).toBe(
      lines(
        "<stdin>:1:23: error: unexpected '=' after 'qps'",
        "from events where qps = 1",
        "                      ^",
        "hint: use '==' to compare",
        "hint: expected an operator, 'where', 'order', 'limit', 'for', 'to' or the end of the statement",
      ),
    );
  });

  test("cut off after 'where'", () => {
    expect(errors("from events where")).toBe(
      lines(
        "<stdin>:1:18: error: expected an expression after 'where'",
        "from events where",
        "                 ^",
      ),
    );
  });

  test("a missing 'using sample'", () => {
    expect(errors("estimate count() from events")).toBe(
      lines(
        "<stdin>:1:29: error: expected 'where' or 'using' after 'events'",
        "estimate count() from events",
        "                            ^",
      ),
    );
  });

  test("a size where a duration is expected", () => {
    expect(errors("wait 1M")).toBe(
      lines(
        "<stdin>:1:6-7: error: unexpected '1M' after 'wait'",
        "wait 1M",
        "     ~~",
        "hint: 1M is a size in bytes; a minute is 1m",
        "hint: expected a duration like 500ms",
      ),
    );
  });

  test("a '-' inside a name", () => {
    expect(errors("trace sys-calls")).toBe(
      lines(
        "<stdin>:1:10: error: unexpected '-' after 'sys'",
        "trace sys-calls",
        "         ^",
        "hint: a name holds letters, digits and '_', not '-'",
        "hint: expected 'sample', 'where' or the end of the statement",
      ),
    );
  });

  test("explain does not nest", () => {
    expect(errors("explain explain show maps")).toBe(
      lines(
        "<stdin>:1:9-15: error: unexpected 'explain' after 'explain'",
        "explain explain show maps",
        "        ~~~~~~~",
        "hint: 'explain' takes one statement, which is not itself an 'explain'",
        "hint: expected 'sample', 'select', 'from', 'estimate', 'trace', 'stop', 'wait', 'show', 'describe', 'save', 'let', 'set', 'watch' or 'help'",
      ),
    );
  });

  test("a statement continued on the next line is reported there, and the next statement kept", () => {
    expect(errors("sample 1% from events\n  where qps >\nshow maps")).toBe(
      lines(
        "<stdin>:2:14: error: expected an expression after '>'",
        "  where qps >",
        "             ^",
      ),
    );
  });

  test("an unclosed parenthesis", () => {
    expect(errors("let x = (1 + 2")).toBe(
      lines(
        "<stdin>:1:15: error: expected an operator or ')' after '2'",
        "let x = (1 + 2",
        "              ^",
      ),
    );
  });

  test("a projection missing after ','", () => {
    expect(errors("select a, from events")).toBe(
      lines(
        "<stdin>:1:11-14: error: unexpected 'from' after ','",
        "select a, from events",
        "          ~~~~",
        "hint: expected an expression",
      ),
    );
  });

  test("a misspelled set option", () => {
    expect(errors("set formt json")).toBe(
      lines(
        "<stdin>:1:5-9: error: unexpected 'formt' after 'set'",
        "set formt json",
        "    ~~~~~",
        "hint: did you mean 'format'?",
        "hint: expected 'format', 'seed', 'stats', 'percpu' or 'budget'",
      ),
    );
  });
});

describe("hints for common slips", () => {
  test("select * asks for columns by name", () => {
    expect(errors("select * from events")).toBe(
      lines(
        "<stdin>:1:8: error: unexpected '*' after 'select'",
        "select * from events",
        "       ^",
        "hint: name the columns, or leave out 'select' to get them all: from ...",
        "hint: expected an expression",
      ),
    );
  });

  test("a percentage glued to a number", () => {
    expect(errors("from events where x > 10%3")).toBe(
      lines(
        "<stdin>:1:26: error: unexpected '3' after '10%'",
        "from events where x > 10%3",
        "                         ^",
        "hint: for a remainder write 10 % 3, with spaces",
        "hint: expected an operator, 'where', 'order', 'limit', 'for', 'to' or the end of the statement",
      ),
    );
  });

  test("a sample of a map has no limit (a stream's has)", () => {
    expect(errors("sample 10 from events limit 3")).toBe(
      lines(
        "<stdin>:1:29: error: 'limit' is for streams (tracepoints): a sample of a map is sized by 'sample N' or 'sample P%'",
        "sample 10 from events limit 3",
        "                            ^",
        "hint: a plain query (from ...) has 'order by' and 'limit'",
      ),
    );
  });

  test("'==' in let", () => {
    expect(errors("let x == 1")).toBe(
      lines(
        "<stdin>:1:7-8: error: unexpected '==' after 'x'",
        "let x == 1",
        "      ~~",
        "hint: 'let' takes one '='",
        "hint: expected '='",
      ),
    );
  });

  test("trace samples by a percentage only", () => {
    expect(errors("trace syscalls sample 100")).toBe(
      lines(
        "<stdin>:1:23-25: error: unexpected '100' after 'sample'",
        "trace syscalls sample 100",
        "                      ~~~",
        "hint: expected a percentage like 1%",
      ),
    );
  });

  test("where after using sample in an estimate", () => {
    expect(errors("estimate count() from e using sample 1% where x > 1")).toBe(
      lines(
        "<stdin>:1:41-45: error: unexpected 'where' after '1%'",
        "estimate count() from e using sample 1% where x > 1",
        "                                        ~~~~~",
        "hint: 'where' comes before 'using sample'",
        "hint: expected 'weighted', 'seed', 'to' or the end of the statement",
      ),
    );
  });

  test("set format without a format", () => {
    expect(errors("set format")).toBe(
      lines(
        "<stdin>:1:11: error: expected a format: table, json or csv after 'format'",
        "set format",
        "          ^",
      ),
    );
  });

  test("a chain of matches", () => {
    expect(errors("from events where comm ~ \"a\" ~ \"b\"")).toBe(
      lines(
        "<stdin>:1:19-34: error: comparisons cannot be chained",
        "from events where comm ~ \"a\" ~ \"b\"",
        "                  ~~~~~~~~~~~~~~~~",
        "hint: write 'comm ~ \"a\" and comm ~ \"b\"'",
      ),
    );
  });
});
