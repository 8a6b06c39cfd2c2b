import { afterAll, beforeAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync } from "node:fs";
import { availableParallelism } from "node:os";
import { BUILD, kernelDescribe, waitUntil } from "./kernel";
import { GMS, gms, tableRows } from "./gms";
import { BpfObject } from "../src/bpf/object";
import { allMapInfos, MapHandle, readEntries, valueStride } from "../src/bpf/maps";
import { drawSample } from "../src/exec/sample";
import { KernelMapSource } from "../src/sources/kernel-map";
import type { Entry } from "../src/sources/source";

kernelDescribe("every map on the machine: discovery, names, snapshots, concurrent writers", () => {
  let a: BpfObject;
  let b: BpfObject;
  let idA = 0;
  let idB = 0;
  beforeAll(async () => {
    // Fixture maps of earlier tests are freed by the kernel a moment after they close.
    expect(await waitUntil(() => allMapInfos().every((m) => m.name !== "gms_fixture"))).toBe(true);
    const image = await Bun.file(`${BUILD}test/fixture.bpf.o`).bytes();
    a = BpfObject.load("fixture", image);
    b = BpfObject.load("fixture", image);
    a.run("fill");
    for (const [o, set] of [[a, (n: number) => (idA = n)], [b, (n: number) => (idB = n)]] as const) {
      const m = o.map("gms_fixture");
      set(m.info.id);
      m.close();
    }
  });
  afterAll(() => {
    a?.close();
    b?.close();
  });

  test("show maps: id, type, sizes, memory from fdinfo, BTF, and the programs using each map", async () => {
    const r = await gms(["-e", `set format json; show maps where name == "gms_fixture" order by id`]);
    // Outside the prompt `set` says nothing, so stdout is JSON and nothing else.
    expect(r.err).toBe("");
    const rows = JSON.parse(r.out) as Record<string, string | number>[];
    expect(rows.map((x) => Number(x.id))).toEqual([idA, idB].sort((x, y) => x - y));
    for (const row of rows) {
      expect(row.type).toBe("hash");
      expect(row.btf).toBe("yes");
      expect(Number(row.memory)).toBeGreaterThan(0);
      expect(row.programs).toMatch(/^fill\(\d+\)$/);
    }
  });

  test("a name two maps share is an error listing their ids and owners; map id N chooses", async () => {
    const r = await gms(["-e", "sample 1 from map gms_fixture"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`2 maps are named 'gms_fixture' (ids ${Math.min(idA, idB)}, ${Math.max(idA, idB)})`);
    expect(r.err).toMatch(/hint: choose one with 'map id N': id \d+ \(hash, used by fill\(\d+\)\), id \d+ \(hash, used by fill\(\d+\)\)/);
    const ok = await gms(["-e", `from map id ${idA} order by id limit 2`]);
    expect(tableRows(ok.out).map((x) => x.id)).toEqual(["1", "8"]);
  });

  test("show programs: where gms's probe attaches, and run counts once stats are on", async () => {
    const r = await gms(["-e", `trace syscalls; set stats on; wait 300ms; set format json; show programs where name == "on_enter"`]);
    expect(r.err).toBe("");
    const [row] = JSON.parse(r.out.slice(r.out.indexOf("["))) as Record<string, string | number>[];
    expect(row!.attach).toBe("raw_tracepoint sys_enter");
    expect(Number(row!.run_cnt)).toBeGreaterThan(0);
    expect(Number(row!.run_time_ns)).toBeGreaterThan(0);
    // The statistics stay on until the kernel drops the last holder's fd: wait for that.
    const { readFileSync } = await import("node:fs");
    expect(await waitUntil(() => readFileSync("/proc/sys/kernel/bpf_stats_enabled", "utf8").trim() === "0")).toBe(true);
    const off = await gms(["-e", `trace syscalls; show programs where name == "on_enter"`]);
    expect(off.out).toContain("'set stats on' turns them on");
  });

  test("save, then read the snapshot back as a user without privilege: the same rows", async () => {
    const dir = mkdtempSync("/tmp/gms-snap-");
    chmodSync(dir, 0o755);
    const path = `${dir}/fixture.json`;
    const saved = await gms(["-e", `save map id ${idA} to "${path}"`]);
    expect(saved.out).toBe(`saved 50 entries of map gms_fixture to ${path}\n`);
    chmodSync(path, 0o644);
    const live = await gms(["-e", `set format json; from map id ${idA} order by id; sample 7 from map id ${idA} seed 3`]);
    const offline = Bun.spawnSync(
      ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", GMS, "-e", `set format json; from file "${path}" order by id; sample 7 from file "${path}" seed 3`],
      { env: { ...process.env, NO_COLOR: "1" } },
    );
    expect(offline.stderr.toString()).toBe("");
    expect(offline.stdout.toString()).toEqual(live.out);
    expect(live.out).toContain('"inner.big":"18446744073709551600"');
  });

  test("per-CPU values are summed by default; 'set percpu each' shows a row per CPU", async () => {
    const m = a.map("gms_percpu");
    const cpus = valueStride(m.info) / 8;
    m.write(new Uint8Array(4), new Uint8Array(BigUint64Array.from({ length: cpus }, (_, c) => BigInt(c + 1)).buffer));
    const id = m.info.id;
    m.close();
    const sum = await gms(["-e", `from map id ${id} where key == 0`]);
    expect(tableRows(sum.out)).toEqual([{ key: "0", value: String((cpus * (cpus + 1)) / 2) }]);
    const each = await gms(["-e", `set percpu each; from map id ${id} where key == 0 order by cpu`]);
    expect(tableRows(each.out)).toEqual(Array.from({ length: cpus }, (_, c) => ({ cpu: String(c), key: "0", value: String(c + 1) })));
  });

  /**
   * rewrite: starts test/map-writer.ts inserting and deleting keys below `keys` in `map` for 6 s,
   * and waits until the map holds more than `ready` entries (the writer at full speed); returns
   * a wait for the writer's end that gives the writes it made.
   */
  const rewrite = async (map: MapHandle, keys: number, ready: number) => {
    const writer = Bun.spawn([process.execPath, new URL("./map-writer.ts", import.meta.url).pathname, String(map.info.id), String(keys), "6000"], { stdout: "pipe" });
    expect(await waitUntil(() => readEntries(map, () => {}).entries > ready, 10_000)).toBe(true);
    return async () => {
      const writes = Number((await new Response(writer.stdout).text()).trim());
      expect(await writer.exited).toBe(0);
      return writes;
    };
  };

  /** fillBig: gms_churn_big with keys 7k + 1 and values 3k for k < 100,000; returns an undo. */
  const fillBig = (big: ReturnType<BpfObject["map"]>) => {
    const key = new Uint32Array(1);
    const value = new BigUint64Array(1);
    for (let k = 0; k < 100_000; k++) {
      key[0] = k * 7 + 1;
      value[0] = BigInt(k) * 3n;
      big.write(new Uint8Array(key.buffer), new Uint8Array(value.buffer));
    }
    return () => {
      for (let k = 0; k < 100_000; k++) {
        key[0] = k * 7 + 1;
        big.remove(new Uint8Array(key.buffer));
      }
    };
  };

  test("a large hash map is read by two threads and gives every entry once, as a key-by-key walk does", () => {
    const big = a.map("gms_churn_big");
    const empty = fillBig(big);
    try {
      const read = (keyByKey: boolean) => {
        const got = new Map<number, bigint>();
        let repeats = 0;
        const stats = readEntries(big, (b) => {
          const kv = new DataView(b.keys.buffer, b.keys.byteOffset);
          const vv = new DataView(b.values.buffer, b.values.byteOffset);
          for (let j = 0; j < b.count; j++) {
            const k = kv.getUint32(j * 4, true);
            if (got.has(k)) repeats++;
            got.set(k, vv.getBigUint64(j * 8, true));
          }
        }, { keyByKey });
        return { got, repeats, stats };
      };
      // The worker thread may not have picked up its half before this thread got through its own
      // (it then reads the rest itself): read until a read was split, each one checked below.
      let split = read(false);
      for (let i = 0; i < 10 && split.stats.readers === 1 && availableParallelism() >= 2; i++) split = read(false);
      const walk = read(true);
      expect(split.stats.readers).toBe(availableParallelism() >= 2 ? 2 : 1);
      expect(walk.stats.readers).toBe(1);
      expect(split.repeats).toBe(0);
      expect(split.stats.entries).toBe(100_000);
      expect([...split.got].sort((x, y) => x[0] - y[0])).toEqual([...walk.got].sort((x, y) => x[0] - y[0]));
      for (const [k, v] of split.got) expect(v).toBe(BigInt((k - 1) / 7) * 3n);
    } finally {
      empty();
      big.close();
    }
  });

  test("build/gms runs its own embedded worker: split reads and in-kernel walks with no source tree beside it", async () => {
    // The executable once named the worker by the path of its source file, loaded from disk where
    // it exists (here) and missing on any other machine, where every read silently took one
    // thread. A private mount namespace hides src/ from each gms run, as on such a machine. A
    // full read is split between the two threads; a sample's walk runs in the worker.
    const big = a.map("gms_churn_big");
    const empty = fillBig(big);
    const src = new URL("../src/", import.meta.url).pathname;
    const run = (statement: string) => {
      const p = Bun.spawnSync(["unshare", "-m", "sh", "-c", `mount -t tmpfs none "$1" && exec "$2" -e "$3"`, "sh", src, GMS, statement], { env: { ...process.env, NO_COLOR: "1" } });
      expect(p.stderr.toString()).toBe("");
      expect(p.exitCode).toBe(0);
      return p.stdout.toString().split("\n").find((l) => l.startsWith("10 rows of 100000 entries"))!;
    };
    const reads: string[] = [];
    let walk: string | undefined;
    try {
      // The worker may start after this thread has read its own part (then it reads the rest
      // itself): a few runs, of which at least one must be split.
      for (let i = 0; i < 5 && !reads.some((m) => m.includes("(2 threads)")); i++) reads.push(run(`from map id ${big.info.id} limit 10`));
      walk = run(`sample 10 from map id ${big.info.id}`);
    } finally {
      empty();
      big.close();
    }
    expect(reads.every((m) => m !== undefined)).toBe(true);
    expect(reads.some((m) => m.includes("batch read (2 threads)"))).toBe(availableParallelism() >= 2);
    expect(walk).toContain(availableParallelism() >= 2 ? "walked in the kernel" : "batch read");
  });

  test("a sample of a large hash map walked in the kernel is the sample a batch read gives (same seed)", async () => {
    const big = a.map("gms_churn_big");
    const empty = fillBig(big);
    try {
      for (const statement of [`sample 1% from map id ${big.info.id} weighted by value seed 7`, `sample 200 from map id ${big.info.id} seed 7`]) {
        const walked = await gms(["-e", statement]);
        // GMS_READERS=1: no worker thread, so no walk either: one thread reads in batches.
        const batched = await gms(["-e", statement], undefined, { GMS_READERS: "1" });
        expect(walked.err).toBe("");
        expect(batched.err).toBe("");
        expect(walked.out).toContain(availableParallelism() >= 2 ? "walked in the kernel" : "batch read");
        expect(batched.out).toContain("batch read");
        const rows = tableRows(walked.out);
        expect(rows.length).toBe(statement.includes("1%") ? 1000 : 200);
        expect(rows).toEqual(tableRows(batched.out));
        // The estimated totals (the line under the meta line) agree as well.
        expect(walked.out.split("\n").at(-2)).toBe(batched.out.split("\n").at(-2));
      }
    } finally {
      empty();
      big.close();
    }
  });

  for (const [how, mapName, keys, keyByKey] of [
    ["batches", "gms_churn", 3000, false],
    ["key by key", "gms_churn", 3000, true],
    ["batches split between two threads", "gms_churn_big", 120_000, false],
  ] as const) test(`a writer rewrites a map while gms reads it 100 times (${how}): no key twice, every read ends`, async () => {
    const churn = a.map(mapName);
    // Read while the writer is at full speed: once the map holds a good part of its keys.
    const written = await rewrite(churn, keys, Math.min(1000, keys / 10));
    let split = 0;
    let moved = 0;
    let incomplete = 0;
    let vanished = 0;
    let entries = 0;
    for (let i = 0; i < 100; i++) {
      const keys = new Set<number>();
      const stats = readEntries(churn, (b) => {
        const kv = new DataView(b.keys.buffer, b.keys.byteOffset);
        for (let j = 0; j < b.count; j++) {
          const k = kv.getUint32(j * 4, true);
          expect(keys.has(k)).toBe(false);
          keys.add(k);
        }
      }, { keyByKey });
      expect(stats.entries).toBe(keys.size);
      // Key by key, a deleted current key sends the walk back to the start: the read may stop
      // at max_entries plus the margin, and says so, rather than run on.
      if (stats.incomplete) incomplete++;
      if (stats.readers === 2) split++;
      entries += stats.entries;
      moved += stats.repeated;
      vanished += stats.vanished;
      await Bun.sleep(10);
    }
    const writes = await written();
    churn.close();
    console.log(`concurrency (${how}): 100 reads, ${entries} entries read, ${moved} moved (dropped as repeats), ${vanished} vanished, ${incomplete} reads stopped incomplete, ${split} split between two threads; writer made ${writes} writes`);
    expect(writes).toBeGreaterThan(1000);
    // Most reads are split; one whose worker had not started in time reads its second half itself.
    if (mapName === "gms_churn_big") expect(split).toBeGreaterThanOrEqual(availableParallelism() >= 2 ? 80 : 0);
  });

  test("a sample that keeps few entries has the walk copy weights only and reads the kept entries whole after it: gone ones are left out, changed ones shown as read", () => {
    const big = a.map("gms_churn_big");
    // The writer of the tests before leaves its last keys behind.
    const left: Uint8Array[] = [];
    readEntries(big, (b) => {
      for (let i = 0; i < b.count; i++) left.push(b.keys.slice(i * 4, i * 4 + 4));
    });
    for (const k of left) big.remove(k);
    const empty = fillBig(big);
    const source = new KernelMapSource(MapHandle.byId(big.info.id));
    try {
      const value = source.columns.findIndex((c) => c.name === "value");
      const kept: Entry[] = [];
      let seen = 0;
      // It says it keeps at most 30 and keeps 100: the values are fetched 30 at a time.
      const stats = source.scanBatches(value, (b) => {
        const ws = new Float64Array(b.count);
        b.numbers(ws);
        for (let i = 0; i < b.count; i++, seen++) if (seen % 1000 === 0) kept.push(b.keep(i));
      }, 30)!;
      expect(stats.method).toBe(availableParallelism() >= 2 ? "walked in the kernel" : "batch read");
      expect(kept.length).toBe(100);
      const keyOf = (e: Entry) => new DataView(e.key.buffer, e.key.byteOffset).getUint32(0, true);
      // Between the walk and the end of the sample: one kept entry deleted, one rewritten.
      big.remove(kept[0]!.key);
      big.write(kept[1]!.key, new Uint8Array(new BigUint64Array([123456789n]).buffer));
      const done = source.complete!(kept);
      if (availableParallelism() < 2) {
        expect(done).toBeUndefined();
        return;
      }
      expect([...done!.vanished]).toEqual([kept[0]!]);
      expect(done!.notes).toEqual([
        "1 sampled entry vanished from the map before its value was read (left out)",
        "1 sampled entry changed weight before its value was read (shown as read)",
      ]);
      expect(kept[1]!.cell(value)).toBe(123456789);
      for (const e of kept.slice(2)) expect(e.cell(value)).toBe(((keyOf(e) - 1) / 7) * 3);
      // Nothing is left to fill in.
      expect(source.complete!(kept)).toBeUndefined();
    } finally {
      source.close();
      empty();
      big.close();
    }
  });

  test("a writer rewrites a large map while gms samples it 100 times through the in-kernel walk: no key twice, every read ends", async () => {
    const churn = a.map("gms_churn_big");
    const written = await rewrite(churn, 120_000, 10_000);
    let walks = 0;
    let twice = 0;
    let gone = 0;
    let incomplete = 0;
    let entries = 0;
    for (let i = 0; i < 100; i++) {
      const source = new KernelMapSource(MapHandle.byId(churn.info.id));
      try {
        // A uniform sample keeps the smallest uniforms, and a key handed over twice has the same
        // uniform both times: its copies are kept together, so repeats reach the sample.
        const d = drawSample(source, { method: { method: "uniform", k: 5000 }, weight: null, where: null, per: null, seed: i });
        const keys = d.kept.map((x) => Buffer.from(x.entry.key).toString("hex"));
        expect(new Set(keys).size).toBe(keys.length);
        if (d.stats.method === "walked in the kernel") walks++;
        twice += Number(/^(\d+) entr(?:y|ies) came twice/.exec(d.stats.notes.find((n) => n.includes("came twice")) ?? "")?.[1] ?? 0);
        // The sample keeps few entries: the walk copies keys only, and the kept ones are read whole
        // after it; those deleted meanwhile are left out.
        gone += Number(/^(\d+) sampled entr(?:y|ies) vanished/.exec(d.stats.notes.find((n) => n.includes("vanished")) ?? "")?.[1] ?? 0);
        expect(d.kept.length).toBeLessThanOrEqual(5000);
        if (d.stats.notes.some((n) => n.startsWith("read incomplete"))) incomplete++;
        entries += d.stats.entries;
      } finally {
        source.close();
      }
      await Bun.sleep(10);
    }
    const writes = await written();
    churn.close();
    console.log(`concurrency (in-kernel walk): 100 samples, ${entries} entries walked, ${twice} sampled entries came twice (shown once), ${gone} vanished before their values were read (left out), ${incomplete} walks stopped incomplete; writer made ${writes} writes`);
    expect(writes).toBeGreaterThan(1000);
    expect(walks).toBe(availableParallelism() >= 2 ? 100 : 0);
  });
});
