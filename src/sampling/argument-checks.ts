/** argument-checks: the argument validation shared by the samplers. */

/**
 * checkUnit: returns u when 0 < u < 1. Throws RangeError otherwise (including NaN), since every
 * sampler here assumes its uniforms come from entryUniform or Xoshiro128.nextDouble.
 */
export function checkUnit(u: number): number {
  if (!(u > 0 && u < 1)) throw new RangeError(`u must lie strictly inside (0,1), got ${u}`);
  return u;
}

/** checkSampleSize: returns k when it is an integer >= 1. Throws RangeError otherwise. */
export function checkSampleSize(k: number): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be an integer >= 1, got ${k}`);
  return k;
}
