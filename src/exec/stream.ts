import { BpfError } from "../bpf/errors";
import { ensureMounted } from "../bpf/mounts";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { andAll } from "../lang/build-ast";
import { closest } from "../lang/suggest";
import type { QueryConfig, SampleConfig, StreamConfig } from "../plan/config";
import type { Cell, ResultSet } from "../output/result-set";
import { RowsSource } from "../sources/source";
import { TracepointStream, WeightFieldError } from "../sources/tracepoint";
import type { Span } from "../lang/span";
import type { EventStream } from "../sources/event-stream";
import { ProbeStream, STREAMS } from "../sources/probe-stream";
import { UnknownTracepointError, tracepointFormat } from "../sources/tracefs";
import { compileExpr, isTruthy } from "./expr";
import type { Expr } from "../lang/ast";
import { exprText } from "../plan/explain";
import { runQuery } from "./query";
import type { ProgressTracker } from "./executor";
import { scopeOf } from "./scope";

type TracepointSource = Extract<SampleConfig["source"], { kind: "tracepoint" }>;
type StreamSource = Extract<SampleConfig["source"], { kind: "tracepoint" | "stream" }>;

/**
 * openStream: attaches the stream a statement reads, with the kernel's part of its config.
 * Throws DiagnosticError (an unknown tracepoint or stream), BpfError.
 */
async function openStream(src: StreamSource, stream: StreamConfig, notice: (text: string | undefined) => void, weightSpan?: Span): Promise<EventStream> {
  if (src.kind === "stream") {
    const spec = STREAMS.get(src.name);
    if (!spec) {
      const names = [...STREAMS.keys()];
      const near = closest(src.name, names);
      throw new DiagnosticError([diagnostic(src.span, `unknown stream '${src.name}'`, near.length ? `did you mean '${near[0]}'?` : `streams: ${names.join(", ")}`)]);
    }
    return ProbeStream.open(spec, stream.kernel.probability);
  }
  notice(ensureMounted("tracefs"));
  try {
    return await TracepointStream.open(src.category, src.event, {
      probability: stream.kernel.weight ? null : stream.kernel.probability,
      pid: stream.kernel.pid ?? undefined,
      comm: stream.kernel.comm ?? undefined,
      conditions: stream.kernel.fields,
      weight: stream.kernel.weight ? { field: stream.kernel.weight, tau: 1n } : undefined,
    });
  } catch (e) {
    if (e instanceof UnknownTracepointError) throw unknownTracepoint(src, e);
    if (e instanceof BpfError && e.code === "ENOENT") throw new DiagnosticError([diagnostic(src.span, `cannot attach to tracepoint ${src.category}:${src.event}: ${e.message}`)]);
    if (e instanceof WeightFieldError) throw new DiagnosticError([diagnostic(weightSpan ?? src.span, e.message, "a stream is weighted by an integer field of its record")]);
    throw e;
  }
}

/**
 * describeKernelPart: what a stream's kernel side does, for the meta line (`in the kernel: pid
 * == 42, each event kept with p=0.01`).
 */
function describeKernelPart(s: StreamConfig, p: number, fields: Expr[]): string {
  const parts: string[] = [];
  if (s.kernel.pid) parts.push(`pid ${s.kernel.pid.op} ${s.kernel.pid.value}`);
  if (s.kernel.comm) parts.push(`comm ${s.kernel.comm.op} ${JSON.stringify(s.kernel.comm.value)}`);
  for (const f of fields) parts.push(exprText(f));
  parts.push(p < 1 ? `each event kept with p=${p}` : "every event kept");
  return `in the kernel: ${parts.join(", ")}`;
}

/**
 * runStream: a `sample P%` or plain query over a tracepoint: the generic program filters and
 * samples in the kernel, the rest of `where` runs here on each event, and reading stops after
 * `limit` events that pass, after `for`, or when `signal` aborts (Ctrl-C). A sample's rows carry
 * `prob`, the probability the kernel kept each with. `onRow`, when given, gets each row as it
 * comes (a sample's, or a plain query's without select or order by: see liveRows). The program
 * is detached before this returns.
 * Throws DiagnosticError (an unknown tracepoint or field), BpfError.
 */
export async function runStream(
  cfg: SampleConfig | QueryConfig,
  notice: (text: string | undefined) => void,
  signal?: AbortSignal,
  onRow?: (columns: ResultSet["columns"], row: Cell[]) => void,
  progress?: (what: string) => ProgressTracker,
): Promise<ResultSet> {
  const started = performance.now();
  const src = cfg.source as StreamSource;
  const stream = cfg.stream!;
  const label = src.kind === "stream" ? `stream ${src.name}` : `tracepoint ${src.category}:${src.event}`;
  const ts = await openStream(src, stream, notice, cfg.statement === "sample" ? cfg.weight?.span : undefined);
  try {
    const columns = ts.columns;
    const scope = scopeOf(new RowsSource(label, columns, []));
    // The record conditions the kernel could not take run here with the rest of where.
    const userParts = [...(ts instanceof TracepointStream ? ts.userConditions : stream.kernel.fields), ...(stream.userWhere ? [stream.userWhere] : [])];
    const userWhere = andAll(userParts);
    const where = userWhere ? compileExpr(userWhere, scope) : undefined;
    const accept = where ? (row: Cell[]) => isTruthy(where((i) => row[i] ?? null)) : undefined;
    // Weighted: tau follows the weights seen, so that about p of the events are kept.
    const weightCol = stream.kernel.weight ? columns.findIndex((c) => c.name === stream.kernel.weight) : -1;
    const target = stream.kernel.probability ?? 1;
    let tau = 1;
    const shown = progress?.(label);
    const moveTau =
      ts instanceof TracepointStream && weightCol >= 0
        ? (rows: Cell[][]) => {
            // The latest events say most about the weights now.
            const next = tauFor(rows.slice(-4096).map((r) => [Number(r[weightCol]), r.at(-1) as number]), target);
            if (next !== undefined && Math.abs(Math.log(next / tau)) > 0.05) {
              tau = next;
              ts.setTau(BigInt(Math.max(1, Math.round(tau))));
            }
          }
        : undefined;
    // Rows as they come: a sample's with its prob; a plain query's as they are (no select or order by).
    const rowColumns = [...columns.map((c) => ({ name: c.name, numeric: c.numeric })), ...(cfg.statement === "sample" ? [{ name: "prob", numeric: true }] : [])];
    const live = onRow && liveRows(cfg) ? (row: Cell[]) => onRow(rowColumns, cfg.statement === "sample" ? row : row.slice(0, -1)) : undefined;
    const onCount = shown && ((n: number) => shown.update(n, stream.limit ?? Infinity, "events"));
    let got;
    try {
      got = await ts.collect({ limit: stream.limit ?? Infinity, durationMs: stream.forMs ?? undefined, signal, accept, afterPoll: moveTau, onCount, onRow: live });
    } finally {
      shown?.done();
    }
    const inKernel = ts instanceof TracepointStream ? stream.kernel.fields.filter((f) => !ts.userConditions.includes(f)) : [];
    const notes = [describeKernelPart(stream, ts.probability, inKernel)];
    if (ts instanceof TracepointStream && ts.raw) notes.push("attached as a raw tracepoint: records built in BPF for the events kept");
    if (userWhere) notes.push("the rest of where in user space");
    notes.push(`${got.drops} events dropped (ring buffer full)`);
    if (moveTau && ts instanceof TracepointStream) {
      const left = ts.weightless();
      if (left) notes.push(`${left} events left out for a weight of 0 or below`);
    }
    const meta = { scanned: got.rows.length, readMethod: `read for ${(got.elapsedMs / 1000).toFixed(1)} s`, notes, elapsedMs: performance.now() - started };
    if (cfg.statement === "sample") {
      const method = moveTau
        ? `threshold sampling by ${stream.kernel.weight} in the kernel, p = min(1, w/tau), tau moved toward ${target} of the events (last tau=${Math.round(tau)})`
        : `bernoulli p=${ts.probability} in the kernel`;
      return {
        columns: rowColumns,
        // Each row ends with the probability the kernel kept it with: the prob column.
        rows: got.rows,
        meta: { ...meta, method },
      };
    }
    const rs = runQuery(new RowsSource(label, columns, got.rows.map((r) => r.slice(0, -1))), { ...cfg, where: null }, started);
    return { ...rs, meta: { ...rs.meta, ...meta, method: "every event, no sampling" } };
  } finally {
    ts.close();
  }
}

/** unknownTracepoint: the diagnostic for a tracepoint the kernel lacks, with the nearest names. */
function unknownTracepoint(src: TracepointSource, e: UnknownTracepointError): DiagnosticError {
  const near = closest(e.tracepoint, e.all);
  const hint = near.length ? `did you mean ${near.map((n) => `'${n}'`).join(" or ")}?` : "tracepoints are listed in /sys/kernel/tracing/available_events";
  return new DiagnosticError([diagnostic(src.span, e.message, hint)]);
}

/**
 * describeTracepoint: a tracepoint's fields as its format file gives them (name, type, offset,
 * size, signed), after the columns every event has. Throws DiagnosticError for an unknown one.
 */
export function describeTracepoint(src: TracepointSource, notice: (text: string | undefined) => void, started: number): ResultSet {
  notice(ensureMounted("tracefs"));
  let format;
  try {
    format = tracepointFormat(src.category, src.event);
  } catch (e) {
    throw e instanceof UnknownTracepointError ? unknownTracepoint(src, e) : e;
  }
  return {
    columns: [["field", false], ["type", false], ["offset", true], ["size", true], ["signed", false], ["read as", false]].map(([name, numeric]) => ({ name: name as string, numeric: numeric as boolean })),
    rows: format.fields.map((f) => [f.name, f.type, f.offset, f.size, f.signed ? "yes" : "no", f.kind]),
    meta: { notes: [`tracepoint ${src.category}:${src.event}; every event also has pid, tid, comm, cpu, ktime (ns since boot)`], elapsedMs: performance.now() - started },
  };
}

/**
 * tauFor: the threshold tau that keeps about `target` of the events, estimated from the events
 * kept so far, each (w, p): the events stand for sum(1/p) events, and under tau they would keep
 * an expected sum(min(1, w/tau) / p); tau is found by bisection on its logarithm. Undefined
 * before there is anything to go on.
 */
export function tauFor(kept: [number, number][], target: number): number | undefined {
  const rows = kept.filter(([w, p]) => w > 0 && p > 0);
  if (rows.length < 10) return undefined;
  const population = rows.reduce((a, [, p]) => a + 1 / p, 0);
  const want = target * population;
  const expected = (tau: number) => rows.reduce((a, [w, p]) => a + Math.min(1, w / tau) / p, 0);
  let lo = 0;
  let hi = 64;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (expected(2 ** mid) > want) lo = mid;
    else hi = mid;
  }
  return 2 ** ((lo + hi) / 2);
}

/** liveRows: whether a stream statement's rows can go out as they come (runStream's onRow). */
export function liveRows(cfg: SampleConfig | QueryConfig): boolean {
  return !!cfg.stream && (cfg.statement === "sample" || (!cfg.select && !cfg.orderBy.length));
}
