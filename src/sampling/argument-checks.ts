/** argument-checks: the argument validation shared by the samplers. */

/**
 * badUnit: throws the RangeError for a uniform u outside (0,1), which every sampler here refuses,
 * since they assume their uniforms come from entryUniform or Xoshiro128.nextDouble. Out of line,
 * so that the samplers' offer() stays small enough to inline into the caller's loop; the
 * samplers fold the range check into the comparisons that decide.
 */
export function badUnit(u: number): never {
  throw new RangeError(`u must lie strictly inside (0,1), got ${u}`);
}

/** checkSampleSize: returns k when it is an integer >= 1. Throws RangeError otherwise. */
export function checkSampleSize(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  return k;
}

/**
 * checkBatch: checks the row range [from, to) of a batch offered to a sampler's offerMany:
 * integers with 0 <= from <= to, and us, and ws and targets when given, holding at least `to`
 * rows. Throws RangeError otherwise, before any row is offered.
 */
export function checkBatch(
  from: number,
  to: number,
  us: Float64Array,
  ws?: Float64Array,
  targets?: Float64Array,
): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from <= to)) {
    throw new RangeError(`a batch's rows must be integers 0 <= from <= to, got [${from}, ${to})`);
  }
  shortBatch(us, to);
  if (ws !== undefined) shortBatch(ws, to);
  if (targets !== undefined) shortBatch(targets, to);
}

function shortBatch(a: Float64Array, to: number): void {
  if (a.length < to) throw new RangeError(`a batch array holds ${a.length} rows, fewer than to = ${to}`);
}
