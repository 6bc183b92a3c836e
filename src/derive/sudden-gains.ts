/**
 * Sudden gains in session-by-session symptom scores (Tang & DeRubeis 1999, *J Consult Clin
 * Psychol* 67(6), 894–904).
 *
 * A gain between consecutive sessions N and N + 1 (numbered exactly one apart, both scored) is
 * sudden when
 *   1. it is large in absolute terms: at least `minimum` points (Tang & DeRubeis: 7 BDI points;
 *      often the measure's reliable change);
 *   2. it is large relative to the pre-gain score: at least `relative` (25%) of the distance of the
 *      session-N score from the scale's best end (for BDI or PHQ-9, the score itself);
 *   3. it is large relative to the fluctuation around it: the mean of sessions N − 2 … N differs
 *      from the mean of sessions N + 1 … N + 3, in the direction of improvement, by more than
 *      t_crit · s_pooled, with s_pooled the pooled SD of the two sets and t_crit the two-sided 5%
 *      critical t on n₁ + n₂ − 2 df — 2.776 with three sessions on each side, as in the paper; with
 *      a session missing, the sets are shorter and t_crit larger (the adaptation of Lutz et al.
 *      2013). At least two scored sessions are needed on each side.
 * "Gain" is the direction of improvement: a drop on a lower-is-better measure. Every sudden gain
 * of a client is listed, the first marked (the one studies usually analyse). "At least" allows for
 * decimal scores' binary rounding (at-least.ts).
 */
import { studentTQuantile } from "../stats/distributions/students-t.ts"
import { atLeast } from "./at-least.ts"
import { sessionsByClient } from "./session-order.ts"

export interface SuddenGainCriteria {
  readonly minimum: number
  /** share of the pre-gain score's distance from the best end (0.25) */
  readonly relative: number
  readonly direction: "lower_is_better" | "higher_is_better"
  /** the measure's range [low, high]: the best end is low (lower is better) or high */
  readonly range: readonly [number, number]
}

export interface SuddenGain {
  /** client row */
  readonly client: number
  /** the pre-gain session N (the gain happens between N and N + 1) */
  readonly session: number
  readonly preGain: number
  readonly postGain: number
  /** size of the gain, positive, in the measure's points */
  readonly magnitude: number
  /** the first sudden gain of this client */
  readonly first: boolean
}

/** Mean and sum of squared deviations of a few numbers. */
const moments = (values: ReadonlyArray<number>) => {
  const mean = values.reduce((s, v) => s + v, 0) / values.length
  return { mean, squares: values.reduce((s, v) => s + (v - mean) * (v - mean), 0), n: values.length }
}

/** The sudden gains (file comment) in `score` over session rows (any order); NaN scores are missing. */
export const suddenGains = (
  nClients: number,
  sessions: { readonly client: Int32Array; readonly session: Int32Array; readonly score: Float64Array },
  criteria: SuddenGainCriteria,
): SuddenGain[] => {
  const { start, order } = sessionsByClient(nClients, sessions.client, sessions.session)
  const better = criteria.direction === "lower_is_better" ? -1 : 1
  const best = criteria.direction === "lower_is_better" ? criteria.range[0] : criteria.range[1]
  const gains: SuddenGain[] = []
  for (let c = 0; c < nClients; c++) {
    // the client's scored sessions, by session number
    const scored = new Map<number, number>()
    for (let j = start[c]!; j < start[c + 1]!; j++) {
      const row = order[j]!
      if (!Number.isNaN(sessions.score[row]!)) scored.set(sessions.session[row]!, sessions.score[row]!)
    }
    let first = true
    for (const [n, pre] of scored) {
      const post = scored.get(n + 1)
      if (post === undefined) continue
      const magnitude = better * (post - pre)
      if (!atLeast(magnitude, criteria.minimum)) continue
      if (!atLeast(magnitude, criteria.relative * Math.abs(pre - best))) continue
      const before = [n - 2, n - 1, n].flatMap((s) => (scored.has(s) ? [scored.get(s)!] : []))
      const after = [n + 1, n + 2, n + 3].flatMap((s) => (scored.has(s) ? [scored.get(s)!] : []))
      if (before.length < 2 || after.length < 2) continue
      const a = moments(before)
      const b = moments(after)
      const df = a.n + b.n - 2
      const pooled = Math.sqrt((a.squares + b.squares) / df)
      if (!(better * (b.mean - a.mean) > studentTQuantile(0.975, df) * pooled)) continue
      gains.push({ client: c, session: n, preGain: pre, postGain: post, magnitude, first })
      first = false
    }
  }
  return gains
}
