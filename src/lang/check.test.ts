import { describe, expect, test } from "bun:test";
import { parseProgram } from "./parse";
import { renderDiagnostics } from "./render";

function errors(text: string): string {
  return renderDiagnostics(parseProgram(text).diagnostics, text, "<stdin>");
}

function lines(...l: string[]): string {
  return l.map((x) => `${x}\n`).join("");
}

describe("sample size", () => {
  test("a percentage must be above 0% and at most 100%", () => {
    expect(errors("sample 0% from map events")).toBe(
      lines(
        "<stdin>:1:8-9: error: sample size 0% is out of range",
        "sample 0% from map events",
        "       ~~",
        "hint: a percentage is between 0% (exclusive) and 100%",
      ),
    );
    expect(errors("sample 101% from map events")).toBe(
      lines(
        "<stdin>:1:8-11: error: sample size 101% is out of range",
        "sample 101% from map events",
        "       ~~~~",
        "hint: a percentage is between 0% (exclusive) and 100%",
      ),
    );
    expect(errors("sample 0.001% from events; sample 100% from events")).toBe("");
  });

  test("a count must be a whole number of at least 1", () => {
    expect(errors("sample 0 from map events")).toBe(
      lines(
        "<stdin>:1:8: error: sample count 0 keeps nothing",
        "sample 0 from map events",
        "       ^",
        "hint: a count is at least 1; a percentage like 1% keeps a share of the entries",
      ),
    );
    expect(errors("sample 2.5 from map events")).toBe(
      lines(
        "<stdin>:1:8-10: error: sample count 2.5 is not a whole number",
        "sample 2.5 from map events",
        "       ~~~",
        "hint: a count is a whole number of entries; did you mean 2.5%?",
      ),
    );
    expect(errors("sample 99999999999999999 from events")).toBe(
      lines(
        "<stdin>:1:8-24: error: sample count 99999999999999999 is too large",
        "sample 99999999999999999 from events",
        "       ~~~~~~~~~~~~~~~~~",
        "hint: a count is at most 9007199254740991",
      ),
    );
  });
});

describe("durations", () => {
  test("must be longer than zero", () => {
    expect(errors("wait 0ms")).toBe(
      lines(
        "<stdin>:1:6-8: error: duration 0ms is not longer than zero",
        "wait 0ms",
        "     ~~~",
        "hint: a duration is greater than 0, like 500ms",
      ),
    );
  });

  test("an unknown unit is marked on its own", () => {
    expect(errors("wait 2sec")).toBe(
      lines(
        "<stdin>:1:7-9: error: unknown duration unit 'sec'",
        "wait 2sec",
        "      ~~~",
        "hint: a duration's unit is ns, us, ms, s, m or h",
      ),
    );
    expect(errors("wait 2mss")).toBe(
      lines(
        "<stdin>:1:7-9: error: unknown duration unit 'mss'",
        "wait 2mss",
        "      ~~~",
        "hint: did you mean 'ms'?",
        "hint: a duration's unit is ns, us, ms, s, m or h",
      ),
    );
  });
});

describe("seed", () => {
  test("a whole number from 0 to 2^32-1", () => {
    expect(errors("sample 1% from events seed 0; sample 1% from events seed 4294967295")).toBe("");
    expect(errors("sample 1% from events seed 4294967296")).toBe(
      lines(
        "<stdin>:1:28-37: error: seed 4294967296 is out of range",
        "sample 1% from events seed 4294967296",
        "                           ~~~~~~~~~~",
        "hint: a seed is a whole number from 0 to 4294967295",
      ),
    );
    expect(errors("sample 1% from events seed 7.5")).toBe(
      lines(
        "<stdin>:1:28-30: error: seed 7.5 is not a whole number",
        "sample 1% from events seed 7.5",
        "                           ~~~",
        "hint: a seed is a whole number from 0 to 4294967295",
      ),
    );
  });
});

describe("clauses given twice", () => {
  test("the repeat is marked", () => {
    expect(errors("sample 1% from events weighted by a seed 1 weighted by b")).toBe(
      lines(
        "<stdin>:1:44-56: error: 'weighted by' is given twice",
        "sample 1% from events weighted by a seed 1 weighted by b",
        "                                           ~~~~~~~~~~~~~",
        "hint: keep one 'weighted by' clause",
      ),
    );
    expect(errors("sample 1% from events seed 1 seed 2")).toBe(
      lines(
        "<stdin>:1:30-35: error: 'seed' is given twice",
        "sample 1% from events seed 1 seed 2",
        "                             ~~~~~~",
        "hint: keep one 'seed' clause",
      ),
    );
  });
});

describe("map references", () => {
  test("a map id is from 1 to 2^32-1", () => {
    expect(errors("sample 1% from map id 0")).toBe(
      lines(
        "<stdin>:1:20-23: error: map id 0 is out of range",
        "sample 1% from map id 0",
        "                   ~~~~",
        "hint: a map id is a whole number from 1 to 4294967295",
        "hint: 'show maps' lists the maps and their ids",
      ),
    );
  });

  test("a quoted name holds what the kernel allows in a map name", () => {
    expect(errors('sample 1% from map "a b"')).toBe(
      lines(
        "<stdin>:1:20-24: error: 'a b' is not a map name",
        'sample 1% from map "a b"',
        "                   ~~~~~",
        "hint: map names hold only letters, digits, '_' and '.'",
      ),
    );
    expect(errors('sample 1% from map ""')).toBe(
      lines(
        "<stdin>:1:20-21: error: empty map name",
        'sample 1% from map ""',
        "                   ~~",
        'hint: a map is named like events or "syscalls.bss"',
      ),
    );
  });

  test("a relative path is neither a name nor a pinned path", () => {
    expect(errors('sample 1% from map "pins/foo"')).toBe(
      lines(
        "<stdin>:1:20-29: error: 'pins/foo' is not a map name",
        'sample 1% from map "pins/foo"',
        "                   ~~~~~~~~~~",
        "hint: a pinned path starts with '/', like \"/sys/fs/bpf/foo\"",
      ),
    );
  });
});

test("all the checks of one statement are reported", () => {
  const result = parseProgram("sample 0% from map id 0 seed 7.5");
  expect(result.diagnostics.map((d) => d.message)).toEqual([
    "sample size 0% is out of range",
    "map id 0 is out of range",
    "seed 7.5 is not a whole number",
  ]);
  expect(result.statements).toEqual([]);
});

describe("checks of the whole language", () => {
  test("comparisons do not chain", () => {
    expect(errors("from events where a < b < c")).toBe(
      lines(
        "<stdin>:1:19-27: error: comparisons cannot be chained",
        "from events where a < b < c",
        "                  ~~~~~~~~~",
        "hint: write 'a < b and b < c'",
      ),
    );
  });

  test("a chain is quoted as written", () => {
    expect(errors("from events where a == (b + 1) != c")).toBe(
      lines(
        "<stdin>:1:19-35: error: comparisons cannot be chained",
        "from events where a == (b + 1) != c",
        "                  ~~~~~~~~~~~~~~~~~",
        "hint: write 'a == (b + 1) and (b + 1) != c'",
      ),
    );
  });

  test("trace's sample is above 0%", () => {
    expect(errors("trace syscalls sample 0%")).toBe(
      lines(
        "<stdin>:1:23-24: error: sample size 0% is out of range",
        "trace syscalls sample 0%",
        "                      ~~",
        "hint: a percentage is between 0% (exclusive) and 100%",
      ),
    );
  });

  test("trace's sample is at most 100%", () => {
    expect(errors("trace syscalls sample 101%")).toBe(
      lines(
        "<stdin>:1:23-26: error: sample size 101% is out of range",
        "trace syscalls sample 101%",
        "                      ~~~~",
        "hint: a percentage is between 0% (exclusive) and 100%",
      ),
    );
  });

  test("an unknown function, with did you mean", () => {
    expect(errors("from events where lgo2(qps) > 1")).toBe(
      lines(
        "<stdin>:1:19-22: error: unknown function 'lgo2'",
        "from events where lgo2(qps) > 1",
        "                  ~~~~",
        "hint: did you mean 'log2'?",
      ),
    );
  });

  test("an unknown function far from any", () => {
    expect(errors("from events where frobnicate(qps) > 1")).toBe(
      lines(
        "<stdin>:1:19-28: error: unknown function 'frobnicate'",
        "from events where frobnicate(qps) > 1",
        "                  ~~~~~~~~~~",
        "hint: the functions are log2, ln, log10, abs, sqrt, floor, ceil, min, max, str, hex or ksym",
      ),
    );
  });

  test("an aggregate outside estimate", () => {
    expect(errors("from events where sum(qps) > 1")).toBe(
      lines(
        "<stdin>:1:19-21: error: 'sum' is an aggregate, not a function",
        "from events where sum(qps) > 1",
        "                  ~~~",
        "hint: aggregates are estimated over a sample: estimate sum(...) from ... using sample 1%",
      ),
    );
  });

  test("a function with too many arguments", () => {
    expect(errors("from events where log2(a, b) > 1")).toBe(
      lines(
        "<stdin>:1:19-28: error: log2() takes one argument, not 2",
        "from events where log2(a, b) > 1",
        "                  ~~~~~~~~~~",
        "hint: like log2(qps)",
      ),
    );
  });

  test("min and max take two or more", () => {
    expect(errors("from events where max(a) > 1")).toBe(
      lines(
        "<stdin>:1:19-24: error: max() takes two or more arguments, not 1",
        "from events where max(a) > 1",
        "                  ~~~~~~",
        "hint: like max(a, b)",
      ),
    );
  });

  test("an unknown aggregate", () => {
    expect(errors("estimate summ(qps) from events using sample 1%")).toBe(
      lines(
        "<stdin>:1:10-13: error: unknown aggregate 'summ'",
        "estimate summ(qps) from events using sample 1%",
        "         ~~~~",
        "hint: did you mean 'sum'?",
        "hint: an aggregate is sum(EXPR), count() or avg(EXPR)",
      ),
    );
  });

  test("aggregates with the wrong arguments", () => {
    expect(errors("estimate count(qps), sum() from events using sample 1%")).toBe(
      lines(
        "<stdin>:1:15-19: error: count() takes no argument",
        "estimate count(qps), sum() from events using sample 1%",
        "              ~~~~~",
        "hint: count() counts the rows: write count()",
        "<stdin>:1:25-26: error: sum() takes one argument",
        "estimate count(qps), sum() from events using sample 1%",
        "                        ~~",
        "hint: like sum(qps)",
      ),
    );
  });

  test("an invalid regular expression", () => {
    expect(errors("from events where comm ~ \"(nginx\"")).toBe(
      lines(
        "<stdin>:1:26-33: error: invalid regular expression: missing )",
        "from events where comm ~ \"(nginx\"",
        "                         ~~~~~~~~",
        "hint: the pattern is a JavaScript regular expression",
      ),
    );
  });

  test("a regex pattern that is not a string", () => {
    expect(errors("from events where comm ~ name")).toBe(
      lines(
        "<stdin>:1:26-29: error: the pattern after '~' must be a string in double quotes",
        "from events where comm ~ name",
        "                         ~~~~",
        "hint: like comm ~ \"^nginx\"",
      ),
    );
  });

  test("order by given twice", () => {
    expect(errors("from events where x > 1 order by x order by y")).toBe(
      lines(
        "<stdin>:1:36-45: error: 'order by' is given twice",
        "from events where x > 1 order by x order by y",
        "                                   ~~~~~~~~~~",
        "hint: keep one 'order by' clause",
      ),
    );
  });

  test("limit 0", () => {
    expect(errors("from events limit 0")).toBe(
      lines(
        "<stdin>:1:19: error: limit 0 keeps nothing",
        "from events limit 0",
        "                  ^",
        "hint: a limit is a whole number of rows, at least 1",
      ),
    );
  });

  test("a fractional limit", () => {
    expect(errors("from events limit 2.5")).toBe(
      lines(
        "<stdin>:1:19-21: error: limit 2.5 is not a whole number",
        "from events limit 2.5",
        "                  ~~~",
        "hint: a limit is a whole number of rows, at least 1",
      ),
    );
  });

  test("an unknown format", () => {
    expect(errors("set format jsn")).toBe(
      lines(
        "<stdin>:1:12-14: error: unknown format 'jsn'",
        "set format jsn",
        "           ~~~",
        "hint: did you mean 'json'?",
        "hint: a format is table, json, ndjson or csv",
      ),
    );
  });

  test("set seed out of range", () => {
    expect(errors("set seed 4294967296")).toBe(
      lines(
        "<stdin>:1:10-19: error: seed 4294967296 is out of range",
        "set seed 4294967296",
        "         ~~~~~~~~~~",
        "hint: a seed is a whole number from 0 to 4294967295",
      ),
    );
  });

  test("a size that is not a whole number of bytes", () => {
    expect(errors("let x = 1.1k")).toBe(
      lines(
        "<stdin>:1:9-12: error: size 1.1k is not a whole number of bytes",
        "let x = 1.1k",
        "        ~~~~",
        "hint: k and K are 1024 bytes, M 1024^2 and G 1024^3",
      ),
    );
  });

  test("an unknown unit in an expression", () => {
    expect(errors("let x = 4kb")).toBe(
      lines(
        "<stdin>:1:10-11: error: unknown unit 'kb'",
        "let x = 4kb",
        "         ~~",
        "hint: a duration's unit is ns, us, ms, s, m or h; a size's is k, K, M or G",
      ),
    );
  });

  test("a bad hex number", () => {
    expect(errors("let x = 0x1g")).toBe(
      lines(
        "<stdin>:1:9-12: error: '0x1g' is not a hex number",
        "let x = 0x1g",
        "        ~~~~",
        "hint: a hex number is 0x and the digits 0-9 and a-f, like 0xff",
      ),
    );
  });

  test("a number above 64 bits", () => {
    expect(errors("let x = 18446744073709551616")).toBe(
      lines(
        "<stdin>:1:9-28: error: 18446744073709551616 does not fit in 64 bits",
        "let x = 18446744073709551616",
        "        ~~~~~~~~~~~~~~~~~~~~",
        "hint: the largest integer is 18446744073709551615",
      ),
    );
  });

  test("watch every 0s", () => {
    expect(errors("watch every 0s show maps")).toBe(
      lines(
        "<stdin>:1:13-14: error: duration 0s is not longer than zero",
        "watch every 0s show maps",
        "            ~~",
        "hint: a duration is greater than 0, like 500ms",
      ),
    );
  });

  test("an empty file name", () => {
    expect(errors("sample 1% from events to \"\"")).toBe(
      lines(
        "<stdin>:1:26-27: error: empty file name",
        "sample 1% from events to \"\"",
        "                         ~~",
      ),
    );
  });

  test("estimate's sample size is checked", () => {
    expect(errors("estimate count() from events using sample 0%")).toBe(
      lines(
        "<stdin>:1:43-44: error: sample size 0% is out of range",
        "estimate count() from events using sample 0%",
        "                                          ~~",
        "hint: a percentage is between 0% (exclusive) and 100%",
      ),
    );
  });
});

test("set budget takes a percentage of a CPU or off", () => {
  const diags = (text: string) => parseProgram(text).diagnostics.map((d) => d.message);
  expect(diags("set budget 1%")).toEqual([]);
  expect(diags("set budget off")).toEqual([]);
  expect(diags("set budget 150%")).toEqual(["budget 150% is out of range"]);
  expect(diags("set budget maybe")).toEqual(["'set budget' takes a percentage or off, not 'maybe'"]);
});
