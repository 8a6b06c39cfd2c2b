import { badUnit, checkBatch, checkSampleSize } from "./argument-checks";
import { CHUNK, giveHits, scanPriorities, takeHits, TINY } from "./batch-scan";
import { countAbove, LargestK, nthLargest } from "./largest-k";
import type { KeptItem, SampleResult } from "./result";
import { weightOrder } from "./sort-order";

/**
 * TooManyInfiniteWeightsError: more than k rows had weight +Infinity. Each must be kept with
 * probability 1, and a sample of k cannot hold them all.
 */
export class TooManyInfiniteWeightsError extends RangeError {
  override name = "TooManyInfiniteWeightsError";

  constructor(readonly k: number) {
    super(`more than k = ${k} rows have an infinite weight; each must be kept, so k is too small`);
  }
}

/**
 * AllWeightsZeroError: rows were offered, some with weight 0, and none with a positive weight,
 * so every row has inclusion probability 0 and no sample can be drawn.
 */
export class AllWeightsZeroError extends RangeError {
  override name = "AllWeightsZeroError";

  constructor(
    readonly zeroWeight: number,
    readonly excluded: number,
  ) {
    super(
      `all weights are zero (${zeroWeight} rows with weight 0` +
        `${excluded > 0 ? `, ${excluded} with no valid weight` : ""}): nothing can be sampled`,
    );
  }
}

/** PrioritySampleResult: a priority sample, with the weight policy's counts and sums. */
export interface PrioritySampleResult<T> extends SampleResult<T> {
  zeroWeight: number;
  /** Priority sampling threshold in the caller's units (see PrioritySampler.finish). */
  tau: number;
  /** ln(tau), finite even where tau itself overflows; -Infinity when tau is 0. */
  logTau: number;
  /** Rows kept for an infinite weight (prob 1). */
  infiniteWeight: number;
  /**
   * Sum of the `target` values given with the rows counted in `excluded` (null, NaN, negative
   * or -Infinity weight), so that what the sample cannot represent is reported, not lost.
   */
  excludedTargetSum: number;
  /** Sum of the `target` values given with the rows counted in `zeroWeight`. */
  zeroWeightTargetSum: number;
}

/** The smallest positive normal double, 2^-1022. */
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * logPriority: ln(w/u) for 0 < u < 1 and 0 < w < Infinity, from one logarithm while w/u is a
 * normal double (to within 2^-53 relative), else from two; either is within about 1e-13 of the
 * exact value. Throws nothing.
 */
function logPriority(u: number, w: number): number {
  const q = w / u;
  return q < Infinity && q >= MIN_NORMAL ? Math.log(q) : Math.log(w) - Math.log(u);
}

/** Relative margin of the fast rejection test, far above the rounding error of the keys. */
const CUT_MARGIN = 1e-9;

/**
 * ExactSum: a compensated (Neumaier) running sum, accurate to about one rounding of the total
 * whatever the order and magnitudes of the terms, so that the reported sums of left-out targets
 * are the exact sums for all practical purposes. Infinite or NaN terms give the IEEE sum.
 */
class ExactSum {
  private sum = 0;
  private compensation = 0;
  private naive = 0;

  add(x: number): void {
    this.naive += x;
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return Number.isFinite(this.naive) ? this.sum + this.compensation : this.naive;
  }
}

/**
 * NO_CUT: the cut that rejects nothing: -0, which is 0 for every comparison but which
 * JavaScriptCore can only hold as a double, as every later cut is. With 0, held as an int32,
 * scanPriorities was compiled for an int32 cut during the first batches and thrown out at
 * every call once the cut became a double, so the scan ran unoptimized through most of a
 * large read (priority sampling of 1M entries in a fresh process: 33 ms -> 21 ms in offerMany).
 */
const NO_CUT = -0;

/**
 * PrioritySampler: priority sampling of k items by weight (Duffield, Lund and Thorup, "Priority
 * sampling for estimation of arbitrary subset sums", J. ACM 54(6), 2007). An item offered with
 * uniform u and weight w has priority w/u; the k largest priorities are kept and the (k+1)-th
 * largest is the threshold tau. Each kept item's prob is min(1, w/tau), and sum(value / prob)
 * over the kept items is an unbiased estimate of the sum over all items.
 *
 * Scale: priorities are compared as w/u while every one so far is a normal double (the usual
 * case, and no logarithm per kept row), and from the first one that is not (w/u overflows or
 * falls below 2^-1022) as ln(w/u), taken as ln(w) - ln(u) where w/u would leave the normal
 * range: the keys held are then turned into their logarithms, which keeps their order. That is
 * what dividing every weight by the largest one would give, up to a constant, without needing
 * the largest one in advance: weights of 1e-300 and of 1e300 behave alike (the same uniforms
 * give the same sample) and no priority overflows, while the sampler stays streaming with O(k)
 * memory. tau and prob are reported in the caller's units.
 *
 * Weight policy:
 * - NaN, negative numbers, -Infinity and non-numbers (null) are left out and counted in
 *   `excluded`; zero weights (inclusion probability 0) are left out and counted in `zeroWeight`.
 *   The `target` values given with left-out rows are summed into `excludedTargetSum` and
 *   `zeroWeightTargetSum`.
 * - +Infinity weights are kept with prob 1, each taking one of the k places; more than k of them
 *   throw TooManyInfiniteWeightsError.
 * - finish() throws AllWeightsZeroError when rows of weight 0 were offered and none of positive
 *   weight.
 *
 * Speed: a row whose priority is clearly below the current threshold (w < cut * u) is rejected
 * by one multiplication and a few comparisons, without logarithms or allocation (offerMany: a
 * few multiplications and one comparison, in a loop over the batch); the rest are kept in a
 * LargestK buffer, amortized O(1) each.
 */
export class PrioritySampler<T> {
  /**
   * The largest finite priorities, keyed by priority (w/u) or, once logKeys, by its logarithm,
   * with a = u and b = w: places + 1 of them once compacted, the smallest of which is the
   * threshold tau.
   */
  private readonly top: LargestK<T>;
  /** Whether the keys are ln(w/u): some priority was not a normal double (see the class). */
  private logKeys = false;
  /** Rows kept for an infinite weight, with their uniforms. */
  private readonly infinite: Array<{ item: T; u: number }> = [];
  /** Places left for finite weights: k minus the infinite weights kept. */
  private places: number;
  /**
   * Rows with w < cut * u are certainly below top.threshold: cut is exp(threshold) less a
   * relative margin, and NO_CUT (rejecting nothing) before there is a threshold or where exp
   * overflows or underflows.
   */
  private cut = NO_CUT;
  private offered = 0;
  private excluded = 0;
  private zeroWeight = 0;
  private readonly excludedSum = new ExactSum();
  private readonly zeroWeightSum = new ExactSum();

  /** PrioritySampler constructor: throws RangeError unless k is an integer >= 1. */
  constructor(readonly k: number) {
    checkSampleSize(k);
    this.places = k;
    this.top = new LargestK<T>(k + 1);
  }

  /**
   * PrioritySampler.mightKeep: false when a row offered with (u, w) now would certainly not be
   * kept, so a caller can skip copying it (and offer a placeholder, which is never kept).
   */
  mightKeep(u: number, w: number): boolean {
    return w > 0 && !(w < this.cut * u && w > TINY);
  }

  /**
   * PrioritySampler.offer: offers `item` with uniform u and weight w under the weight policy of
   * the class; `target`, when given, is the value to be estimated for this row, summed when the
   * row is left out for its weight. Throws RangeError unless 0 < u < 1 (whatever the weight),
   * and TooManyInfiniteWeightsError for the (k+1)-th infinite weight; either leaves the sampler
   * as it was.
   */
  offer(u: number, w: number, item: T, target?: number): void {
    // Fast rejection: w > 0 and u < 1 make the row valid (u <= 0 or NaN makes cut * u <= 0 or
    // NaN, failing w < cut * u); typeof keeps strings, which compare as numbers, on the slow path.
    // w > TINY rather than w > 0 keeps cut * u a normal number, rounded to within 2^-53.
    if (w < this.cut * u && u < 1 && w > TINY && typeof w === "number") {
      this.offered++;
      return;
    }
    this.offerSlow(u, w, item, undefined, 0, target);
  }

  /**
   * PrioritySampler.offerMany: offers rows from..to-1 of a batch, row i with uniform us[i],
   * weight ws[i], item `item(i)` and, when `targets` is given, target targets[i], exactly as
   * offer(us[i], ws[i], item(i), targets?.[i]) for each row in turn would: the same sample,
   * tau, counts and sums (a weight left out as null goes in as NaN, which the policy treats
   * alike). For callers that read entries in batches (the executor gets them from the kernel
   * 4096 at a time): a tight loop over the typed arrays (batch-scan) finds the rows the fast
   * rejection does not settle and only those get the per-row logic, the offered count is
   * updated once per batch, and `item` is called only for the rows that might be kept (no more
   * than mightKeep would pass), so the others are never copied out.
   * Throws RangeError for a bad range or arrays shorter than `to` (before any row is offered)
   * and for the first row whose u is not inside (0,1), TooManyInfiniteWeightsError for the
   * (k+1)-th infinite weight, and passes on what `item` throws; either way the rows before that
   * one stay offered, and that row and the rest are not.
   */
  offerMany(
    us: Float64Array,
    ws: Float64Array,
    from: number,
    to: number,
    item: (i: number) => T,
    targets?: Float64Array,
  ): void {
    checkBatch(from, to, us, ws, targets);
    const top = this.top;
    // offered = base + i while row i is being offered.
    const base = this.offered - from;
    const hits = takeHits();
    for (let start = from; start < to; start += CHUNK) {
      // The rows the fast rejection does not settle, by the cut as it is now.
      const m = scanPriorities(us, ws, start, Math.min(start + CHUNK, to), this.cut, hits);
      for (let j = 0; j < m; j++) {
        const i = hits[j]!;
        const u = us[i]!;
        const w = ws[i]!;
        // offer()'s fast rejection, by the cut as it is now (w is a number here).
        if (w < this.cut * u && u < 1 && w > TINY) continue;
        this.offered = base + i;
        if (u > 0 && u < 1 && w > 0 && w < Infinity) {
          // offerSlow's last case, the usual one, inline.
          const key = this.keyOf(u, w);
          if (key > top.threshold) {
            const kept = item(i);
            const before = top.threshold;
            top.add(key, kept, u, w);
            if (top.threshold !== before) this.updateCut();
          }
        } else {
          this.offerSlow(u, w, undefined as T, item, i, targets === undefined ? undefined : targets[i]);
        }
      }
    }
    giveHits(hits);
    this.offered = base + to;
  }

  /**
   * offerSlow: a row the fast rejection let through. Its item is `item`, or `items(i)` when
   * `items` is given, asked for only when the row is kept and before anything changes, so that
   * when it throws the row is not offered.
   */
  private offerSlow(
    u: number,
    w: number,
    item: T,
    items: ((i: number) => T) | undefined,
    i: number,
    target: number | undefined,
  ): void {
    if (!(u > 0 && u < 1)) badUnit(u);
    if (typeof w !== "number" || !(w >= 0)) {
      this.offered++;
      this.excluded++;
      if (target !== undefined) this.excludedSum.add(target);
      return;
    }
    if (w === 0) {
      this.offered++;
      this.zeroWeight++;
      if (target !== undefined) this.zeroWeightSum.add(target);
      return;
    }
    if (w === Infinity) {
      if (this.infinite.length === this.k) throw new TooManyInfiniteWeightsError(this.k);
      const kept = items === undefined ? item : items(i);
      this.offered++;
      this.infinite.push({ item: kept, u });
      this.places--;
      this.top.shrink();
      return;
    }
    const key = this.keyOf(u, w);
    const top = this.top;
    if (key > top.threshold) {
      const kept = items === undefined ? item : items(i);
      const before = top.threshold;
      top.add(key, kept, u, w);
      if (top.threshold !== before) this.updateCut();
    }
    this.offered++;
  }

  /** keyOf: the key of a valid row (0 < u < 1, 0 < w < Infinity), w/u or its logarithm. */
  private keyOf(u: number, w: number): number {
    const q = w / u;
    return !this.logKeys && q < Infinity && q >= MIN_NORMAL ? q : this.logKey(u, w);
  }

  /** logKey: keyOf as a logarithm, the keys held turned into logarithms first when they were not yet. */
  private logKey(u: number, w: number): number {
    if (!this.logKeys) {
      this.logKeys = true;
      // The held keys are normal doubles, so their logarithms are finite; log keeps their order.
      this.top.mapKeys(Math.log);
      this.updateCut();
    }
    return logPriority(u, w);
  }

  private updateCut(): void {
    // w < cut * u, rounded (and for offerMany within a few more roundings, see scanPriorities),
    // implies w/u < cut (1 + 2^-50) < threshold (1 - 1e-9 + 2^-50) for ratio keys (rounded to
    // 2^-53), and ln(w) - ln(u) < ln(cut) + 2^-49 < threshold - 1e-9 + 2^-49 for log keys
    // (within about 1e-13 of the exact ones): the slow path would have rejected the row too.
    // Where cut could leave the normal range, reject nothing.
    const t = this.logKeys ? Math.exp(this.top.threshold) : this.top.threshold;
    this.cut = t > 1e-290 && t < 1e300 ? t * (1 - CUT_MARGIN) : NO_CUT;
  }

  /**
   * PrioritySampler.finish: the sample, by decreasing w (ties by increasing u), with tau, the
   * (k+1)-th largest priority w/u (0 when no more than k items had positive weight, every prob
   * then being 1; it overflows to Infinity only for weights near the largest double, and logTau
   * stays finite), and the weight policy's counts and sums. The sampler stays usable.
   * With k below the sampler's own, the sample is the one a sampler of k would have drawn from
   * the same rows (its k + 1 largest priorities are among those held): how a weighted percentage
   * is drawn when its size, ceil(p * n), is known only once every row has been offered.
   * Throws RangeError unless k is an integer in 1..the sampler's k, AllWeightsZeroError when
   * weights of 0 were offered and no positive ones, TooManyInfiniteWeightsError when more than
   * k rows had an infinite weight.
   */
  finish(k: number = this.k): PrioritySampleResult<T> {
    checkSampleSize(k);
    if (k > this.k) throw new RangeError(`k must be at most the sampler's ${this.k}, got ${k}`);
    const top = this.top;
    const infinite = this.infinite;
    if (top.size === 0 && infinite.length === 0 && this.zeroWeight > 0) {
      throw new AllWeightsZeroError(this.zeroWeight, this.excluded);
    }
    if (infinite.length > k) throw new TooManyInfiniteWeightsError(k);
    // The rows kept: the infinite weights first, then the finite candidates LargestK holds (not
    // compacted first: one selection here finds the places + 1 largest of them), in the order it
    // holds them, as the stable sort by decreasing w (ties by increasing u) below expects.
    const { n: held, keys, values, as, bs } = top.held();
    const places = k - infinite.length;
    // More candidates than places: the (places + 1)-th largest key t is the threshold. The
    // candidates above it are kept, and of those equal to it as many as fit (`equal`).
    const t = held > places ? nthLargest(keys.slice(0, held), held, places) : -Infinity;
    let equal = held > places ? places - countAbove(keys, held, t) : 0;
    const total = infinite.length + Math.min(held, places);
    const us = new Float64Array(total);
    const ws = new Float64Array(total);
    const items: T[] = new Array<T>(total);
    for (let i = 0; i < infinite.length; i++) {
      us[i] = infinite[i]!.u;
      ws[i] = Infinity;
      items[i] = infinite[i]!.item;
    }
    let tau = 0;
    let logTau = -Infinity;
    let c = infinite.length;
    let found = false;
    for (let i = 0; i < held; i++) {
      const key = keys[i]!;
      if (key > t || (key === t && equal-- > 0)) {
        us[c] = as[i]!;
        ws[c] = bs[i]!;
        items[c++] = values[i]!;
      } else if (key === t && !found) {
        // The first candidate at the threshold left out: its priority, in the caller's units.
        found = true;
        tau = bs[i]! / as[i]!;
        logTau = this.logKeys ? t : Math.log(t);
      }
    }
    const order = weightOrder(ws, us);
    const kept: Array<KeptItem<T>> = new Array(total);
    for (let j = 0; j < total; j++) {
      const i = order[j]!;
      const w = ws[i]!;
      // prob = min(1, w/tau), from logarithms where tau overflows; 1 for infinite weights.
      let prob = 1;
      if (i >= infinite.length && tau > 0) {
        prob = tau < Infinity ? Math.min(1, w / tau) : Math.min(1, Math.exp(Math.log(w) - logTau));
      }
      kept[j] = { item: items[i]!, prob, u: us[i]!, w };
    }
    return {
      kept,
      offered: this.offered,
      excluded: this.excluded,
      zeroWeight: this.zeroWeight,
      tau,
      logTau,
      infiniteWeight: this.infinite.length,
      excludedTargetSum: this.excludedSum.value,
      zeroWeightTargetSum: this.zeroWeightSum.value,
    };
  }
}
