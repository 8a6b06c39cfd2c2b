import { expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { kernelDescribe } from "./kernel";
import { GMS, gms } from "./gms";

const DIR = new URL("../examples/", import.meta.url).pathname;
const files = readdirSync(DIR).filter((f) => f.endsWith(".gms"));

/** sane: what every example's output must look like: tables with their meta, no internal errors. */
function expectSane(out: string): void {
  expect(out.length).toBeGreaterThan(0);
  expect(out).not.toContain("internal error");
  expect(out).not.toContain("undefined");
  expect(out).not.toContain("NaN");
  const tables = out.split("\n").filter((l) => l.startsWith("└")).length;
  const metas = out.split("\n").filter((l) => /^\d+ rows?\b/.test(l)).length;
  expect(metas).toBe(tables);
}

test("every example starts with a comment saying what it shows", () => {
  expect(files.length).toBeGreaterThanOrEqual(10);
  for (const f of files) expect(readFileSync(`${DIR}${f}`, "utf8")).toMatch(/^# \w+.*: .+/);
});

kernelDescribe("examples run as they are", () => {
  for (const f of files.filter((f) => f !== "watch.gms")) {
    test(f, async () => {
      const r = await gms([`${DIR}${f}`]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
      expectSane(r.out);
    });
  }

  test("watch.gms redraws every second until interrupted", async () => {
    const p = Bun.spawn([GMS, `${DIR}watch.gms`], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
    await Bun.sleep(3500);
    p.kill("SIGINT");
    const [out, err, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    expect(err).toBe("");
    expect(code).toBe(130);
    expect(out.split("\n").filter((l) => /^-- \d\d:\d\d:\d\d --$/.test(l)).length).toBeGreaterThanOrEqual(3);
    expectSane(out);
  });
});
