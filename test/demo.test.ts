import { expect, test } from "bun:test";
import { kernelDescribe, waitUntil } from "./kernel";
import { GMS } from "./gms";

function demoProcesses(): string[] {
  const p = Bun.spawnSync(["ps", "-eo", "comm="]);
  return p.stdout.toString().split("\n").filter((c) => c.startsWith("demo-"));
}

kernelDescribe("make run's session (gms --demo) in a real terminal", () => {
  test("the banner's first statement shows a varied live table; Ctrl-D stops the demo and the probe", async () => {
    const p = Bun.spawn(["script", "-qfec", `${GMS} --demo`, "/dev/null"], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
      env: { ...process.env, COLUMNS: "200", NO_COLOR: "1" },
    });
    let screen = "";
    void (async () => {
      for await (const c of p.stdout) screen += new TextDecoder().decode(c);
    })();
    expect(await waitUntil(() => screen.includes("gms> "), 15_000)).toBe(true);
    expect(screen).toContain("started a demo workload");
    expect(screen).toContain("sample 1% from map events weighted by qps");
    try {
      // The workers need a moment (more on a busy machine) before their rates show: ask again
      // until the table is varied, for up to 20 s.
      let rows: string[][] = [];
      const varied = () => rows.length >= 2 && new Set(rows.map((r) => r[5])).size >= 2;
      for (const deadline = Date.now() + 20_000; !varied() && Date.now() < deadline; ) {
        await Bun.sleep(1500);
        const before = screen.length;
        p.stdin.write("sample 1% from map events weighted by qps\n");
        p.stdin.flush();
        expect(await waitUntil(() => /rows? of \d+ entries/.test(screen.slice(before)), 10_000)).toBe(true);
        rows = screen
          .slice(before)
          .split(/\r?\n/)
          .filter((l) => /^│\s+\d+ │/.test(l))
          .map((l) => l.split("│").map((c) => c.trim()));
      }
      // Several processes, at several rates: a table worth looking at.
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(new Set(rows.map((r) => r[5])).size).toBeGreaterThanOrEqual(2);
      expect(rows.some((r) => r[2]!.startsWith("demo-"))).toBe(true);
      expect(demoProcesses().length).toBeGreaterThan(0);

      p.stdin.write("\x04");
      p.stdin.flush();
      expect(await p.exited).toBe(0);
      expect(await waitUntil(() => demoProcesses().length === 0)).toBe(true);
    } finally {
      // A failed check must not leave the session (and its probe) running for the next tests.
      p.kill("SIGTERM");
    }
  }, 60_000);
});
