import { isStream, processCondition, type Destination as DestinationNode, type Expr, type OrderKey, type SampleSize, type SourceRef, type Statement } from "../lang/ast";
import { diagnostic, DiagnosticError } from "../lang/diagnostic";
import type { Span } from "../lang/span";
import type {
  Destination,
  Method,
  OutputFormat,
  PerCpuMode,
  QueryConfig,
  SampleConfig,
  SamplerConfig,
  ShowConfig,
  SourceConfig,
  StreamConfig,
} from "./config";
import { andAll } from "../lang/build-ast";

/** Settings: what earlier statements of a session or script set (`let`, `set seed`, `set format`). */
export interface Settings {
  lets: Map<string, Expr>;
  seed: number | null;
  format: OutputFormat;
  perCpu: PerCpuMode;
}

export function newSettings(): Settings {
  return { lets: new Map(), seed: null, format: "table", perCpu: "sum" };
}

const FORMATS: Record<string, OutputFormat> = { json: "json", ndjson: "ndjson", csv: "csv", txt: "table" };

function source(ref: SourceRef, perCpu: PerCpuMode = "sum"): SourceConfig {
  switch (ref.kind) {
    case "map-name": return { kind: "map", by: "name", name: ref.name, perCpu, span: ref.span };
    case "map-id": return { kind: "map", by: "id", id: ref.id, perCpu, span: ref.span };
    case "map-pinned": return { kind: "map", by: "pinned", path: ref.path, perCpu, span: ref.span };
    case "file": return { kind: "file", path: ref.path, span: ref.span };
    case "tracepoint": return { kind: "tracepoint", category: ref.category, event: ref.event, span: ref.span };
    case "stream": return { kind: "stream", name: ref.name, span: ref.span };
  }
}

/** Conditions on a tracepoint record's fields the kernel side can check (bpf/tracepoint.h). */
const KERNEL_FIELD_CONDITIONS = 4;

/** The columns every event has; conditions on them are not the record's. */
const EVENT_COLUMNS = new Set(["pid", "tid", "comm", "cpu", "ktime"]);

/** recordCondition: `FIELD op INTEGER` on one of the record's own fields. */
function recordCondition(c: Expr): boolean {
  if (c.kind !== "binary" || !["==", "!=", "<", "<=", ">", ">="].includes(c.op)) return false;
  if (c.left.kind !== "field" || c.left.path.length !== 1 || EVENT_COLUMNS.has(c.left.path[0]!)) return false;
  const r = c.right.kind === "unary" && c.right.op === "-" ? c.right.arg : c.right;
  return r.kind === "number" && Number.isSafeInteger(r.value as number);
}

/** A stream stops after this many events when no `limit` or `for` says otherwise. */
const STREAM_LIMIT = 100;

/**
 * conjuncts: the parts of `a and b and c`. Splitting at `and` is exact: a row passes the whole
 * condition when it passes every part.
 */
function conjuncts(e: Expr): Expr[] {
  return e.kind === "binary" && e.op === "and" ? [...conjuncts(e.left), ...conjuncts(e.right)] : [e];
}

/**
 * streamConfig: how a stream statement reads its source: for a tracepoint, the first `pid == N`
 * or `pid != N`, the first `comm == "name"` or `!=`, and up to four `FIELD op INTEGER` of the
 * top-level `and`s of `where` run in the kernel with the sampling; the rest of the condition
 * runs in user space.
 */
function streamConfig(ref: SourceRef, probability: number | null, where: Expr | null, limit: number | null, forMs: number | null, weight: Expr | null = null): StreamConfig {
  // The generic tracepoint program filters by process; gms's own streams (exec) do not.
  const kernelPid = ref.kind === "tracepoint";
  let pid: StreamConfig["kernel"]["pid"] = null;
  let comm: StreamConfig["kernel"]["comm"] = null;
  const fields: Expr[] = [];
  const rest: Expr[] = [];
  for (const c of where ? conjuncts(where) : []) {
    const p = kernelPid ? processCondition(c) : undefined;
    if (p?.field === "pid" && !pid) {
      pid = { op: p.op, value: p.value };
      continue;
    }
    if (p?.field === "comm" && !comm) {
      comm = { op: p.op, value: p.value };
      continue;
    }
    if (kernelPid && fields.length < KERNEL_FIELD_CONDITIONS && recordCondition(c)) {
      fields.push(c);
      continue;
    }
    rest.push(c);
  }
  const weightField = weight?.kind === "field" ? weight.path.join(".") : null;
  return { kernel: { probability, pid, comm, fields, weight: weightField }, userWhere: andAll(rest), limit: limit ?? (forMs === null ? STREAM_LIMIT : null), forMs };
}

function method(size: SampleSize, weighted: boolean): Method {
  const { percent, count } = size;
  if (weighted) return percent ? { method: "priority", fraction: percent.fraction } : { method: "priority", k: count!.value };
  return percent ? { method: "bernoulli", p: percent.fraction } : { method: "uniform", k: count!.value };
}

function destination(to: DestinationNode | undefined): Destination {
  if (!to) return { to: "screen" };
  const path = to.path.value;
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  const format = ext ? FORMATS[ext] : undefined;
  if (!format) {
    throw new DiagnosticError([
      diagnostic(to.path.span, `cannot tell the format of '${path}' from its extension`, "name the file .json, .ndjson, .csv or .txt"),
    ]);
  }
  return { to: "file", path, format };
}

/**
 * substitute: an expression with `let` variables replaced by their values. A one-segment field
 * path that names a variable is the variable (variables shadow fields of the same name).
 */
function substitute(e: Expr, lets: Map<string, Expr>): Expr {
  switch (e.kind) {
    case "field": {
      const v = e.path.length === 1 ? lets.get(e.path[0]!) : undefined;
      return v ?? e;
    }
    case "unary": return { ...e, arg: substitute(e.arg, lets) };
    case "binary": return { ...e, left: substitute(e.left, lets), right: substitute(e.right, lets) };
    case "in": return { ...e, arg: substitute(e.arg, lets), list: e.list.map((x) => substitute(x, lets)) };
    case "call": return { ...e, args: e.args.map((x) => substitute(x, lets)) };
    default: return e;
  }
}

function orderBy(keys: OrderKey[] | undefined, lets: Map<string, Expr>) {
  return (keys ?? []).map((k) => ({ expr: substitute(k.expr, lets), descending: k.descending }));
}

/** written: how a node was written, for the names of columns without `as`. */
function written(node: { span: Span }, text: string): string {
  return text.slice(node.span.startOffset, node.span.endOffset).replace(/\s+/g, " ");
}

/**
 * compile: a checked statement as its sampler configuration, under the session's settings.
 * `let` and `set` statements change `settings` (the caller keeps it across statements).
 * `text` is the source the statement came from (projection names are taken from it).
 * Throws DiagnosticError (a file name with an unknown extension).
 */
export function compile(stmt: Statement, settings: Settings, text = ""): SamplerConfig {
  const lets = settings.lets;
  const sub = (e: Expr | undefined) => (e ? substitute(e, lets) : null);
  const seedOf = (n: { value: number } | undefined) => (n ? n.value : settings.seed);
  switch (stmt.kind) {
    case "sample": {
      const cfg: SampleConfig = {
        statement: "sample",
        source: source(stmt.source, settings.perCpu),
        sampler: method(stmt.size, !!stmt.weightedBy),
        per: stmt.per ? { field: stmt.per.path, span: stmt.per.span } : null,
        weight: sub(stmt.weightedBy),
        where: sub(stmt.where),
        seed: seedOf(stmt.seed),
        output: destination(stmt.to),
      };
      if (isStream(stmt.source)) {
        const m = cfg.sampler;
        const p = m.method === "bernoulli" ? m.p : "fraction" in m ? m.fraction : 1;
        cfg.stream = streamConfig(stmt.source, p >= 1 && !cfg.weight ? null : p, cfg.where, stmt.limit?.value ?? null, stmt.for ? stmt.for.ms : null, cfg.weight);
      }
      return cfg;
    }
    case "query": {
      const cfg: QueryConfig = {
        statement: "query",
        source: source(stmt.source, settings.perCpu),
        select: stmt.select
          ? stmt.select.map((p) => ({ name: p.alias?.name ?? written(p.expr, text), expr: substitute(p.expr, lets) }))
          : null,
        where: sub(stmt.where),
        orderBy: orderBy(stmt.orderBy, lets),
        limit: stmt.limit ? stmt.limit.value : null,
        output: destination(stmt.to),
      };
      if (isStream(stmt.source)) {
        cfg.stream = streamConfig(stmt.source, null, cfg.where, stmt.orderBy?.length ? null : cfg.limit, stmt.for ? stmt.for.ms : null);
      }
      return cfg;
    }
    case "estimate":
      return {
        statement: "estimate",
        source: source(stmt.source, settings.perCpu),
        aggregates: stmt.aggregates.map((a) => ({
          name: a.alias?.name ?? written(a, text),
          fn: a.fn,
          arg: sub(a.arg),
        })),
        where: sub(stmt.where),
        sampler: method(stmt.using, !!stmt.weightedBy),
        weight: sub(stmt.weightedBy),
        seed: seedOf(stmt.seed),
        output: destination(stmt.to),
      };
    case "trace":
      return {
        statement: "trace",
        probe: stmt.probe.name,
        sample: stmt.sample ? stmt.sample.fraction : null,
        where: sub(stmt.where),
        span: stmt.probe.span,
      };
    case "stop": return { statement: "stop", probe: stmt.probe ? stmt.probe.name : null };
    case "wait": return { statement: "wait", ms: stmt.duration.ms };
    case "help": return { statement: "help", topic: stmt.topic?.name ?? null, span: stmt.topic?.span ?? stmt.span };
    case "show": return showConfig(stmt, lets);
    case "describe": return { statement: "describe", source: source(stmt.source, settings.perCpu) };
    case "save": return { statement: "save", source: source(stmt.source, settings.perCpu), path: stmt.to.path.value };
    case "explain": {
      // Explaining must not change the session: plan against a copy of the settings.
      const copy: Settings = { ...settings, lets: new Map(settings.lets) };
      return { statement: "explain", config: compile(stmt.statement, copy, text) };
    }
    case "let": {
      const value = substitute(stmt.value, lets);
      lets.set(stmt.name.name, value);
      return { statement: "let", name: stmt.name.name, value };
    }
    case "set":
      if (stmt.option === "stats") return { statement: "set", stats: stmt.value.name === "on" };
      if (stmt.option === "budget") return { statement: "set", budget: stmt.budget ? stmt.budget.fraction : null };
      if (stmt.option === "percpu") {
        settings.perCpu = stmt.value.name as PerCpuMode;
        return { statement: "set", perCpu: settings.perCpu };
      }
      if (stmt.option === "seed") {
        settings.seed = stmt.seed.value;
        return { statement: "set", seed: stmt.seed.value };
      }
      settings.format = stmt.format.name as OutputFormat;
      return { statement: "set", format: settings.format };
    case "watch": {
      const query = compile(stmt.query, settings, text);
      return { statement: "watch", everyMs: stmt.every.ms, query: query as Extract<SamplerConfig, { statement: "watch" }>["query"] };
    }
  }
}

function showConfig(stmt: Extract<Statement, { kind: "show" }>, lets: Map<string, Expr>): ShowConfig {
  return {
    statement: "show",
    what: stmt.what,
    where: stmt.where ? substitute(stmt.where, lets) : null,
    orderBy: orderBy(stmt.orderBy, lets),
    limit: stmt.limit ? stmt.limit.value : null,
  };
}
