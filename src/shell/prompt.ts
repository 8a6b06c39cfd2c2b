import { createInterface } from "node:readline";
import type { History } from "./history";
import type { Session } from "./session";

export interface PromptOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  banner?: string;
  /** Where lines are kept across sessions; none with --no-history. */
  history?: History;
}

/**
 * runPrompt: the interactive loop: read a line, run it, prompt again, until end of input or
 * Ctrl-C at the prompt. Returns when the user leaves; the caller detaches probes.
 */
export async function runPrompt(session: Session, opts: PromptOptions): Promise<void> {
  const h = opts.history;
  const rl = createInterface({
    input: opts.input,
    output: opts.output,
    prompt: "gms> ",
    historySize: h ? h.size : 1000,
    // readline wants the newest line first.
    history: h ? h.lines().reverse() : [],
  });
  if (opts.banner) opts.output.write(`${opts.banner}\n`);
  // Ctrl-C cancels the running statement (a wait, a watch); at an idle prompt it leaves.
  let running: AbortController | undefined;
  rl.on("SIGINT", () => {
    if (running) running.abort();
    else rl.close();
  });
  rl.prompt();
  for await (const line of rl) {
    if (line.trim() === "exit" || line.trim() === "quit") break;
    if (line.trim()) {
      h?.add(line);
      running = new AbortController();
      await session.runText(line, "<stdin>", { signal: running.signal, interactive: true });
      running = undefined;
    }
    rl.prompt();
  }
  rl.close();
  h?.trim();
}
