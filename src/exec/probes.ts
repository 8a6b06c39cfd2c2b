import { BpfObject } from "../bpf/object";
import type { ProbeSpec } from "../probes/probe";

/** RunningProbe: a probe gms has loaded and attached. */
export interface RunningProbe {
  spec: ProbeSpec;
  object: BpfObject;
  startedAt: number;
}

/**
 * ProbeManager: the probes this gms session runs. Starting one loads its object, attaches its
 * programs and runs its once-programs; stopping detaches and unloads. A half-started probe is
 * closed before the error goes on.
 */
export class ProbeManager {
  private readonly running = new Map<string, RunningProbe>();

  /** start: starts a probe; starting a running probe does nothing. Throws BpfError. */
  async start(spec: ProbeSpec): Promise<boolean> {
    if (this.running.has(spec.name)) return false;
    const image = await Bun.file(spec.object).bytes();
    const object = BpfObject.load(spec.name, image);
    try {
      for (const p of spec.attach) object.attach(p);
      for (const p of spec.runOnce) object.run(p);
    } catch (e) {
      object.close();
      throw e;
    }
    this.running.set(spec.name, { spec, object, startedAt: Date.now() });
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

  get(name: string): RunningProbe | undefined {
    return this.running.get(name);
  }

  /** ownerOfMap: the running probe that fills the map with this name, if any. */
  ownerOfMap(mapName: string): RunningProbe | undefined {
    for (const p of this.running.values()) if (p.spec.maps.includes(mapName)) return p;
    return undefined;
  }
}
