/**
 * Item responses scored into an instrument's total and subscales (the registry's rules,
 * data-schemas/instruments/):
 *
 *   - each response must lie in the instrument's item range; one that does not is a problem
 *     (row, item, value, rule) and leaves the row unscored;
 *   - reverse-keyed items are scored low + high − response;
 *   - a total with m of its k items missing is prorated when m ≤ max_missing: the mean of the
 *     answered items (mean scoring), or that mean × k (sum scoring); with more missing it is
 *     missing, and the row is counted (a row with every item missing is simply missing, not counted).
 *     A subscale of s items allows ⌊max_missing · s / k⌋ missing
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

/** One row's scores (RowScorer.score). */
export interface RowScore {
  /** NaN when too many items are missing or a response is out of range */
  total: number
  /** by subscale, in the registry's order */
  readonly subscales: Float64Array
  /** by subscale: 1 when its score was prorated */
  readonly subscaleProrated: Uint8Array
  /** by subscale: 1 when more of its items were missing than its rule allows */
  readonly subscaleTooMany: Uint8Array
  /** the total was prorated over missing items */
  prorated: boolean
  /** more items were missing than the rule allows (the row is otherwise valid) */
  tooManyMissing: boolean
}

/**
 * An instrument's rules compiled once, to score row after row: responses in, keyed responses and
 * scores out (file comment). Used by scoreItems and, one CSV row at a time, by ingest.
 */
export class RowScorer {
  readonly low: number
  readonly high: number
  readonly subscaleNames: ReadonlyArray<string>
  private readonly reversed: Uint8Array
  private readonly scales: ReadonlyArray<{ readonly items: ReadonlyArray<number>; readonly maxMissing: number }>
  private readonly all: { readonly items: ReadonlyArray<number>; readonly maxMissing: number }

  constructor(readonly instrument: Instrument) {
    ;[this.low, this.high] = instrument.range
    this.reversed = new Uint8Array(instrument.items + 1)
    for (const item of instrument.reversed.value) this.reversed[item] = 1
    const maxMissing = instrument.proration.max_missing
    const subscales = Object.entries(instrument.subscales?.value ?? {})
    this.subscaleNames = subscales.map(([name]) => name)
    this.scales = subscales.map(([, items]) => ({ items, maxMissing: Math.floor((maxMissing * items.length) / instrument.items) }))
    this.all = { items: Array.from({ length: instrument.items }, (_, i) => i + 1), maxMissing }
  }

  /** Whether a response (not NaN) lies in the item range. */
  inRange(value: number): boolean {
    return value >= this.low && value <= this.high
  }

  /** The keyed response of item `item` (1-based): reversed items as low + high − response. */
  key(item: number, value: number): number {
    return this.reversed[item] === 1 ? this.low + this.high - value : value
  }

  private scale(keyed: ArrayLike<number>, items: ReadonlyArray<number>, maxMissing: number): { score: number; prorated: boolean; tooMany: boolean } {
    let sum = 0
    let answered = 0
    for (const item of items) {
      const v = keyed[item - 1]!
      if (Number.isNaN(v)) continue
      sum += v
      answered++
    }
    const missing = items.length - answered
    // every item missing: an occasion not assessed, simply missing (not counted as too many missing)
    if (answered === 0) return { score: Number.NaN, prorated: false, tooMany: false }
    if (missing > maxMissing) return { score: Number.NaN, prorated: false, tooMany: true }
    const mean = sum / answered
    return { score: this.instrument.scoring === "mean" ? mean : mean * items.length, prorated: missing > 0, tooMany: false }
  }

  /** Scores keyed responses (item 1 first, NaN for missing) into `out`; `invalid` marks a row with a response out of range. */
  score(keyed: ArrayLike<number>, invalid: boolean, out: RowScore): RowScore {
    const total = this.scale(keyed, this.all.items, this.all.maxMissing)
    out.total = invalid ? Number.NaN : total.score
    out.prorated = !invalid && total.prorated
    out.tooManyMissing = !invalid && total.tooMany
    this.scales.forEach((s, k) => {
      const scale = this.scale(keyed, s.items, s.maxMissing)
      out.subscales[k] = invalid ? Number.NaN : scale.score
      out.subscaleProrated[k] = !invalid && scale.prorated ? 1 : 0
      out.subscaleTooMany[k] = !invalid && scale.tooMany ? 1 : 0
    })
    return out
  }

  /** A fresh RowScore to score into. */
  blank(): RowScore {
    const k = this.scales.length
    return { total: Number.NaN, subscales: new Float64Array(k), subscaleProrated: new Uint8Array(k), subscaleTooMany: new Uint8Array(k), prorated: false, tooManyMissing: false }
  }
}

/** Scores `items` (item 1 first, one column per item, NaN for missing) by `instrument`'s rules (file comment). */
export const scoreItems = (instrument: Instrument, items: ReadonlyArray<ArrayLike<number>>): ScoredInstrument => {
  if (items.length !== instrument.items) throw new RangeError(`${instrument.id} has ${instrument.items} items, got ${items.length} columns`)
  const rows = items[0]?.length ?? 0
  const scorer = new RowScorer(instrument)
  const problems: ItemProblem[] = []
  const keyed = new Float64Array(instrument.items)
  const out = scorer.blank()
  const blankScale = () => ({ scores: new Float64Array(rows), prorated: 0, tooManyMissing: 0 })
  const total = blankScale()
  const subscales = scorer.subscaleNames.map(blankScale)
  for (let row = 0; row < rows; row++) {
    let invalid = false
    for (let i = 0; i < instrument.items; i++) {
      const v = items[i]![row]!
      if (!Number.isNaN(v) && !scorer.inRange(v)) {
        problems.push({ row, item: i + 1, value: v, rule: `${instrument.name} item ${i + 1} must lie in ${scorer.low}–${scorer.high}` })
        invalid = true
      }
      keyed[i] = Number.isNaN(v) || !scorer.inRange(v) ? Number.NaN : scorer.key(i + 1, v)
    }
    scorer.score(keyed, invalid, out)
    total.scores[row] = out.total
    if (out.prorated) total.prorated++
    if (out.tooManyMissing) total.tooManyMissing++
    subscales.forEach((scale, k) => {
      scale.scores[row] = out.subscales[k]!
      scale.prorated += out.subscaleProrated[k]!
      scale.tooManyMissing += out.subscaleTooMany[k]!
    })
  }
  return { total, subscales: new Map(scorer.subscaleNames.map((name, k) => [name, subscales[k]!])), problems }
}
