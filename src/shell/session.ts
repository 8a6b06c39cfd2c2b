import { Chalk, type ChalkInstance } from "chalk";
import { BpfError } from "../bpf/errors";
import { LibbpfMissingError } from "../bpf/libbpf";
import { KernelBtfMissingError } from "../bpf/kernel-btf";
import type { Executor } from "../exec/executor";
import { DiagnosticError, type Diagnostic } from "../lang/diagnostic";
import { parseProgram } from "../lang/parse";
import { renderDiagnostics } from "../lang/render";
import type { Span } from "../lang/span";
import { compile } from "../plan/compile";
import { renderTable } from "../output/table";
import type { StatementResult } from "../output/result-set";

/** Io: where a session writes; the shell core never touches process streams itself. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  color: boolean;
}

export const PRIVILEGE_MESSAGE =
  "gms needs root, or the capabilities CAP_BPF and CAP_PERFMON, to use BPF: run it with sudo";

/**
 * Session: runs gms text (a prompt line, a script, `-e` statements) statement by statement,
 * printing results and diagnostics. A program with any syntax error runs nothing; a failing
 * statement stops the rest of its text.
 */
export class Session {
  private readonly chalk: ChalkInstance;

  constructor(
    private readonly io: Io,
    readonly executor: Executor,
  ) {
    this.chalk = new Chalk({ level: io.color ? 1 : 0 });
  }

  /** runText: runs every statement of `text`; returns false when anything failed. */
  async runText(text: string, file: string, signal?: AbortSignal): Promise<boolean> {
    const { statements, diagnostics } = parseProgram(text);
    if (diagnostics.length) {
      this.printDiagnostics(diagnostics, text, file);
      return false;
    }
    for (const stmt of statements) {
      try {
        const result = await this.executor.run(compile(stmt), signal);
        this.print(result);
      } catch (e) {
        this.printError(e, text, file, stmt.span);
        return false;
      }
    }
    return true;
  }

  private print(result: StatementResult): void {
    if (!result) return;
    if ("message" in result) this.io.out(`${result.message}\n`);
    else this.io.out(`${renderTable(result, this.chalk)}\n`);
  }

  private printDiagnostics(diags: Diagnostic[], text: string, file: string): void {
    const rendered = renderDiagnostics(diags, text, file);
    this.io.err(this.io.color ? rendered.replace(/: error: /g, `: ${this.chalk.red.bold("error")}: `) : rendered);
  }

  private printError(e: unknown, text: string, file: string, span: Span): void {
    if (e instanceof DiagnosticError) return this.printDiagnostics(e.diagnostics, text, file);
    const at = `${file}:${span.line}:${span.column}`;
    if (e instanceof BpfError) {
      const msg = e.isPermission ? `${PRIVILEGE_MESSAGE} (${e.message})` : e.message;
      this.io.err(`${at}: error: ${msg}\n`);
      return;
    }
    if (e instanceof LibbpfMissingError || e instanceof KernelBtfMissingError) {
      this.io.err(`${at}: error: ${e.message}\n`);
      return;
    }
    const stmt = text.slice(span.startOffset, span.endOffset);
    const detail = e instanceof Error ? e.message : String(e);
    this.io.err(`${at}: internal error while running '${stmt}': ${detail}\n`);
    if (process.env.GMS_DEBUG && e instanceof Error && e.stack) this.io.err(`${e.stack}\n`);
  }
}
