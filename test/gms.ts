import { expect } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { BUILD, waitUntil } from "./kernel";

export const GMS = `${BUILD}gms`;

export interface Run {
  pid: number;
  code: number;
  out: string;
  err: string;
}

/** gms: runs build/gms with arguments and optional stdin, without a terminal. */
export async function gms(args: string[], stdin?: string, env: Record<string, string> = {}): Promise<Run> {
  const p = Bun.spawn([GMS, ...args], {
    stdin: stdin === undefined ? "ignore" : new TextEncoder().encode(stdin),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { pid: p.pid, code, out, err };
}

/** tableRows: the body rows of the first box-drawn table in `text`, as header-keyed records. */
export function tableRows(text: string): Record<string, string>[] {
  const lines = text.split("\n").filter((l) => l.startsWith("│"));
  const cells = (l: string) => l.split("│").slice(1, -1).map((c) => c.trim());
  const [head, ...body] = lines;
  if (!head) return [];
  const names = cells(head);
  return body.map((l) => Object.fromEntries(cells(l).map((c, i) => [names[i]!, c])));
}

/** terminal: build/gms at a real pseudo-terminal (script(1)), with its screen as it grows. */
export function terminal(args: string[] = [], env: Record<string, string> = {}) {
  const p = Bun.spawn(["script", "-qfec", [GMS, ...args].join(" "), "/dev/null"], {
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1", ...env },
  });
  let screen = "";
  void (async () => {
    // One decoder for the whole stream: a character split across two chunks (│, Δ) stays whole.
    const decoder = new TextDecoder();
    for await (const c of p.stdout) screen += decoder.decode(c, { stream: true });
  })();
  const type = (s: string) => {
    p.stdin.write(s);
    p.stdin.flush();
  };
  return {
    p,
    get screen() {
      return screen;
    },
    type,
    /** exit: types `exit` at the prompt and checks that gms ends with status 0. */
    async exit() {
      type("exit\n");
      expect(await p.exited).toBe(0);
    },
  };
}

/**
 * atPrompt: terminal() with a HOME of its own (a new temporary directory unless `env` gives
 * one), once the prompt shows. Without --no-history, pass a HOME the test can look in.
 */
export async function atPrompt(args: string[] = ["--no-history"], env: Record<string, string> = {}) {
  const t = terminal(args, { ...env, HOME: env.HOME ?? mkdtempSync(`${tmpdir()}/gms-home-`) });
  expect(await waitUntil(() => t.screen.includes("gms> "), 10_000)).toBe(true);
  return t;
}
