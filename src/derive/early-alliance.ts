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
export const earlyMean = (
  nClients: number,
  client: Int32Array,
  session: Int32Array,
  values: Float64Array,
  window: readonly [number, number],
): Float64Array => {
  const sum = new Float64Array(nClients)
  const count = new Int32Array(nClients)
  for (let i = 0; i < client.length; i++) {
    const s = session[i]!
    const v = values[i]!
    if (s >= window[0] && s <= window[1] && !Number.isNaN(v)) {
      const c = client[i]!
      sum[c]! += v
      count[c]!++
    }
  }
  const mean = new Float64Array(nClients)
  for (let c = 0; c < nClients; c++) mean[c] = count[c]! > 0 ? roundSignificant(sum[c]! / count[c]!) : Number.NaN
  return mean
}

/** x rounded to 12 significant digits (R: signif(x, 12)). */
export const roundSignificant = (x: number, digits = 12): number => Number(x.toPrecision(digits))
