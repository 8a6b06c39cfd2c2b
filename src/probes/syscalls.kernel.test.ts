import { afterAll, beforeAll, expect, test } from "bun:test";
import { kernelDescribe } from "../../test/kernel";
import { ProbeManager } from "../exec/probes";
import { readEntries } from "../bpf/maps";
import { entryLayout } from "../bpf/btf-decode";
import { syscalls } from "./syscalls";

const FAILS = 5000;

kernelDescribe("probe syscalls", () => {
  const probes = new ProbeManager();
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

    const map = probes.get("syscalls")!.object.map("events");
    try {
      const { columns } = entryLayout(map.btf(), map.info.btfKeyTypeId, map.info.btfValueTypeId, map.info.keySize, map.info.valueSize);
      expect(columns.map((c) => c.name)).toEqual(["pid", "comm", "calls", "errors", "qps", "this_sec", "total_ns", "max_ns"]);
      const col = (name: string) => columns.find((c) => c.name === name)!;
      let row: Record<string, unknown> | undefined;
      readEntries(map, (b) => {
        for (let i = 0; i < b.count; i++) {
          const kv = new DataView(b.keys.buffer, b.keys.byteOffset + i * b.keySize);
          const vv = new DataView(b.values.buffer, b.values.byteOffset + i * b.valueSize);
          if (col("pid").read(kv, 0) === child.pid) {
            row = Object.fromEntries(columns.map((c) => [c.name, c.read(c.part === "key" ? kv : vv, 0)]));
          }
        }
      });
      expect(row).toBeDefined();
      expect(row!.calls as number).toBeGreaterThanOrEqual(FAILS);
      expect(row!.errors as number).toBeGreaterThanOrEqual(FAILS);
      expect(row!.errors as number).toBeLessThanOrEqual(row!.calls as number);
      expect(row!.total_ns as number).toBeGreaterThan(0);
      expect(row!.max_ns as number).toBeLessThanOrEqual(row!.total_ns as number);
    } finally {
      map.close();
    }
  });

  test("qps is rolled in the kernel once a second: a steady process shows a rate", async () => {
    const child = Bun.spawn([process.execPath, "-e", `const fs = require("fs"); const end = Date.now() + 2600; while (Date.now() < end) { try { fs.accessSync("/proc/self"); } catch {} for (let i = 0; i < 2e4; i++); }`]);
    await Bun.sleep(2300);
    const map = probes.get("syscalls")!.object.map("events");
    try {
      const { columns } = entryLayout(map.btf(), map.info.btfKeyTypeId, map.info.btfValueTypeId, map.info.keySize, map.info.valueSize);
      const pid = columns.find((c) => c.name === "pid")!;
      const qps = columns.find((c) => c.name === "qps")!;
      let rate = -1;
      readEntries(map, (b) => {
        for (let i = 0; i < b.count; i++) {
          const kv = new DataView(b.keys.buffer, b.keys.byteOffset + i * b.keySize);
          if (pid.read(kv, 0) === child.pid) rate = qps.read(new DataView(b.values.buffer, b.values.byteOffset + i * b.valueSize), 0) as number;
        }
      });
      expect(rate).toBeGreaterThan(10);
    } finally {
      map.close();
      await child.exited;
    }
  });
});
