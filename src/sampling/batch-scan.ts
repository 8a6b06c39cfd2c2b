/**
 * batch-scan: the inner loops of the samplers' offerMany. Each scans a stretch of a batch for
 * the rows that a sampler's fast rejection does not settle and writes their indexes to `hits`,
 * so that the sampler then runs its exact per-row logic on those rows only, in order.
 *
 * The loops are functions of their own, with no calls inside and unrolled (8 and 4 rows a
 * step, from the two halves of the stretch), which also makes them too large for
 * JavaScriptCore to inline into offerMany. That matters: inlined into a loop that calls into
 * the sampler on its rare path, or written there, the scan had its counter, bounds and
 * constants spilled to the stack by the FTL compiler and cost about 1.2 to 1.5 times as much.
 * A row the scan lets through may still be dropped by the exact logic (the scan may also use a
 * threshold older than the sampler's current one: thresholds only rise, so that gives more
 * hits, never fewer), and a row it rejects is one that the exact logic would reject too, as the
 * comments below show.
 */

/** CHUNK: the most rows one scan looks at, so that `hits` needs at most CHUNK places. */
export const CHUNK = 4096;

let spare: Int32Array | undefined;

/**
 * takeHits: a scratch array of CHUNK indexes for one offerMany, shared between calls; a call
 * made while another holds it (from inside an item callback) gets a new one. Throws nothing.
 */
export function takeHits(): Int32Array {
  const hits = spare ?? new Int32Array(CHUNK);
  spare = undefined;
  return hits;
}

/** giveHits: hands a scratch array back once offerMany is done with it. Throws nothing. */
export function giveHits(hits: Int32Array): void {
  spare = hits;
}

/**
 * Margin of the band test below. For lo in [0, 1] the computed c and r are within 2^-54 of
 * (1 + lo)/2 and (1 - lo)/2 less the margin, and the computed |u - c| within 2^-53 of |u - c|
 * (Sterbenz and half-ulp bounds for values at most 1), so a computed |u - c| < r implies
 * lo < u < 1 exactly. NaN and infinite u fail the test.
 */
const BAND_MARGIN = 2 ** -50;

/**
 * scanAbove: writes to hits, in order, the indexes i in [from, to) (to - from <= CHUNK) for
 * which lo < us[i] < 1 does not clearly hold, and returns how many: the rows with u near or
 * below lo, which a sampler keeping the u below lo may keep, and the rows whose u is not inside
 * (0,1). One comparison a row: |u - c| < r with c the middle of (lo, 1). For lo >= 1 or
 * lo = Infinity (nothing rejected yet) every row is a hit. The two halves of the stretch are
 * scanned side by side, as in scanPriorities. Throws nothing.
 */
export function scanAbove(us: Float64Array, from: number, to: number, lo: number, hits: Int32Array): number {
  const c = (1 + lo) / 2;
  const r = (1 - lo) / 2 - BAND_MARGIN;
  // Rows per half, a multiple of 4; the last 0-7 rows of the stretch are scanned after the halves.
  const size = ((to - from) >> 3) << 2;
  let m = 0;
  let m2 = size;
  for (let i = from, k = from + size; i < from + size; i += 4, k += 4) {
    const d0 = Math.abs(us[i]! - c);
    const d1 = Math.abs(us[i + 1]! - c);
    const d2 = Math.abs(us[i + 2]! - c);
    const d3 = Math.abs(us[i + 3]! - c);
    const d4 = Math.abs(us[k]! - c);
    const d5 = Math.abs(us[k + 1]! - c);
    const d6 = Math.abs(us[k + 2]! - c);
    const d7 = Math.abs(us[k + 3]! - c);
    if (!(d0 < r)) hits[m++] = i;
    if (!(d1 < r)) hits[m++] = i + 1;
    if (!(d2 < r)) hits[m++] = i + 2;
    if (!(d3 < r)) hits[m++] = i + 3;
    if (!(d4 < r)) hits[m2++] = k;
    if (!(d5 < r)) hits[m2++] = k + 1;
    if (!(d6 < r)) hits[m2++] = k + 2;
    if (!(d7 < r)) hits[m2++] = k + 3;
  }
  // The second half's hits follow the first half's (m <= size, so none is overwritten unread).
  for (let j = size; j < m2; j++) hits[m++] = hits[j]!;
  for (let i = from + 2 * size; i < to; i++) {
    if (Math.abs(us[i]! - c) < r) continue;
    hits[m++] = i;
  }
  return m;
}

/**
 * TINY: 2^-1000, a normal number far below any weight or priority of interest. Fast rejections
 * ask for values above it, so that the products they compare are normal numbers, each within
 * a relative 2^-53 of the exact one.
 */
export const TINY = 2 ** -1000;

/**
 * scanPriorities: writes to hits, in order, the indexes i in [from, to) (to - from <= CHUNK)
 * of the rows that the priority sampler's fast rejection does not settle, and returns how many.
 * For cut > 0 (0 rejects nothing), a row is rejected when, with v = 1 - u and h = cut/2 u v,
 *
 *   |w v - h| < h - TINY, as computed,
 *
 * one comparison where the plain test (w < cut u, u < 1, w > 0) takes three. It implies
 * h > 0, so u > 0 and v > 0 (u < 1); then w v > 0, so w > 0; and 0 < w v < 2h, so
 * w < cut u, to within a few roundings of 2^-53 relative (h and w v are normal numbers, above
 * TINY, and the same rounded v multiplies both sides): a row rejected here is valid and has
 * w < cut u (1 + 2^-50), which PrioritySampler's cut margin covers (see updateCut). NaN or
 * infinite u or w fail the test. Throws nothing.
 *
 * The two halves of the stretch are scanned side by side, two rows of each a step, their hits
 * written from hits[0] and from hits[size] and then joined, so that four streams of memory
 * (the two arrays at two places) are read at once rather than two. For a batch in memory (not
 * in cache) that is what limits the scan: 10M entries scanned about 0.2-0.3 times the floor's
 * time faster than by four adjacent rows a step (bench/sampling), for the same arithmetic.
 */
export function scanPriorities(
  us: Float64Array,
  ws: Float64Array,
  from: number,
  to: number,
  cut: number,
  hits: Int32Array,
): number {
  const half = cut / 2;
  // Rows per half, even; the last 0-3 rows of the stretch are scanned after the halves.
  const size = ((to - from) >> 2) << 1;
  let m = 0;
  let m2 = size;
  for (let i = from, k = from + size; i < from + size; i += 2, k += 2) {
    const u0 = us[i]!;
    const v0 = 1 - u0;
    const h0 = half * u0 * v0;
    const u1 = us[i + 1]!;
    const v1 = 1 - u1;
    const h1 = half * u1 * v1;
    const u2 = us[k]!;
    const v2 = 1 - u2;
    const h2 = half * u2 * v2;
    const u3 = us[k + 1]!;
    const v3 = 1 - u3;
    const h3 = half * u3 * v3;
    if (!(Math.abs(ws[i]! * v0 - h0) < h0 - TINY)) hits[m++] = i;
    if (!(Math.abs(ws[i + 1]! * v1 - h1) < h1 - TINY)) hits[m++] = i + 1;
    if (!(Math.abs(ws[k]! * v2 - h2) < h2 - TINY)) hits[m2++] = k;
    if (!(Math.abs(ws[k + 1]! * v3 - h3) < h3 - TINY)) hits[m2++] = k + 1;
  }
  // The second half's hits follow the first half's (m <= size, so none is overwritten unread).
  for (let j = size; j < m2; j++) hits[m++] = hits[j]!;
  for (let i = from + 2 * size; i < to; i++) {
    const u = us[i]!;
    const v = 1 - u;
    const h = half * u * v;
    if (Math.abs(ws[i]! * v - h) < h - TINY) continue;
    hits[m++] = i;
  }
  return m;
}
