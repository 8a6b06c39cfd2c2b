import { badUnit, checkBatch } from "./argument-checks";
import { CHUNK, giveHits, scanAbove, takeHits } from "./batch-scan";
import type { KeptItem, SampleResult } from "./result";
import { ascendingOrder, tempF64, tempU32 } from "./sort-order";

/** Kept items are stored in pages of 2^PAGE_BITS, which never grow (a growing array copies). */
const PAGE_BITS = 12;
const PAGE_MASK = (1 << PAGE_BITS) - 1;

/**
 * BernoulliSampler: keeps each offered item independently with probability p (the item is kept
 * iff its uniform u < p). Memory grows with the number kept, about p times the number offered.
 */
export class BernoulliSampler<T> {
  /** The items kept, item n at pages[n >>> PAGE_BITS][n & PAGE_MASK]. */
  private pages: T[][] = [];
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

  /**
   * BernoulliSampler.offerMany: offers rows from..to-1 of a batch, row i with uniform us[i] and
   * item `item(i)`, exactly as offer(us[i], item(i)) for each row in turn would: the same
   * sample, order and counts. For callers that read entries in batches (the executor gets them
   * from the kernel 4096 at a time): a tight loop over the typed array (batch-scan) finds the
   * rows the fast rejection does not settle and only those get the per-row logic, the offered
   * count is updated once per batch, and `item` is called only for the rows kept (about p of
   * them), so the others are never copied out. `ws` is ignored (Bernoulli sampling is
   * unweighted); it is there so that every sampler's offerMany takes the same arguments.
   * Throws RangeError for a bad range (before any row is offered) and for the first row whose u
   * is not inside (0,1), and passes on what `item` throws; either way the rows before that one
   * stay offered, and that row and the rest are not.
   */
  offerMany(us: Float64Array, ws: Float64Array | undefined, from: number, to: number, item: (i: number) => T): void {
    checkBatch(from, to, us);
    const p = this.p;
    // offered = base + i while row i is being offered.
    const base = this.offered - from;
    const hits = takeHits();
    for (let start = from; start < to; start += CHUNK) {
      // The rows with u outside (p, 1): the others are valid and not kept.
      const m = scanAbove(us, start, Math.min(start + CHUNK, to), p, hits);
      for (let j = 0; j < m; j++) {
        const i = hits[j]!;
        const u = us[i]!;
        if (u < p) {
          this.offered = base + i;
          if (!(u > 0)) badUnit(u);
          this.keep(u, item(i));
        } else if (!(u < 1)) {
          this.offered = base + i;
          badUnit(u);
        }
      }
    }
    giveHits(hits);
    this.offered = base + to;
  }

  private keep(u: number, item: T): void {
    const n = this.count;
    if (n === this.us.length) {
      const grown = new Float64Array(2 * n);
      grown.set(this.us);
      this.us = grown;
    }
    this.us[n] = u;
    const page = n >>> PAGE_BITS;
    if (page === this.pages.length) this.pages.push(new Array<T>(1 << PAGE_BITS));
    this.pages[page]![n & PAGE_MASK] = item;
    this.count = n + 1;
  }

  /**
   * BernoulliSampler.finish: the items kept so far, by increasing u (equal u in the order
   * offered). The sampler stays usable. Throws nothing.
   */
  finish(): SampleResult<T> {
    const n = this.count;
    const us = tempF64(0, n);
    const order = ascendingOrder(this.us.subarray(0, n), 0, this.p, us, tempU32(2, n));
    const pages = this.pages;
    const p = this.p;
    const kept: Array<KeptItem<T>> = new Array(n);
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      kept[j] = { item: pages[i >>> PAGE_BITS]![i & PAGE_MASK]!, prob: p, u: us[j]! };
    }
    return { kept, offered: this.offered, excluded: 0 };
  }
}
