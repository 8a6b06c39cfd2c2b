import { encodeValue } from "../bpf/btf-decode";
import { BpfObject } from "../bpf/object";
import type { ProbeConfig, ProbeOptions, ProbeSpec } from "../probes/probe";

function u32(n: number): Uint8Array {
  return new Uint8Array(new Uint32Array([n]).buffer);
}

/** RunningProbe: a probe gms has loaded and attached, with its kernel-side configuration. */
export class RunningProbe {
  private slot = 0;
  config?: ProbeConfig;
  /** The options the probe runs with now (a budget keeps their `where` when it lowers the rate). */
  options: ProbeOptions = { sample: null, where: null };

  constructor(
    readonly spec: ProbeSpec,
    readonly object: BpfObject,
    readonly startedAt: number,
  ) {}

  /**
   * configure: writes a configuration into the idle slot of the probe's config map, then flips
   * the index, so the kernel side reads either the old config or the new one, never a mix.
   * Throws DiagnosticError (options the probe cannot do), BpfError.
   */
  configure(opts: ProbeOptions): void {
    const c = this.spec.config;
    if (!c) return;
    const config = c.build(opts);
    const map = this.object.map(c.map);
    const index = this.object.map(c.index);
    try {
      const btf = map.btf()!;
      const idle = this.config ? 1 - this.slot : 0;
      map.write(u32(idle), encodeValue(btf, map.info.btfValueTypeId, config.fields));
      index.write(u32(0), u32(idle));
      this.slot = idle;
      this.config = config;
      this.options = opts;
    } finally {
      map.close();
      index.close();
    }
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
