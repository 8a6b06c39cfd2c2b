import { afterAll, beforeAll, expect, test } from "bun:test";
import { BUILD, kernelDescribe, waitUntil } from "../../test/kernel";
import { allMapInfos } from "../bpf/maps";
import { BpfObject } from "../bpf/object";
import { parseProgram } from "../lang/parse";
import { compile, newSettings } from "../plan/compile";
import { DiagnosticError } from "../lang/diagnostic";
import type { ResultSet } from "../output/result-set";
import { Executor } from "./executor";

async function query(ex: Executor, text: string): Promise<ResultSet> {
  const { statements, diagnostics } = parseProgram(text);
  expect(diagnostics).toEqual([]);
  return (await ex.run(compile(statements[0]!, newSettings(), text))) as ResultSet;
}

const ids = (rs: ResultSet) => rs.rows.map((r) => r[0]).join(",");

kernelDescribe("executor: sampling a real map (fixture, 50 entries)", () => {
  let obj: BpfObject;
  const ex = new Executor();
  beforeAll(async () => {
    // Fixture maps of earlier test files are freed by the kernel a moment after they close.
    expect(await waitUntil(() => allMapInfos().every((m) => m.name !== "gms_fixture"))).toBe(true);
    obj = BpfObject.load("fixture", await Bun.file(`${BUILD}test/fixture.bpf.o`).bytes());
    obj.run("fill");
  });
  afterAll(() => {
    ex.close();
    obj?.close();
  });

  test("a sample drawn a batch at a time is the one drawn entry by entry (a filter that keeps all takes that way)", async () => {
    for (const [size, weight] of [["7", ""], ["20%", ""], ["10", "weighted by total"], ["30%", "weighted by total"], ["5", "weighted by id"]]) {
      const how = `${size} ${weight}`;
      const batched = await query(ex, `sample ${size} from map gms_fixture ${weight} seed 42`);
      const byEntry = await query(ex, `sample ${size} from map gms_fixture ${weight} where id >= 0 seed 42`);
      expect({ how, rows: batched.rows, tau: batched.meta.tau, excluded: batched.meta.excluded }).toEqual({
        how, rows: byEntry.rows, tau: byEntry.meta.tau, excluded: byEntry.meta.excluded,
      });
    }
  });

  test("a sample's footer totals are sum(value / prob) of its rows: exact at 100%, estimated below", async () => {
    const all = await query(ex, "sample 100% from map gms_fixture");
    const col = (rs: ResultSet, name: string) => rs.columns.findIndex((c) => c.name === name);
    const sum = (rs: ResultSet, name: string) => rs.rows.reduce((a, r) => a + Number(r[col(rs, name)]) / Number(r.at(-1)), 0);
    const temp = all.meta.estTotals!.find((t) => t.column === "temp")!;
    expect(temp).toEqual({ column: "temp", estimate: sum(all, "temp"), se: 0, exact: true });
    // Key columns are not totalled.
    expect(all.meta.estTotals!.some((t) => t.column === "id")).toBe(false);
    for (const how of ["20%", "7", "10% weighted by total", "5 weighted by total"]) {
      const [size, ...weight] = how.split(" ");
      const rs = await query(ex, `sample ${size} from map gms_fixture ${weight.join(" ")} seed 5`);
      const t = rs.meta.estTotals!.find((x) => x.column === "total")!;
      expect(t.exact).toBe(false);
      expect(t.se).toBeGreaterThan(0);
      expect(t.estimate).toBeCloseTo(sum(rs, "total"), 3);
    }
  });

  test("100% keeps every entry with prob 1; the columns follow the BTF layout", async () => {
    const rs = await query(ex, "sample 100% from map gms_fixture");
    expect(rs.rows.length).toBe(50);
    expect(rs.columns.map((c) => c.name)).toEqual([
      "id", "tag", "name", "temp", "total", "color", "inner.port", "inner.delta", "inner.big", "hist", "ok", "low", "high", "prob",
    ]);
    expect(rs.rows.every((r) => r.at(-1) === 1)).toBe(true);
    expect(rs.meta.scanned).toBe(50);
  });

  test("sample K draws exactly K with prob K/n; the same seed draws the same rows", async () => {
    const a = await query(ex, "sample 10 from map gms_fixture seed 7");
    const b = await query(ex, "sample 10 from map gms_fixture seed 7");
    const c = await query(ex, "sample 10 from map gms_fixture seed 8");
    expect(a.rows.length).toBe(10);
    expect(a.rows.every((r) => r.at(-1) === 10 / 50)).toBe(true);
    expect(ids(a)).toBe(ids(b));
    expect(ids(a)).not.toBe(ids(c));
    expect(a.meta.seed).toBe(7);
  });

  test("weighted by a field: priority sampling, probabilities min(1, w/tau)", async () => {
    const rs = await query(ex, "sample 5 from map gms_fixture weighted by total seed 3");
    expect(rs.rows.length).toBe(5);
    // Entry id 1 has total 0: a zero weight is never drawn and is counted.
    expect(rs.meta.excluded).toBe(1);
    const tau = rs.meta.tau!;
    expect(tau).toBeGreaterThan(0);
    const total = rs.columns.findIndex((c) => c.name === "total");
    for (const r of rs.rows) expect(r.at(-1)).toBeCloseTo(Math.min(1, (r[total] as number) / tau), 9);
  });

  test("an estimate weighted by a field reports what the rows left out for their weight hold, exactly", async () => {
    // Entry id 1 has total 0: left out of a sample weighted by total, its values still reported.
    const rs = await query(ex, "estimate sum(inner.big), count() from map gms_fixture using sample 5 weighted by total seed 3");
    expect(rs.meta.notes).toContain("1 rows left out for their weight hold sum(inner.big) = 18446744073709551600, count() = 1");
  });

  test("a weighted percentage draws ceil(p * n) rows", async () => {
    const rs = await query(ex, "sample 5% from map gms_fixture weighted by inner.port");
    expect(rs.rows.length).toBe(Math.ceil(0.05 * 50));
  });

  test("a nested field and key.* paths resolve; a wrong field is a diagnostic with the span", async () => {
    await query(ex, "sample 2 from map gms_fixture weighted by key.id");
    try {
      await query(ex, "sample 2 from map gms_fixture weighted by inner.prot");
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(DiagnosticError);
      const d = (e as DiagnosticError).diagnostics[0]!;
      expect(d.message).toBe("unknown field 'inner.prot' in map gms_fixture");
      expect(d.hints).toEqual(["did you mean 'inner.port'?"]);
      expect(d.span.column).toBe(43);
    }
  });

  test("map id N reaches the same map as its name", async () => {
    const m = obj.map("gms_fixture");
    const id = m.info.id;
    m.close();
    const rs = await query(ex, `sample 100% from map id ${id}`);
    expect(rs.rows.length).toBe(50);
  });
});
