/**
 * Dictionary encoding of a numeric column: a code per value for its distinct value, as ranks with
 * ties need it. A typed hash table keyed by the bits of each double, because a Map boxes every
 * double it is asked about, which costs more than the lookup itself.
 */

/** Each value's code (distinct values numbered in order of first appearance), every distinct value and its count. */
export interface DistinctCodes {
  readonly codes: Int32Array
  readonly levels: ReadonlyArray<number>
  readonly counts: ReadonlyArray<number>
}

/**
 * The distinct values of `values` and which one each value is, or undefined as soon as there are
 * more than `maxLevels` of them (the caller then prefers another route).
 *
 * Definition: levels[codes[i]] = values[i]; counts[k] = #{i : codes[i] = k}; codes are numbered in
 * order of first appearance. Values are the same level when they are === (so −0 and 0 share one,
 * as SameValueZero Map keys do; the level keeps the first one met, made +0).
 * Formula: open addressing with linear probing, keyed by a mix of the value's two 32-bit words;
 * the table doubles whenever it is half full, so probes stay short.
 * Preconditions: no NaN (each NaN would get a level of its own, since NaN !== NaN).
 * Returns: `{ codes, levels, counts }`, or undefined.
 * Example: `distinctCodes([2.5, 1, 2.5, -0, 0], 10)` → codes [0, 1, 0, 2, 2], levels [2.5, 1, 0],
 * counts [2, 1, 2].
 */
export const distinctCodes = (values: ArrayLike<number>, maxLevels: number): DistinctCodes | undefined => {
  const n = values.length
  const codes = new Int32Array(n)
  const levels: number[] = []
  const counts: number[] = []
  let slots = emptySlots(16)
  let i = 0
  for (; i < n; i++) {
    const value = (values[i] as number) + 0 // −0 + 0 is +0
    const slot = slotOf(slots, levels, value)
    let code = slots[slot]!
    if (code === EMPTY) {
      if (levels.length === maxLevels) break
      code = levels.length
      levels.push(value)
      counts.push(0)
      slots[slot] = code
      if (2 * levels.length > slots.length) slots = rehashed(levels, 2 * slots.length)
    }
    codes[i] = code
    counts[code]!++
  }
  return i === n ? { codes, levels, counts } : undefined
}

/** A free slot of the table. */
const EMPTY = -1

const emptySlots = (size: number): Int32Array => new Int32Array(size).fill(EMPTY)

/** The bits of one double, read as two 32-bit words (scratch space, used synchronously). */
const bits = new Float64Array(1)
const words = new Uint32Array(bits.buffer)

/** The slot holding `value`'s code, or the free slot where it belongs. The table size is a power of two. */
const slotOf = (slots: Int32Array, levels: ReadonlyArray<number>, value: number): number => {
  bits[0] = value
  const mask = slots.length - 1
  const hash = Math.imul(words[0]! ^ Math.imul(words[1]!, 0x9e3779b1), 0x85ebca6b)
  let slot = (hash ^ (hash >>> 15)) & mask
  while (slots[slot] !== EMPTY && levels[slots[slot]!] !== value) slot = (slot + 1) & mask
  return slot
}

/** A table of `size` slots holding every level's code. */
const rehashed = (levels: ReadonlyArray<number>, size: number): Int32Array => {
  const slots = emptySlots(size)
  for (let code = 0; code < levels.length; code++) slots[slotOf(slots, levels, levels[code]!)] = code
  return slots
}
