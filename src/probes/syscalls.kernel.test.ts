import { readdirSync } from "node:fs";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { kernelDescribe, statsCounting, waitUntil } from "../../test/kernel";
import { gms, tableRows } from "../../test/gms";
import { ProbeManager } from "../exec/probes";
import { syscalls } from "./syscalls";
import { threshold } from "../bpf/config-slots";
import { syscallName } from "./syscall-names";
import { mapRows as probeMapRows } from "./testing/map-rows";
import { showProbes } from "../exec/show";
import { parseProgram } from "../lang/parse";
import type { TraceStmt } from "../lang/ast";

const FAILS = 5000;

const probes = new ProbeManager();

kernelDescribe("probe syscalls", () => {
  beforeAll(async () => {
    await probes.start(syscalls);
  });
  afterAll(() => probes.stopAll());

  test(`a child's ${FAILS} failing opens are counted as calls and errors in map events`, async () => {
    const child = Bun.spawn(
      [process.execPath, "-e", `const fs = require("fs"); for (let i = 0; i < ${FAILS}; i++) { try { fs.openSync("/nonexistent/gms-test-" + i, "r"); } catch {} }`],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    expect(await child.exited).toBe(0);

    const rows = eventRows();
    expect(Object.keys(rows[0]!)).toEqual(["pid", "comm", "calls", "errors", "qps", "this_sec", "total_ns", "max_ns"]);
    const row = rows.find((r) => r.pid === child.pid);
    expect(row).toBeDefined();
    expect(row!.calls as number).toBeGreaterThanOrEqual(FAILS);
    expect(row!.errors as number).toBeGreaterThanOrEqual(FAILS);
    expect(row!.errors as number).toBeLessThanOrEqual(row!.calls as number);
    expect(row!.total_ns as number).toBeGreaterThan(0);
    expect(row!.max_ns as number).toBeLessThanOrEqual(row!.total_ns as number);
    // The per-syscall breakdown: the failing opens under openat, by name.
    const byNr = mapRows("syscalls").filter((r) => r.pid === child.pid);
    const opens = byNr.find((r) => syscallName(r.nr as number) === "openat")!;
    expect(opens).toBeDefined();
    expect(opens.calls as number).toBeGreaterThanOrEqual(FAILS);
    expect(opens.errors as number).toBeGreaterThanOrEqual(FAILS);
    expect(byNr.reduce((a, r) => a + (r.calls as number), 0)).toBe(row!.calls as number);
  });

  test("show probes measures what a running probe costs, with BPF statistics on only while it measures", async () => {
    // A child keeps making syscalls while the probe is watched.
    const child = Bun.spawn(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=3000000"], { stderr: "ignore" });
    try {
      const enter = probes.get("syscalls")!.object.programFd("on_enter");
      const poke = () => readdirSync("/proc/self");
      expect(await statsCounting(enter, poke)).toBe(false);
      const rs = showProbes(probes);
      expect(await statsCounting(enter, poke)).toBe(false);
      const row = Object.fromEntries(rs.columns.map((c, i) => [c.name, rs.rows.find((r) => r[0] === "syscalls")![i]]));
      expect(row.state).toBe("running");
      // dd alone makes hundreds of thousands of syscalls a second.
      expect(row.events_per_s as number).toBeGreaterThan(10_000);
      expect(row.bpf_ns as number).toBeGreaterThan(0);
      expect(row.bpf_ns as number).toBeLessThan(100_000);
      expect(row.cpu_pct as number).toBeGreaterThan(0);
      expect(rs.meta.notes![0]).toContain("BPF statistics");
    } finally {
      child.kill();
    }
  });

  test("qps is rolled in the kernel once a second: a steady process shows a rate", async () => {
    const child = Bun.spawn([process.execPath, "-e", `const fs = require("fs"); const end = Date.now() + 2600; while (Date.now() < end) { try { fs.accessSync("/proc/self"); } catch {} for (let i = 0; i < 2e4; i++); }`]);
    await Bun.sleep(2300);
    const rate = eventRows().find((r) => r.pid === child.pid)?.qps;
    await child.exited;
    expect(rate as number).toBeGreaterThan(10);
  });

  test("trace options: where pid == N counts only that process; sample 10% counts about a tenth, in the kernel", async () => {
    const child = Bun.spawn(
      [process.execPath, "-e", `await Bun.sleep(300); const fs = require("fs"); for (let i = 0; i < 20000; i++) { try { fs.openSync("/nonexistent/gms-" + i, "r"); } catch {} }`],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    await probes.start(syscalls, {
      sample: 0.1,
      where: parseWhere(`pid == ${child.pid}`),
    });
    expect(probes.get("syscalls")!.describe()).toBe(`counting 10% of syscalls (p=${threshold(0.1) / 2 ** 32}), where pid == ${child.pid}`);
    const before = new Map(eventRows().map((r) => [r.pid as number, r.calls]));
    expect(await child.exited).toBe(0);
    try {
      const rows = eventRows();
      // Entries made before the new config stay, and only the child's grew, but for the calls
      // in flight when the config changed: a call is decided when it enters and counted when it
      // returns, and each thread has at most one call in flight.
      const threads = (pid: number) => {
        try {
          return readdirSync(`/proc/${pid}/task`).length;
        } catch {
          return 64;
        }
      };
      for (const r of rows) {
        if (r.pid === child.pid) continue;
        const was = before.get(r.pid as number) as number;
        expect(r.calls as number).toBeGreaterThanOrEqual(was);
        expect(r.calls as number).toBeLessThanOrEqual(was + threads(r.pid as number));
      }
      const mine = rows.find((r) => r.pid === child.pid)!;
      expect(mine).toBeDefined();
      // 20,000 failing opens, each counted with p = 0.1: within 4.42 sigma of 2,000 (plus the
      // few failing syscalls of the runtime's own start).
      const sigma = Math.sqrt(20000 * 0.1 * 0.9);
      expect(mine.errors as number).toBeGreaterThan(2000 - 4.42 * sigma);
      expect(mine.errors as number).toBeLessThan(2000 + 4.42 * sigma + 50);
    } finally {
      await probes.start(syscalls);
      expect(probes.get("syscalls")!.describe()).toBe("");
    }
  });

  test("live reconfiguration under load: through 1,000 flips of the rate while events flow, the pid filter always holds and counting goes on", async () => {
    // The child makes failing opens (each an error) for as long as the flips go on.
    const child = Bun.spawn(
      [process.execPath, "-e", `const fs = require("fs"); const end = Date.now() + 4000; while (Date.now() < end) { try { fs.openSync("/nonexistent/gms-flip", "r"); } catch {} }`],
      { stdio: ["ignore", "inherit", "inherit"] },
    );
    const where = parseWhere(`pid == ${child.pid}`);
    await probes.start(syscalls, { sample: 1, where });
    const before = new Map(eventRows().map((r) => [r.pid as number, r.calls as number]));
    const running = probes.get("syscalls")!;
    const childCalls = () => (eventRows().find((r) => r.pid === child.pid)?.calls as number | undefined) ?? 0;
    // Flip while the child's events flow.
    expect(await waitUntil(() => childCalls() > 1000, 5000)).toBe(true);
    const atStart = childCalls();
    // Two configurations that differ in every field the kernel reads for sampling; both keep the
    // pid filter, so a half-written one (the filter torn off, say) would let other processes in.
    for (let i = 0; i < 1000; i++) running.configure({ sample: i % 2 ? 1 : 0.25, where });
    child.kill();
    await child.exited;
    try {
      const rows = eventRows();
      const mine = rows.find((r) => r.pid === child.pid)!;
      expect(mine.calls as number).toBeGreaterThan(0);
      expect(mine.errors as number).toBeLessThanOrEqual(mine.calls as number);
      for (const r of rows) {
        if (r.pid === child.pid) continue;
        // As in the test above: at most the calls in flight when the filter came in.
        const was = before.get(r.pid as number) ?? 0;
        expect(r.calls as number).toBeLessThanOrEqual(was + 64);
      }
      expect(mine.calls as number).toBeGreaterThan(atStart);
      // The last flip (the 1,000th) counts every call again.
      expect(running.describe()).toBe(`where pid == ${child.pid}`);
    } finally {
      await probes.start(syscalls);
    }
  });

  test("gms shows map syscalls with each syscall's name, usable in where", async () => {
    const child = Bun.spawn([process.execPath, "-e", `const fs = require("fs"); const end = Date.now() + 1500; while (Date.now() < end) { try { fs.openSync("/nonexistent/gms-names", "r"); } catch {} }`]);
    const r = await gms(["-e", `trace syscalls; wait 600ms; from map syscalls where syscall == "openat" and pid == ${child.pid}`]);
    await child.exited;
    expect(r.err).toBe("");
    const rows = tableRows(r.out);
    expect(rows.length).toBe(1);
    expect(Object.keys(rows[0]!)).toEqual(["pid", "nr", "calls", "errors", "total_ns", "max_ns", "syscall"]);
    expect(rows[0]!.syscall).toBe("openat");
    expect(rows[0]!.nr).toBe("257");
    // Every one of those opens fails (read while the child still runs: a few may be mid-count).
    const n = (x: string) => Number(x.replaceAll(",", ""));
    expect(n(rows[0]!.errors!)).toBeGreaterThan(0.99 * n(rows[0]!.calls!));
  });

  test("a where clause the kernel cannot run is refused before anything changes", async () => {
    await expect(probes.start(syscalls, { sample: null, where: parseWhere("calls > 3") })).rejects.toThrow("this condition cannot run in the kernel");
    expect(probes.get("syscalls")!.describe()).toBe("");
  });
});

/** eventRows: every entry of the running probe's map events, decoded. */
function eventRows(): Record<string, unknown>[] {
  return mapRows("events");
}

function mapRows(name: string): Record<string, unknown>[] {
  return probeMapRows(probes.get("syscalls")!, name);
}

function parseWhere(text: string) {
  const { statements, diagnostics } = parseProgram(`trace syscalls where ${text}`);
  expect(diagnostics).toEqual([]);
  return (statements[0] as TraceStmt).where!;
}
