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
        "hint: a duration's unit is us, ms, s or m",
      ),
    );
    expect(errors("wait 2mss")).toBe(
      lines(
        "<stdin>:1:7-9: error: unknown duration unit 'mss'",
        "wait 2mss",
        "      ~~~",
        "hint: did you mean 'ms'?",
        "hint: a duration's unit is us, ms, s or m",
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
