import type { Diagnostic } from "./diagnostic";

/**
 * renderDiagnostics: diagnostics as text, the way bpftrace prints them, each as
 *
 *     FILE:LINE:COL[-ENDCOL]: error: MESSAGE
 *     the source line
 *            ^ (one column) or ~~~ (wider)
 *     hint: HINT (one line per hint)
 *
 * Every line ends with a newline; no colour (the caller adds it). A span that runs past its
 * first line is marked to the end of that line.
 */
export function renderDiagnostics(diags: Diagnostic[], text: string, file: string): string {
  const lines = text.split("\n").map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  return diags.map((d) => renderOne(d, lines, file)).join("");
}

function renderOne(d: Diagnostic, lines: string[], file: string): string {
  const { line, column } = d.span;
  const source = lines[line - 1] ?? "";
  const oneLine = d.span.endLine === line;
  const endColumn = oneLine
    ? Math.max(column, d.span.endColumn)
    : Math.max(column, source.length);
  const position = endColumn > column && oneLine ? `${column}-${endColumn}` : `${column}`;
  const width = endColumn - column + 1;
  // Tabs before the marker are copied, so the marker lines up however tabs are shown.
  const indent = source
    .slice(0, column - 1)
    .padEnd(column - 1)
    .split("")
    .map((c) => (c === "\t" ? "\t" : " "))
    .join("");
  const marker = width === 1 ? "^" : "~".repeat(width);
  const out = [
    `${file}:${line}:${position}: ${d.severity}: ${d.message}`,
    source,
    indent + marker,
    ...d.hints.map((h) => `hint: ${h}`),
  ];
  return out.map((l) => `${l}\n`).join("");
}
