import { afterAll, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { kernelDescribe, programsNamed, waitUntil } from "../../test/kernel";
import { GMS } from "../../test/gms";
import { parseProgram } from "../lang/parse";
import { compile, newSettings } from "../plan/compile";
import type { ResultSet } from "../output/result-set";
import { DiagnosticError } from "../lang/diagnostic";
import { Executor } from "./executor";

/** run: one statement through the executor, as the shell runs it. */
async function run(ex: Executor, text: string): Promise<ResultSet> {
  const { statements, diagnostics } = parseProgram(text);
  expect(diagnostics).toEqual([]);
  return (await ex.run(compile(statements[0]!, newSettings(), text))) as ResultSet;
}

const rsColumns = (rs: ResultSet) => rs.columns.map((c) => c.name);
const column = (rs: ResultSet, name: string) => rs.rows.map((r) => r[rs.columns.findIndex((c) => c.name === name)]);

const streamPrograms = () => programsNamed("on_event");

kernelDescribe("tracepoints as sampled streams", () => {
  const ex = new Executor();
  afterAll(() => ex.close());

  test("sample 100% from tracepoint syscalls:sys_enter_openat where pid == CHILD: the files the child opened, nobody else's events, the format's fields", async () => {
    // The child waits until the stream is attached, then opens files that do not exist.
    const script = "sleep 0.5; for i in 1 2 3 4 5; do cat /nonexistent-gms-$i 2>/dev/null; done; exec cat /nonexistent-gms-last";
    const child = Bun.spawn(["sh", "-c", script], { stderr: "ignore" });
    const rs = await run(ex, `sample 100% from tracepoint syscalls:sys_enter_openat where pid == ${child.pid} for 2s`);
    await child.exited;
    // In the kernel: only the child's events arrive (its `cat`s are other processes, but its
    // last one is the child itself, by exec).
    expect(new Set(column(rs, "pid"))).toEqual(new Set([child.pid]));
    expect(column(rs, "filename")).toContain("/nonexistent-gms-last");
    expect(column(rs, "prob").every((p) => p === 1)).toBe(true);
    // The columns: what every event has, then the format file's own fields in its order.
    const format = readFileSync("/sys/kernel/tracing/events/syscalls/sys_enter_openat/format", "utf8");
    const fields = [...format.matchAll(/field:[^;]*?([A-Za-z_][A-Za-z0-9_]*);/g)].map((m) => m[1]!).filter((f) => !f.startsWith("common_"));
    expect(rs.columns.map((c) => c.name)).toEqual(["pid", "tid", "comm", "cpu", "ktime", ...fields, "prob"]);
    expect(rs.meta.notes).toContain("0 events dropped (ring buffer full)");
    expect(streamPrograms()).toBe(0);
  });

  test("a child's 200,000 cheap syscalls under a 1% stream sample filtered to its pid: kept within 4.42 sigma of 200,000 p", async () => {
    // dd makes a read and a write per byte: 200,000 syscalls, plus a few hundred of its start
    // and of the shell before its exec.
    const child = Bun.spawn(["sh", "-c", "sleep 0.5; exec dd if=/dev/zero of=/dev/null bs=1 count=100000"], { stderr: "ignore" });
    const rs = await run(ex, `sample 1% from tracepoint raw_syscalls:sys_enter where pid == ${child.pid} for 3s limit 1000000`);
    expect(await child.exited).toBe(0);
    const p = rs.rows[0]!.at(-1) as number;
    expect(Math.abs(p - 0.01)).toBeLessThan(1e-9);
    const n = 200_000;
    const kept = rs.rows.length;
    const sigma = Math.sqrt(n * p * (1 - p));
    expect(kept).toBeGreaterThan(n * p - 4.42 * sigma);
    expect(kept).toBeLessThan((n + 1000) * p + 4.42 * sigma);
    expect(new Set(column(rs, "pid"))).toEqual(new Set([child.pid]));
    expect(rs.meta.notes).toContain("0 events dropped (ring buffer full)");
    const estimate = kept / p;
    const half = (1.96 * Math.sqrt(kept * (1 - p))) / p;
    console.log(`1% stream: ${kept} of about 200,000 syscalls kept; scaled estimate ${estimate.toFixed(0)} ± ${half.toFixed(0)} (95%)`);
  });

  test("raw_syscalls streams run as raw tracepoints whose records hold the format's fields: a child's 7-byte writes at sys_enter (id 1, fd 1, count 7) and sys_exit (ret 7)", async () => {
    const writes = (at: "sys_enter" | "sys_exit") => {
      // dd reads fd 0 and writes fd 1, 7 bytes at a time, 50 times (and its report to fd 2).
      const child = Bun.spawn(["sh", "-c", "sleep 0.5; exec dd if=/dev/zero of=/dev/null bs=7 count=50"], { stderr: "ignore" });
      return { child, rs: run(ex, `from tracepoint raw_syscalls:${at} where pid == ${child.pid} and id == 1 for 2s`) };
    };
    const enter = writes("sys_enter");
    const er = await enter.rs;
    expect(await enter.child.exited).toBe(0);
    expect(er.meta.notes).toContain("attached as a raw tracepoint: records built in BPF for the events kept");
    expect(new Set(column(er, "id"))).toEqual(new Set([1]));
    const args = column(er, "args") as unknown as Array<Array<number | bigint>>;
    expect(args.filter((a) => Number(a[0]) === 1 && Number(a[2]) === 7).length).toBe(50);
    // args[1] is the buffer's address: the same user pointer for every write of the copy loop.
    expect(new Set(args.filter((a) => Number(a[0]) === 1).map((a) => String(a[1]))).size).toBe(1);

    const exit = writes("sys_exit");
    const xr = await exit.rs;
    expect(await exit.child.exited).toBe(0);
    expect(rsColumns(xr)).toEqual(["pid", "tid", "comm", "cpu", "ktime", "id", "ret"]);
    expect((column(xr, "ret") as number[]).filter((r) => r === 7).length).toBe(50);
    expect(streamPrograms()).toBe(0);
  });

  test("conditions the kernel cannot run are applied in user space; limit stops the stream", async () => {
    const rs = await run(ex, 'sample 100% from tracepoint sched:sched_switch where prev_state >= 0 and next_comm != "no-such-task" limit 5');
    expect(rs.rows.length).toBe(5);
    expect(rs.meta.notes).toContain("the rest of where in user space");
  });

  test("conditions on the record's integer fields run in the kernel, signed fields compared as signed", async () => {
    const child = Bun.spawn(["sh", "-c", "sleep 0.4; for i in 1 2 3 4 5; do sleep 0.02; done"]);
    const rs = await run(ex, `from tracepoint sched:sched_switch where prev_pid == ${child.pid} and prev_prio >= -1000 and prev_prio <= 1000 for 1500ms`);
    await child.exited;
    expect(rs.rows.length).toBeGreaterThan(0);
    expect(new Set(column(rs, "prev_pid"))).toEqual(new Set([child.pid]));
    expect(rs.meta.notes![0]).toBe(`in the kernel: prev_pid == ${child.pid}, prev_prio >= -1000, prev_prio <= 1000, every event kept`);
    expect(rs.meta.notes).not.toContain("the rest of where in user space");
  });

  test("weighted by a field of the record: threshold sampling in the kernel, tau following the weights, Horvitz-Thompson total within 4.42 SE", async () => {
    // The child writes 1, 2, ..., 2000 bytes, spread over about a second: sum 2,001,000.
    const code = `const fs = require("fs"); await Bun.sleep(400); const fd = fs.openSync("/dev/null", "w"); const b = new Uint8Array(3000); for (let k = 1; k <= 2000; k++) { fs.writeSync(fd, b, 0, k); if (k % 4 === 0) Bun.sleepSync(2); }`;
    const child = Bun.spawn([process.execPath, "-e", code]);
    const rs = await run(ex, `sample 10% from tracepoint syscalls:sys_enter_write where pid == ${child.pid} weighted by count for 2500ms`);
    expect(await child.exited).toBe(0);
    const counts = column(rs, "count") as number[];
    const probs = column(rs, "prob") as number[];
    expect(counts.length).toBeGreaterThan(50);
    expect(counts.length).toBeLessThan(1500);
    // Every kept event carries the probability it was kept with: min(1, w/tau) for some tau.
    expect(probs.every((p) => p > 0 && p <= 1)).toBe(true);
    expect(probs.some((p) => p < 1)).toBe(true);
    let estimate = 0;
    let variance = 0;
    counts.forEach((w, i) => {
      const p = probs[i]!;
      estimate += w / p;
      variance += ((1 - p) / (p * p)) * w * w;
    });
    const truth = (2000 * 2001) / 2;
    expect(Math.abs(estimate - truth)).toBeLessThan(4.42 * Math.sqrt(variance) + 1);
    expect(rs.meta.method).toContain("threshold sampling by count in the kernel");
    console.log(`weighted stream: ${counts.length} of 2,000 writes kept; estimated total ${estimate.toFixed(0)} ± ${Math.sqrt(variance).toFixed(0)} (truth ${truth})`);
  });

  test("comm == NAME runs in the kernel: only that program's events arrive", async () => {
    copyFileSync("/bin/cat", "/tmp/gms-comm-test");
    const child = Bun.spawn(["sh", "-c", "sleep 0.4; for i in 1 2 3; do /tmp/gms-comm-test /etc/hostname >/dev/null; done"]);
    const rs = await run(ex, 'from tracepoint syscalls:sys_enter_openat where comm == "gms-comm-test" for 1500ms');
    await child.exited;
    expect(rs.rows.length).toBeGreaterThanOrEqual(3);
    expect(new Set(column(rs, "comm"))).toEqual(new Set(["gms-comm-test"]));
    expect(rs.meta.notes![0]).toBe('in the kernel: comm == "gms-comm-test", every event kept');
  });

  test("events the ring buffer had no room for are counted and shown, never folded into the probability", async () => {
    // dd makes syscalls faster than any reader takes them.
    const dd = Bun.spawn(["dd", "if=/dev/zero", "of=/dev/null", "bs=1", "count=100000000"], { stderr: "ignore" });
    try {
      await Bun.sleep(100);
      const rs = await run(ex, `sample 100% from tracepoint raw_syscalls:sys_enter where pid == ${dd.pid} for 1s`);
      const note = rs.meta.notes!.find((n) => n.endsWith("events dropped (ring buffer full)"))!;
      expect(Number(note.split(" ")[0])).toBeGreaterThan(0);
      expect(column(rs, "prob").every((p) => p === 1)).toBe(true);
      expect(rs.rows.length).toBeGreaterThan(1000);
    } finally {
      dd.kill();
    }
  });

  test("an unknown tracepoint or field is a diagnostic with a suggestion, and nothing stays attached", async () => {
    const bad = async (text: string) => {
      try {
        await run(ex, text);
      } catch (e) {
        expect(e).toBeInstanceOf(DiagnosticError);
        return (e as DiagnosticError).diagnostics[0]!;
      }
      throw new Error(`${text} did not fail`);
    };
    const tp = await bad("from tracepoint sched:sched_swich limit 1");
    expect(tp.message).toBe("unknown tracepoint 'sched:sched_swich'");
    expect(tp.hints).toContain("did you mean 'sched:sched_switch'?");
    const field = await bad("from tracepoint sched:sched_switch where prev_pd == 1 limit 1");
    expect(field.message).toBe("unknown field 'prev_pd' in tracepoint sched:sched_switch");
    expect(field.hints[0]).toBe("did you mean 'prev_pid'?");
    expect(streamPrograms()).toBe(0);
  });

  test("from stream exec: starting /bin/true 100 times gives 100 events with its filename, arguments and parent", async () => {
    const child = Bun.spawn(["sh", "-c", "sleep 0.5; for i in $(seq 100); do /bin/true gms-exec-test $i; done"]);
    const rs = await run(ex, `from stream exec where filename == "/bin/true" and ppid == ${child.pid} limit 100 for 10s`);
    expect(await child.exited).toBe(0);
    expect(rs.rows.length).toBe(100);
    expect(new Set(column(rs, "comm"))).toEqual(new Set(["true"]));
    expect(column(rs, "args").sort()).toEqual(Array.from({ length: 100 }, (_, i) => `/bin/true gms-exec-test ${i + 1}`).sort());
    expect(column(rs, "uid").every((u) => u === process.getuid!())).toBe(true);
    expect(rs.meta.notes).toContain("0 events dropped (ring buffer full)");
  });

  test("in NDJSON a stream prints each event as a line as it comes, before the stream ends", async () => {
    copyFileSync("/bin/cat", "/tmp/gms-ndjson-test");
    const started = Date.now();
    const p = Bun.spawn([GMS, "-e", 'set format ndjson; from tracepoint syscalls:sys_enter_openat where comm == "gms-ndjson-test" for 4s'], { stdout: "pipe", stderr: "pipe" });
    const child = Bun.spawn(["sh", "-c", "sleep 0.8; /tmp/gms-ndjson-test /etc/hostname > /dev/null"]);
    let out = "";
    let firstLineAt = 0;
    for await (const c of p.stdout) {
      out += new TextDecoder().decode(c);
      if (!firstLineAt && out.includes("\n")) firstLineAt = Date.now() - started;
    }
    await child.exited;
    expect(await p.exited).toBe(0);
    // The stream runs for 4 s; its first line came well before.
    expect(firstLineAt).toBeGreaterThan(0);
    expect(firstLineAt).toBeLessThan(3000);
    const rows = out.trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.some((r) => r.filename === "/etc/hostname" && r.comm === "gms-ndjson-test")).toBe(true);
  });

  const sources = [["tracepoint sched:sched_switch", "on_event"], ["tracepoint raw_syscalls:sys_enter where pid == 1", "on_sys_enter"], ["stream exec", "on_exec"]] as const;
  for (const [source, program] of sources) {
    for (const signal of ["SIGINT", "SIGTERM", "SIGKILL"] as const) {
      test(`${source}, read by gms, is detached when gms ends by ${signal}`, async () => {
        const loaded = () => programsNamed(program);
        const p = Bun.spawn([GMS, "-e", `from ${source} for 60s`], { stdout: "ignore", stderr: "ignore" });
        expect(await waitUntil(() => loaded() === 1, 10_000)).toBe(true);
        p.kill(signal);
        await p.exited;
        expect(await waitUntil(() => loaded() === 0)).toBe(true);
      });
    }
  }
});
