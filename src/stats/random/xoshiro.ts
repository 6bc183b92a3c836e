/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 *
 * This is the only source of randomness in the project (the global unseeded generator is never used;
 * test/architecture.test.ts enforces it). A generator is
 * an ordinary object passed as an argument, so every random draw can be replayed from its seed.
 *
 * - xoshiro128** 1.1 (Blackman & Vigna 2018, https://prng.di.unimi.it/xoshiro128starstar.c):
 *   32-bit output, 128-bit state, period 2^128 − 1, passes BigCrush. All arithmetic is 32-bit
 *   integer (`Math.imul`, shifts), so the sequence is identical on every platform.
 * - splitmix32 (the 32-bit variant of Steele, Lea & Flood's SplitMix with the
 *   hash-prospector finaliser `0x21f0aaad`, `0x735a2d97`) expands a 32-bit seed into the state,
 *   the seeding procedure the xoshiro authors recommend.
 *
 * Floats are the top 32 bits scaled by 2^-32, so `nextFloat()` lies in [0, 1) and never returns 1.
 */

/** A source of uniform random numbers. */
export interface Rng {
  /** the next 32 random bits as an unsigned integer in [0, 2^32) */
  nextUint32(): number
  /** a uniform float in [0, 1) with 32 bits of resolution */
  nextFloat(): number
}

const TWO_POW_MINUS_32 = 1 / 4294967296

/**
 * One step of splitmix32: advances `state` by the golden-ratio increment and returns the mixed
 * output together with the new state. Pure: `splitmix32(0).value === 1684164658`.
 */
export const splitmix32 = (state: number): { readonly value: number; readonly state: number } => {
  const next = (state + 0x9e3779b9) | 0
  let z = next
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
  z = z ^ (z >>> 15)
  return { value: z >>> 0, state: next }
}

const rotl = (x: number, k: number): number => (x << k) | (x >>> (32 - k))

/** xoshiro128**: a small, fast generator with a 128-bit state. Construct with {@link createRng}. */
export class Xoshiro128StarStar implements Rng {
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  /**
   * Starts from an explicit 128-bit state (four 32-bit words, not all zero). Most callers want
   * {@link createRng}, which derives the state from a seed.
   */
  constructor(s0: number, s1: number, s2: number, s3: number) {
    if ((s0 | s1 | s2 | s3) === 0) throw new RangeError("xoshiro128** state must not be all zero")
    this.s0 = s0 | 0
    this.s1 = s1 | 0
    this.s2 = s2 | 0
    this.s3 = s3 | 0
  }

  nextUint32(): number {
    const s1 = this.s1
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9)
    const t = s1 << 9
    this.s2 ^= this.s0
    this.s3 ^= s1
    this.s1 = s1 ^ this.s2
    this.s0 ^= this.s3
    this.s2 ^= t
    this.s3 = rotl(this.s3, 11)
    return result >>> 0
  }

  nextFloat(): number {
    return this.nextUint32() * TWO_POW_MINUS_32
  }
}

/**
 * A generator for `seed` (an integer in [0, 2^32)) and an optional `stream` number.
 *
 * Different streams of one seed are statistically independent sequences; use them to give each
 * part of a simulation its own randomness, so that changing one part (say, the number of clients)
 * does not shift the draws of another (the site parameters). The state is four successive
 * splitmix32 outputs, starting from the seed mixed with the stream number.
 *
 * @example
 *   const rng = createRng(20260101)
 *   rng.nextFloat() // a number in [0, 1), the same on every run
 */
export const createRng = (seed: number, stream = 0): Xoshiro128StarStar => {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 4294967295], got ${seed}`)
  }
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffffffff) {
    throw new RangeError(`stream must be an integer in [0, 4294967295], got ${stream}`)
  }
  // Hash the stream number first so that (seed, stream) pairs do not collide by simple XOR.
  let state = (seed ^ splitmix32(Math.imul(stream, 0x85ebca6b) | 0).value) | 0
  const words: number[] = []
  for (let i = 0; i < 4; i++) {
    const step = splitmix32(state)
    state = step.state
    words.push(step.value)
  }
  const [a = 0, b = 0, c = 0, d = 1] = words
  return (a | b | c | d) === 0 ? new Xoshiro128StarStar(0, 0, 0, 1) : new Xoshiro128StarStar(a, b, c, d)
}
