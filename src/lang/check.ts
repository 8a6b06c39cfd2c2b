import type { DurationLit, MapRef, NumberLit, SampleSize, Statement } from "./ast";
import { diagnostic, type Diagnostic } from "./diagnostic";
import { splitDuration, usPerUnit } from "./literals";
import type { Span } from "./span";
import { didYouMean, orList } from "./suggest";

/** U32_MAX: the largest seed and map id (both are `__u32` in the kernel and the sampler). */
export const U32_MAX = 4_294_967_295;

/**
 * checkStatement: the checks one statement needs before it can be planned, made without the
 * kernel: sizes, durations, seeds and map ids in range, quoted map names well formed.
 */
export function checkStatement(statement: Statement): Diagnostic[] {
  const out: Diagnostic[] = [];
  switch (statement.kind) {
    case "sample":
      checkSize(statement.size, out);
      checkMapRef(statement.source, out);
      if (statement.seed) checkSeed(statement.seed, out);
      break;
    case "wait":
      checkDuration(statement.duration, out);
      break;
    case "trace":
    case "stop":
    case "show":
      break;
  }
  return out;
}

function checkSize(size: SampleSize, out: Diagnostic[]): void {
  if (size.percent) {
    const { fraction, text, span } = size.percent;
    if (!(fraction > 0 && fraction <= 1)) {
      out.push(
        diagnostic(
          span,
          `sample size ${text} is out of range`,
          "a percentage is between 0% (exclusive) and 100%",
        ),
      );
    }
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

function checkSeed(seed: NumberLit, out: Diagnostic[]): void {
  const hint = `a seed is a whole number from 0 to ${U32_MAX}`;
  if (!/^\d+$/.test(seed.text)) {
    out.push(diagnostic(seed.span, `seed ${seed.text} is not a whole number`, hint));
  } else if (BigInt(seed.text) > BigInt(U32_MAX)) {
    out.push(diagnostic(seed.span, `seed ${seed.text} is out of range`, hint));
  }
}

function checkMapRef(ref: MapRef, out: Diagnostic[]): void {
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
    case "map-pinned":
      break;
  }
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

function checkDuration(duration: DurationLit, out: Diagnostic[]): void {
  const { amount, unit } = splitDuration(duration.text);
  if (usPerUnit[unit] === undefined) {
    const units = Object.keys(usPerUnit);
    const unitSpan: Span = {
      ...duration.span,
      startOffset: duration.span.startOffset + amount.length,
      column: duration.span.column + amount.length,
    };
    const hints = [`a duration's unit is ${orList(units)}`];
    const guess = didYouMean(unit, units);
    if (guess) hints.unshift(guess);
    out.push(diagnostic(unitSpan, `unknown duration unit '${unit}'`, ...hints));
  } else if (!(duration.ms > 0)) {
    out.push(
      diagnostic(
        duration.span,
        `duration ${duration.text} is not longer than zero`,
        "a duration is greater than 0, like 500ms",
      ),
    );
  }
}
