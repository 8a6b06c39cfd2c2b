import { expect, test } from "bun:test";
import { bpftool, kernelDescribe, programsNamed, waitUntil } from "./kernel";
import { atPrompt, GMS } from "./gms";

const GMS_PROGRAMS = new Set(["on_enter", "on_exit", "start_clock"]);

const gmsPrograms = () => bpftool("prog").filter((p) => GMS_PROGRAMS.has(p.name ?? ""));
const gmsLinks = () => {
  const ids = new Set(gmsPrograms().map((p) => p.id));
  return bpftool("link").filter((l) => ids.has(l.prog_id ?? -1));
};

/** startTracing: build/gms tracing syscalls and then waiting, once its programs are loaded. */
async function startTracing(script: string) {
  const p = Bun.spawn([GMS], { stdin: new TextEncoder().encode(script), stdout: "pipe", stderr: "pipe" });
  // Loaded first, attached after: wait for both.
  expect(await waitUntil(() => gmsPrograms().length === 3 && gmsLinks().length === 2, 10_000)).toBe(true);
  return p;
}

kernelDescribe("nothing of gms stays attached", () => {
  test("before: no gms program is loaded", async () => {
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });

  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    test(`after ${signal}`, async () => {
      const p = await startTracing("trace syscalls; wait 60s");
      expect(gmsLinks().length).toBe(2);
      p.kill(signal);
      expect(await p.exited).toBe(code);
      expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
      expect(gmsLinks().length).toBe(0);
    });
  }

  test("after a failing statement", async () => {
    const p = Bun.spawn([GMS, "-e", "trace syscalls; wait 500ms; sample 1% from map no_such_map_here"], { stdout: "pipe", stderr: "pipe" });
    expect(await p.exited).toBe(1);
    expect(await new Response(p.stderr).text()).toContain("unknown map 'no_such_map_here'");
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });

  test("after Ctrl-C at the prompt of a real terminal", async () => {
    // script(1) gives gms a pseudo-terminal, so it runs its interactive prompt.
    const t = await atPrompt();
    t.type("trace syscalls\n");
    expect(await waitUntil(() => t.screen.includes("tracing syscalls") && gmsPrograms().length === 3, 10_000)).toBe(true);
    t.type("\x03");
    expect(await t.p.exited).toBe(0);
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });

  test("Ctrl-C during a stream at the prompt stops the stream and detaches it; gms stays at the prompt", async () => {
    const onEvent = () => programsNamed("on_event");
    const t = await atPrompt();
    t.type("from tracepoint sched:sched_switch for 60s\n");
    expect(await waitUntil(() => onEvent() === 1, 10_000)).toBe(true);
    const prompts = t.screen.split("gms> ").length;
    t.type("\x03");
    // The statement ends (with the events read so far) and the prompt comes back.
    expect(await waitUntil(() => onEvent() === 0 && t.screen.split("gms> ").length > prompts, 10_000)).toBe(true);
    await t.exit();
  });

  test("after SIGKILL (link fds close with the process)", async () => {
    const p = await startTracing("trace syscalls; wait 60s");
    p.kill("SIGKILL");
    await p.exited;
    expect(await waitUntil(() => gmsPrograms().length === 0)).toBe(true);
  });

  // Every other probe, each way gms can end (streams are checked in src/exec/stream.kernel.test.ts).
  const SCHED = new Set(["on_wakeup", "on_wakeup_new", "on_switch"]);
  const schedPrograms = () => bpftool("prog").filter((p) => SCHED.has(p.name ?? "")).length;
  for (const [how, end] of [
    ["SIGINT", (p: ReturnType<typeof Bun.spawn>) => p.kill("SIGINT")],
    ["SIGTERM", (p: ReturnType<typeof Bun.spawn>) => p.kill("SIGTERM")],
    ["SIGKILL", (p: ReturnType<typeof Bun.spawn>) => p.kill("SIGKILL")],
    ["the end of its script", () => {}],
  ] as const) {
    test(`the sched probe, after ${how}`, async () => {
      const p = Bun.spawn([GMS, "-e", `trace sched; wait ${how === "the end of its script" ? "1s" : "60s"}`], { stdout: "pipe", stderr: "pipe" });
      expect(await waitUntil(() => schedPrograms() === 3, 10_000)).toBe(true);
      end(p);
      await p.exited;
      expect(await waitUntil(() => schedPrograms() === 0)).toBe(true);
    });
  }
});
