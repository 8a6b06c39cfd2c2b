/**
 * sort-order: the order that sorts a batch of uniforms, in expected linear time, for the samplers'
 * finish(): a comparison sort of 100,000 kept rows costs about 5 ns per entry of a 10M-entry
 * scan, more than the scan itself.
 */

/** Above this many keys in one bucket the keys are taken to be uneven, and sorted by comparison. */
const LARGE_BUCKET = 32;

/**
 * ascendingOrder: the indexes 0..n-1 (n = keys.length) ordered by increasing keys[i], equal keys
 * by increasing index (a stable sort). A bucket sort: keys are spread over n equal buckets of
 * [lo, hi] (keys outside go to the end buckets) and one insertion sort pass finishes the
 * order, so for keys spread about evenly over that range (the uniforms a sampler kept) it
 * takes expected linear time. When some bucket gets more than LARGE_BUCKET keys it falls back to
 * a comparison sort, so the worst case stays O(n log n). Keys must not be NaN. Throws nothing.
 */
export function ascendingOrder(keys: ArrayLike<number>, lo: number, hi: number): Uint32Array {
  const n = keys.length;
  const order = new Uint32Array(n);
  if (n === 0) return order;
  const scale = hi > lo ? n / (hi - lo) : 0;
  const bucketOf = new Uint32Array(n);
  const next = new Uint32Array(n + 1);
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
    for (let i = 0; i < n; i++) order[i] = i;
    return Uint32Array.from(Array.from(order).sort((x, y) => keys[x]! - keys[y]! || x - y));
  }
  // Scatter by bucket (stable), with the keys alongside so the last pass reads them in order.
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const at = next[bucketOf[i]!]!++;
    order[at] = i;
    sorted[at] = keys[i]!;
  }
  // Each key is now at most LARGE_BUCKET places from its final one; `>` keeps ties stable.
  for (let j = 1; j < n; j++) {
    const key = sorted[j]!;
    if (sorted[j - 1]! <= key) continue;
    const v = order[j]!;
    let m = j - 1;
    do {
      sorted[m + 1] = sorted[m]!;
      order[m + 1] = order[m]!;
      m--;
    } while (m >= 0 && sorted[m]! > key);
    sorted[m + 1] = key;
    order[m + 1] = v;
  }
  return order;
}

/** Length of the runs weightOrder sorts by insertion before merging them. */
const RUN = 16;

/**
 * weightOrder: the indexes 0..n-1 (n = ws.length) ordered by decreasing ws[i], equal weights by
 * increasing us[i], and equal pairs by increasing index: the order of a stable sort with the
 * comparator (a, b) => ws[b] - ws[a] || us[a] - us[b], for which Infinity equals Infinity. A
 * merge sort with the comparison inline, far cheaper than Array.prototype.sort calling a
 * comparator on objects (about 2 ms for the 10,000 rows of a priority sample). Keys must not
 * be NaN. Throws nothing.
 */
export function weightOrder(ws: Float64Array, us: Float64Array): Uint32Array {
  const n = ws.length;
  let a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  // Runs of RUN sorted by insertion; `before` is strict, so equal keys keep their order.
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
