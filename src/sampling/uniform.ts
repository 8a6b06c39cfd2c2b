import { checkSampleSize, checkUnit } from "./argument-checks";
import { MinHeap } from "./min-heap";
import type { SampleResult } from "./result";

/**
 * UniformSampler: a uniform sample of k items without replacement (bottom-k): keeps the k items
 * with the smallest u, in O(k) memory. When the u are independent uniforms every k-subset of
 * the offered items is equally likely, so each item is kept with probability min(1, k/n).
 */
export class UniformSampler<T> {
  /** Keyed by -u, so the heap's minimum is the largest u kept. */
  private readonly heap = new MinHeap<{ item: T; u: number }>();
  private offered = 0;

  /** UniformSampler constructor: throws RangeError unless k is an integer >= 1. */
  constructor(readonly k: number) {
    checkSampleSize(k);
  }

  /**
   * UniformSampler.offer: keeps `item` if u is among the k smallest so far, evicting the largest.
   * Throws RangeError unless 0 < u < 1.
   */
  offer(u: number, item: T): void {
    checkUnit(u);
    this.offered++;
    if (this.heap.size < this.k) this.heap.push(-u, { item, u });
    else if (-u > this.heap.minKey()) this.heap.replaceMin(-u, { item, u });
  }

  /**
   * UniformSampler.finish: the kept items by increasing u, each with prob min(1, k/n) for n
   * offered. The sampler stays usable. Throws nothing.
   */
  finish(): SampleResult<T> {
    const prob = Math.min(1, this.k / this.offered);
    const kept = this.heap
      .unordered()
      .map((e) => ({ item: e.item, prob, u: e.u }))
      .sort((a, b) => a.u - b.u);
    return { kept, offered: this.offered, excluded: 0 };
  }
}
