import { allMapInfos } from "../bpf/maps";
import { allProgramInfos } from "../bpf/programs";
import { PROBES } from "../probes";
import type { ResultSet } from "../output/result-set";
import type { ProbeManager } from "./probes";

function table(columns: [string, boolean][], rows: ResultSet["rows"], started: number): ResultSet {
  return {
    columns: columns.map(([name, numeric]) => ({ name, numeric })),
    rows,
    meta: { elapsedMs: performance.now() - started },
  };
}

/** showMaps: every map in the kernel, by id. Throws BpfError. */
export function showMaps(): ResultSet {
  const t = performance.now();
  const rows = allMapInfos().map((m) => [
    m.id, m.name, m.type, m.keySize, m.valueSize, m.maxEntries, `0x${m.flags.toString(16)}`, m.btfId ? "yes" : "no",
  ]);
  return table(
    [["id", true], ["name", false], ["type", false], ["key", true], ["value", true], ["max_entries", true], ["flags", false], ["btf", false]],
    rows,
    t,
  );
}

/** showPrograms: every loaded program, by id. Throws BpfError. */
export function showPrograms(): ResultSet {
  const t = performance.now();
  const rows = allProgramInfos().map((p) => [p.id, p.name, p.type, p.mapCount]);
  return table([["id", true], ["name", false], ["type", false], ["maps", true]], rows, t);
}

/** showProbes: gms's built-in probes and whether this session runs them. */
export function showProbes(probes: ProbeManager): ResultSet {
  const t = performance.now();
  const rows = [...PROBES.values()].map((p) => [
    p.name, probes.get(p.name) ? "running" : "stopped", p.maps.join(", "), p.description,
  ]);
  return table([["probe", false], ["state", false], ["maps", false], ["description", false]], rows, t);
}
