import { BUILD } from "./kernel";

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
  const t = { p, screen: "" };
  void (async () => {
    for await (const c of p.stdout) t.screen += new TextDecoder().decode(c);
  })();
  const type = (s: string) => {
    p.stdin.write(s);
    p.stdin.flush();
  };
  return { ...t, get screen() { return t.screen; }, type };
}
