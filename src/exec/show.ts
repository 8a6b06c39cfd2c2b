import { readFileSync } from "node:fs";
import { allMapInfos } from "../bpf/maps";
import { allProgramInfos, type ProgInfo } from "../bpf/programs";
import { PROBES } from "../probes";
import type { ResultSet } from "../output/result-set";
import type { ProbeManager } from "./probes";

function table(columns: [string, boolean][], rows: ResultSet["rows"], started: number, notes: string[] = []): ResultSet {
  return {
    columns: columns.map(([name, numeric]) => ({ name, numeric })),
    rows,
    meta: { notes, elapsedMs: performance.now() - started },
  };
}

/** usersOf: for each map id, the programs that use it, as `name(id)`. */
function usersOf(programs: ProgInfo[]): Map<number, string[]> {
  const users = new Map<number, string[]>();
  for (const p of programs) for (const m of p.mapIds) users.set(m, [...(users.get(m) ?? []), `${p.name || "?"}(${p.id})`]);
  return users;
}

/** showMaps: every map in the kernel, by id, with its memory and the programs using it. Throws BpfError. */
export function showMaps(): ResultSet {
  const t = performance.now();
  const users = usersOf(allProgramInfos());
  const rows = allMapInfos().map((m) => [
    m.id, m.name, m.type, m.keySize, m.valueSize, m.maxEntries, `0x${m.flags.toString(16)}`, m.memory,
    m.btfId ? "yes" : "no", (users.get(m.id) ?? []).join(", "),
  ]);
  return table(
    [["id", true], ["name", false], ["type", false], ["key", true], ["value", true], ["max_entries", true], ["flags", false], ["memory", true], ["btf", false], ["programs", false]],
    rows,
    t,
  );
}

function statsEnabled(): boolean {
  try {
    return readFileSync("/proc/sys/kernel/bpf_stats_enabled", "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/** showPrograms: every loaded program, by id, with where it attaches and, when counted, its runs. Throws BpfError. */
export function showPrograms(statsOn: boolean): ResultSet {
  const t = performance.now();
  const rows = allProgramInfos().map((p) => [
    p.id, p.name, p.type, p.attach.join(", "), p.mapIds.join(","), p.runCount, p.runTimeNs,
    p.runCount ? Math.round(p.runTimeNs / p.runCount) : null,
  ]);
  const notes = statsOn || statsEnabled() ? [] : ["run counts are 0 while BPF statistics are off: 'set stats on' turns them on for this session"];
  return table(
    [["id", true], ["name", false], ["type", false], ["attach", false], ["maps", false], ["run_cnt", true], ["run_time_ns", true], ["avg_ns", true]],
    rows,
    t,
    notes,
  );
}

/** showProbes: gms's built-in probes, whether this session runs them, and how. */
export function showProbes(probes: ProbeManager): ResultSet {
  const t = performance.now();
  const rows = [...PROBES.values()].map((p) => {
    const running = probes.get(p.name);
    return [p.name, running ? "running" : "stopped", p.maps.join(", "), running?.describe() || (running ? "every event" : ""), p.description];
  });
  return table([["probe", false], ["state", false], ["maps", false], ["sampling", false], ["description", false]], rows, t);
}
