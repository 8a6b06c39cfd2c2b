import { badUnit } from "./argument-checks";
import type { KeptItem, SampleResult } from "./result";
import { ascendingOrder } from "./sort-order";

/**
 * BernoulliSampler: keeps each offered item independently with probability p (the item is kept
 * iff its uniform u < p). Memory grows with the number kept, about p times the number offered.
 */
export class BernoulliSampler<T> {
  private items: T[] = [];
  private us = new Float64Array(16);
  private count = 0;
  private offered = 0;

  /** BernoulliSampler constructor: throws RangeError unless 0 < p <= 1. */
  constructor(readonly p: number) {
    if (!(p > 0 && p <= 1)) throw new RangeError(`p must lie in (0,1], got ${p}`);
  }

  /**
   * BernoulliSampler.offer: keeps `item` iff u < p. Throws RangeError unless 0 < u < 1, leaving
   * the sampler as it was.
   */
  offer(u: number, item: T): void {
    // One comparison decides and a second one checks u on the side it was decided on; NaN
    // fails `u < this.p` and then `u < 1`.
    if (u < this.p) {
      if (!(u > 0)) badUnit(u);
      this.keep(u, item);
    } else if (!(u < 1)) {
      badUnit(u);
    }
    this.offered++;
  }

  private keep(u: number, item: T): void {
    const n = this.count;
    if (n === this.us.length) {
      const grown = new Float64Array(2 * n);
      grown.set(this.us);
      this.us = grown;
    }
    this.us[n] = u;
    this.items.push(item);
    this.count = n + 1;
  }

  /**
   * BernoulliSampler.finish: the items kept so far, by increasing u (equal u in the order
   * offered). The sampler stays usable. Throws nothing.
   */
  finish(): SampleResult<T> {
    const order = ascendingOrder(this.us.subarray(0, this.count), 0, this.p);
    const kept: Array<KeptItem<T>> = new Array(order.length);
    for (let j = 0; j < order.length; j++) {
      const i = order[j]!;
      kept[j] = { item: this.items[i]!, prob: this.p, u: this.us[i]! };
    }
    return { kept, offered: this.offered, excluded: 0 };
  }
}
