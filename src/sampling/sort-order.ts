/**
 * sort-order: the orders the samplers' finish() puts their kept rows in: by increasing u in
 * expected linear time (ascendingOrder; a comparison sort of 100,000 kept rows costs about 5 ns
 * per entry of a 10M-entry scan, more than the scan itself), and by decreasing weight
 * (weightOrder), with the temporaries they sort in kept from one finish() to the next.
 */

/** Above this many keys in one bucket the keys are taken to be uneven, and sorted by comparison. */
const LARGE_BUCKET = 32;

/** Temporaries up to this many places are kept for the next call (2 MB at most each). */
const TEMP_LIMIT = 1 << 18;

const tempU32s: Uint32Array[] = [new Uint32Array(0), new Uint32Array(0), new Uint32Array(0)];
const tempF64s: Float64Array[] = [new Float64Array(0)];

/**
 * tempU32, tempF64: an array of n places for a temporary, kept for the next call asking for
 * the same slot, and holding whatever that call left. After a scan of millions of entries a
 * finish() sorting 100,000 kept rows spent about a millisecond on allocating and first touching
 * fresh ones. Slots 0 and 1 of tempU32 are ascendingOrder's own; samplers use tempU32 slot 2
 * and tempF64 slot 0 within finish(), calling no code of others before they are done with them.
 * Above TEMP_LIMIT places, a fresh array. Throws nothing.
 */
export function tempU32(slot: 0 | 1 | 2, n: number): Uint32Array {
  if (n > TEMP_LIMIT) return new Uint32Array(n);
  const held = tempU32s[slot]!;
  if (held.length >= n) return held.subarray(0, n);
  const grown = new Uint32Array(Math.min(TEMP_LIMIT, Math.max(n, 2 * held.length)));
  tempU32s[slot] = grown;
  return grown.subarray(0, n);
}

export function tempF64(slot: 0, n: number): Float64Array {
  if (n > TEMP_LIMIT) return new Float64Array(n);
  const held = tempF64s[slot]!;
  if (held.length >= n) return held.subarray(0, n);
  const grown = new Float64Array(Math.min(TEMP_LIMIT, Math.max(n, 2 * held.length)));
  tempF64s[slot] = grown;
  return grown.subarray(0, n);
}

/**
 * ascendingOrder: the indexes 0..n-1 (n = keys.length) ordered by increasing keys[i], equal keys
 * by increasing index (a stable sort), in `order` when given (n places); with `sorted` given
 * (n places), the keys in that order too, which the sort has at hand. A bucket sort: keys are
 * spread over n equal buckets of [lo, hi] (keys outside go to the end buckets) and one
 * insertion sort pass finishes the order, so for keys spread about evenly over that range (the
 * uniforms a sampler kept) it takes expected linear time. When some bucket gets more than
 * LARGE_BUCKET keys it falls back to a comparison sort, so the worst case stays O(n log n). Keys
 * must not be NaN. Throws nothing.
 */
export function ascendingOrder(
  keys: ArrayLike<number>,
  lo: number,
  hi: number,
  sorted?: Float64Array,
  order: Uint32Array = new Uint32Array(keys.length),
): Uint32Array {
  const n = keys.length;
  const out = sorted ?? new Float64Array(n);
  if (n === 0) return order;
  const scale = hi > lo ? n / (hi - lo) : 0;
  const bucketOf = tempU32(0, n);
  const next = tempU32(1, n + 1).fill(0);
  for (let i = 0; i < n; i++) {
    const x = (keys[i]! - lo) * scale;
    // x is NaN only when scale is 0 and a key is infinite; bucket 0 then holds everything.
    const b = x >= n - 1 ? n - 1 : x > 0 ? x >>> 0 : 0;
    bucketOf[i] = b;
    next[b + 1]!++;
  }
  let largest = 0;
  for (let b = 0; b < n; b++) {
    const size = next[b + 1]!;
    if (size > largest) largest = size;
    next[b + 1] = size + next[b]!;
  }
  if (largest > LARGE_BUCKET) {
    const byKey = Array.from({ length: n }, (_, i) => i).sort((x, y) => keys[x]! - keys[y]! || x - y);
    for (let j = 0; j < n; j++) {
      order[j] = byKey[j]!;
      out[j] = keys[byKey[j]!]!;
    }
    return order;
  }
  // Scatter by bucket (stable), with the keys alongside so the last pass reads them in order.
  for (let i = 0; i < n; i++) {
    const at = next[bucketOf[i]!]!++;
    order[at] = i;
    out[at] = keys[i]!;
  }
  // Each key is now at most LARGE_BUCKET places from its final one; `>` keeps ties stable.
  for (let j = 1; j < n; j++) {
    const key = out[j]!;
    if (out[j - 1]! <= key) continue;
    const v = order[j]!;
    let m = j - 1;
    do {
      out[m + 1] = out[m]!;
      order[m + 1] = order[m]!;
      m--;
    } while (m >= 0 && out[m]! > key);
    out[m + 1] = key;
    order[m + 1] = v;
  }
  return order;
}

/** Whether the low 32 bits of a double come first in memory, as weightOrder assumes. */
const LITTLE_ENDIAN = new Uint8Array(new Float64Array([1]).buffer)[7] === 0x3f;

/** Length of the runs weightOrder sorts by insertion before merging them. */
const RUN = 16;

/**
 * weightOrder: the indexes 0..n-1 (n = ws.length) ordered by decreasing ws[i], equal weights by
 * increasing us[i], and equal pairs by increasing index: the order of a stable sort with the
 * comparator (a, b) => ws[b] - ws[a] || us[a] - us[b], for which Infinity equals Infinity.
 * Weights must be positive (or Infinity), uniforms not NaN. Throws nothing.
 *
 * Array.prototype.sort calling a comparator on objects took about 2 ms for the 10,000 rows of a
 * priority sample, and a merge sort in JavaScript about 1 ms, its comparisons mispredicted half
 * the time. Here the typed array's own numeric sort does the work: each weight, negated and
 * with the low mantissa bits replaced by its index, becomes one double, so that sorting those
 * sorts by weight to within those bits and by index; rows whose weights agree to within them
 * (equal weights, mostly) are then put in the exact order, by insertion for a few of them and
 * by mergeWeightOrder when many share a weight.
 */
export function weightOrder(ws: Float64Array, us: Float64Array): Uint32Array {
  const n = ws.length;
  let bits = 1;
  while (1 << bits < n) bits++;
  if (bits > 24 || !LITTLE_ENDIAN) return mergeWeightOrder(ws, us);
  const mask = (1 << bits) - 1;
  const keys = new Float64Array(n);
  const words = new Uint32Array(keys.buffer);
  for (let i = 0; i < n; i++) {
    // -w ascending is w descending; Infinity becomes the largest finite double (its group is
    // then ordered exactly), since an infinite mantissa cannot carry bits. For negative keys a
    // larger mantissa is a smaller key, so mask - i puts lower indexes first.
    const w = ws[i]!;
    keys[i] = -(w < Infinity ? w : Number.MAX_VALUE);
    words[2 * i] = (words[2 * i]! & ~mask) | (mask - i);
  }
  keys.sort();
  const order = new Uint32Array(n);
  for (let j = 0; j < n; j++) order[j] = mask - (words[2 * j]! & mask);
  // Runs of keys equal but for the index bits: weights equal to within 2^(bits - 52) relative.
  let start = 0;
  for (let j = 1; j <= n; j++) {
    const same = j < n && words[2 * j + 1] === words[2 * start + 1];
    if (same && (words[2 * j]! & ~mask) === (words[2 * start]! & ~mask)) continue;
    const size = j - start;
    if (size > 1) {
      if (size > 32) return mergeWeightOrder(ws, us);
      // Insertion sort of the run by the exact order, indexes breaking ties.
      for (let a = start + 1; a < j; a++) {
        const x = order[a]!;
        const wx = ws[x]!;
        const ux = us[x]!;
        let b = a - 1;
        while (b >= start) {
          const y = order[b]!;
          const wy = ws[y]!;
          const uy = us[y]!;
          if (!(wx > wy || (wx === wy && (ux < uy || (ux === uy && x < y))))) break;
          order[b + 1] = y;
          b--;
        }
        order[b + 1] = x;
      }
    }
    start = j;
  }
  return order;
}

/** mergeWeightOrder: weightOrder by a stable merge sort, the comparison inline. */
function mergeWeightOrder(ws: Float64Array, us: Float64Array): Uint32Array {
  const n = ws.length;
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  // Runs of RUN sorted by insertion, moving only past strictly later keys, so that equal keys
  // keep their order.
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let j = lo + 1; j < hi; j++) {
      const x = a[j]!;
      const wx = ws[x]!;
      const ux = us[x]!;
      let m = j - 1;
      while (m >= lo) {
        const y = a[m]!;
        const wy = ws[y]!;
        if (!(wx > wy || (wx === wy && ux < us[y]!))) break;
        a[m + 1] = y;
        m--;
      }
      a[m + 1] = x;
    }
  }
  let b = new Uint32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        const x = a[i]!;
        const y = a[j]!;
        const wx = ws[x]!;
        const wy = ws[y]!;
        // Take from the right run only when strictly before, so that the merge is stable.
        if (wy > wx || (wy === wx && us[y]! < us[x]!)) {
          b[k++] = y;
          j++;
        } else {
          b[k++] = x;
          i++;
        }
      }
      while (i < mid) b[k++] = a[i++]!;
      while (j < hi) b[k++] = a[j++]!;
    }
    const t = a;
    a = b;
    b = t;
  }
  return a;
}
