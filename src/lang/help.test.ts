import { expect, test } from "bun:test";
import { gmsParser as parser } from "../../grammar/parser";
import { HELP } from "./help";
import { parseProgram } from "./parse";

test("every statement of the grammar has its help, and nothing else has", () => {
  const rules = Object.keys(parser.getGAstProductions()).filter((r) => r.endsWith("Statement") && r !== "simpleStatement");
  const names = rules.map((r) => (r === "queryStatement" ? "from" : r.replace(/Statement$/, ""))).sort();
  expect(HELP.map((h) => h.name).sort()).toEqual(names);
});

test("every example in the help parses and checks without an error", () => {
  for (const h of HELP) {
    for (const example of h.examples) expect({ example, diagnostics: parseProgram(example).diagnostics }).toEqual({ example, diagnostics: [] });
  }
});
