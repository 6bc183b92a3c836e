/**
 * Draws from common distributions, given a seeded {@link Rng}.
 *
 * Every function takes the generator as its first argument and consumes a documented number of
 * uniform draws, so a simulation is replayable from its seed. Only `Math.log` and `Math.sqrt` are
 * used on the way from bits to numbers (V8 computes `Math.log` with its own fdlibm port, so results
 * do not depend on the operating system's C library).
 */
import type { Rng } from "./xoshiro.ts"

/**
 * A standard normal N(0, 1) draw by Marsaglia's polar method (Marsaglia & Bray 1964).
 *
 * Draws pairs (u, v) uniform on (−1, 1)² until 0 < s = u² + v² < 1, then returns
 * u·√(−2 ln s / s). The second normal of the pair is discarded, which keeps the function
 * stateless (about 2.5 uniform draws per normal on average).
 */
export const standardNormal = (rng: Rng): number => {
  for (;;) {
    const u = 2 * rng.nextFloat() - 1
    const v = 2 * rng.nextFloat() - 1
    const s = u * u + v * v
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s)
  }
}

/**
 * A stream of standard normal draws from `rng` that keeps the second value of each polar-method
 * pair, so it costs about half of {@link standardNormal} per draw. Deterministic: the same `rng`
 * state gives the same sequence. Do not interleave with other consumers of the pair cache.
 *
 * @example
 *   const gauss = new NormalSource(createRng(1))
 *   gauss.next() // N(0, 1); gauss.normal(15.5, 5) // N(15.5, 5²)
 */
export class NormalSource {
  private spare = 0
  private hasSpare = false

  constructor(readonly rng: Rng) {}

  /** the next N(0, 1) draw */
  next(): number {
    if (this.hasSpare) {
      this.hasSpare = false
      return this.spare
    }
    for (;;) {
      const u = 2 * this.rng.nextFloat() - 1
      const v = 2 * this.rng.nextFloat() - 1
      const s = u * u + v * v
      if (s > 0 && s < 1) {
        const f = Math.sqrt((-2 * Math.log(s)) / s)
        this.spare = v * f
        this.hasSpare = true
        return u * f
      }
    }
  }

  /** the next N(mean, sd²) draw: mean + sd·Z */
  normal(mean: number, sd: number): number {
    return mean + sd * this.next()
  }
}

/** A normal draw with the given `mean` and standard deviation `sd` (sd ≥ 0): mean + sd·Z. */
export const normal = (rng: Rng, mean: number, sd: number): number => mean + sd * standardNormal(rng)

/** A uniform draw on [low, high): low + (high − low)·U. One uniform draw. */
export const uniform = (rng: Rng, low: number, high: number): number => low + (high - low) * rng.nextFloat()

/**
 * A uniform integer in the closed range [low, high], without modulo bias (rejection sampling on
 * 32-bit words: a word is rejected only in the last partial block, so usually one draw).
 * Preconditions: low ≤ high are integers and high − low < 2^32.
 *
 * @example integerInRange(rng, 3, 20) // one of 3, 4, …, 20, each with probability 1/18
 */
export const integerInRange = (rng: Rng, low: number, high: number): number => {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high < low || high - low >= 4294967296) {
    throw new RangeError(`integerInRange needs integers low ≤ high with a span below 2^32, got [${low}, ${high}]`)
  }
  const span = high - low + 1
  const limit = 4294967296 - (4294967296 % span)
  for (;;) {
    const x = rng.nextUint32()
    if (x < limit) return low + (x % span)
  }
}

/** True with probability `p` (one uniform draw): U < p. p ≤ 0 is never true, p ≥ 1 always. */
export const bernoulli = (rng: Rng, p: number): boolean => rng.nextFloat() < p

/**
 * An index in [0, weights.length) drawn with probability proportional to `weights` (one uniform
 * draw, linear scan: meant for short lists such as categories). Weights must be finite, ≥ 0, and
 * not all zero.
 *
 * @example categorical(rng, [0.65, 0.33, 0.02]) // 0 about 65% of the time
 */
export const categorical = (rng: Rng, weights: ReadonlyArray<number>): number => {
  let total = 0
  for (const w of weights) {
    if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`categorical weights must be finite and ≥ 0, got ${w}`)
    total += w
  }
  if (!(total > 0)) throw new RangeError("categorical weights must not all be zero")
  let target = rng.nextFloat() * total
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i] ?? 0
    if (target < w) return i
    target -= w
  }
  // Rounding can leave `target` a hair above the last cumulative weight: return the last positive one.
  for (let i = weights.length - 1; i >= 0; i--) if ((weights[i] ?? 0) > 0) return i
  return weights.length - 1
}

/** One element of `items`, chosen with probability proportional to `weights` (same length). */
export const weightedChoice = <T>(rng: Rng, items: ReadonlyArray<T>, weights: ReadonlyArray<number>): T => {
  if (items.length !== weights.length || items.length === 0) {
    throw new RangeError("weightedChoice needs as many weights as items, and at least one item")
  }
  return items[categorical(rng, weights)] as T
}

/** Shuffles `items` in place (Fisher–Yates, one bounded integer draw per position) and returns it. */
export const shuffleInPlace = <T>(rng: Rng, items: T[]): T[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = integerInRange(rng, 0, i)
    const tmp = items[i] as T
    items[i] = items[j] as T
    items[j] = tmp
  }
  return items
}
