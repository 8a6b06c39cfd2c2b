import { badUnit, checkBatch, checkSampleSize } from "./argument-checks";
import { CHUNK, giveHits, scanAbove, takeHits } from "./batch-scan";
import { LargestK } from "./largest-k";
import type { KeptItem, SampleResult } from "./result";
import { ascendingOrder, tempF64, tempU32 } from "./sort-order";

/**
 * UniformSampler: a uniform sample of k items without replacement (bottom-k): keeps the k items
 * with the smallest u, in O(k) memory. When the u are independent uniforms every k-subset of
 * the offered items is equally likely, so each item is kept with probability min(1, k/n).
 */
export class UniformSampler<T> {
  /** The candidates keyed by -u, so the k largest keys are the k smallest u. */
  private readonly top: LargestK<T>;
  /** A u at or above this cannot be among the k smallest: -top.threshold. */
  private limit = Infinity;
  private offered = 0;

  /** UniformSampler constructor: throws RangeError unless k is an integer >= 1. */
  constructor(readonly k: number) {
    checkSampleSize(k);
    this.top = new LargestK<T>(k);
  }

  /**
   * UniformSampler.mightKeep: false when an item offered with `u` now would certainly be
   * dropped, so a caller can skip copying it (and offer a placeholder, which is never kept).
   */
  mightKeep(u: number): boolean {
    return u < this.limit;
  }

  /**
   * UniformSampler.offer: keeps `item` if u is among the k smallest so far, evicting the largest.
   * Throws RangeError unless 0 < u < 1, leaving the sampler as it was.
   */
  offer(u: number, item: T): void {
    if (u < this.limit) {
      if (!(u > 0 && u < 1)) badUnit(u);
      this.top.add(-u, item, 0, 0);
      this.limit = -this.top.threshold;
    } else if (!(u < 1)) {
      badUnit(u);
    }
    this.offered++;
  }

  /**
   * UniformSampler.offerMany: offers rows from..to-1 of a batch, row i with uniform us[i] and
   * item `item(i)`, exactly as offer(us[i], item(i)) for each row in turn would: the same
   * sample and counts. For callers that read entries in batches (the executor gets them from
   * the kernel 4096 at a time): a tight loop over the typed array (batch-scan) finds the rows
   * the fast rejection does not settle and only those get the per-row logic, the offered count
   * is updated once per batch, and `item` is called only for the rows that might be kept (those
   * mightKeep would pass), so the others are never copied out. `ws` is ignored (uniform sampling
   * is unweighted); it is there so that every sampler's offerMany takes the same arguments.
   * Throws RangeError for a bad range (before any row is offered) and for the first row whose u
   * is not inside (0,1), and passes on what `item` throws; either way the rows before that one
   * stay offered, and that row and the rest are not.
   */
  offerMany(us: Float64Array, ws: Float64Array | undefined, from: number, to: number, item: (i: number) => T): void {
    checkBatch(from, to, us);
    const top = this.top;
    // offered = base + i while row i is being offered.
    const base = this.offered - from;
    const hits = takeHits();
    for (let start = from; start < to; start += CHUNK) {
      // The rows with u outside (limit, 1): the others are valid and not kept.
      const m = scanAbove(us, start, Math.min(start + CHUNK, to), this.limit, hits);
      for (let j = 0; j < m; j++) {
        const i = hits[j]!;
        const u = us[i]!;
        if (u < this.limit) {
          this.offered = base + i;
          if (!(u > 0 && u < 1)) badUnit(u);
          top.add(-u, item(i), 0, 0);
          this.limit = -top.threshold;
        } else if (!(u < 1)) {
          this.offered = base + i;
          badUnit(u);
        }
      }
    }
    giveHits(hits);
    this.offered = base + to;
  }

  /**
   * UniformSampler.finish: the kept items by increasing u (equal u in no set order), each with
   * prob min(1, k/n) for n offered. The sampler stays usable. Throws nothing.
   */
  finish(): SampleResult<T> {
    const prob = Math.min(1, this.k / this.offered);
    this.top.compact();
    const { n, keys, values } = this.top.held();
    const us = new Float64Array(n);
    let max = 0;
    for (let i = 0; i < n; i++) {
      us[i] = -keys[i]!;
      if (us[i]! > max) max = us[i]!;
    }
    const sorted = tempF64(0, n);
    const order = ascendingOrder(us, 0, max, sorted, tempU32(2, n));
    const kept: Array<KeptItem<T>> = new Array(n);
    for (let j = 0; j < n; j++) kept[j] = { item: values[order[j]!]!, prob, u: sorted[j]! };
    return { kept, offered: this.offered, excluded: 0 };
  }
}
