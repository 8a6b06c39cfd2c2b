/**
 * sampling: pure, seeded sampling algorithms. Samplers take their uniforms from the caller
 * (entryUniform for map entries, Xoshiro128 for streams) and do no I/O.
 */
export { BernoulliSampler } from "./bernoulli";
export { entryUniform } from "./entry-uniform";
export { PrioritySampler } from "./priority";
export type { KeptItem, SampleResult } from "./result";
export { doubleFrom53, splitmix32, Xoshiro128 } from "./rng";
export { UniformSampler } from "./uniform";
