import { Chalk, type ChalkInstance } from "chalk";
import { BpfError } from "../bpf/errors";
import { LibbpfMissingError } from "../bpf/libbpf";
import type { Executor } from "../exec/executor";
import { DiagnosticError, type Diagnostic } from "../lang/diagnostic";
import { parseProgram } from "../lang/parse";
import { renderDiagnostics } from "../lang/render";
import type { Span } from "../lang/span";
import type { Statement } from "../lang/ast";
import { compile, newSettings, type Settings } from "../plan/compile";
import type { Destination, OutputFormat } from "../plan/config";
import { renderTable } from "../output/table";
import { renderCsv } from "../output/csv";
import { renderJson, renderNdjson, rowWriter } from "../output/json";
import { liveRows } from "../exec/stream";
import { JsonOut } from "../output/json-out";
import { withDeltas } from "../output/deltas";
import type { Cell, ResultSet, StatementResult } from "../output/result-set";
import { CancelledError } from "../sources/source";
import { progressLine } from "./progress";

/** Io: where a session reads and writes; the shell core never touches process streams itself. */
export interface Io {
  /** Text, or bytes already encoded (JSON streamed out of a scan), in the order given. */
  out(text: string | Uint8Array): void;
  err(text: string): void;
  writeFile(path: string, text: string): void;
  color: boolean;
  /** A terminal: `watch` redraws in place instead of printing round after round. */
  tty?: boolean;
  /** The terminal's width: tables are fitted to it. */
  width?: () => number | undefined;
  /** stderr is a terminal: reads that take more than half a second show their progress there. */
  progress?: boolean;
}

export interface RunOptions {
  signal?: AbortSignal;
  /** Typed at the prompt: what a `set` changed is confirmed (scripts and -e stay quiet about it). */
  interactive?: boolean;
  /** Go on past a failing statement (and still report failure at the end). */
  keepGoing?: boolean;
}

export const PRIVILEGE_MESSAGE =
  "gms needs root, or the capabilities CAP_BPF and CAP_PERFMON, to use BPF: run it with sudo";

/** render: a result set in one of the output formats. */
export function render(rs: ResultSet, format: OutputFormat, chalk: ChalkInstance, width?: number): string {
  switch (format) {
    case "json": return renderJson(rs);
    case "ndjson": return renderNdjson(rs);
    case "csv": return renderCsv(rs);
    case "table": return renderTable(rs, chalk, { width });
  }
}

/** Round: the `watch` being shown: its last round (for the changes), and whether it took the alternate screen. */
interface Round {
  last: StatementResult;
  alternate: boolean;
}

/**
 * Session: runs gms text (a prompt line, a script, `-e` statements) statement by statement,
 * printing results and diagnostics, and keeps what statements set (`let`, `set`). A text with
 * any syntax error runs nothing; a failing statement stops the rest unless `keepGoing`.
 */
export class Session {
  readonly settings: Settings = newSettings();
  private readonly chalk: ChalkInstance;

  constructor(
    private readonly io: Io,
    readonly executor: Executor,
  ) {
    this.chalk = new Chalk({ level: io.color ? 1 : 0 });
    executor.onNotice = (text) => io.err(`note: ${text}\n`);
    if (io.progress) executor.onProgress = (what) => progressLine(what, (t) => io.err(t));
  }

  /** runText: runs every statement of `text`; returns false when anything failed. */
  async runText(text: string, file: string, opts: RunOptions = {}): Promise<boolean> {
    const { statements, diagnostics } = parseProgram(text);
    if (diagnostics.length) {
      this.printDiagnostics(diagnostics, text, file);
      return false;
    }
    let ok = true;
    for (const stmt of statements) {
      if (opts.signal?.aborted) return false;
      if (await this.runStatement(stmt, text, file, opts.signal, opts.interactive)) continue;
      ok = false;
      if (!opts.keepGoing) break;
    }
    return ok;
  }

  /** define: `-D name=value`: a `let` given on the command line; a bare word is a string. */
  async define(name: string, value: string): Promise<boolean> {
    const asExpr = parseProgram(`let ${name} = ${value}`);
    const stmt = asExpr.statements[0];
    const plain = !asExpr.diagnostics.length && stmt?.kind === "let" && stmt.value.kind !== "field";
    const text = plain ? `let ${name} = ${value}` : `let ${name} = ${JSON.stringify(value)}`;
    return this.runText(text, "<-D>");
  }

  private async runStatement(stmt: Statement, text: string, file: string, signal?: AbortSignal, interactive = false): Promise<boolean> {
    try {
      const cfg = compile(stmt, this.settings, text);
      const format = this.settings.format;
      if (cfg.statement === "query" && !cfg.stream && !cfg.orderBy.length && cfg.output.to === "screen" && (format === "json" || format === "ndjson")) {
        // Rows go out as the scan reads them: a full dump of a large map never sits in memory.
        this.executor.stream(cfg, format, new JsonOut((b) => this.io.out(b)), signal);
        return true;
      }
      let result: StatementResult;
      if (cfg.statement === "watch") {
        const round: Round = { last: null, alternate: false };
        try {
          result = await this.executor.run(cfg, signal, (r) => this.printRound(r, round));
        } finally {
          // Back from the alternate screen, the last round stays on the terminal.
          if (round.alternate) {
            this.io.out("\x1b[?1049l");
            if (round.last) this.print(round.last);
          }
        }
      } else if ((cfg.statement === "sample" || cfg.statement === "query") && liveRows(cfg) && format === "ndjson" && cfg.output.to === "screen") {
        // A stream in NDJSON: each event is a line as it comes.
        let write: ((row: Cell[]) => string) | undefined;
        await this.executor.run(cfg, signal, undefined, (columns, row) => {
          write ??= rowWriter({ columns });
          this.io.out(`${write(row)}\n`);
        });
        return true;
      } else result = await this.executor.run(cfg, signal); // only a watch has rounds to print
      const output: Destination | undefined = "output" in cfg ? cfg.output : undefined;
      if (result && "file" in result) {
        this.io.writeFile(result.file.path, result.file.text);
        this.io.out(`${result.message}\n`);
      } else if (output?.to === "file" && result && "rows" in result) {
        const end = output.format === "csv" ? "\r\n" : "\n";
        this.io.writeFile(output.path, render(result, output.format, new Chalk({ level: 0 })) + end);
        this.io.out(`wrote ${result.rows.length} rows to ${output.path}\n`);
      } else if (signal?.aborted && cfg.statement !== "watch" && !("stream" in cfg && cfg.stream)) {
        // Ctrl-C during a statement cancels it: what it found is not shown. (A stream stops at
        // Ctrl-C and shows the events it read, as a stream stops at its limit.)
        this.io.err("cancelled\n");
      } else if (cfg.statement === "set") {
        // Only the prompt confirms a setting: from a script or -e, stdout holds results and
        // nothing else (`gms -e 'set format json; ...' | jq` works).
        if (interactive) this.print(result);
      } else this.print(result);
      return true;
    } catch (e) {
      if (e instanceof CancelledError) {
        // Ctrl-C while a map was read: the statement stops there, like one cancelled while it
        // waits (a watch just ends).
        if (stmt.kind !== "watch") this.io.err("cancelled\n");
        return true;
      }
      this.printError(e, text, file, stmt.span);
      return false;
    }
  }

  /**
   * printRound: one round of a `watch`. At a terminal it takes the alternate screen and redraws
   * in place, like top; piped, rounds follow one another. Tables show each numeric column's
   * change since the round before (`Δcalls`).
   */
  private printRound(result: StatementResult, round: Round): void {
    let shown = result;
    if (shown && "rows" in shown && this.settings.format === "table") {
      const prev = round.last && "rows" in round.last ? round.last : undefined;
      shown = withDeltas(prev, shown);
    }
    if (this.io.tty) {
      if (!round.alternate) this.io.out("\x1b[?1049h");
      round.alternate = true;
      this.io.out("\x1b[H\x1b[2J");
    }
    this.io.out(this.chalk.dim(`-- ${new Date().toTimeString().slice(0, 8)} --\n`));
    this.print(shown);
    // The changes are against the plain result, not one that already has changes.
    if (result && "rows" in result) round.last = result;
  }

  private print(result: StatementResult): void {
    if (!result) return;
    if ("message" in result) this.io.out(`${result.message}\n`);
    else this.io.out(`${render(result, this.settings.format, this.chalk, this.io.width?.())}\n`);
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
    if (e instanceof LibbpfMissingError) {
      this.io.err(`${at}: error: ${e.message}\n`);
      return;
    }
    if ((e as NodeJS.ErrnoException)?.code && (e as NodeJS.ErrnoException).syscall) {
      this.io.err(`${at}: error: ${(e as Error).message}\n`);
      return;
    }
    const stmt = text.slice(span.startOffset, span.endOffset);
    const detail = e instanceof Error ? e.message : String(e);
    this.io.err(`${at}: internal error while running '${stmt}': ${detail}\n`);
    if (process.env.GMS_DEBUG && e instanceof Error && e.stack) this.io.err(`${e.stack}\n`);
  }
}
