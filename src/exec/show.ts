import { closeSync } from "node:fs";
import { allMapInfos } from "../bpf/maps";
import { allProgramInfos, enableStats, statsEnabled, type ProgInfo } from "../bpf/programs";
import { PROBES } from "../probes";
import { STREAMS } from "../sources/probe-stream";
import type { ResultSet } from "../output/result-set";
import type { ProbeManager, RunningProbe } from "./probes";

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

/** How long `show probes` watches running probes to measure what they cost. */
const COST_WINDOW_MS = 250;

/**
 * probeCosts: what each running probe costs, measured over COST_WINDOW_MS: events per second
 * (runs of its first program: a syscall for `syscalls`), BPF run time per event (all its
 * programs, from BPF statistics: the program's own time, not the tracepoint's fixed cost), and
 * the share of one CPU that run time takes. Statistics are turned on for the window (the kernel
 * counts who asked, so this never turns off someone else's) and back off after. Throws BpfError.
 */
function probeCosts(probes: RunningProbe[]): Map<string, { eventsPerSec: number; nsPerEvent: number | null; cpuPct: number }> {
  const out = new Map<string, { eventsPerSec: number; nsPerEvent: number | null; cpuPct: number }>();
  if (!probes.length) return out;
  const fd = enableStats();
  try {
    const t0 = performance.now();
    const before = probes.map((p) => p.runStats());
    Bun.sleepSync(COST_WINDOW_MS);
    const after = probes.map((p) => p.runStats());
    const secs = (performance.now() - t0) / 1000;
    probes.forEach((p, i) => {
      const events = after[i]!.events - before[i]!.events;
      const ns = after[i]!.runTimeNs - before[i]!.runTimeNs;
      out.set(p.spec.name, { eventsPerSec: Math.round(events / secs), nsPerEvent: events ? Math.round(ns / events) : null, cpuPct: +((ns / 1e9 / secs) * 100).toPrecision(3) });
    });
  } finally {
    closeSync(fd);
  }
  return out;
}

/**
 * showProbes: gms's built-in probes, whether this session runs them, how, and what the running
 * ones cost (see probeCosts); then its streams, which run while a statement reads them.
 * Throws BpfError.
 */
export function showProbes(probes: ProbeManager): ResultSet {
  const t = performance.now();
  const costs = probeCosts(probes.runningProbes());
  const rows = [...PROBES.values()].map((p) => {
    const running = probes.get(p.name);
    const c = costs.get(p.name);
    return [
      p.name, running ? "running" : "stopped", p.maps.join(", "), running?.describe() || (running ? "every event" : ""),
      c?.eventsPerSec ?? null, c?.nsPerEvent ?? null, c?.cpuPct ?? null, p.description,
    ];
  });
  // gms's own streams run while a statement reads them (`from stream exec`).
  for (const s of STREAMS.values()) {
    rows.push([s.name, `stream: from stream ${s.name}`, `${s.maps.events} (ring buffer)`, "", null, null, null, s.description]);
  }
  const notes = costs.size ? [`cost measured over ${COST_WINDOW_MS} ms with BPF statistics: bpf_ns is the programs' own run time per event`] : [];
  return table(
    [["probe", false], ["state", false], ["maps", false], ["sampling", false], ["events_per_s", true], ["bpf_ns", true], ["cpu_pct", true], ["description", false]],
    rows,
    t,
    notes,
  );
}
