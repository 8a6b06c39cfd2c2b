import { closeSync } from "node:fs";
import { ensureMounted } from "../bpf/mounts";
import { BpfError } from "../bpf/errors";
import { UnreadableMapError } from "../bpf/map-types";
import { allProgramInfos, enableStats } from "../bpf/programs";
import { MapHandle } from "../bpf/maps";
import { readWorker } from "../bpf/split-read";
import { isStream } from "../lang/ast";
import type { Span } from "../lang/span";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { closest } from "../lang/suggest";
import { HELP, helpFor } from "../lang/help";
import type { QueryConfig, SampleConfig, SamplerConfig, ShowConfig, SourceConfig } from "../plan/config";
import { exprText, explainText } from "../plan/explain";
import type { Cell, ResultSet, StatementResult } from "../output/result-set";
import { PROBES } from "../probes";
import { DumpFileError, DumpFileSource } from "../sources/dump-file";
import { AmbiguousMapError, KernelMapSource, openMapByName, UnknownMapError, type KernelMapOptions } from "../sources/kernel-map";
import { RowsSource, type Source } from "../sources/source";
import { snapshotOf, snapshotText } from "../sources/snapshot";
import { describeColumns, describeMap, layoutTable } from "./describe";
import { runEstimate } from "./estimate";
import { ProbeManager } from "./probes";
import { runQuery, streamQuery } from "./query";
import { describeTracepoint, runStream } from "./stream";
import { withBars } from "./histogram";
import { Budget } from "./budget";
import type { JsonOut } from "../output/json-out";
import { describeMethod, drawSample, randomSeed, sampleResult, ZeroWeightsError } from "./sample";
import { showMaps, showProbes, showPrograms } from "./show";

/** ProgressTracker: one read's progress, as Executor.onProgress hands it out. */
export interface ProgressTracker {
  /** `done` of at most `max` (Infinity: no end known) `unit`s: entries of a map, events of a stream. */
  update(done: number, max: number, unit?: string): void;
  done(): void;
}

/** Emit: where a statement that prints more than once (`watch`) sends each result. */
export type Emit = (result: StatementResult) => void;

/** streamOnlyError: a stream named where a table of entries is read (estimate, save, describe...). */
function streamOnlyError(span: Span): DiagnosticError {
  return new DiagnosticError([diagnostic(span, "a stream is read with 'sample P% from ...' or 'from ...'")]);
}

/**
 * Executor: runs sampler configurations against the live kernel, keeping the session's probes.
 * User mistakes found only now (an unknown map or field) become DiagnosticErrors pointing at the
 * text; kernel failures stay BpfErrors.
 */
export class Executor {
  readonly probes = new ProbeManager();
  private readonly budget = new Budget(this.probes, (t) => this.onNotice(t));
  /** Where side effects the user should know of (a file system gms mounted) are told. */
  onNotice: (text: string) => void = () => {};
  /**
   * How a long read shows its progress: given what is read, a tracker told the entries read so
   * far (after each batch) and, at the end, that it is done. None: no progress is shown.
   */
  onProgress?: (what: string) => ProgressTracker;
  private tracker?: ProgressTracker;
  /**
   * Looks for a request to cancel that the event loop cannot deliver while a map is read
   * synchronously (the prompt reads a Ctrl-C typed meanwhile, and aborts the statement's
   * signal): called after each batch. The read then stops with CancelledError.
   */
  pollInterrupt?: () => void;

  private notice(text: string | undefined): void {
    if (text) this.onNotice(text);
  }
  private statsFd?: number;

  /** setStats: BPF run-time statistics on for this session (off again at exit: the fd closes). */
  private setStats(on: boolean): string {
    if (on && this.statsFd === undefined) this.statsFd = enableStats();
    if (!on && this.statsFd !== undefined) {
      closeSync(this.statsFd);
      this.statsFd = undefined;
    }
    return on ? "BPF statistics on: 'show programs' counts runs and run time (off again when gms exits)" : "BPF statistics off";
  }

  /**
   * run: one statement. `onRow` receives a stream's rows as they come, when they can (see
   * liveRows); the result then still holds them all. Throws DiagnosticError, BpfError.
   */
  async run(cfg: SamplerConfig, signal?: AbortSignal, emit?: Emit, onRow?: (columns: ResultSet["columns"], row: Cell[]) => void): Promise<StatementResult> {
    const started = performance.now();
    switch (cfg.statement) {
      case "show":
        return this.show(cfg, started);
      case "trace":
        return this.trace(cfg);
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
      case "help": {
        if (cfg.topic === null) {
          return {
            columns: [{ name: "statement", numeric: false }, { name: "what it does", numeric: false }],
            rows: HELP.map((h) => [h.name, h.summary]),
            meta: { notes: ["'help NAME' shows a statement's syntax and examples"] },
          };
        }
        const h = helpFor(cfg.topic)!;
        return { message: [h.syntax, "", h.summary, "", "examples:", ...h.examples.map((e) => `  ${e}`)].join("\n") };
      }
      case "sample":
      case "query":
      case "estimate": {
        if (isStream(cfg.source)) {
          if (cfg.statement === "estimate" || !cfg.stream) throw streamOnlyError(cfg.source.span);
          return runStream(cfg, (t) => this.notice(t), signal, onRow, this.onProgress);
        }
        // The second reader of large maps starts now, while the map is opened and its BTF read.
        if (cfg.source.kind === "map") readWorker();
        let rs = this.withSource(cfg.source, (src) => this.query(cfg, src, started), signal);
        const mapName = cfg.source.kind === "map" && cfg.source.by === "name" ? cfg.source.name : undefined;
        const owner = mapName === undefined ? undefined : this.probes.ownerOfMap(mapName);
        if (owner?.config?.summary) rs.meta.notes = [...(rs.meta.notes ?? []), `probe ${owner.spec.name} is ${owner.config.summary}`];
        const histogram = owner && mapName !== undefined ? owner.spec.histograms?.[mapName] : undefined;
        if (histogram && cfg.statement === "query") rs = withBars(rs, histogram.unit, histogram.count);
        return rs;
      }
      case "save":
        return this.withSource(cfg.source, (src) => {
          if (!(src instanceof KernelMapSource)) throw new DiagnosticError([diagnostic(cfg.source.span, "only kernel maps can be saved", "a file is already offline")]);
          // The layout comes from BTF alone: the map is read once, by the snapshot.
          const described = layoutTable(src.map);
          const layout = described.rows.map((r) => Object.fromEntries(described.columns.map((c, i) => [c.name, r[i]!])));
          const snap = snapshotOf(src, { ...src.map.info }, layout);
          return { message: `saved ${snap.entries.length} entries of ${src.label} to ${cfg.path}`, file: { path: cfg.path, text: `${snapshotText(snap)}\n` } };
        }, signal);
      case "describe":
        if (cfg.source.kind === "tracepoint") return describeTracepoint(cfg.source, (t) => this.notice(t), started);
        return this.withSource(cfg.source, (src) =>
          src instanceof KernelMapSource ? describeMap(src, started) : describeColumns(src, started, src instanceof DumpFileSource ? src.layout : undefined),
        signal);
      case "explain":
        return { message: explainText(cfg.config) };
      case "let":
        return null;
      case "set":
        if ("stats" in cfg) return { message: this.setStats(cfg.stats) };
        if ("budget" in cfg) return { message: this.budget.set(cfg.budget) };
        if ("perCpu" in cfg) return { message: cfg.perCpu === "each" ? "per-CPU maps: a row per CPU" : "per-CPU maps: numbers summed over CPUs" };
        return { message: "format" in cfg ? `output format: ${cfg.format}` : `seed for samples without their own: ${cfg.seed}` };
      case "watch": {
        // Runs until interrupted: each round's result goes out through emit. Every round draws
        // with the same seed, so a row stays in the sample while its weight holds.
        const query = "seed" in cfg.query && cfg.query.seed === null ? { ...cfg.query, seed: randomSeed() } : cfg.query;
        while (!signal?.aborted) {
          // A round that finds nothing to draw from (every weight still zero) says so and the
          // watch goes on: the next round may have data. Other errors end the watch.
          try {
            emit?.(await this.run(query, signal));
          } catch (e) {
            if (!(e instanceof ZeroWeightsError)) throw e;
            emit?.({ message: `this round: ${e.message}` });
          }
          await sleep(cfg.everyMs, signal);
        }
        return null;
      }
    }
  }

  /**
   * stream: a plain query without `order by`, its rows written as JSON to `out` while the source
   * is scanned (see streamQuery). Returns the result's meta, with no rows.
   * Throws DiagnosticError, BpfError.
   */
  stream(cfg: QueryConfig, format: "json" | "ndjson", out: JsonOut, signal?: AbortSignal): ResultSet {
    if (cfg.source.kind === "map") readWorker();
    return this.withSource(cfg.source, (src) => streamQuery(src, cfg, format, out, performance.now()), signal);
  }

  private query(cfg: SampleConfig | QueryConfig | Extract<SamplerConfig, { statement: "estimate" }>, src: Source, started: number): ResultSet {
    if (cfg.statement === "query") return runQuery(src, cfg, started);
    const seed = cfg.seed ?? randomSeed();
    if (cfg.statement === "estimate") return runEstimate(src, cfg, seed, started);
    const d = drawSample(src, { method: cfg.sampler, weight: cfg.weight, where: cfg.where, per: cfg.per, seed });
    return sampleResult(src, d, describeMethod(cfg.sampler, cfg.weight, d, cfg.weight ? exprText(cfg.weight) : ""), started, cfg.sampler);
  }

  private show(cfg: ShowConfig, started: number): ResultSet {
    const table = cfg.what === "maps" ? showMaps() : cfg.what === "programs" ? showPrograms(this.statsFd !== undefined) : showProbes(this.probes);
    if (!cfg.where && !cfg.orderBy.length && cfg.limit === null) return table;
    const src = new RowsSource(`${cfg.what}`, table.columns.map((c) => ({ ...c, typeName: c.numeric ? "number" : "string", text: !c.numeric })), table.rows);
    const rs = runQuery(src, { select: null, where: cfg.where, orderBy: cfg.orderBy, limit: cfg.limit }, started);
    rs.meta.notes = [...(rs.meta.notes ?? []), ...(table.meta.notes ?? [])];
    return rs;
  }

  private async trace(cfg: Extract<SamplerConfig, { statement: "trace" }>): Promise<StatementResult> {
    const spec = PROBES.get(cfg.probe);
    if (!spec) {
      const names = [...PROBES.keys()];
      const near = closest(cfg.probe, names);
      throw new DiagnosticError([
        diagnostic(cfg.span, `unknown probe '${cfg.probe}'`, near.length ? `did you mean '${near[0]}'?` : `probes: ${names.join(", ")}`),
      ]);
    }
    if (!spec.config && (cfg.sample !== null || cfg.where !== null)) {
      throw new DiagnosticError([diagnostic(cfg.span, `probe ${spec.name} counts every event: it takes no 'sample' or 'where'`, `'trace ${spec.name}' alone starts it`)]);
    }
    const started = await this.probes.start(spec, { sample: cfg.sample, where: cfg.where });
    const how = this.probes.get(spec.name)!.describe();
    if (!started) return { message: `${spec.name} was tracing; now ${how || "with no sampling or filter"}` };
    return { message: `tracing ${spec.name}${how ? ` (${how})` : ""}: fills map ${spec.maps.join(", ")}` };
  }

  /** withSource: `use` of the source opened, closed after; `signal` cancels its reads (CancelledError). */
  private withSource<T>(src: SourceConfig, use: (s: Source) => T, signal?: AbortSignal): T {
    const source = this.openSource(src, signal);
    try {
      return use(source);
    } finally {
      source.close();
      this.tracker?.done();
      this.tracker = undefined;
    }
  }

  /**
   * readOptions: KernelMapSource's options for a read of `what`: its progress, when progress is
   * shown, and its cancellation by `signal`.
   */
  private readOptions(what: string, signal?: AbortSignal): Pick<KernelMapOptions, "progress" | "cancelled"> {
    const poll = this.pollInterrupt;
    const cancelled = signal && (() => {
      poll?.();
      return signal.aborted;
    });
    if (!this.onProgress) return { cancelled };
    const t = this.onProgress(what);
    this.tracker = t;
    return { progress: (n, max) => t.update(n, max), cancelled };
  }

  private openSource(src: SourceConfig, signal?: AbortSignal): Source {
    try {
      if (src.kind === "file") return new DumpFileSource(src.path);
      if (isStream(src)) throw streamOnlyError(src.span);
      switch (src.by) {
        case "id": return new KernelMapSource(MapHandle.byId(src.id), { ...src, ...this.readOptions(`map id ${src.id}`, signal) });
        case "pinned": {
          if (src.path.startsWith("/sys/fs/bpf/")) this.notice(ensureMounted("bpf"));
          return new KernelMapSource(MapHandle.pinned(src.path), { ...src, ...this.readOptions(`map ${src.path}`, signal) });
        }
        case "name": {
          // A running probe's map gets the columns the probe derives (a syscall's name).
          const derived = this.probes.ownerOfMap(src.name)?.spec.derived?.[src.name];
          return new KernelMapSource(openMapByName(src.name, () => this.ownMap(src.name)), { ...src, derived, ...this.readOptions(`map ${src.name}`, signal) });
        }
      }
    } catch (e) {
      throw this.sourceError(e, src);
    }
  }

  private sourceError(e: unknown, src: SourceConfig): unknown {
    if (e instanceof UnreadableMapError) {
      return new DiagnosticError([diagnostic(src.span, e.message)]);
    }
    if (e instanceof DumpFileError) {
      return new DiagnosticError([diagnostic(src.span, e.message, "gms reads `bpftool map dump -j` output")]);
    }
    if (e instanceof UnknownMapError) {
      const near = closest(e.mapName, e.all);
      const hints = near.length
        ? [`did you mean ${near.map((n) => `'${n}'`).join(" or ")}?`]
        : [e.all.length ? `maps on this machine: ${e.all.slice(0, 12).join(", ")}${e.all.length > 12 ? ", ..." : ""}` : "there are no maps on this machine"];
      const owner = [...PROBES.values()].find((p) => p.maps.includes(e.mapName));
      if (owner && !this.probes.get(owner.name)) hints.push(`'trace ${owner.name}' starts the probe that fills map ${e.mapName}`);
      return new DiagnosticError([diagnostic(src.span, e.message, ...hints)]);
    }
    if (e instanceof AmbiguousMapError) {
      return new DiagnosticError([
        diagnostic(src.span, e.message, `choose one with 'map id N': ${e.matches.map((m) => `id ${m.id} (${m.type}${owners(m.id)})`).join(", ")}`),
      ]);
    }
    if (e instanceof BpfError && e.code === "ENOENT" && src.kind === "map" && src.by !== "name") {
      const what = src.by === "id" ? `no map has id ${src.id}` : `nothing is pinned at ${src.path}`;
      return new DiagnosticError([diagnostic(src.span, what, "'show maps' lists the maps on this machine")]);
    }
    return e;
  }

  private ownMap(name: string): MapHandle | undefined {
    return this.probes.ownerOfMap(name)?.object.map(name);
  }

  /** close: stops every probe (exit paths call this). */
  close(): void {
    this.budget.stop();
    this.probes.stopAll();
    this.setStats(false);
  }
}

/** owners: `, used by prog(id), ...` for a map, from the programs that hold it. */
function owners(mapId: number): string {
  const users = allProgramInfos().filter((p) => p.mapIds.includes(mapId)).map((p) => `${p.name}(${p.id})`);
  return users.length ? `, used by ${users.join(", ")}` : ", used by no program";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
