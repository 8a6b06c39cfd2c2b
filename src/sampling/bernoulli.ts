import { checkUnit } from "./argument-checks";
import type { KeptItem, SampleResult } from "./result";

/**
 * BernoulliSampler: keeps each offered item independently with probability p (the item is kept
 * iff its uniform u < p). Memory grows with the number kept, about p times the number offered.
 */
export class BernoulliSampler<T> {
  private readonly kept: Array<KeptItem<T>> = [];
  private offered = 0;

  /** BernoulliSampler constructor: throws RangeError unless 0 < p <= 1. */
  constructor(readonly p: number) {
    if (!(p > 0 && p <= 1)) throw new RangeError(`p must lie in (0,1], got ${p}`);
  }

  /** BernoulliSampler.offer: keeps `item` iff u < p. Throws RangeError unless 0 < u < 1. */
  offer(u: number, item: T): void {
    checkUnit(u);
    this.offered++;
    if (u < this.p) this.kept.push({ item, prob: this.p, u });
  }

  /**
   * BernoulliSampler.finish: the items kept so far, by increasing u. The sampler stays usable.
   * Throws nothing.
   */
  finish(): SampleResult<T> {
    const kept = this.kept.map((k) => ({ ...k })).sort((a, b) => a.u - b.u);
    return { kept, offered: this.offered, excluded: 0 };
  }
}
