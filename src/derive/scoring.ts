/**
 * Item responses scored into an instrument's total and subscales (the registry's rules,
 * data-schemas/instruments/):
 *
 *   - each response must lie in the instrument's item range; one that does not is a problem
 *     (row, item, value, rule) and leaves the row unscored;
 *   - reverse-keyed items are scored low + high − response;
 *   - a total with m of its k items missing is prorated when m ≤ max_missing: the mean of the
 *     answered items (mean scoring), or that mean × k (sum scoring); with more missing it is
 *     missing, and the row is counted. A subscale of s items allows ⌊max_missing · s / k⌋ missing
 *     items, the same share of its items.
 */
import type { Instrument } from "../../data-schemas/instruments/instrument.ts"

export interface ItemProblem {
  /** row index */
  readonly row: number
  /** item number, 1-based */
  readonly item: number
  readonly value: number
  readonly rule: string
}

export interface ScoredScale {
  /** per row; NaN when too many items are missing or a response is out of range */
  readonly scores: Float64Array
  /** rows scored from fewer than all items */
  readonly prorated: number
  /** rows left unscored because more items were missing than the rule allows */
  readonly tooManyMissing: number
}

export interface ScoredInstrument {
  readonly total: ScoredScale
  readonly subscales: ReadonlyMap<string, ScoredScale>
  readonly problems: ReadonlyArray<ItemProblem>
}

/** Scores `items` (item 1 first, one column per item, NaN for missing) by `instrument`'s rules (file comment). */
export const scoreItems = (instrument: Instrument, items: ReadonlyArray<ArrayLike<number>>): ScoredInstrument => {
  if (items.length !== instrument.items) throw new RangeError(`${instrument.id} has ${instrument.items} items, got ${items.length} columns`)
  const rows = items[0]?.length ?? 0
  const [low, high] = instrument.range
  const reversed = new Set(instrument.reversed.value)
  const problems: ItemProblem[] = []
  const invalid = new Uint8Array(rows)
  // keyed responses, item-major; NaN for missing
  const keyed = items.map((column, index) =>
    Float64Array.from({ length: rows }, (_, row) => {
      const v = column[row]!
      if (Number.isNaN(v)) return Number.NaN
      if (v < low || v > high) {
        problems.push({ row, item: index + 1, value: v, rule: `${instrument.name} item ${index + 1} must lie in ${low}–${high}` })
        invalid[row] = 1
        return Number.NaN
      }
      return reversed.has(index + 1) ? low + high - v : v
    }),
  )
  const scale = (itemNumbers: ReadonlyArray<number>, maxMissing: number): ScoredScale => {
    const scores = new Float64Array(rows)
    let prorated = 0
    let tooManyMissing = 0
    for (let row = 0; row < rows; row++) {
      let sum = 0
      let answered = 0
      for (const item of itemNumbers) {
        const v = keyed[item - 1]![row]!
        if (Number.isNaN(v)) continue
        sum += v
        answered++
      }
      const missing = itemNumbers.length - answered
      if (invalid[row] === 1) scores[row] = Number.NaN
      else if (missing > maxMissing || answered === 0) {
        scores[row] = Number.NaN
        tooManyMissing++
      } else {
        if (missing > 0) prorated++
        const mean = sum / answered
        scores[row] = instrument.scoring === "mean" ? mean : mean * itemNumbers.length
      }
    }
    return { scores, prorated, tooManyMissing }
  }
  const all = Array.from({ length: instrument.items }, (_, i) => i + 1)
  const maxMissing = instrument.proration.max_missing
  const subscales = new Map(
    Object.entries(instrument.subscales?.value ?? {}).map(([name, itemNumbers]) => [
      name,
      scale(itemNumbers, Math.floor((maxMissing * itemNumbers.length) / instrument.items)),
    ]),
  )
  return { total: scale(all, maxMissing), subscales, problems }
}
