import { expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { kernelDescribe } from "./kernel";
import { GMS, gms, tableRows } from "./gms";

kernelDescribe("build/gms end to end", () => {
  test("the mission statement prints a table of real, live pids with their prob", async () => {
    const r = await gms(["-e", "trace syscalls; wait 2s; sample 1% from map events weighted by qps"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const rows = tableRows(r.out);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(["pid", "comm", "calls", "errors", "qps", "this_sec", "total_ns", "max_ns", "prob"]);
      // Alive now, or gms itself (which traces its own syscalls and has exited by now).
      expect(existsSync(`/proc/${row.pid}`) || Number(row.pid) === r.pid).toBe(true);
      expect(Number(row.qps!.replaceAll(",", ""))).toBeGreaterThan(0);
      const p = Number(row.prob);
      expect(p > 0 && p <= 1).toBe(true);
    }
    expect(r.out).toMatch(/rows? of \d+ entries · priority sampling by qps k=\d+ .*seed \d+/);
  });

  test("statements from stdin: 5 weighted rows with a prob column", async () => {
    // Six busy processes, so that even an idle machine has five with a positive rate.
    const busy = Array.from({ length: 6 }, () =>
      Bun.spawn([process.execPath, "-e", "const fs = require('fs'); const end = Date.now() + 4000; while (Date.now() < end) { fs.existsSync('/proc/self'); for (let i = 0; i < 1e4; i++); }"]),
    );
    const r = await gms([], "trace syscalls; wait 2s; sample 5 from map events weighted by qps");
    await Promise.all(busy.map((b) => b.exited));
    expect(r.code).toBe(0);
    const rows = tableRows(r.out);
    expect(rows.length).toBe(5);
    for (const row of rows) expect(Number(row.prob)).toBeGreaterThan(0);
  });

  test("trace and stop say what they did, from -e and from stdin", async () => {
    const r = await gms(["-e", "trace syscalls; wait 1s; stop syscalls"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("tracing syscalls");
    expect(r.out).toContain("stopped syscalls");
    const s = await gms([], "trace syscalls\nwait 1s\nstop all\n");
    expect(s.code).toBe(0);
  });

  test("an unknown map lists the nearest names", async () => {
    const r = await gms(["-e", "trace syscalls; sample 1% from map evnts"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("<stdin>:1:36-40: error: unknown map 'evnts'");
    expect(r.err).toContain("hint: did you mean 'events'?");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  test("an unknown weight field says 'did you mean'", async () => {
    const r = await gms(["-e", "trace syscalls; sample 1% from map events weighted by qsp"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toBe(
      "<stdin>:1:55-57: error: unknown field 'qsp' in map events\n" +
        "trace syscalls; sample 1% from map events weighted by qsp\n" +
        "                                                      ~~~\n" +
        "hint: did you mean 'qps'?\n",
    );
  });

  test("weighting by a string is refused with the numeric fields listed", async () => {
    const r = await gms(["-e", "trace syscalls; sample 3 from map events weighted by comm"]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain("cannot weight by 'comm': it is char[16], not a number");
    expect(r.err).toContain("hint: numeric fields: pid, calls, errors, qps");
  });

  test("without privilege gms says what is missing in one sentence", async () => {
    const r = Bun.spawnSync(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", GMS, "-e", "show maps"], {
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/^<stdin>:1:1: error: gms needs root, or the capabilities CAP_BPF and CAP_PERFMON, to use BPF: run it with sudo/);
  });
});

test("a syntax error shows the position, the line, a caret and a hint, never a stack trace", async () => {
  const r = await gms(["-e", "smaple 1% from map events"]);
  expect(r.code).toBe(1);
  expect(r.out).toBe("");
  expect(r.err).toContain("<stdin>:1:1-6: error:");
  expect(r.err).toContain("smaple 1% from map events\n~~~~~~");
  expect(r.err).toContain("hint: did you mean 'sample'?");
  expect(r.err).not.toMatch(/\n\s+at /);
});

test("-D predefines variables: numbers stay numbers, a bare word is a string", async () => {
  const r = await gms(["-D", "n=5", "-D", "who=nginx", "-e", "explain from map events where calls > n and comm == who"]);
  expect(r.err).toBe("");
  expect(r.out).toContain('"where": "calls > 5 and comm == \\"nginx\\""');
});

test("a script with a #! line runs as a program; errors name the file, line and column", async () => {
  const dir = (await Bun.$`mktemp -d`.text()).trim();
  const ok = `${dir}/ok.gms`;
  await Bun.write(ok, `#!${GMS}\n# explain only: no kernel needed\nexplain sample 5 from map events seed 1\n`);
  await Bun.$`chmod +x ${ok}`;
  const r = Bun.spawnSync([ok], { env: { ...process.env, NO_COLOR: "1" } });
  expect(r.exitCode).toBe(0);
  expect(r.stdout.toString()).toContain('"seed": 1');

  const bad = `${dir}/bad.gms`;
  await Bun.write(bad, "explain wait 1s\nsample 101% from map events\nexplain wait 2s\n");
  const b = await gms([bad]);
  expect(b.code).toBe(1);
  expect(b.out).toBe("");
  expect(b.err).toStartWith(`${bad}:2:8-11: error: `);
});

kernelDescribe("--keep-going", () => {
  test("goes on past a failing statement and still exits non-zero", async () => {
    const stop = await gms(["-e", "sample 1 from map no_such_map_x\nexplain wait 1s"]);
    expect(stop.code).toBe(1);
    expect(stop.out).toBe("");
    const go = await gms(["--keep-going", "-e", "sample 1 from map no_such_map_x\nexplain wait 1s"]);
    expect(go.code).toBe(1);
    expect(go.err).toContain("unknown map 'no_such_map_x'");
    expect(go.out).toContain('"ms": 1000');
  });
});
