import { closeSync } from "node:fs";
import { enableStats } from "../bpf/programs";
import type { ProbeManager, RunningProbe } from "./probes";

/** pct: a share of a CPU as a percentage to three digits (`0.0125` -> `1.25%`). */
const pct = (x: number) => `${+(x * 100).toPrecision(3)}%`;

/** How often the budget is checked. */
const TICK_MS = 1000;
/** A lowered rate aims this far under the budget, so it does not go over again at once. */
const MARGIN = 0.8;
/** The lowest rate a budget lowers a probe to. */
const FLOOR = 1e-4;

/**
 * Budget: `set budget 1%`: the share of one CPU gms's running probes may take. Once a second it
 * measures each probe's BPF run time (statistics stay on while a budget is set) and, when one
 * takes more than the budget, lowers its sampling rate in the kernel (its `where` kept) and
 * says so through `notice`. A probe with no sampling to lower is reported once. The counts a
 * probe fills after a lowering are of the new rate (its summary says which).
 */
export class Budget {
  private share: number | null = null;
  private statsFd?: number;
  private timer?: ReturnType<typeof setInterval>;
  private last = new Map<RunningProbe, { ns: number; at: number }>();
  private told = new Set<string>();

  constructor(
    private readonly probes: ProbeManager,
    private readonly notice: (text: string) => void,
  ) {}

  /** set: a share of one CPU (0.01 for 1%), or null for no limit. Throws BpfError. */
  set(share: number | null): string {
    this.share = share;
    if (share === null) {
      this.stop();
      return "no budget: probes run at the rate they were given";
    }
    this.statsFd ??= enableStats();
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref?.();
    return `budget: gms's probes may take ${pct(share)} of one CPU; a probe over it samples less`;
  }

  /** tick: measures every running probe since the last tick and lowers those over the budget. */
  tick(): void {
    if (this.share === null) return;
    const now = performance.now();
    for (const p of this.probes.runningProbes()) {
      const ns = p.runStats().runTimeNs;
      const before = this.last.get(p);
      this.last.set(p, { ns, at: now });
      if (!before) continue;
      const used = (ns - before.ns) / 1e6 / (now - before.at);
      if (used <= this.share) continue;
      if (!p.spec.config) {
        if (!this.told.has(p.spec.name)) this.notice(`budget: ${p.spec.name} took ${pct(used)} of a CPU (budget ${pct(this.share)}) and has no sampling to lower`);
        this.told.add(p.spec.name);
        continue;
      }
      const current = p.config?.probability ?? 1;
      const next = Math.max(FLOOR, (current * this.share * MARGIN) / used);
      p.configure({ ...p.options, sample: next });
      this.notice(`budget: ${p.spec.name} took ${pct(used)} of a CPU (budget ${pct(this.share)}): now ${p.describe()}`);
    }
  }

  /** stop: no more checks; statistics back off. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.statsFd !== undefined) closeSync(this.statsFd);
    this.statsFd = undefined;
    this.last.clear();
  }
}
