import { afterAll, beforeAll, expect, test } from "bun:test";
import { BUILD, kernelDescribe, programsNamed, waitUntil } from "../../test/kernel";
import { splitmix32 } from "../sampling/rng";
import { walkable, walkMap } from "./map-walk";
import { readEntries, type Batch, type MapHandle } from "./maps";
import { BpfObject } from "./object";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** fill: `n` entries of seeded random bytes, written from user space. */
function fill(map: MapHandle, n: number, seed: number): void {
  const next = splitmix32(seed);
  const key = new Uint8Array(map.info.keySize);
  const value = new Uint8Array(map.info.valueSize);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < key.length; j++) key[j] = next() & 0xff;
    // The first four key bytes are i: no two keys alike.
    new DataView(key.buffer).setUint32(0, i, true);
    for (let j = 0; j < value.length; j++) value[j] = next() & 0xff;
    map.write(key, value);
  }
}

/** entries: each entry of the batches as "key value" in hex, sorted, and the largest batch. */
function collect(): { onBatch: (b: Batch) => void; entries: string[]; largest: () => number } {
  const entries: string[] = [];
  let largest = 0;
  return {
    entries,
    largest: () => largest,
    onBatch: (b) => {
      largest = Math.max(largest, b.count);
      for (let i = 0; i < b.count; i++) {
        entries.push(`${hex(b.keys.subarray(i * b.keySize, (i + 1) * b.keySize))} ${hex(b.values.subarray(i * b.valueSize, (i + 1) * b.valueSize))}`);
      }
    },
  };
}

kernelDescribe("in-kernel map walk", () => {
  let obj: BpfObject;
  const maps: Record<string, MapHandle> = {};
  const sizes = { gms_walk_odd: 60_000, gms_walk_lru: 60_000, gms_walk_wide: 300 };
  beforeAll(async () => {
    obj = BpfObject.load("walk-fixture", await Bun.file(`${BUILD}test/walk.bpf.o`).bytes());
    let seed = 1;
    for (const [name, n] of Object.entries(sizes)) {
      maps[name] = obj.map(name);
      fill(maps[name]!, n, seed++);
    }
  });
  afterAll(() => {
    for (const m of Object.values(maps)) m.close();
    obj?.close();
  });

  for (const name of Object.keys(sizes) as Array<keyof typeof sizes>) {
    test(`a walk hands over exactly the entries a batch read does (${name})`, () => {
      const map = maps[name]!;
      const walked = collect();
      const stats = walkMap(map, walked.onBatch, map.info.maxEntries + 64, 1000);
      const batch = collect();
      readEntries(map, batch.onBatch, { oneReader: true });
      expect(stats).toEqual({ entries: sizes[name], incomplete: false });
      expect(walked.entries.length).toBe(sizes[name]);
      expect(walked.largest()).toBeLessThanOrEqual(1000);
      expect(walked.entries.sort()).toEqual(batch.entries.sort());
    });
  }

  test("a walk of part of each value hands over that part; its fetcher gives whole values of chosen keys, as they are now", () => {
    const map = maps.gms_walk_odd!;
    // Three bytes from 5 of the 13: copied by the 2-byte and the 1-byte step.
    const part = { offset: 5, size: 3 };
    const walked = collect();
    const stats = walkMap(map, walked.onBatch, map.info.maxEntries + 64, 4096, { part, fetchCapacity: 100 })!;
    try {
      expect(stats.entries).toBe(sizes.gms_walk_odd);
      const batch = collect();
      readEntries(map, batch.onBatch, { oneReader: true });
      const whole = new Map(batch.entries.map((e) => e.split(" ") as [string, string]));
      // Each entry: its key, and bytes 5..7 of its value.
      expect(walked.entries.map((e) => e.split(" ")).every(([k, v]) => whole.get(k!)!.slice(10, 16) === v)).toBe(true);
      // Fetch 100 keys, one of them deleted after the walk: found 0 for it, whole values for the rest.
      const chosen = walked.entries.slice(0, 100).map((e) => Buffer.from(e.split(" ")[0]!, "hex"));
      map.remove(chosen[42]!);
      const keys = new Uint8Array(100 * 7);
      chosen.forEach((k, i) => keys.set(k, i * 7));
      const got = stats.values!.fetch(keys, 100);
      expect(got.found[42]).toBe(0);
      expect(Array.from(got.found).reduce((a, b) => a + b, 0)).toBe(99);
      chosen.forEach((k, i) => {
        if (i !== 42) expect(hex(got.values.subarray(i * 13, (i + 1) * 13))).toBe(whole.get(hex(k))!);
      });
      // No more keys than the walk made room for.
      expect(() => stats.values!.fetch(new Uint8Array(101 * 7), 101)).toThrow("room for 100");
      map.write(chosen[42]!, Buffer.from(whole.get(hex(chosen[42]!))!, "hex"));
    } finally {
      stats.values?.close();
    }
    // A walk of no part of the values: keys alone.
    const keysOnly = collect();
    const bare = walkMap(map, keysOnly.onBatch, map.info.maxEntries + 64, 4096, { part: { offset: 0, size: 0 }, fetchCapacity: 10 })!;
    bare.values!.close();
    expect(keysOnly.entries.every((e) => e.endsWith(" "))).toBe(true);
    expect(keysOnly.entries.length).toBe(sizes.gms_walk_odd);
  });

  test("a walk stops after its limit and says it was incomplete", () => {
    const map = maps.gms_walk_odd!;
    const walked = collect();
    expect(walkMap(map, walked.onBatch, 1000, 4096)).toEqual({ entries: 1000, incomplete: true });
    const all = collect();
    readEntries(map, all.onBatch, { oneReader: true });
    const known = new Set(all.entries);
    expect(walked.entries.length).toBe(1000);
    expect(walked.entries.every((e) => known.has(e))).toBe(true);
  });

  test("what the batch visitor throws reaches the caller; the walk's program goes, and the next walk runs", async () => {
    const map = maps.gms_walk_lru!;
    let batches = 0;
    expect(() =>
      walkMap(map, () => {
        if (++batches === 2) throw new Error("visitor failed");
      }, map.info.maxEntries, 100),
    ).toThrow("visitor failed");
    const walked = collect();
    expect(walkMap(map, walked.onBatch, map.info.maxEntries, 4096)?.entries).toBe(sizes.gms_walk_lru);
    // The program is unloaded once the object is closed and the worker's run has ended.
    expect(await waitUntil(() => programsNamed("walk") === 0)).toBe(true);
  });

  test("a walk the kernel refuses reads nothing; the process then reads in batches", () => {
    // In a process of its own: the refusal is remembered for the rest of the process.
    const lpm = obj.map("gms_walk_lpm");
    const hash = maps.gms_walk_odd!;
    try {
      const p = Bun.spawnSync([process.execPath, new URL("../../test/walk-refused.ts", import.meta.url).pathname, String(lpm.info.id), String(hash.info.id)]);
      expect(p.stderr.toString()).toBe("");
      expect(JSON.parse(p.stdout.toString())).toEqual({ refused: null, method: "batch", entries: sizes.gms_walk_odd });
    } finally {
      lpm.close();
    }
  });

  test("walkable: hash and LRU hash maps whose entries fit the walk's arrays", () => {
    expect(walkable(maps.gms_walk_odd!.info, 87_564)).toBe(true);
    expect(walkable(maps.gms_walk_wide!.info, 576)).toBe(true);
    // 256 MiB of keys and values at most: of the values, what the walk copies of them.
    expect(walkable(maps.gms_walk_wide!.info, 70_000)).toBe(false);
    expect(walkable(maps.gms_walk_wide!.info, 70_000, 8)).toBe(true);
    expect(walkable({ ...maps.gms_walk_odd!.info, type: "percpu_hash" }, 1000)).toBe(false);
    expect(walkable({ ...maps.gms_walk_odd!.info, type: "array" }, 1000)).toBe(false);
    expect(walkable({ ...maps.gms_walk_odd!.info, valueSize: 4097 }, 1000)).toBe(false);
  });
});
