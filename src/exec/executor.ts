import { BpfError } from "../bpf/errors";
import { MapHandle } from "../bpf/maps";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { closest } from "../lang/suggest";
import type { SamplerConfig, SourceConfig } from "../plan/config";
import type { StatementResult } from "../output/result-set";
import { PROBES } from "../probes";
import { AmbiguousMapError, openMapByName, UnknownMapError } from "../sources/kernel-map";
import { ProbeManager } from "./probes";
import { runSample } from "./sample";
import { showMaps, showProbes, showPrograms } from "./show";

/**
 * Executor: runs sampler configurations against the live kernel, keeping the session's probes.
 * User mistakes found only now (an unknown map or field) become DiagnosticErrors pointing at the
 * text; kernel failures stay BpfErrors.
 */
export class Executor {
  readonly probes = new ProbeManager();

  async run(cfg: SamplerConfig, signal?: AbortSignal): Promise<StatementResult> {
    switch (cfg.statement) {
      case "show":
        if (cfg.what === "maps") return showMaps();
        if (cfg.what === "programs") return showPrograms();
        return showProbes(this.probes);
      case "trace": {
        const spec = PROBES.get(cfg.probe);
        if (!spec) {
          const names = [...PROBES.keys()];
          const near = closest(cfg.probe, names);
          throw new DiagnosticError([
            diagnostic(cfg.span, `unknown probe '${cfg.probe}'`, near.length ? `did you mean '${near[0]}'?` : `probes: ${names.join(", ")}`),
          ]);
        }
        const started = await this.probes.start(spec);
        return { message: started ? `tracing ${spec.name} (fills map ${spec.maps.join(", ")})` : `${spec.name} is already tracing` };
      }
      case "stop": {
        if (cfg.probe === null) {
          const stopped = this.probes.stopAll();
          return { message: stopped.length ? `stopped ${stopped.join(", ")}` : "no probe was running" };
        }
        return { message: this.probes.stop(cfg.probe) ? `stopped ${cfg.probe}` : `${cfg.probe} was not running` };
      }
      case "wait":
        await sleep(cfg.ms, signal);
        return null;
      case "sample": {
        const map = this.openSource(cfg.source);
        try {
          return runSample(cfg, map);
        } finally {
          map.close();
        }
      }
    }
  }

  private openSource(src: SourceConfig): MapHandle {
    try {
      switch (src.by) {
        case "id": return MapHandle.byId(src.id);
        case "pinned": return MapHandle.pinned(src.path);
        case "name": return openMapByName(src.name, () => this.ownMap(src.name));
      }
    } catch (e) {
      if (e instanceof UnknownMapError) {
        const near = closest(e.mapName, e.all);
        const hints = near.length
          ? [`did you mean ${near.map((n) => `'${n}'`).join(" or ")}?`]
          : [e.all.length ? `maps on this machine: ${e.all.slice(0, 12).join(", ")}${e.all.length > 12 ? ", ..." : ""}` : "there are no maps on this machine"];
        if (!this.probes.get("syscalls") && e.mapName === "events") hints.push("'trace syscalls' starts the probe that fills map events");
        throw new DiagnosticError([diagnostic(src.span, e.message, ...hints)]);
      }
      if (e instanceof AmbiguousMapError) {
        throw new DiagnosticError([
          diagnostic(src.span, e.message, `choose one with 'map id N': ${e.matches.map((m) => `id ${m.id} (${m.type})`).join(", ")}`),
        ]);
      }
      if (e instanceof BpfError && e.code === "ENOENT" && src.by !== "name") {
        const what = src.by === "id" ? `no map has id ${src.id}` : `nothing is pinned at ${src.path}`;
        throw new DiagnosticError([diagnostic(src.span, what, "'show maps' lists the maps on this machine")]);
      }
      throw e;
    }
  }

  private ownMap(name: string): MapHandle | undefined {
    return this.probes.ownerOfMap(name)?.object.map(name);
  }

  /** close: stops every probe (exit paths call this). */
  close(): void {
    this.probes.stopAll();
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
