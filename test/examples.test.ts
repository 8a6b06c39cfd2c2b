import { expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { kernelDescribe } from "./kernel";
import { gms } from "./gms";

const DIR = new URL("../examples/", import.meta.url).pathname;

kernelDescribe("examples run as they are", () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith(".gms"));
  test("there are examples", () => expect(files.length).toBeGreaterThan(0));
  for (const f of files) {
    test(f, async () => {
      const r = await gms([`${DIR}${f}`]);
      expect(r.err).toBe("");
      expect(r.code).toBe(0);
    });
  }
});
