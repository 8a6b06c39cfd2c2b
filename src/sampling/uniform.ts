import { badUnit, checkSampleSize } from "./argument-checks";
import { LargestK } from "./largest-k";
import type { KeptItem, SampleResult } from "./result";
import { ascendingOrder } from "./sort-order";

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
   * UniformSampler.offer: keeps `item` if u is among the k smallest so far, evicting the largest.
   * Throws RangeError unless 0 < u < 1, leaving the sampler as it was.
   */
  /**
   * UniformSampler.mightKeep: false when an item offered with `u` now would certainly be
   * dropped, so a caller can skip copying it (and offer a placeholder, which is never kept).
   */
  mightKeep(u: number): boolean {
    return u < this.limit;
  }

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
   * UniformSampler.finish: the kept items by increasing u (equal u in no set order), each with
   * prob min(1, k/n) for n offered. The sampler stays usable. Throws nothing.
   */
  finish(): SampleResult<T> {
    const prob = Math.min(1, this.k / this.offered);
    this.top.compact();
    const n = this.top.size;
    const us = new Float64Array(n);
    const items: T[] = new Array(n);
    let i = 0;
    let max = 0;
    this.top.forEach((key, item) => {
      us[i] = -key;
      items[i++] = item;
      if (-key > max) max = -key;
    });
    const order = ascendingOrder(us, 0, max);
    const kept: Array<KeptItem<T>> = new Array(n);
    for (let j = 0; j < n; j++) {
      const o = order[j]!;
      kept[j] = { item: items[o]!, prob, u: us[o]! };
    }
    return { kept, offered: this.offered, excluded: 0 };
  }
}
