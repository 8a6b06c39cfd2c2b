import { afterAll, beforeAll, expect, test } from "bun:test";
import { readdirSync, rmSync } from "node:fs";
import { BUILD, kernelDescribe, waitUntil } from "./kernel";
import { gms, tableRows } from "./gms";
import { BpfObject } from "../src/bpf/object";
import { allMapInfos } from "../src/bpf/maps";
import { ensureMounted } from "../src/bpf/mounts";

const PIN = `/sys/fs/bpf/gms-test-${process.pid}`;

kernelDescribe("maps by pinned path, and bpffs mounted when missing", () => {
  let obj: BpfObject;
  beforeAll(async () => {
    expect(await waitUntil(() => allMapInfos().every((m) => m.name !== "gms_fixture"))).toBe(true);
    obj = BpfObject.load("fixture", await Bun.file(`${BUILD}test/fixture.bpf.o`).bytes());
    obj.run("fill");
  });
  afterAll(() => {
    rmSync(PIN, { force: true });
    obj?.close();
  });

  test("gms mounts bpffs when it is missing, and says so", async () => {
    // Only when nothing but the kernel's own preload entries is pinned: never disturb pins of others.
    const others = (() => {
      try {
        return readdirSync("/sys/fs/bpf").filter((f) => !f.endsWith(".debug"));
      } catch {
        return [];
      }
    })();
    expect(others).toEqual([]);
    Bun.spawnSync(["umount", "/sys/fs/bpf"]);
    const r = await gms(["-e", `sample 1 from map "${PIN}"`]);
    expect(r.err).toContain("note: mounted bpffs at /sys/fs/bpf (it was not mounted)");
    expect(r.err).toContain(`error: nothing is pinned at ${PIN}`);
    expect(ensureMounted("bpf")).toBeUndefined();
  });

  test("a map pinned in bpffs is read by its path", async () => {
    const m = obj.map("gms_fixture");
    m.pin(PIN);
    m.close();
    const r = await gms(["-e", `from map "${PIN}" order by id limit 3`]);
    expect(r.err).toBe("");
    expect(tableRows(r.out).map((x) => x.id)).toEqual(["1", "8", "15"]);
  });
});
