import { BpfError } from "../bpf/errors";
import { ensureMounted } from "../bpf/mounts";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import { closest } from "../lang/suggest";
import type { QueryConfig, SampleConfig, StreamConfig } from "../plan/config";
import type { Cell, ResultSet } from "../output/result-set";
import { RowsSource } from "../sources/source";
import { TracepointStream } from "../sources/tracepoint";
import type { EventStream } from "../sources/event-stream";
import { ProbeStream, STREAMS } from "../sources/probe-stream";
import { UnknownTracepointError, tracepointFormat } from "../sources/tracefs";
import { compileExpr, isTruthy } from "./expr";
import type { Expr } from "../lang/ast";
import { exprText } from "../plan/explain";
import { runQuery } from "./query";
import { scopeOf } from "./scope";

type TracepointSource = Extract<SampleConfig["source"], { kind: "tracepoint" }>;
type StreamSource = Extract<SampleConfig["source"], { kind: "tracepoint" | "stream" }>;

/**
 * openStream: attaches the stream a statement reads, with the kernel's part of its config.
 * Throws DiagnosticError (an unknown tracepoint or stream), BpfError.
 */
async function openStream(src: StreamSource, stream: StreamConfig, notice: (text: string | undefined) => void): Promise<EventStream> {
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
    tracepointFormat(src.category, src.event);
    return await TracepointStream.open(src.category, src.event, {
      probability: stream.kernel.probability,
      pid: stream.kernel.pid ?? undefined,
      conditions: stream.kernel.fields,
    });
  } catch (e) {
    if (e instanceof UnknownTracepointError) {
      const near = closest(e.tracepoint, e.all);
      throw new DiagnosticError([
        diagnostic(src.span, e.message, near.length ? `did you mean ${near.map((n) => `'${n}'`).join(" or ")}?` : "tracepoints are listed in /sys/kernel/tracing/available_events"),
      ]);
    }
    if (e instanceof BpfError && e.code === "ENOENT") throw new DiagnosticError([diagnostic(src.span, `cannot attach to tracepoint ${src.category}:${src.event}: ${e.message}`)]);
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
  for (const f of fields) parts.push(exprText(f));
  parts.push(p < 1 ? `each event kept with p=${p}` : "every event kept");
  return `in the kernel: ${parts.join(", ")}`;
}

/**
 * runStream: a `sample P%` or plain query over a tracepoint: the generic program filters and
 * samples in the kernel, the rest of `where` runs here on each event, and reading stops after
 * `limit` events that pass, after `for`, or when `signal` aborts (Ctrl-C). A sample's rows carry
 * `prob`, the probability the kernel kept each with. The program is detached before this returns.
 * Throws DiagnosticError (an unknown tracepoint or field), BpfError.
 */
export async function runStream(
  cfg: SampleConfig | QueryConfig,
  notice: (text: string | undefined) => void,
  signal?: AbortSignal,
): Promise<ResultSet> {
  const started = performance.now();
  const src = cfg.source as StreamSource;
  const stream = cfg.stream!;
  const label = src.kind === "stream" ? `stream ${src.name}` : `tracepoint ${src.category}:${src.event}`;
  const ts = await openStream(src, stream, notice);
  try {
    const columns = ts.columns;
    const scope = scopeOf(new RowsSource(label, columns, []));
    // The record conditions the kernel could not take run here with the rest of where.
    const userParts = [...(ts instanceof TracepointStream ? ts.userConditions : stream.kernel.fields), ...(stream.userWhere ? [stream.userWhere] : [])];
    const userWhere = userParts.length ? userParts.reduce((a, b) => ({ kind: "binary", op: "and", left: a, right: b, span: a.span }) as Expr) : null;
    const where = userWhere ? compileExpr(userWhere, scope) : undefined;
    const accept = where ? (row: Cell[]) => isTruthy(where((i) => row[i] ?? null)) : undefined;
    const got = await ts.collect({ limit: stream.limit ?? Infinity, durationMs: stream.forMs ?? undefined, signal, accept });
    const inKernel = ts instanceof TracepointStream ? stream.kernel.fields.filter((f) => !ts.userConditions.includes(f)) : [];
    const notes = [describeKernelPart(stream, ts.probability, inKernel)];
    if (userWhere) notes.push("the rest of where in user space");
    notes.push(`${got.drops} events dropped (ring buffer full)`);
    const meta = { scanned: got.rows.length, readMethod: `read for ${(got.elapsedMs / 1000).toFixed(1)} s`, notes, elapsedMs: performance.now() - started };
    if (cfg.statement === "sample") {
      return {
        columns: [...columns.map((c) => ({ name: c.name, numeric: c.numeric })), { name: "prob", numeric: true }],
        rows: got.rows.map((r) => [...r, ts.probability]),
        meta: { ...meta, method: `bernoulli p=${ts.probability} in the kernel` },
      };
    }
    const rs = runQuery(new RowsSource(label, columns, got.rows), { ...cfg, where: null }, started);
    return { ...rs, meta: { ...rs.meta, ...meta, method: "every event, no sampling" } };
  } finally {
    ts.close();
  }
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
    if (!(e instanceof UnknownTracepointError)) throw e;
    const near = closest(e.tracepoint, e.all);
    throw new DiagnosticError([diagnostic(src.span, e.message, near.length ? `did you mean ${near.map((n) => `'${n}'`).join(" or ")}?` : "tracepoints are listed in /sys/kernel/tracing/available_events")]);
  }
  return {
    columns: [["field", false], ["type", false], ["offset", true], ["size", true], ["signed", false], ["read as", false]].map(([name, numeric]) => ({ name: name as string, numeric: numeric as boolean })),
    rows: format.fields.map((f) => [f.name, f.type, f.offset, f.size, f.signed ? "yes" : "no", f.kind]),
    meta: { notes: [`tracepoint ${src.category}:${src.event}; every event also has pid, tid, comm, cpu, ktime (ns since boot)`], elapsedMs: performance.now() - started },
  };
}
