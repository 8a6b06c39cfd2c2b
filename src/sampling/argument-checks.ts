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
