import { checkSampleSize, checkUnit } from "./argument-checks";
import { MinHeap } from "./min-heap";
import type { KeptItem, SampleResult } from "./result";

interface Candidate<T> {
  item: T;
  u: number;
  w: number;
}

/**
 * PrioritySampler: priority sampling of k items by weight (Duffield, Lund and Thorup, "Priority
 * sampling for estimation of arbitrary subset sums", J. ACM 54(6), 2007). An item offered with
 * uniform u and weight w has priority w/u; the k largest priorities are kept and the (k+1)-th
 * largest is the threshold tau. Each kept item's prob is min(1, w/tau), and sum(value / prob)
 * over the kept items is an unbiased estimate of the sum over all items.
 *
 * Weights: NaN, negative numbers, -Infinity and non-numbers are left out and counted in
 * `excluded`; zero weights (inclusion probability 0) are left out and counted in `zeroWeight`.
 * +Infinity weights are always kept with prob 1 and take one of the k places each; if more than
 * k arrive they are all kept, and tau is then computed over the finite weights with no places
 * left for them. Memory is O(k) plus the number of infinite weights. Finite weights above about
 * 1e292 can overflow the priority to Infinity and should be rescaled by the caller.
 */
export class PrioritySampler<T> {
  /** The largest finite priorities, at most placesForFinite() + 1 of them, keyed by priority. */
  private readonly heap = new MinHeap<Candidate<T>>();
  private readonly infinite: Array<Candidate<T>> = [];
  private offered = 0;
  private excluded = 0;
  private zeroWeight = 0;

  /** PrioritySampler constructor: throws RangeError unless k is an integer >= 1. */
  constructor(readonly k: number) {
    checkSampleSize(k);
  }

  /**
   * PrioritySampler.offer: offers `item` with uniform u and weight w under the weight rules of
   * the class. Throws RangeError unless 0 < u < 1 (whatever the weight).
   */
  offer(u: number, w: number, item: T): void {
    checkUnit(u);
    this.offered++;
    if (typeof w !== "number" || !(w >= 0)) {
      this.excluded++;
      return;
    }
    if (w === 0) {
      this.zeroWeight++;
      return;
    }
    if (w === Infinity) {
      this.infinite.push({ item, u, w });
      while (this.heap.size > this.placesForFinite() + 1) this.heap.popMin();
      return;
    }
    const q = w / u;
    if (this.heap.size <= this.placesForFinite()) this.heap.push(q, { item, u, w });
    else if (q > this.heap.minKey()) this.heap.replaceMin(q, { item, u, w });
  }

  /**
   * PrioritySampler.finish: the sample, by decreasing w (ties by increasing u), with tau (0 when
   * no more than k items had positive weight, every prob then being 1). The sampler stays
   * usable. Throws nothing.
   */
  finish(): SampleResult<T> {
    const finite = this.heap.unordered().sort((a, b) => b.w / b.u - a.w / a.u);
    let tau = 0;
    if (finite.length > this.placesForFinite()) {
      const threshold = finite.pop()!;
      tau = threshold.w / threshold.u;
    }
    const kept: Array<KeptItem<T>> = [];
    for (const c of this.infinite) kept.push({ item: c.item, prob: 1, u: c.u, w: c.w });
    for (const c of finite) kept.push({ item: c.item, prob: Math.min(1, c.w / tau), u: c.u, w: c.w });
    kept.sort((a, b) => b.w! - a.w! || a.u - b.u);
    return {
      kept,
      offered: this.offered,
      excluded: this.excluded,
      zeroWeight: this.zeroWeight,
      tau,
    };
  }

  private placesForFinite(): number {
    return Math.max(0, this.k - this.infinite.length);
  }
}
