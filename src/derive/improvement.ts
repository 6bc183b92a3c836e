/**
 * Improvement on the outcome measure, signed so that positive always means the client got better
 * (the sign convention of the alliance–outcome meta-analyses: positive r = stronger alliance goes
 * with more improvement).
 *
 *   lower_is_better  (PHQ-9, GAD-7, OQ-45, ...): improvement = baseline − outcome
 *   higher_is_better (ORS, WEMWBS, ...):         improvement = outcome − baseline
 *
 * NaN when either score is missing. Example: PHQ-9 from 18 to 7 → 11.
 */
export type Direction = "lower_is_better" | "higher_is_better"

export const improvement = (baseline: Float64Array, outcome: Float64Array, direction: Direction): Float64Array => {
  const out = new Float64Array(baseline.length)
  const sign = direction === "lower_is_better" ? 1 : -1
  for (let i = 0; i < baseline.length; i++) out[i] = sign * (baseline[i]! - outcome[i]!)
  return out
}

/** +1 when higher scores are better, −1 when lower scores are better: multiply to orient a score. */
export const betterSign = (direction: Direction): 1 | -1 => (direction === "higher_is_better" ? 1 : -1)
