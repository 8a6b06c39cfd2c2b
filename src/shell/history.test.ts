import { expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { History, historySize } from "./history";

test("lines are added as they run, read back oldest first, and the file is cut to the newest `size`", () => {
  const path = `${mkdtempSync(`${tmpdir()}/gms-history-`)}/.gms_history`;
  const h = new History(path, 3, () => {
    throw new Error("no warning expected");
  });
  expect(h.lines()).toEqual([]);
  for (const l of ["show maps", "", "sample 1%\nfrom map events", "describe map events", "show probes"]) h.add(l);
  expect(h.lines()).toEqual(["sample 1% from map events", "describe map events", "show probes"]);
  expect(readFileSync(path, "utf8").split("\n").filter(Boolean)).toHaveLength(4);
  h.trim();
  expect(readFileSync(path, "utf8")).toBe("sample 1% from map events\ndescribe map events\nshow probes\n");
});

test("a history that cannot be written is reported once and the session goes on", () => {
  const warnings: string[] = [];
  const h = new History("/nonexistent-dir-gms/.gms_history", 10, (t) => warnings.push(t));
  h.add("show maps");
  h.add("show probes");
  h.trim();
  expect(warnings).toEqual(["gms: warning: cannot write the history to /nonexistent-dir-gms/.gms_history (ENOENT); this session's lines are not saved"]);
  expect(existsSync("/nonexistent-dir-gms")).toBe(false);
});

test("GMS_HISTORY_SIZE sets the size; anything but a whole number leaves 1000", () => {
  expect(historySize({ GMS_HISTORY_SIZE: "50" })).toBe(50);
  expect(historySize({ GMS_HISTORY_SIZE: "lots" })).toBe(1000);
  expect(historySize({})).toBe(1000);
});
