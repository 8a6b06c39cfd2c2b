import { expect, test } from "bun:test";
import { kernelDescribe, waitUntil } from "./kernel";
import { terminal } from "./gms";

function demoProcesses(): string[] {
  const p = Bun.spawnSync(["ps", "-eo", "comm="]);
  return p.stdout.toString().split("\n").filter((c) => c.startsWith("demo-"));
}

kernelDescribe("make run's session (gms --demo) in a real terminal", () => {
  test("the banner's first statement shows a varied live table; Ctrl-D stops the demo and the probe", async () => {
    const t = terminal(["--demo", "--no-history"], { COLUMNS: "200" });
    expect(await waitUntil(() => t.screen.includes("gms> "), 15_000)).toBe(true);
    expect(t.screen).toContain("started a demo workload");
    expect(t.screen).toContain("sample 1% from map events weighted by qps");
    try {
      // The workers need a moment (more on a busy machine) before their rates show: ask again
      // until the table is varied, for up to 20 s.
      let rows: string[][] = [];
      const varied = () => rows.length >= 2 && new Set(rows.map((r) => r[5])).size >= 2;
      for (const deadline = Date.now() + 20_000; !varied() && Date.now() < deadline; ) {
        await Bun.sleep(1500);
        const before = t.screen.length;
        t.type("sample 1% from map events weighted by qps\n");
        expect(await waitUntil(() => /rows? of \d+ entries/.test(t.screen.slice(before)), 10_000)).toBe(true);
        rows = t.screen
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

      t.type("\x04");
      expect(await t.p.exited).toBe(0);
      expect(await waitUntil(() => demoProcesses().length === 0)).toBe(true);
    } finally {
      // A failed check must not leave the session (and its probe) running for the next tests.
      t.p.kill("SIGTERM");
    }
  }, 60_000);
});
