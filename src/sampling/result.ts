/** KeptItem: one sampled item with the probability it had of being sampled. */
export interface KeptItem<T> {
  item: T;
  /** Inclusion probability, for Horvitz-Thompson estimates: sum of value / prob over kept items. */
  prob: number;
  /** The uniform in (0,1) the item was offered with. */
  u: number;
  /** The weight, for weighted samplers only. */
  w?: number;
}

/**
 * SampleResult: what a sampler's finish() returns. `kept` is ordered by decreasing w for the
 * priority sampler (ties by increasing u) and by increasing u for the others.
 */
export interface SampleResult<T> {
  kept: Array<KeptItem<T>>;
  /** Number of offer() calls, including items left out for their weight. */
  offered: number;
  /** Offered items left out because their weight was not a non-negative number. */
  excluded: number;
  /** Offered items left out because their weight was exactly 0 (weighted samplers only). */
  zeroWeight?: number;
  /** Priority sampling threshold: the (k+1)-th largest priority, 0 when at most k competed. */
  tau?: number;
}
