import { expect, test } from "bun:test";
import { complete, type CompletionContext } from "./complete";

const ctx: CompletionContext = {
  mapNames: () => ["events", "gms_fixture", "gms_churn"],
  fieldsOf: (m) => (m === "events" ? ["pid", "comm", "calls", "qps"] : []),
  probeNames: () => ["syscalls", "sched"],
  streamNames: () => ["exec"],
  tracepoints: () => ["sched:sched_switch", "sched:sched_wakeup", "syscalls:sys_enter_openat"],
  files: (p) => ["examples/", "examples.txt"].filter((f) => f.startsWith(p)),
};

test("completion knows what comes where", () => {
  expect(complete("sa", ctx)).toEqual([["sample", "save"], "sa"]);
  expect(complete("", ctx)[0]).toContain("describe");
  expect(complete("sample 1% from map gms_", ctx)).toEqual([["gms_churn", "gms_fixture"], "gms_"]);
  expect(complete("from ", ctx)[0]).toEqual(["events", "file", "gms_churn", "gms_fixture", "map", "stream", "tracepoint"]);
  expect(complete("sample 1% from tracepoint sched:sched_s", ctx)).toEqual([["sched:sched_switch"], "sched:sched_s"]);
  expect(complete("from stream e", ctx)).toEqual([["exec"], "e"]);
  expect(complete("trace sc", ctx)).toEqual([["sched"], "sc"]);
  expect(complete("stop a", ctx)).toEqual([["all"], "a"]);
  // Fields of the map the line names, after where, weighted by, an operator...
  expect(complete("sample 1% from map events weighted by q", ctx)).toEqual([["qps"], "q"]);
  expect(complete("from events where calls > 0 and c", ctx)).toEqual([["calls", "comm"], "c"]);
  expect(complete("from map events w", ctx)).toEqual([["weighted", "where"], "w"]);
  expect(complete('save map events to "exa', ctx)).toEqual([['"examples/', '"examples.txt'], '"exa']);
  expect(complete("help sa", ctx)).toEqual([["sample", "save"], "sa"]);
});
