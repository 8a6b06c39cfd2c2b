import { expect, test } from "bun:test";
import { allProgramInfos, linkIds } from "../src/bpf/programs";
import { kernelDescribe, waitUntil } from "./kernel";
import { GMS } from "./gms";

const GMS_PROGRAMS = new Set(["on_enter", "on_exit", "start_clock"]);
const gmsPrograms = () => allProgramInfos().filter((p) => GMS_PROGRAMS.has(p.name));

/** startTracing: build/gms tracing syscalls and then waiting, once its programs are loaded. */
async function startTracing(script: string) {
  const p = Bun.spawn([GMS], { stdin: new TextEncoder().encode(script), stdout: "pipe", stderr: "pipe" });
  expect(await waitUntil(() => gmsPrograms().length === 3, 10_000)).toBe(true);
  return p;
}

kernelDescribe("nothing of gms stays attached", () => {
  test("before: no gms program is loaded", async () => {
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`after ${signal}`, async () => {
      const links = linkIds().length;
      const p = await startTracing("trace syscalls; wait 60s");
      expect(linkIds().length).toBe(links + 2);
      p.kill(signal);
      expect(await p.exited).toBe(code);
      expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
      expect(linkIds().length).toBe(links);
    });
  }

  test("after a failing statement", async () => {
    const p = Bun.spawn([GMS, "-e", "trace syscalls; wait 500ms; sample 1% from map no_such_map_here"], { stdout: "pipe", stderr: "pipe" });
    expect(await p.exited).toBe(1);
    expect(await new Response(p.stderr).text()).toContain("unknown map 'no_such_map_here'");
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });

  test("after SIGKILL (link fds close with the process)", async () => {
    const p = await startTracing("trace syscalls; wait 60s");
    p.kill("SIGKILL");
    await p.exited;
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });
});
