/**
 * rng: seeded pseudo-random generators for the samplers. Everything here is deterministic given
 * its seed; nothing reads the clock or the OS entropy pool.
 */

const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;
const TWO_POW_MINUS_53 = 1 / TWO_POW_53;

/**
 * splitmix32: a stream of u32 values from a 32-bit state: a Weyl sequence (step 0x9e3779b9) passed
 * through MurmurHash3's fmix32 finaliser. The state is reduced modulo 2^32; throws nothing.
 * Used to expand seeds, not as a general-purpose generator.
 */
export function splitmix32(state: number): () => number {
  let s = state | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * doubleFrom53: the double in (0,1) for the 53-bit integer x = hi27 * 2^26 + lo26, namely the
 * midpoint (x + 0.5) / 2^53 of x's cell. In [0.5, 1) doubles are 2^-53 apart, so no midpoint
 * there is representable; those cells map to their lower end x / 2^53 instead, which keeps the
 * largest result at 1 - 2^-53 (rounding to nearest would give exactly 1 for x = 2^53 - 1).
 * The smallest result is 2^-54. Bits above the 27th of hi27 and the 26th of lo26 are ignored.
 * Throws nothing.
 */
export function doubleFrom53(hi27: number, lo26: number): number {
  const hi = hi27 & 0x7ffffff;
  const x = hi * TWO_POW_26 + (lo26 & 0x3ffffff);
  // x >= 2^52 exactly when bit 26 of hi is set: adding 0.5 - 0.5 * that bit, rather than
  // branching on x, costs no mispredicted branch (taken for half the draws); both sums are exact.
  return (x + (0.5 - 0.5 * (hi >>> 26))) * TWO_POW_MINUS_53;
}

/**
 * Xoshiro128: the xoshiro128** 1.1 generator of Blackman and Vigna (128-bit state, period
 * 2^128 - 1). The state must never be all zero, since that is a fixed point.
 */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(a: number, b: number, c: number, d: number) {
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
  }

  /**
   * Xoshiro128.fromSeed: a generator whose state is four splitmix32 outputs from `seed`. The
   * outputs come from four distinct splitmix32 states through a bijective finaliser, so at most
   * one of them is zero and the state is never all zero. `seed` is reduced modulo 2^32 (so -1 and
   * 2^32 - 1 give the same generator). Throws RangeError unless `seed` is an integer.
   */
  static fromSeed(seed: number): Xoshiro128 {
    if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
    const next = splitmix32(seed);
    return new Xoshiro128(next(), next(), next(), next());
  }

  /**
   * Xoshiro128.fromState: a generator with exactly this state, each word taken modulo 2^32.
   * Throws RangeError when all four words are zero modulo 2^32.
   */
  static fromState(a: number, b: number, c: number, d: number): Xoshiro128 {
    if ((a | b | c | d) === 0) throw new RangeError("xoshiro128** state must not be all zero");
    return new Xoshiro128(a, b, c, d);
  }

  /** Xoshiro128.nextU32: the next output, an integer in [0, 2^32). Throws nothing. */
  nextU32(): number {
    const s1 = this.s1;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 = s1 ^ this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  /**
   * Xoshiro128.nextDouble: a double strictly inside (0,1) from 53 bits: the top 27 bits of one
   * output and the top 26 of the next, combined by doubleFrom53. Throws nothing.
   */
  nextDouble(): number {
    const hi = this.nextU32() >>> 5;
    return doubleFrom53(hi, this.nextU32() >>> 6);
  }

  /**
   * Xoshiro128.below: a uniformly distributed integer in [0, n). Draws whose value falls in the
   * incomplete top block of the draw range are rejected and redrawn, so every result is exactly
   * equally likely. Uses one u32 per attempt for n <= 2^32 and 53 bits otherwise.
   * Throws RangeError unless n is an integer with 1 <= n <= 2^53.
   */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_53) {
      throw new RangeError(`below(n) needs an integer n in [1, 2^53], got ${n}`);
    }
    if (n <= TWO_POW_32) {
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      let x = this.nextU32();
      while (x >= limit) x = this.nextU32();
      return x % n;
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    let x: number;
    do {
      const hi = this.nextU32() >>> 5;
      x = hi * TWO_POW_26 + (this.nextU32() >>> 6);
    } while (x >= limit);
    return x % n;
  }
}
