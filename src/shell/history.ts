import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

/** DEFAULT_SIZE: the lines kept when GMS_HISTORY_SIZE does not say. */
export const DEFAULT_SIZE = 1000;

/**
 * History: the prompt's lines kept in a file across sessions (`~/.gms_history`): read at start,
 * each accepted line appended as it is run, the file cut to its newest `size` lines when the
 * prompt ends. A file that cannot be read starts an empty history; one that cannot be written
 * is reported once through `warn`, and the session goes on without saving.
 */
export class History {
  private broken = false;

  constructor(
    readonly path: string,
    readonly size: number,
    private readonly warn: (text: string) => void,
  ) {}

  /** lines: the saved lines, oldest first, at most `size`. */
  lines(): string[] {
    try {
      return readFileSync(this.path, "utf8").split("\n").filter((l) => l.trim()).slice(-this.size);
    } catch {
      return [];
    }
  }

  /** add: saves one accepted line (multi-line text is kept as one line). */
  add(line: string): void {
    if (this.broken || !line.trim()) return;
    try {
      appendFileSync(this.path, `${line.replace(/\n/g, " ")}\n`);
    } catch (e) {
      this.fail(e);
    }
  }

  /** trim: cuts the file to its newest `size` lines. */
  trim(): void {
    if (this.broken) return;
    const lines = this.lines();
    try {
      writeFileSync(this.path, lines.length ? `${lines.join("\n")}\n` : "");
    } catch (e) {
      this.fail(e);
    }
  }

  private fail(e: unknown): void {
    this.broken = true;
    this.warn(`gms: warning: cannot write the history to ${this.path} (${(e as NodeJS.ErrnoException).code ?? e}); this session's lines are not saved`);
  }
}

/** historySize: GMS_HISTORY_SIZE when it is a whole number, else DEFAULT_SIZE. */
export function historySize(env: Record<string, string | undefined>): number {
  const n = Number(env.GMS_HISTORY_SIZE);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_SIZE;
}
