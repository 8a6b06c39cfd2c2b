import { expect, test } from "bun:test";
import { progressLine } from "./progress";

test("a read's progress shows after half a second, at most every 100 ms, and is erased when done", () => {
  let clock = 0;
  const out: string[] = [];
  const p = progressLine("map big", (t) => out.push(t), () => clock);
  clock = 200;
  p.update(1000, 1_000_000);
  expect(out).toEqual([]);
  clock = 600;
  p.update(400_000, 1_000_000);
  clock = 650;
  p.update(450_000, 1_000_000);
  clock = 720;
  p.update(500_000, 1_000_000);
  expect(out).toEqual([
    "\r\x1b[Kmap big: 400,000 of 1,000,000 entries · 0.6 s",
    "\r\x1b[Kmap big: 500,000 of 1,000,000 entries · 0.7 s",
  ]);
  p.done();
  expect(out.at(-1)).toBe("\r\x1b[K");
});

test("a quick read draws nothing and erases nothing", () => {
  const out: string[] = [];
  const p = progressLine("map small", (t) => out.push(t), () => 10);
  p.update(10, 100);
  p.done();
  expect(out).toEqual([]);
});

test("a stream's progress counts its events (no end is known)", () => {
  let clock = 0;
  const out: string[] = [];
  const p = progressLine("tracepoint sched:sched_switch", (t) => out.push(t), () => clock);
  clock = 1200;
  p.update(4321, Infinity, "events");
  expect(out).toEqual(["\r\x1b[Ktracepoint sched:sched_switch: 4,321 events · 1.2 s"]);
});
