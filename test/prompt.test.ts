import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { BUILD, kernelDescribe, programsNamed, waitUntil } from "./kernel";
import { BpfObject } from "../src/bpf/object";
import { allMapInfos } from "../src/bpf/maps";
import { atPrompt, GMS } from "./gms";

// show probes needs no privilege beyond reading the catalog: no kernel needed.
test("the prompt keeps its history in ~/.gms_history: a later session recalls a line with the up arrow", async () => {
  const home = mkdtempSync(`${tmpdir()}/gms-home-`);
  const first = await atPrompt([], { HOME: home });
  first.type("explain wait 1s\n");
  expect(await waitUntil(() => first.screen.includes('"statement": "wait"'), 10_000)).toBe(true);
  await first.exit();
  expect(readFileSync(`${home}/.gms_history`, "utf8")).toBe("explain wait 1s\n");

  const second = await atPrompt([], { HOME: home });
  // Up arrow, then Enter: the line from the first session runs again.
  second.type("\x1b[A");
  second.type("\r");
  expect(await waitUntil(() => second.screen.includes('"statement": "wait"'), 10_000)).toBe(true);
  await second.exit();
});

test("--no-history reads and writes no history file", async () => {
  const home = mkdtempSync(`${tmpdir()}/gms-home-`);
  const t = await atPrompt(["--no-history"], { HOME: home });
  t.type("explain wait 1s\n");
  expect(await waitUntil(() => t.screen.includes('"statement": "wait"'), 10_000)).toBe(true);
  await t.exit();
  expect(existsSync(`${home}/.gms_history`)).toBe(false);
});

test("a statement cut off at the end of a line goes on on the next, after a '...>' prompt; Ctrl-C drops it", async () => {
  const home = mkdtempSync(`${tmpdir()}/gms-home-`);
  const t = await atPrompt([], { HOME: home });
  t.type("explain sample 1% from\n");
  expect(await waitUntil(() => t.screen.includes("...> "), 10_000)).toBe(true);
  t.type("map events where\n");
  expect(await waitUntil(() => t.screen.split("...> ").length === 3, 10_000)).toBe(true);
  t.type("qps > 1\n");
  expect(await waitUntil(() => t.screen.includes('"where": "qps > 1"'), 10_000)).toBe(true);
  // Ctrl-C in a continued statement drops it and gives the prompt back.
  t.type("explain wait\n");
  expect(await waitUntil(() => t.screen.split("...> ").length === 4, 10_000)).toBe(true);
  t.type("\x03");
  // Had the dropped line stayed, this one would continue it, and fail to parse.
  t.type("explain wait 2s\n");
  expect(await waitUntil(() => t.screen.includes('"ms": 2000'), 10_000)).toBe(true);
  expect(t.screen).not.toContain("error");
  await t.exit();
  // The history holds the statement as one line.
  expect(readFileSync(`${home}/.gms_history`, "utf8")).toBe("explain sample 1% from map events where qps > 1\nexplain wait 2s\n");
});

kernelDescribe("tab completion at the prompt", () => {
  let obj: BpfObject;
  beforeAll(async () => {
    // Fixture maps of earlier test files are freed by the kernel a moment after they close.
    expect(await waitUntil(() => allMapInfos().every((m) => m.name !== "gms_fixture"))).toBe(true);
    obj = BpfObject.load("fixture", await Bun.file(`${BUILD}test/fixture.bpf.o`).bytes());
  });
  afterAll(() => obj?.close());

  test("Tab completes a map name from the kernel and a field from the map's BTF", async () => {
    const t = await atPrompt();
    t.type("explain from map gms_fixt\t");
    expect(await waitUntil(() => t.screen.includes("gms_fixture"), 10_000)).toBe(true);
    t.type(" where tem\t");
    expect(await waitUntil(() => t.screen.includes("where temp"), 10_000)).toBe(true);
    t.type(" > 1\n");
    expect(await waitUntil(() => t.screen.includes('"where": "temp > 1"'), 10_000)).toBe(true);
    await t.exit();
  });
});

kernelDescribe("watch at a terminal", () => {
  test("watch redraws in place on the alternate screen with each count's change; Ctrl-C returns to the prompt with the probe still running", async () => {
    const t = await atPrompt();
    t.type("trace syscalls\n");
    expect(await waitUntil(() => t.screen.includes("tracing syscalls"), 10_000)).toBe(true);
    t.type("watch every 300ms from map events order by calls desc limit 3\n");
    expect(await waitUntil(() => t.screen.includes("\x1b[?1049h") && t.screen.includes("Δcalls"), 10_000)).toBe(true);
    const rounds = () => t.screen.split("\x1b[H\x1b[2J").length - 1;
    expect(await waitUntil(() => rounds() >= 3, 10_000)).toBe(true);
    t.type("\x03");
    expect(await waitUntil(() => t.screen.includes("\x1b[?1049l"), 10_000)).toBe(true);
    t.type("show probes\n");
    expect(await waitUntil(() => /syscalls\s*│\s*running/.test(t.screen), 10_000)).toBe(true);
    await t.exit();
  });
});

kernelDescribe("Ctrl-C during a long map read", () => {
  let obj: BpfObject;
  beforeAll(async () => {
    obj = BpfObject.load("huge", await Bun.file(`${BUILD}test/huge.bpf.o`).bytes());
  });
  afterAll(() => obj?.close());

  test("stops the read between two batches and gives the prompt back, with the keys typed after Ctrl-C kept and the probes still running", async () => {
    const id = obj.map("gms_huge").info.id;
    const t = await atPrompt();
    t.type("trace sched\n");
    expect(await waitUntil(() => t.screen.includes("tracing sched"), 10_000)).toBe(true);
    // 33,554,432 entries take seconds to read; progress shows once half a second has gone.
    t.type(`sample 10 from map id ${id} where value == 1\n`);
    expect(await waitUntil(() => t.screen.includes("of 33,554,432 entries"), 20_000)).toBe(true);
    // Ctrl-C, and the next statement typed at once, while the read still runs.
    t.type("\x03explain wait 3s\n");
    expect(await waitUntil(() => t.screen.includes('"ms": 3000'), 20_000)).toBe(true);
    expect(t.screen).toContain("cancelled");
    // The sample never came: its table's last line would say how many entries were read.
    expect(t.screen).not.toMatch(/rows of 33554432 entries/);
    t.type("show probes\n");
    expect(await waitUntil(() => /sched\s*│\s*running/.test(t.screen), 10_000)).toBe(true);
    await t.exit();
  });
});

kernelDescribe("leaving the prompt", () => {
  test("Ctrl-D at an empty prompt exits and detaches every probe", async () => {
    const t = await atPrompt();
    const loaded = () => programsNamed("on_enter");
    // The probes of earlier tests are freed by the kernel a moment after they close.
    expect(await waitUntil(() => loaded() === 0)).toBe(true);
    t.type("trace syscalls\n");
    expect(await waitUntil(() => t.screen.includes("tracing syscalls") && loaded() === 1, 10_000)).toBe(true);
    t.type("\x04");
    expect(await t.p.exited).toBe(0);
    expect(await waitUntil(() => loaded() === 0)).toBe(true);
  });
});

test("scripts and -e have no colour unless FORCE_COLOR asks, even at a terminal", async () => {
  const run = async (env: Record<string, string>) => {
    const p = Bun.spawn(["script", "-qfec", `${GMS} -e 'help'`, "/dev/null"], { stdout: "pipe", env: { ...process.env, NO_COLOR: "", ...env } });
    const out = await new Response(p.stdout).text();
    await p.exited;
    return out;
  };
  const plain = await run({});
  expect(plain).toContain("statement");
  expect(plain).not.toContain("\x1b[");
  expect(await run({ FORCE_COLOR: "1" })).toContain("\x1b[");
});
