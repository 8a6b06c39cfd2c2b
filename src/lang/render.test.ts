import { describe, expect, test } from "bun:test";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { renderDiagnostics } from "./render";
import { spanAt } from "./testing/span-at";

const at = spanAt;


describe("renderDiagnostics", () => {
  test("a span wider than one column: COL-ENDCOL and tildes, then the hints", () => {
    const text = "sample 1% from map events weighted by qsp";
    const d = diagnostic(
      at(1, 39, 41, 38),
      "unknown field 'qsp' in map events",
      "did you mean 'qps'?",
    );
    expect(renderDiagnostics([d], text, "<stdin>")).toBe(
      [
        "<stdin>:1:39-41: error: unknown field 'qsp' in map events",
        "sample 1% from map events weighted by qsp",
        "                                      ~~~",
        "hint: did you mean 'qps'?",
        "",
      ].join("\n"),
    );
  });

  test("a one-column span: COL and a caret; no hint line without hints", () => {
    const d = diagnostic(at(2, 3, 3, 6), "unexpected character '@'");
    expect(renderDiagnostics([d], "x\nab@cd\ny", "script.gms")).toBe(
      ["script.gms:2:3: error: unexpected character '@'", "ab@cd", "  ^", ""].join("\n"),
    );
  });

  test("a marker just past the end of the line", () => {
    const d = diagnostic(at(1, 5, 5, 4), "expected a name after 'stop'");
    expect(renderDiagnostics([d], "stop", "f")).toBe(
      ["f:1:5: error: expected a name after 'stop'", "stop", "    ^", ""].join("\n"),
    );
  });

  test("tabs before the marker are kept, so it lines up", () => {
    const d = diagnostic(at(1, 4, 6, 3), "unknown statement 'foo'");
    expect(renderDiagnostics([d], "\t \tfoo", "f")).toBe(
      ["f:1:4-6: error: unknown statement 'foo'", "\t \tfoo", "\t \t~~~", ""].join("\n"),
    );
  });

  test("several diagnostics, a warning, several hints, a CRLF line", () => {
    const diags: Diagnostic[] = [
      diagnostic(at(1, 1, 2, 0), "first", "one", "two"),
      { ...diagnostic(at(2, 2, 2, 5), "second"), severity: "warning" },
    ];
    expect(renderDiagnostics(diags, "ab\r\ncd\r\n", "f")).toBe(
      [
        "f:1:1-2: error: first",
        "ab",
        "~~",
        "hint: one",
        "hint: two",
        "f:2:2: warning: second",
        "cd",
        " ^",
        "",
      ].join("\n"),
    );
  });

  test("nothing to render is the empty string", () => {
    expect(renderDiagnostics([], "x", "f")).toBe("");
  });
});
