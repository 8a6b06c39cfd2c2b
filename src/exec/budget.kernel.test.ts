import { afterAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { kernelDescribe, statsCounting, waitUntil } from "../../test/kernel";
import { parseProgram } from "../lang/parse";
import { compile, newSettings } from "../plan/compile";
import { Executor } from "./executor";

async function run(ex: Executor, text: string) {
  const { statements, diagnostics } = parseProgram(text);
  expect(diagnostics).toEqual([]);
  return ex.run(compile(statements[0]!, newSettings(), text));
}

kernelDescribe("set budget", () => {
  const ex = new Executor();
  const notices: string[] = [];
  ex.onNotice = (t) => notices.push(t);
  afterAll(() => ex.close());

  test("a probe over its CPU budget samples less, keeps its filter, and says so; off turns statistics back off", async () => {
    await run(ex, "trace syscalls where comm != \"no-such-process\"");
    expect(await run(ex, "set budget 0.1%")).toEqual({ message: "budget: gms's probes may take 0.1% of one CPU; a probe over it samples less" });
    const enter = ex.probes.get("syscalls")!.object.programFd("on_enter");
    const poke = () => readFileSync("/proc/self/stat");
    expect(await statsCounting(enter, poke)).toBe(true);
    // A syscall storm: far more than 0.1% of a CPU spent in the probe.
    const child = Bun.spawn(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=20000000"], { stderr: "ignore" });
    try {
      expect(await waitUntil(() => notices.some((n) => n.includes("now counting")), 10_000)).toBe(true);
    } finally {
      child.kill();
    }
    const note = notices.find((n) => n.includes("now counting"))!;
    expect(note).toMatch(/^budget: syscalls took [\d.]+% of a CPU \(budget 0\.1%\): now counting [\d.]+% of syscalls \(p=[\d.e-]+\), where comm != "no-such-process"$/);
    expect(ex.probes.get("syscalls")!.config!.probability).toBeLessThan(1);
    expect(await run(ex, "set budget off")).toEqual({ message: "no budget: probes run at the rate they were given" });
    expect(await statsCounting(enter, poke)).toBe(false);
    await run(ex, "stop syscalls");
  });
});
