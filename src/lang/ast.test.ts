import { expect, test } from "bun:test";
import { COMM_MAX_BYTES, processCondition, type Expr } from "./ast";
import { parseProgram } from "./parse";

/** whereOf: the where clause of `from map m where TEXT`. */
function whereOf(text: string): Expr {
  const r = parseProgram(`from map m where ${text}`);
  expect(r.diagnostics).toEqual([]);
  return (r.statements[0] as unknown as { where: Expr }).where;
}

test("processCondition: pid against a u32, comm against a name of at most 15 bytes, == or !=", () => {
  expect(processCondition(whereOf("pid == 0"))).toEqual({ field: "pid", op: "==", value: 0 });
  expect(processCondition(whereOf("pid != 4294967295"))).toEqual({ field: "pid", op: "!=", value: 4294967295 });
  expect(processCondition(whereOf('comm == "nginx"'))).toEqual({ field: "comm", op: "==", value: "nginx" });
  const longest = "x".repeat(COMM_MAX_BYTES);
  expect(processCondition(whereOf(`comm != "${longest}"`))).toEqual({ field: "comm", op: "!=", value: longest });
  // Bytes, not characters: seven two-byte letters and one more byte fit, eight do not.
  expect(processCondition(whereOf(`comm == "${"é".repeat(7)}a"`))?.field).toBe("comm");
  expect(processCondition(whereOf(`comm == "${"é".repeat(8)}"`))).toBeUndefined();
});

test("processCondition: anything else is none", () => {
  for (const text of [
    "pid == 4294967296",
    "pid == -1",
    "pid == 1.5",
    "pid < 10",
    "tid == 1",
    "pid.x == 1",
    `comm == "${"x".repeat(COMM_MAX_BYTES + 1)}"`,
    "comm == 1",
    'pid == "1"',
    "pid == 1 and comm == \"a\"",
  ]) {
    expect({ text, got: processCondition(whereOf(text)) }).toEqual({ text, got: undefined });
  }
});
