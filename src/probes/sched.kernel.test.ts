import { afterAll, beforeAll, expect, test } from "bun:test";
import { kernelDescribe } from "../../test/kernel";
import { ProbeManager } from "../exec/probes";
import { mapRows } from "./testing/map-rows";
import { sched } from "./sched";

const probes = new ProbeManager();

const rows = (name: string) => mapRows(probes.get("sched")!, name);

kernelDescribe("probe sched", () => {
  beforeAll(async () => {
    await probes.start(sched);
  });
  afterAll(() => probes.stopAll());

  test("a child that sleeps 200 times waits in the run queue 200 times or more, and every wait is in the histogram", async () => {
    const child = Bun.spawn(["sh", "-c", "for i in $(seq 200); do sleep 0.001; done"]);
    expect(await child.exited).toBe(0);
    // Each `sleep` is a process of its own; the shell itself wakes after each one.
    const mine = rows("runq").find((r) => r.pid === child.pid)!;
    expect(mine).toBeDefined();
    expect(mine.comm).toBe("sh");
    expect(mine.waits as number).toBeGreaterThanOrEqual(200);
    expect(mine.max_ns as number).toBeLessThanOrEqual(mine.total_ns as number);
    expect(mine.total_ns as number).toBeGreaterThan(0);
    // The histogram counts a wait just before its process's counters do, and is read after them.
    const inRunq = rows("runq").reduce((a, r) => a + (r.waits as number), 0);
    const hist = rows("runq_hist");
    const inHist = hist.reduce((a, r) => a + (r.count as number), 0);
    expect(hist.length).toBe(32);
    expect(inHist).toBeGreaterThanOrEqual(inRunq);
    expect(inHist - inRunq).toBeLessThan(Math.max(100, inRunq * 0.05));
  });
});
