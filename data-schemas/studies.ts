/**
 * `studies.csv`: one row per effect size, for evidence synthesis (PRODUCT.md §3) — published
 * studies, or sites' own results. Either a correlation and its sample size (`r`, `n`), or an
 * effect size with its sampling variance (`yi`, `vi`); an optional `es_id` when a study reports
 * several effects; every other column is a candidate moderator (kept as text).
 *
 * Stricter than metafor and meta, which accept r = ±1 and n ≤ 3 and return NaN: such a row is an
 * error here, named by file, line and column.
 */
import { z } from "zod"
import { IdCell, numberCell } from "./cells.ts"

/** The columns with a meaning; the rest are moderators. */
export const STUDY_COLUMNS = ["study_id", "es_id", "r", "n", "yi", "vi"] as const

const message = {
  r: "must be a correlation strictly between -1 and 1 (r = ±1 has no Fisher z and no sampling variance)",
  n: "must be a whole number ≥ 4 (the variance of Fisher's z, 1/(n − 3), needs at least 4 pairs)",
  vi: "must be a positive sampling variance",
} as const

/** A correlation strictly inside (−1, 1). */
export const CorrelationCell = numberCell().refine((x) => Math.abs(x) < 1, { error: message.r })
/** A sample size of at least 4. */
export const SampleSizeCell = numberCell().refine((x) => Number.isInteger(x) && x >= 4, { error: message.n })
/** A finite effect size. */
export const EffectCell = numberCell()
/** A sampling variance above 0. */
export const VarianceCell = numberCell().refine((x) => x > 0, { error: message.vi })

/** The cell schema of each column with a meaning. */
export const studyCells: Readonly<Record<(typeof STUDY_COLUMNS)[number], z.ZodType>> = {
  study_id: IdCell,
  es_id: IdCell,
  r: CorrelationCell,
  n: SampleSizeCell,
  yi: EffectCell,
  vi: VarianceCell,
}
