/**
 * Item responses from total scores: the model behind the item-level example study
 * (scripts/itemise-study.ts turns examples/example-study into examples/item-level-study).
 *
 * Pure functions of a seeded {@link Rng}; no I/O. Nothing here claims to reproduce the real
 * instruments' item properties: the item offsets are illustrative numbers chosen so that the
 * scales behave like typical questionnaires (Cronbach's α about 0.8–0.92), not estimates.
 *
 * ITEMS from a total T (an instrument with k items, responses lo–hi, no reverse-keyed items)
 *   centre         m = T / k for sum scoring (PHQ-9, GAD-7), m = T for mean scoring (WAI-SR)
 *   response j     x_j = clamp(round(m + d_j + e_j), lo, hi),   e_j ~ N(0, σ) independently
 *     d_j          fixed item offsets (easier and harder items), within ±0.4 and summing to 0
 *     σ            0.45 for every instrument. On the example study this gives α ≈ .90–.93 for PHQ-9,
 *                  .87 for GAD-7, .93 for the 12 WAI-SR items and .85 for its subscales
 *                  (test/reference/item-level-example.R); σ = 0.35 for WAI-SR gave α = .95, higher
 *                  than questionnaires usually reach.
 *   The sum (or mean) of the items is then close to T but not equal to it: rounding, clamping
 *   at the ends of the range and e_j add about ±1.6 PHQ-9 points (SD) to the total.
 *
 * WAI-SR (12 items, scored as the mean; subscales task 1, 2, 10, 12; bond 3, 5, 7, 9; goal
 * 4, 6, 8, 11) has a total `alliance` and subscale means `alliance_goal/task/bond`. Each
 * subscale's items are centred on that subscale's value; the offsets d_j sum to 0 within each
 * subscale, so the subscale means are kept. When a subscale is blank but the alliance is not
 * (the client skipped one subscale), its items are centred on alliance + o_cs instead, with
 * o_cs ~ N(0, 0.15) a per-client, per-subscale offset fixed across the client's sessions.
 *
 * GAD-7 has no total in the source study; it is derived from the same occasion's PHQ-9:
 *   G = clamp(round(0.7 · P · 21/27 + N(0, 2.5)), 0, 21)      (blank when P is blank)
 * which gives r(PHQ-9, GAD-7) ≈ .7, about what routine services see.
 *
 * MISSING ITEMS, drawn per scored row (a questionnaire on one occasion) after the responses:
 *   with probability 0.004, three distinct items are blank (more than the proration limit of
 *   PHQ-9, GAD-7 and WAI-SR, so the row's total cannot be scored: a counted exclusion);
 *   otherwise each item is blank independently with probability 0.015 (mostly one item, which
 *   the pipeline prorates). A row whose source total is blank has every item blank.
 */
import { bernoulli, integerInRange, normal } from "../stats/random/distributions.ts"
import type { Rng } from "../stats/random/xoshiro.ts"

/** One item response, or null for a blank cell. */
export type Response = number | null

/** How one instrument's items are drawn from its total. */
export interface ItemModel {
  /** registry id (data-schemas/instruments/registry.ts) */
  readonly id: "phq9" | "gad7" | "wai_sr"
  readonly items: number
  /** [lowest, highest] response to one item */
  readonly range: readonly [number, number]
  readonly scoring: "sum" | "mean"
  /** d_j: one fixed offset per item (item 1 first), summing to 0 */
  readonly offsets: ReadonlyArray<number>
  /** σ: the SD of an item's deviation from its centre before rounding */
  readonly noiseSd: number
  /** the registry's proration limit: most items a total is prorated over */
  readonly maxMissing: number
}

/** PHQ-9: 9 items 0–3, summed; sleep and fatigue run high, psychomotor and self-harm low. */
export const PHQ9: ItemModel = {
  id: "phq9",
  items: 9,
  range: [0, 3],
  scoring: "sum",
  offsets: [0.05, 0.05, 0.3, 0.4, 0.05, -0.05, 0, -0.4, -0.4],
  noiseSd: 0.45,
  maxMissing: 1,
}

/** GAD-7: 7 items 0–3, summed; worry items run high, restlessness and fear low. */
export const GAD7: ItemModel = {
  id: "gad7",
  items: 7,
  range: [0, 3],
  scoring: "sum",
  offsets: [0.2, 0.1, 0.25, 0.1, -0.35, 0.05, -0.35],
  noiseSd: 0.45,
  maxMissing: 1,
}

/** WAI-SR item numbers (1-based) of each subscale. */
export const WAI_SR_SUBSCALES = { goal: [4, 6, 8, 11], task: [1, 2, 10, 12], bond: [3, 5, 7, 9] } as const
export type WaiSubscale = keyof typeof WAI_SR_SUBSCALES
export const WAI_SUBSCALE_NAMES: ReadonlyArray<WaiSubscale> = ["goal", "task", "bond"]

/** WAI-SR: 12 items 1–5, scored as the mean; the offsets sum to 0 within each subscale. */
export const WAI_SR: ItemModel = {
  id: "wai_sr",
  items: 12,
  range: [1, 5],
  scoring: "mean",
  // task 1, 2, 10, 12: 0.1, -0.1, 0.15, -0.15; bond 3, 5, 7, 9: 0.15, 0.05, -0.15, -0.05;
  // goal 4, 6, 8, 11: -0.1, 0.2, 0, -0.1
  offsets: [0.1, -0.1, 0.15, -0.1, 0.05, 0.2, -0.15, 0, -0.05, 0.15, -0.1, -0.15],
  noiseSd: 0.45,
  maxMissing: 2,
}

/** The SD of the per-client, per-subscale WAI-SR offset o_cs. */
export const WAI_CLIENT_SUBSCALE_SD = 0.15

/** GAD-7 total from PHQ-9: slope and residual SD. */
export const GAD7_FROM_PHQ9 = { slope: (0.7 * 21) / 27, noiseSd: 2.5 } as const

/** Item missingness per scored row. */
export interface Missingness {
  /** probability that one item is blank (independently per item) */
  readonly item: number
  /** probability that a row has `blockSize` items blank instead */
  readonly block: number
  readonly blockSize: number
}
export const MISSINGNESS: Missingness = { item: 0.015, block: 0.004, blockSize: 3 }

// `<=` so that a rounded −0 comes back as +0 (written "0")
const clamp = (x: number, low: number, high: number): number => (x <= low ? low : x > high ? high : x)

/** m: the centre of each item for a total (T / k for sum scoring, T for mean scoring). */
export const itemCentre = (total: number, model: ItemModel): number =>
  model.scoring === "sum" ? total / model.items : total

/**
 * Responses x_j = clamp(round(c_j + d_j + e_j), lo, hi) for per-item centres c_j (one normal
 * draw per item, item 1 first).
 */
export const drawResponses = (rng: Rng, centres: ReadonlyArray<number>, model: ItemModel): number[] => {
  if (centres.length !== model.items) throw new RangeError(`${model.id} needs ${model.items} item centres, got ${centres.length}`)
  const [low, high] = model.range
  return centres.map((c, j) => clamp(Math.round(c + (model.offsets[j] ?? 0) + normal(rng, 0, model.noiseSd)), low, high))
}

/** The items of one occasion from its total; every item blank (and no draws) when the total is. */
export const itemiseTotal = (rng: Rng, total: number | null, model: ItemModel): Response[] =>
  total === null
    ? Array.from({ length: model.items }, () => null)
    : drawResponses(rng, Array.from({ length: model.items }, () => itemCentre(total, model)), model)

/** A client's WAI-SR subscale offsets o_cs, drawn once per client (three normal draws: goal, task, bond). */
export const drawSubscaleOffsets = (rng: Rng): Readonly<Record<WaiSubscale, number>> => ({
  goal: normal(rng, 0, WAI_CLIENT_SUBSCALE_SD),
  task: normal(rng, 0, WAI_CLIENT_SUBSCALE_SD),
  bond: normal(rng, 0, WAI_CLIENT_SUBSCALE_SD),
})

/** One session's WAI-SR scores in the source study (null = blank). */
export interface AllianceScores {
  readonly alliance: number | null
  readonly goal: number | null
  readonly task: number | null
  readonly bond: number | null
}

/**
 * The 12 WAI-SR items of one session: each subscale's items centred on its value, or on
 * alliance + the client's offset when the subscale is blank; all blank when the alliance is.
 */
export const itemiseWaiSr = (rng: Rng, scores: AllianceScores, clientOffsets: Readonly<Record<WaiSubscale, number>>): Response[] => {
  const { alliance } = scores
  if (alliance === null) return itemiseTotal(rng, null, WAI_SR)
  const centres = new Array<number>(WAI_SR.items).fill(alliance)
  for (const name of WAI_SUBSCALE_NAMES) {
    const centre = scores[name] ?? alliance + clientOffsets[name]
    for (const item of WAI_SR_SUBSCALES[name]) centres[item - 1] = centre
  }
  return drawResponses(rng, centres, WAI_SR)
}

/** A GAD-7 total derived from the same occasion's PHQ-9 total (one normal draw; null, no draw, for null). */
export const gad7FromPhq9 = (rng: Rng, phq9: number | null): number | null =>
  phq9 === null ? null : clamp(Math.round(GAD7_FROM_PHQ9.slope * phq9 + normal(rng, 0, GAD7_FROM_PHQ9.noiseSd)), 0, 21)

/**
 * Blanks items of one scored row: with probability `block`, `blockSize` distinct items (chosen
 * uniformly); otherwise each item with probability `item`. A row already entirely blank is
 * returned unchanged, with no draws.
 */
export const dropItems = (rng: Rng, responses: ReadonlyArray<Response>, m: Missingness = MISSINGNESS): Response[] => {
  const out = [...responses]
  if (out.every((x) => x === null)) return out
  if (bernoulli(rng, m.block)) {
    // a partial Fisher–Yates shuffle of the item indices picks blockSize distinct items
    const order = out.map((_, j) => j)
    for (let i = 0; i < Math.min(m.blockSize, order.length); i++) {
      const j = integerInRange(rng, i, order.length - 1)
      const chosen = order[j] as number
      order[j] = order[i] as number
      order[i] = chosen
      out[chosen] = null
    }
    return out
  }
  return out.map((x) => (bernoulli(rng, m.item) ? null : x))
}

/** The instrument's total from complete items (sum or mean), or null when an item is blank. */
export const completeScore = (responses: ReadonlyArray<Response>, model: ItemModel): number | null => {
  let sum = 0
  for (const x of responses) {
    if (x === null) return null
    sum += x
  }
  return model.scoring === "sum" ? sum : sum / responses.length
}

/** A response as CSV text: the integer, or "" for a blank cell. */
export const responseText = (x: Response): string => (x === null ? "" : String(x))
