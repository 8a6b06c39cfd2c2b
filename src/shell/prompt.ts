import { DEFAULT_SIZE, type History } from "./history";
import { complete, type CompletionContext } from "./complete";
import { parseProgram } from "../lang/parse";
import { typedInterrupt } from "./interrupt";
import type { Session } from "./session";

/** cutOff: whether `text` ends in the middle of a statement (its first error is at its very end). */
export function cutOff(text: string): boolean {
  const end = text.trimEnd().length;
  return parseProgram(text).diagnostics.some((d) => d.span.startOffset >= end);
}

export interface PromptOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  banner?: string;
  /** Where lines are kept across sessions; none with --no-history. */
  history?: History;
  /** What Tab completes from (the machine's maps, fields, tracepoints, files). */
  completion?: CompletionContext;
}

/**
 * runPrompt: the interactive loop: read a line, run it, prompt again, until end of input or
 * Ctrl-C at the prompt. Returns when the user leaves; the caller detaches probes.
 */
export async function runPrompt(session: Session, opts: PromptOptions): Promise<void> {
  // Loaded here, not at the top: readline costs about 2 ms at every start, and only the
  // prompt needs it (-e and scripts do not).
  const { createInterface } = await import("node:readline");
  const h = opts.history;
  const rl = createInterface({
    input: opts.input,
    output: opts.output,
    prompt: "gms> ",
    historySize: h ? h.size : DEFAULT_SIZE,
    // readline wants the newest line first.
    history: h ? h.lines().reverse() : [],
    completer: opts.completion ? (line: string) => complete(line, opts.completion!) : undefined,
  });
  if (opts.banner) opts.output.write(`${opts.banner}\n`);
  // Ctrl-C cancels the running statement (a wait, a watch, a long map read: typed during a read,
  // it is found between batches); in a statement being continued it drops the lines typed so
  // far; at an idle prompt it leaves.
  let running: AbortController | undefined;
  session.executor.pollInterrupt = typedInterrupt(opts.input, () => running?.abort());
  let pending = "";
  rl.on("SIGINT", () => {
    if (running) running.abort();
    else if (pending) {
      pending = "";
      opts.output.write("\n");
      rl.setPrompt("gms> ");
      rl.prompt();
    } else rl.close();
  });
  rl.prompt();
  for await (const line of rl) {
    if (!pending && (line.trim() === "exit" || line.trim() === "quit")) break;
    const text = pending ? `${pending}\n${line}` : line;
    // A statement cut off at the end of the line (after `where`, an operator, an open
    // parenthesis) goes on on the next line; an empty line runs it as it is.
    if (line.trim() && cutOff(text)) {
      pending = text;
      rl.setPrompt("...> ");
      rl.prompt();
      continue;
    }
    pending = "";
    rl.setPrompt("gms> ");
    if (text.trim()) {
      h?.add(text);
      running = new AbortController();
      await session.runText(text, "<stdin>", { signal: running.signal, interactive: true });
      running = undefined;
    }
    rl.prompt();
  }
  rl.close();
  session.executor.pollInterrupt = undefined;
  h?.trim();
}
