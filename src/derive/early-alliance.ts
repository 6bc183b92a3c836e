/**
 * Early alliance: for each client, the mean of the non-missing ratings in sessions
 * `window[0]..window[1]` (inclusive) of one alliance column.
 *
 * Definition (results.json `definitions.early_alliance`): mean of the non-missing client-rated
 * `alliance` values in sessions 1–3; clients with no rating in the window get NaN and are
 * excluded from the analyses that need it (and counted in the funnel).
 *
 * Means are rounded to 12 significant digits. That removes floating-point noise (3.1 + 3.2 + 3.3
 * and 3.3 + 3.1 + 3.2 differ in the last bit), so that clients with the same ratings get exactly the
 * same early alliance and tie in rank-based statistics such as Spearman's ρ, whatever the order of
 * their sessions. The change to any value is below 5e-13 relative.
 *
 * Example: sessions 1, 2, 3, 4 rated 3.0, missing, 4.0, 5.0 with window [1, 3] → (3.0 + 4.0) / 2 = 3.5.
 */
import { roundSignificant } from "../stats/numeric/round-significant.ts"

/** Early mean of one alliance column (see the file comment). */
export const earlyMean = (
  nClients: number,
  client: Int32Array,
  session: Int32Array,
  values: Float64Array,
  window: readonly [number, number],
): Float64Array => earlyMeans(nClients, client, session, [values], window)[0]!

/**
 * Early means of several alliance columns at once, each exactly as {@link earlyMean} computes it:
 * one pass over the session rows serves every column, so that the session number and client of
 * each of millions of rows are read once rather than once per column. Each client's ratings are
 * added in row order, and each mean is rounded as described above.
 */
export const earlyMeans = (
  nClients: number,
  client: Int32Array,
  session: Int32Array,
  columns: ReadonlyArray<Float64Array>,
  window: readonly [number, number],
): Float64Array[] => {
  const [first, last] = window
  const sums = columns.map(() => new Float64Array(nClients))
  const counts = columns.map(() => new Int32Array(nClients))
  for (let i = 0; i < client.length; i++) {
    const s = session[i]!
    if (s < first || s > last) continue
    const c = client[i]!
    for (let k = 0; k < columns.length; k++) {
      const v = columns[k]![i]!
      if (!Number.isNaN(v)) {
        sums[k]![c]! += v
        counts[k]![c]!++
      }
    }
  }
  return sums.map((sum, k) => roundedMeansInPlace(sum, counts[k]!))
}

/** Turns each client's sum into its mean rounded to 12 significant digits (NaN without ratings), in place. */
const roundedMeansInPlace = (sum: Float64Array, count: Int32Array): Float64Array => {
  for (let c = 0; c < sum.length; c++) sum[c] = count[c]! > 0 ? roundSignificant(sum[c]! / count[c]!) : Number.NaN
  return sum
}
