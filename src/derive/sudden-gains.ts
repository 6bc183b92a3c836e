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
import { type SessionOrder, sessionsByClient } from "./session-order.ts"

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

/** Two-sided 5% critical t by df (2 to 4 with two or three sessions a side), computed once. */
const criticalT: number[] = []
const critical = (df: number): number => (criticalT[df] ??= studentTQuantile(0.975, df))

/** The score of session `s` among a client's m scored sessions, looked for near index i (numbers rise strictly); NaN when not scored. */
const scoreOf = (number: Int32Array, value: Float64Array, m: number, i: number, s: number): number => {
  for (let k = Math.max(0, i - 3); k < Math.min(m, i + 4); k++) if (number[k] === s) return value[k]!
  return Number.NaN
}

/**
 * The sudden gains (file comment) in `score` over session rows (in whatever order); NaN scores are missing.
 * `order` is the rows grouped by client in session order (sessionsByClient), when already made.
 */
export const suddenGains = (
  nClients: number,
  sessions: { readonly client: Int32Array; readonly session: Int32Array; readonly score: Float64Array },
  criteria: SuddenGainCriteria,
  order: SessionOrder = sessionsByClient(nClients, sessions.client, sessions.session),
): SuddenGain[] => {
  const better = criteria.direction === "lower_is_better" ? -1 : 1
  const best = criteria.direction === "lower_is_better" ? criteria.range[0] : criteria.range[1]
  const gains: SuddenGain[] = []
  // one client's scored sessions, by session number (reused buffers: no object per client)
  let number = new Int32Array(64)
  let value = new Float64Array(64)
  for (let c = 0; c < nClients; c++) {
    let m = 0
    for (let j = order.start[c]!; j < order.start[c + 1]!; j++) {
      const row = order.order[j]!
      if (Number.isNaN(sessions.score[row]!)) continue
      if (m === number.length) {
        number = Int32Array.from({ length: 2 * m }, (_, i) => number[i] ?? 0)
        value = Float64Array.from({ length: 2 * m }, (_, i) => value[i] ?? 0)
      }
      number[m] = sessions.session[row]!
      value[m++] = sessions.score[row]!
    }
    let first = true
    for (let i = 0; i + 1 < m; i++) {
      const n = number[i]!
      if (number[i + 1] !== n + 1) continue
      const pre = value[i]!
      const post = value[i + 1]!
      const magnitude = better * (post - pre)
      if (!atLeast(magnitude, criteria.minimum)) continue
      if (!atLeast(magnitude, criteria.relative * Math.abs(pre - best))) continue
      // sessions N − 2 … N and N + 1 … N + 3, those scored
      let n1 = 0, sum1 = 0, n2 = 0, sum2 = 0
      const before = [scoreOf(number, value, m, i, n - 2), scoreOf(number, value, m, i, n - 1), pre]
      const after = [post, scoreOf(number, value, m, i, n + 2), scoreOf(number, value, m, i, n + 3)]
      for (const v of before) if (!Number.isNaN(v)) (n1++, (sum1 += v))
      for (const v of after) if (!Number.isNaN(v)) (n2++, (sum2 += v))
      if (n1 < 2 || n2 < 2) continue
      const mean1 = sum1 / n1
      const mean2 = sum2 / n2
      let squares = 0
      for (const v of before) if (!Number.isNaN(v)) squares += (v - mean1) * (v - mean1)
      for (const v of after) if (!Number.isNaN(v)) squares += (v - mean2) * (v - mean2)
      const df = n1 + n2 - 2
      const pooled = Math.sqrt(squares / df)
      if (!(better * (mean2 - mean1) > critical(df) * pooled)) continue
      gains.push({ client: c, session: n, preGain: pre, postGain: post, magnitude, first })
      first = false
    }
  }
  return gains
}
