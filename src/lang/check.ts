import { HELP, helpFor } from "./help";
import {
  isStream,
  type DurationLit,
  type Expr,
  type NumberLit,
  type PercentLit,
  type SampleSize,
  type SizeLit,
  type SourceRef,
  type Statement,
  type StringLit,
} from "./ast";
import { AGGREGATES } from "./build-ast";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { bytesPerUnit, integerValue, nsPerUnit, splitDuration } from "./literals";
import type { Span } from "./span";
import { didYouMean, orList } from "./suggest";

/** U32_MAX: the largest seed and map id (both are `__u32` in the kernel and the sampler). */
export const U32_MAX = 4_294_967_295;

/** U64_MAX: the largest integer literal (a `__u64`, such as a kernel address). */
export const U64_MAX = 18_446_744_073_709_551_615n;

/**
 * FUNCTIONS: the functions an expression may call, with the fewest and most arguments each
 * takes. `min` and `max` take two or more (`min(a, b, c)`); one argument would be the argument
 * itself, and they are not aggregates over rows (those are `estimate`'s sum, count and avg).
 */
export const FUNCTIONS: Record<string, { min: number; max: number }> = {
  log2: { min: 1, max: 1 },
  ln: { min: 1, max: 1 },
  log10: { min: 1, max: 1 },
  abs: { min: 1, max: 1 },
  sqrt: { min: 1, max: 1 },
  floor: { min: 1, max: 1 },
  ceil: { min: 1, max: 1 },
  min: { min: 2, max: Infinity },
  max: { min: 2, max: Infinity },
  str: { min: 1, max: 1 },
  hex: { min: 1, max: 1 },
  ksym: { min: 1, max: 1 },
};

/** FORMATS: what `set format` accepts. */
export const FORMATS = ["table", "json", "ndjson", "csv"];

const durationUnits = Object.keys(nsPerUnit);
const sizeUnits = Object.keys(bytesPerUnit);

/**
 * checkStatement: the checks one statement needs before it can be planned, made without the
 * kernel: sizes, durations, seeds, limits and map ids in range, quoted map names well formed,
 * functions known and called with the right number of arguments, regular expressions valid.
 * Field names and types are not checked here: they are known only when the source is opened.
 */
export function checkStatement(statement: Statement): Diagnostic[] {
  const out: Diagnostic[] = [];
  check(statement, out);
  return out;
}

function check(statement: Statement, out: Diagnostic[]): void {
  const exprs = (...es: (Expr | undefined)[]): void => {
    for (const e of es) if (e) checkExpr(e, out);
  };
  switch (statement.kind) {
    case "sample":
      checkSize(statement.size, out);
      checkSource(statement.source, out);
      exprs(statement.weightedBy, statement.where);
      if (statement.seed) checkSeed(statement.seed, out);
      if (statement.limit) checkLimit(statement.limit, out);
      if (statement.for) checkDuration(statement.for, out);
      checkStreamSample(statement, out);
      if (statement.to) checkFileName(statement.to.path, out);
      break;
    case "query":
      checkSource(statement.source, out);
      exprs(...(statement.select ?? []).map((p) => p.expr), statement.where);
      exprs(...(statement.orderBy ?? []).map((k) => k.expr));
      if (statement.limit) checkLimit(statement.limit, out);
      if (statement.for) {
        checkDuration(statement.for, out);
        if (!isStream(statement.source)) out.push(diagnostic(statement.for.span, "'for' is for streams: a map is read whole", "'for 2s' reads a tracepoint for two seconds"));
      }
      if (statement.to) checkFileName(statement.to.path, out);
      break;
    case "estimate":
      exprs(...statement.aggregates.map((a) => a.arg));
      checkSource(statement.source, out);
      notAStream(statement.source, "estimate", out);
      exprs(statement.where);
      checkSize(statement.using, out);
      exprs(statement.weightedBy);
      if (statement.seed) checkSeed(statement.seed, out);
      if (statement.to) checkFileName(statement.to.path, out);
      break;
    case "trace":
      if (statement.sample) checkPercent(statement.sample, out);
      exprs(statement.where);
      break;
    case "wait":
      checkDuration(statement.duration, out);
      break;
    case "show":
      exprs(statement.where, ...(statement.orderBy ?? []).map((k) => k.expr));
      if (statement.limit) checkLimit(statement.limit, out);
      break;
    case "describe":
      checkSource(statement.source, out);
      break;
    case "save":
      checkSource(statement.source, out);
      notAStream(statement.source, "save", out);
      checkFileName(statement.to.path, out);
      break;
    case "explain":
      check(statement.statement, out);
      break;
    case "let":
      exprs(statement.value);
      break;
    case "set":
      if (statement.option === "seed") checkSeed(statement.seed, out);
      else if (statement.option === "stats") checkOnOff(statement.value.name, statement.value.span, out);
      else if (statement.option === "percpu") checkPerCpu(statement.value.name, statement.value.span, out);
      else if (statement.option === "budget") {
        if (statement.budget) checkPercent(statement.budget, out, "budget");
        else if (statement.off && statement.off.name !== "off") out.push(diagnostic(statement.off.span, `'set budget' takes a percentage or off, not '${statement.off.name}'`, "set budget 1%: the probes may take 1% of one CPU"));
      }
      else checkFormat(statement.format.name, statement.format.span, out);
      break;
    case "watch":
      checkDuration(statement.every, out);
      check(statement.query, out);
      break;
    case "stop":
      break;
    case "help":
      if (statement.topic && !helpFor(statement.topic.name)) {
        const near = didYouMean(statement.topic.name, HELP.map((h) => h.name));
        out.push(diagnostic(statement.topic.span, `no statement starts with '${statement.topic.name}'`, ...(near ? [near] : []), "'help' lists them"));
      }
      break;
  }
}

function checkSize(size: SampleSize, out: Diagnostic[]): void {
  if (size.percent) {
    checkPercent(size.percent, out);
    return;
  }
  if (!size.count) return;
  const { text, value, span } = size.count;
  if (!Number.isInteger(value)) {
    out.push(
      diagnostic(
        span,
        `sample count ${text} is not a whole number`,
        `a count is a whole number of entries; did you mean ${text}%?`,
      ),
    );
  } else if (value < 1) {
    out.push(
      diagnostic(
        span,
        `sample count ${text} keeps nothing`,
        "a count is at least 1; a percentage like 1% keeps a share of the entries",
      ),
    );
  } else if (!Number.isSafeInteger(value)) {
    out.push(
      diagnostic(
        span,
        `sample count ${text} is too large`,
        `a count is at most ${Number.MAX_SAFE_INTEGER}`,
      ),
    );
  }
}

/** checkPercent: a sampling probability, above 0% and at most 100%. */
function checkPercent({ fraction, text, span }: PercentLit, out: Diagnostic[], what = "sample size"): void {
  if (!(fraction > 0 && fraction <= 1)) {
    out.push(
      diagnostic(
        span,
        `${what} ${text} is out of range`,
        "a percentage is between 0% (exclusive) and 100%",
      ),
    );
  }
}

function checkSeed(seed: NumberLit, out: Diagnostic[]): void {
  const hint = `a seed is a whole number from 0 to ${U32_MAX}`;
  const value = integerValue(seed.text);
  if (value === undefined) {
    out.push(diagnostic(seed.span, `seed ${seed.text} is not a whole number`, hint));
  } else if (value > BigInt(U32_MAX)) {
    out.push(diagnostic(seed.span, `seed ${seed.text} is out of range`, hint));
  }
}

function checkLimit(limit: NumberLit, out: Diagnostic[]): void {
  const value = integerValue(limit.text);
  const hint = "a limit is a whole number of rows, at least 1";
  if (value === undefined) {
    out.push(diagnostic(limit.span, `limit ${limit.text} is not a whole number`, hint));
  } else if (value < 1n) {
    out.push(diagnostic(limit.span, `limit ${limit.text} keeps nothing`, hint));
  } else if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    out.push(
      diagnostic(
        limit.span,
        `limit ${limit.text} is too large`,
        `a limit is at most ${Number.MAX_SAFE_INTEGER}`,
      ),
    );
  }
}

/** notAStream: statements that need a table of entries refuse a tracepoint. */
function notAStream(ref: SourceRef, what: string, out: Diagnostic[]): void {
  if (!isStream(ref)) return;
  out.push(diagnostic(ref.span, `cannot ${what} a stream: its events are not a table`, "read it with 'sample P% from ...' or 'from ... for 2s'"));
}

/**
 * checkStreamSample: a tracepoint is sampled in the kernel, event by event, so only `sample P%`
 * fits it; `limit` and `for` say when a stream stops, and a map has no use for them.
 */
function checkStreamSample(s: Extract<Statement, { kind: "sample" }>, out: Diagnostic[]): void {
  if (!isStream(s.source)) {
    for (const [clause, span] of [["limit", s.limit?.span], ["for", s.for?.span]] as const) {
      if (span) {
        out.push(diagnostic(span, `'${clause}' is for streams (tracepoints): a sample of a map is sized by 'sample N' or 'sample P%'`, "a plain query (from ...) has 'order by' and 'limit'"));
      }
    }
    return;
  }
  if (s.size.count) out.push(diagnostic(s.size.span, "a stream is sampled event by event in the kernel: use 'sample P%'", "'limit N' stops after N events"));
  if (s.weightedBy && (s.source.kind !== "tracepoint" || s.weightedBy.kind !== "field" || s.weightedBy.path.length !== 1)) {
    out.push(diagnostic(s.weightedBy.span, "a stream is weighted by one integer field of its record: 'weighted by FIELD'", "the kernel keeps each event with probability min(1, w / tau)"));
  }
  if (s.per) out.push(diagnostic(s.per.span, "'per' is not supported for a stream yet"));
}

function checkSource(ref: SourceRef, out: Diagnostic[]): void {
  switch (ref.kind) {
    case "map-id":
      if (!(Number.isInteger(ref.id) && ref.id >= 1 && ref.id <= U32_MAX)) {
        out.push(
          diagnostic(
            ref.span,
            `map id ${ref.id} is out of range`,
            `a map id is a whole number from 1 to ${U32_MAX}`,
            "'show maps' lists the maps and their ids",
          ),
        );
      }
      break;
    case "map-name":
      checkMapName(ref.name, ref.span, out);
      break;
    case "file":
      if (ref.path === "") out.push(diagnostic(ref.span, "empty file name"));
      break;
    case "map-pinned":
    case "tracepoint":
    case "stream":
      break;
  }
}

function checkFileName(path: StringLit, out: Diagnostic[]): void {
  if (path.value === "") out.push(diagnostic(path.span, "empty file name"));
}

function checkPerCpu(name: string, span: Span, out: Diagnostic[]): void {
  if (name === "sum" || name === "each") return;
  out.push(diagnostic(span, `'set percpu' takes sum or each, not '${name}'`, "sum: numbers added over CPUs (the default); each: a row per CPU with a cpu column"));
}

function checkOnOff(name: string, span: Span, out: Diagnostic[]): void {
  if (name === "on" || name === "off") return;
  out.push(diagnostic(span, `'set stats' takes on or off, not '${name}'`, "set stats on: BPF programs count their runs and run time while gms runs"));
}

function checkFormat(name: string, span: Span, out: Diagnostic[]): void {
  if (FORMATS.includes(name)) return;
  const hints = [`a format is ${orList(FORMATS)}`];
  const guess = didYouMean(name, FORMATS);
  if (guess) hints.unshift(guess);
  out.push(diagnostic(span, `unknown format '${name}'`, ...hints));
}

/**
 * checkMapName: a name is what the kernel keeps in `bpf_map_info.name`, which it only accepts
 * made of letters, digits, `_` and `.` (kernel/bpf/syscall.c, bpf_obj_name_cpy). Bare names
 * pass by construction; this catches quoted ones, and a relative path mistaken for a name.
 */
function checkMapName(name: string, span: Span, out: Diagnostic[]): void {
  if (name === "") {
    out.push(diagnostic(span, "empty map name", 'a map is named like events or "syscalls.bss"'));
  } else if (name.includes("/")) {
    out.push(
      diagnostic(
        span,
        `'${name}' is not a map name`,
        'a pinned path starts with \'/\', like "/sys/fs/bpf/foo"',
      ),
    );
  } else if (!/^[A-Za-z0-9_.]+$/.test(name)) {
    out.push(
      diagnostic(
        span,
        `'${name}' is not a map name`,
        "map names hold only letters, digits, '_' and '.'",
      ),
    );
  }
}

/** checkDuration: a length of time to wait: a known unit, longer than zero. */
function checkDuration(duration: DurationLit, out: Diagnostic[]): void {
  if (!checkDurationUnit(duration, out)) return;
  if (!(duration.ms > 0)) {
    out.push(
      diagnostic(
        duration.span,
        `duration ${duration.text} is not longer than zero`,
        "a duration is greater than 0, like 500ms",
      ),
    );
  }
}

/** checkDurationUnit: whether a duration's unit is known; reports it when not. */
function checkDurationUnit(duration: DurationLit, out: Diagnostic[]): boolean {
  const { amount, unit } = splitDuration(duration.text);
  if (nsPerUnit[unit] !== undefined) return true;
  const hints = [`a duration's unit is ${orList(durationUnits)}`];
  const guess = didYouMean(unit, durationUnits);
  if (guess) hints.unshift(guess);
  const span = unitSpan(duration.span, amount);
  out.push(diagnostic(span, `unknown duration unit '${unit}'`, ...hints));
  return false;
}

function unitSpan(span: Span, amount: string): Span {
  const skip = amount.length;
  return { ...span, startOffset: span.startOffset + skip, column: span.column + skip };
}

function checkSizeLit(size: SizeLit, out: Diagnostic[]): void {
  if (!Number.isInteger(size.bytes)) {
    out.push(
      diagnostic(
        size.span,
        `size ${size.text} is not a whole number of bytes`,
        "k and K are 1024 bytes, M 1024^2 and G 1024^3",
      ),
    );
  } else if (!Number.isSafeInteger(size.bytes)) {
    out.push(
      diagnostic(
        size.span,
        `size ${size.text} is too large`,
        `a size is at most ${Number.MAX_SAFE_INTEGER} bytes`,
      ),
    );
  }
}

function checkNumber(n: NumberLit, out: Diagnostic[]): void {
  const value = integerValue(n.text);
  if (value !== undefined && value > U64_MAX) {
    out.push(
      diagnostic(n.span, `${n.text} does not fit in 64 bits`, `the largest integer is ${U64_MAX}`),
    );
  }
}

/** checkExpr: literals in range, functions known with their arguments, regexes valid. */
function checkExpr(e: Expr, out: Diagnostic[]): void {
  switch (e.kind) {
    case "number":
      checkNumber(e, out);
      return;
    case "duration": {
      // A duration in an expression may be zero (`lat > 0us`); a size-like unit gets a hint.
      const { amount, unit } = splitDuration(e.text);
      if (nsPerUnit[unit] !== undefined) return;
      const units = [...durationUnits, ...sizeUnits];
      const hints = [
        `a duration's unit is ${orList(durationUnits)}; a size's is ${orList(sizeUnits)}`,
      ];
      const guess = didYouMean(unit, units);
      if (guess) hints.unshift(guess);
      out.push(diagnostic(unitSpan(e.span, amount), `unknown unit '${unit}'`, ...hints));
      return;
    }
    case "size":
      checkSizeLit(e, out);
      return;
    case "unary":
      checkExpr(e.arg, out);
      return;
    case "binary":
      checkExpr(e.left, out);
      checkExpr(e.right, out);
      if (e.op === "~") checkRegex(e.right, out);
      return;
    case "in":
      checkExpr(e.arg, out);
      for (const x of e.list) checkExpr(x, out);
      return;
    case "call":
      checkCall(e, out);
      for (const x of e.args) checkExpr(x, out);
      return;
    case "field":
    case "string":
    case "percent":
    case "bool":
    case "null":
      return;
  }
}

function checkCall(e: Extract<Expr, { kind: "call" }>, out: Diagnostic[]): void {
  const name = e.fn.name;
  if (name in AGGREGATES) {
    out.push(
      diagnostic(
        e.fn.span,
        `'${name}' is an aggregate, not a function`,
        `aggregates are estimated over a sample: estimate ${name}(...) from ... using sample 1%`,
      ),
    );
    return;
  }
  const arity = FUNCTIONS[name];
  if (arity === undefined) {
    const known = Object.keys(FUNCTIONS);
    const guess = didYouMean(name, [...known, ...Object.keys(AGGREGATES)]);
    out.push(
      diagnostic(
        e.fn.span,
        `unknown function '${name}'`,
        guess ?? `the functions are ${orList(known)}`,
      ),
    );
    return;
  }
  const n = e.args.length;
  if (n < arity.min || n > arity.max) {
    const wanted =
      arity.max === Infinity
        ? `${words(arity.min)} or more arguments`
        : arity.min === 1
          ? "one argument"
          : `${words(arity.min)} arguments`;
    out.push(
      diagnostic(
        e.span,
        `${name}() takes ${wanted}, not ${n}`,
        arity.max === Infinity ? `like ${name}(a, b)` : `like ${name}(qps)`,
      ),
    );
  }
}

function words(n: number): string {
  return ["no", "one", "two", "three"][n] ?? String(n);
}

/** checkRegex: the pattern after `~` is a string literal holding a valid regular expression. */
function checkRegex(pattern: Expr, out: Diagnostic[]): void {
  if (pattern.kind !== "string") {
    out.push(
      diagnostic(
        pattern.span,
        "the pattern after '~' must be a string in double quotes",
        'like comm ~ "^nginx"',
      ),
    );
    return;
  }
  try {
    new RegExp(pattern.value);
  } catch (err) {
    const why = (err as Error).message.replace(/^Invalid regular expression:\s*/i, "");
    out.push(
      diagnostic(
        pattern.span,
        `invalid regular expression: ${why}`,
        "the pattern is a JavaScript regular expression",
      ),
    );
  }
}
