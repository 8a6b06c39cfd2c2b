/** Keys sampled to estimate where to prune a full buffer. */
const SAMPLE = 512;

/**
 * LargestK: the m entries with the largest keys seen so far, in O(m) memory and amortized O(1)
 * time per added entry: the store behind the bottom-k and priority samplers.
 *
 * Entries are appended to a buffer of capacity 2m + 16. When it fills, a cut is estimated from a
 * sample of 512 keys such that a little more than m keys lie above it (checked by counting;
 * otherwise the exact m-th largest key is found by quickselect), the entries at or below it are
 * dropped in one branch-free pass, and the cut becomes `threshold`. An entry whose key is at most
 * the threshold can never be among the m largest, so callers test keys against it before adding;
 * it only rises. compact() keeps exactly the m largest. This replaced a binary heap, whose sift
 * on every insertion cost about 110 ns in mispredicted branches, against about 25 ns per added
 * entry here.
 *
 * Each entry carries a value and two numbers (`a`, `b`) for the caller. Keys must not be NaN.
 * Which of several entries with keys equal to the m-th largest is kept depends on the order
 * they came in.
 */
export class LargestK<V> {
  private keys: Float64Array;
  private values: V[];
  private as: Float64Array;
  private bs: Float64Array;
  private scratch: Float64Array | undefined;
  private count = 0;
  private m: number;
  /** Entries with a key <= threshold are not among the m largest; -Infinity until known. */
  threshold = -Infinity;

  /** LargestK constructor: keeps the m largest. Throws RangeError unless m is an integer >= 1. */
  constructor(m: number) {
    if (!Number.isInteger(m) || m < 1) throw new RangeError(`m must be an integer >= 1, got ${m}`);
    this.m = m;
    const capacity = 2 * m + 16;
    this.keys = new Float64Array(capacity);
    this.values = new Array<V>(capacity);
    this.as = new Float64Array(capacity);
    this.bs = new Float64Array(capacity);
  }

  /** LargestK.size: the number of entries held, at most m after compact(). */
  get size(): number {
    return this.count;
  }

  /** LargestK.limit: the number of entries kept, m. */
  get limit(): number {
    return this.m;
  }

  /**
   * LargestK.add: adds an entry; callers skip keys <= threshold, which cannot be kept (adding
   * them is harmless). May run a selection, raising threshold. Throws nothing.
   */
  add(key: number, value: V, a: number, b: number): void {
    let i = this.count;
    if (i === this.keys.length) {
      this.prune();
      i = this.count;
    }
    this.keys[i] = key;
    this.values[i] = value;
    this.as[i] = a;
    this.bs[i] = b;
    this.count = i + 1;
  }

  /**
   * LargestK.mapKeys: replaces every key held, and the threshold, by f of it; f must be
   * increasing (as Math.log is on positive keys), so that what is kept and the threshold's
   * meaning stay as they were. A threshold of -Infinity stays. Throws what f throws.
   */
  mapKeys(f: (key: number) => number): void {
    const keys = this.keys;
    for (let i = 0; i < this.count; i++) keys[i] = f(keys[i]!);
    if (this.threshold !== -Infinity) this.threshold = f(this.threshold);
  }

  /**
   * LargestK.shrink: keeps only the m' = m - 1 largest from now on (the entries beyond go at
   * the next selection). The threshold stays valid, the m'-th largest being at least the m-th.
   * Throws RangeError when m is already 1.
   */
  shrink(): void {
    if (this.m === 1) throw new RangeError("cannot keep fewer than 1 entry");
    this.m--;
  }

  /**
   * LargestK.compact: drops all but the m largest entries (only when more are held); once m are
   * held, threshold is the smallest key held. Throws nothing.
   */
  compact(): void {
    const m = this.m;
    const n = this.count;
    if (n < m) return;
    const keys = this.keys;
    if (n === m) {
      let min = keys[0]!;
      for (let i = 1; i < m; i++) if (keys[i]! < min) min = keys[i]!;
      this.raise(min);
      return;
    }
    // Find the m-th largest key t on a scratch copy, where a selection only moves one array,
    // then keep the entries above t, and as many equal to t as fit.
    const scratch = this.scratchOf(n);
    scratch.set(keys.subarray(0, n));
    const t = nthLargest(scratch, n, m - 1);
    this.keepAbove(t, m - countAbove(keys, n, t));
    this.raise(t);
  }

  /**
   * prune: when the buffer is full, drops the entries below a cut estimated from a sample of
   * the keys, keeping somewhat more than m, which is cheaper than finding the exact m-th
   * largest. Falls back to compact() when the cut would keep fewer than m.
   */
  private prune(): void {
    const m = this.m;
    const n = this.count;
    if (n < 4 * SAMPLE) {
      this.compact();
      return;
    }
    const keys = this.keys;
    // Take the cut as the q-th largest of SAMPLE keys at even strides, q 3 sigma above the
    // expected rank of the m-th largest (binomial), so that it keeps at least m nearly always.
    const sample = this.scratchOf(SAMPLE).subarray(0, SAMPLE);
    const stride = n * (1 / SAMPLE);
    for (let i = 0; i < SAMPLE; i++) sample[i] = keys[Math.floor(i * stride)]!;
    const f = m / n;
    const q = Math.ceil(SAMPLE * f + 3 * Math.sqrt(SAMPLE * f * (1 - f))) + 1;
    if (q >= SAMPLE) {
      this.compact();
      return;
    }
    // The q-th largest by quickselect, about a quarter of the cost of sorting the sample.
    const cut = nthLargest(sample, SAMPLE, q - 1);
    if (countAbove(keys, n, cut) < m) {
      this.compact();
      return;
    }
    const j = keepAboveCut(keys, this.values, this.as, this.bs, n, cut);
    for (let i = j; i < n; i++) this.values[i] = undefined as V;
    this.count = j;
    this.raise(cut);
  }

  /** keepAbove: keeps the entries with key > t and the first `equal` ones with key === t. */
  private keepAbove(t: number, equal: number): void {
    const n = this.count;
    const keys = this.keys;
    const values = this.values;
    const as = this.as;
    const bs = this.bs;
    let j = 0;
    for (let i = 0; i < n; i++) {
      const key = keys[i]!;
      if (key > t || (key === t && equal-- > 0)) {
        if (i !== j) {
          keys[j] = key;
          values[j] = values[i]!;
          as[j] = as[i]!;
          bs[j] = bs[i]!;
        }
        j++;
      }
    }
    // Let go of the dropped values.
    for (let i = j; i < n; i++) values[i] = undefined as V;
    this.count = j;
  }

  private scratchOf(n: number): Float64Array {
    if (this.scratch === undefined || this.scratch.length < n) this.scratch = new Float64Array(Math.max(n, this.keys.length));
    return this.scratch;
  }

  /**
   * LargestK.held: the entries held, in no particular order, as views of the store's own arrays
   * (no copy, no callback per entry): entry i < n has key keys[i], value values[i] and numbers
   * as[i] and bs[i]. Read only, and valid until the next add, compact or mapKeys. Throws nothing.
   */
  held(): { n: number; keys: Float64Array; values: readonly V[]; as: Float64Array; bs: Float64Array } {
    return { n: this.count, keys: this.keys, values: this.values, as: this.as, bs: this.bs };
  }

  private raise(t: number): void {
    if (t > this.threshold) this.threshold = t;
  }
}

// prune's loops are functions of their own, each a loop and a return. The first prune runs
// while they are compiled (entered mid-loop), and code compiled with a loop but after it has
// not run yet then: it was compiled blind and thrown out when it first ran, prunes later.
// Branch-free (+(a > b) compiles to a flag read): about half the keys pass, and a branch on
// each would be mispredicted half the time.

/** countAbove: how many of keys[0..n) are above cut (also for compact and PrioritySampler.finish). */
export function countAbove(keys: Float64Array, n: number, cut: number): number {
  let above = 0;
  for (let i = 0; i < n; i++) above += +(keys[i]! > cut);
  return above;
}

/**
 * keepAboveCut: moves the entries of keys[0..n) above cut (and their values, as and bs) to the
 * front, in order, and returns how many there are; the places after them hold stale entries.
 */
function keepAboveCut<V>(keys: Float64Array, values: V[], as: Float64Array, bs: Float64Array, n: number, cut: number): number {
  let j = 0;
  for (let i = 0; i < n; i++) {
    const key = keys[i]!;
    keys[j] = key;
    values[j] = values[i]!;
    as[j] = as[i]!;
    bs[j] = bs[i]!;
    j += +(key > cut);
  }
  return j;
}

/**
 * nthLargest: the key a descending sort of xs[0..n) would put at position t, found by Hoare's
 * quickselect in Wirth's form with a median-of-three pivot; reorders xs. Expected O(n).
 */
export function nthLargest(xs: Float64Array, n: number, t: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const x = median3(xs[lo]!, xs[(lo + hi) >>> 1]!, xs[hi]!);
    let i = lo;
    let j = hi;
    do {
      while (xs[i]! > x) i++;
      while (x > xs[j]!) j--;
      if (i <= j) {
        const v = xs[i]!;
        xs[i] = xs[j]!;
        xs[j] = v;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < t) lo = i;
    if (t < i) hi = j;
  }
  return xs[t]!;
}

function median3(a: number, b: number, c: number): number {
  if (a < b) return b < c ? b : a < c ? c : a;
  return a < c ? a : b < c ? c : b;
}
