import type { Span } from "./span";

export type Severity = "error" | "warning";

/**
 * Diagnostic: one problem found in user text, by the lexer, the parser or a check. Diagnostics
 * are collected and rendered together; they are never thrown as stack traces.
 */
export interface Diagnostic {
  span: Span;
  severity: Severity;
  message: string;
  hints: string[];
}

/** DiagnosticError carries diagnostics through layers that can only throw (execution). */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join("; "));
    this.name = "DiagnosticError";
  }
}

export function diagnostic(span: Span, message: string, ...hints: string[]): Diagnostic {
  return { span, severity: "error", message, hints };
}
