import { encodeValue } from "../bpf/btf-decode";
import { ConfigSlots } from "../bpf/config-slots";
import { BpfObject } from "../bpf/object";
import { runStats } from "../bpf/programs";
import type { ProbeConfig, ProbeOptions, ProbeSpec } from "../probes/probe";

/** RunningProbe: a probe gms has loaded and attached, with its kernel-side configuration. */
export class RunningProbe {
  private readonly slots?: ConfigSlots;
  config?: ProbeConfig;
  /** The options the probe runs with now (a budget keeps their `where` when it lowers the rate). */
  options: ProbeOptions = { sample: null, where: null };

  constructor(
    readonly spec: ProbeSpec,
    readonly object: BpfObject,
    readonly startedAt: number,
  ) {
    if (spec.config) this.slots = new ConfigSlots(object, spec.config.map, spec.config.index);
  }

  /**
   * configure: writes a configuration into the idle slot of the probe's config map, then flips
   * the index, so the kernel side reads either the old config or the new one, never a mix.
   * Throws DiagnosticError (options the probe cannot do), BpfError.
   */
  configure(opts: ProbeOptions): void {
    if (!this.spec.config || !this.slots) return;
    const config = this.spec.config.build(opts);
    this.slots.write((map) => encodeValue(map.btf()!, map.info.btfValueTypeId, config.fields));
    this.config = config;
    this.options = opts;
  }

  /**
   * runStats: what the probe's programs did so far, from BPF statistics (while they are on):
   * events (runs of its first program) and the run time of all its programs. Throws BpfError.
   */
  runStats(): { events: number; runTimeNs: number } {
    const all = this.spec.attach.map((name) => runStats(this.object.programFd(name)));
    return { events: all[0]?.runCount ?? 0, runTimeNs: all.reduce((a, r) => a + r.runTimeNs, 0) };
  }

  /** describe: how the probe samples and filters, for messages and result notes. */
  describe(): string {
    return this.config?.summary ?? "";
  }
}

/**
 * ProbeManager: the probes this gms session runs. Starting one loads its object, writes its
 * configuration, attaches its programs and runs its once-programs; stopping detaches and
 * unloads. A half-started probe is closed before the error goes on.
 */
export class ProbeManager {
  private readonly running = new Map<string, RunningProbe>();

  /**
   * start: starts a probe, or gives a running one its new options. Returns false when the probe
   * was already running. Throws DiagnosticError, BpfError.
   */
  async start(spec: ProbeSpec, opts: ProbeOptions = { sample: null, where: null }): Promise<boolean> {
    const already = this.running.get(spec.name);
    if (already) {
      if (opts.sample !== null || opts.where !== null || already.describe()) already.configure(opts);
      return false;
    }
    // Check the options before loading anything.
    spec.config?.build(opts);
    const image = await Bun.file(spec.object).bytes();
    const object = BpfObject.load(spec.name, image);
    const probe = new RunningProbe(spec, object, Date.now());
    try {
      probe.configure(opts);
      for (const p of spec.attach) object.attach(p);
      for (const p of spec.runOnce) object.run(p);
    } catch (e) {
      object.close();
      throw e;
    }
    this.running.set(spec.name, probe);
    return true;
  }

  /** stop: stops a probe; returns false when it was not running. */
  stop(name: string): boolean {
    const p = this.running.get(name);
    if (!p) return false;
    p.object.close();
    this.running.delete(name);
    return true;
  }

  /** stopAll: stops every probe and returns their names. */
  stopAll(): string[] {
    const names = [...this.running.keys()];
    for (const n of names) this.stop(n);
    return names;
  }

  /** runningProbes: the probes running now. */
  runningProbes(): RunningProbe[] {
    return [...this.running.values()];
  }

  get(name: string): RunningProbe | undefined {
    return this.running.get(name);
  }

  /** ownerOfMap: the running probe that fills the map with this name, if any. */
  ownerOfMap(mapName: string): RunningProbe | undefined {
    for (const p of this.running.values()) if (p.spec.maps.includes(mapName)) return p;
    return undefined;
  }
}
