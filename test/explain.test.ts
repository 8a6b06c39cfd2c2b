import { expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { parseProgram } from "../src/lang/parse";
import { compile, newSettings } from "../src/plan/compile";
import { explainText } from "../src/plan/explain";

const DIR = new URL("../examples/", import.meta.url).pathname;

/** explainAll: the configuration of every statement of a script, as `explain` prints it. */
function explainAll(text: string): string {
  const { statements, diagnostics } = parseProgram(text);
  expect(diagnostics).toEqual([]);
  const settings = newSettings();
  return statements.map((s) => explainText(compile(s, settings, text))).join("\n") + "\n";
}

// The expected files are checked in; GMS_UPDATE_EXPECTED=1 rewrites them (read the diff!).
for (const f of readdirSync(DIR).filter((f) => f.endsWith(".gms"))) {
  test(`explain of every statement of ${f} matches examples/expected`, () => {
    const got = explainAll(readFileSync(`${DIR}${f}`, "utf8"));
    const path = `${DIR}expected/${f.replace(/\.gms$/, ".explain")}`;
    if (process.env.GMS_UPDATE_EXPECTED === "1") writeFileSync(path, got);
    expect(existsSync(path)).toBe(true);
    expect(got).toBe(readFileSync(path, "utf8"));
  });
}
