import { afterAll, beforeAll, expect, test } from "bun:test";
import { availableParallelism } from "node:os";
import { BUILD, kernelDescribe } from "./kernel";
import { encodeValue, type Value } from "../src/bpf/btf-decode";
import { MapHandle } from "../src/bpf/maps";
import { BpfObject } from "../src/bpf/object";
import { drawSample } from "../src/exec/sample";
import type { Expr, SampleStmt } from "../src/lang/ast";
import { parseProgram } from "../src/lang/parse";
import type { Method } from "../src/plan/config";
import { KernelMapSource } from "../src/sources/kernel-map";

const N = 60_000;
/** What the test writes for entry i: key 3i + 1, and this value. */
const valueOf = (i: number) => ({ a: i, b: -i, w: ((i * 7919) % 1000) + 1, tag: `t${i % 100}` });

const clause = (text: string) => parseProgram(text).statements[0] as SampleStmt;

kernelDescribe("samples of a map walked in the kernel", () => {
  let obj: BpfObject;
  let map: MapHandle;
  beforeAll(async () => {
    obj = BpfObject.load("walk-fixture", await Bun.file(`${BUILD}test/walk.bpf.o`).bytes());
    map = obj.map("gms_walk_btf");
    const btf = map.btf()!;
    const key = new Uint32Array(1);
    for (let i = 0; i < N; i++) {
      key[0] = 3 * i + 1;
      map.write(new Uint8Array(key.buffer), encodeValue(btf, map.info.btfValueTypeId, valueOf(i)));
    }
  });
  afterAll(() => {
    map?.close();
    obj?.close();
  });

  const cases: Array<[string, Method, Expr | null]> = [
    ["sample 1% weighted by w", { method: "priority", fraction: 0.01 }, clause("sample 1% from m weighted by w").weightedBy!],
    ["sample 300 weighted by w", { method: "priority", k: 300 }, clause("sample 300 from m weighted by w").weightedBy!],
    ["sample 300", { method: "uniform", k: 300 }, null],
  ];
  for (const [name, method, weight] of cases) {
    test(`${name}: the walk copies weights (or keys) only, and the rows are whole, the same as a batch read gives`, () => {
      const draw = (where: Expr | null) => {
        const source = new KernelMapSource(MapHandle.byId(map.info.id));
        try {
          const d = drawSample(source, { method, weight, where, per: null, seed: 11 });
          const names = source.columns.map((c) => c.name);
          const rows = d.kept.map((k) => Object.fromEntries(names.map((n, c) => [n, k.entry.cell(c)])) as Record<string, Value>);
          return { method: d.stats.method, notes: d.stats.notes, rows, probs: d.kept.map((k) => k.prob) };
        } finally {
          source.close();
        }
      };
      const walked = draw(null);
      // `where true` takes the entry-by-entry scan, a batch read, with the same uniforms.
      const batched = draw(clause("sample 1% from m where true").where!);
      expect(walked.method).toBe(availableParallelism() >= 2 ? "walked in the kernel" : "batch read");
      expect(batched.method).toContain("batch read");
      expect(walked.notes).toEqual([]);
      expect(walked.rows.length).toBe(method.method === "priority" && "fraction" in method ? 600 : 300);
      expect(walked.rows).toEqual(batched.rows);
      expect(walked.probs).toEqual(batched.probs);
      for (const r of walked.rows) {
        const i = ((r.key as number) - 1) / 3;
        expect(r).toEqual({ key: 3 * i + 1, ...valueOf(i) });
      }
    });
  }
});
