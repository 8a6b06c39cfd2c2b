/**
 * sampling: pure, seeded sampling algorithms. Samplers take their uniforms from the caller
 * (entryUniform for map entries, Xoshiro128 for streams) and do no I/O.
 */
export { BernoulliSampler } from "./bernoulli";
export type { Bounds } from "./count-bounds";
export { garwoodBounds, hypergeometricBounds } from "./count-bounds";
export { entryUniform } from "./entry-uniform";
export type { Design, Estimate } from "./estimate";
export { estimateAvg, estimateCount, estimateSum, estimateSumOf, LOW_CONFIDENCE_ROWS, SMALL_COUNT, Z_95 } from "./estimate";
export { chiSquareQuantile } from "./gamma";
export { groupSeed } from "./group-seed";
export type { PrioritySampleResult } from "./priority";
export { AllWeightsZeroError, PrioritySampler, TooManyInfiniteWeightsError } from "./priority";
export type { KeptItem, SampleResult } from "./result";
export { doubleFrom53, splitmix32, Xoshiro128 } from "./rng";
export { UniformSampler } from "./uniform";
