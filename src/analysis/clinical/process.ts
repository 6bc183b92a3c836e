/**
 * Process markers in the session series (issue 7):
 *
 * Both take the session rows' order by client and session number (derive/session-order.ts),
 * made once for the session table and shared.
 *
 *   - ruptures and repairs in client-rated alliance (derive/ruptures.ts: a drop of at least
 *     threshold_sd pooled within-client SDs from the session numbered one before; repaired when
 *     back at the pre-drop level within repair_window sessions), their rates per pair of
 *     consecutive rated sessions and by session number, and improvement compared between clients
 *     without a rupture, with every rupture repaired, and with one left unrepaired;
 *   - sudden gains in the session symptom scores (derive/sudden-gains.ts, Tang & DeRubeis 1999;
 *     the absolute criterion is the reliable-change threshold in points), when they happen, the
 *     alliance at the pre-gain and the post-gain session of each first gain (paired t test: does
 *     alliance rise after a gain?), and improvement with and without a gain.
 */
import type { ClinicalResults } from "../../../data-schemas/clinical-results.ts"
import { pooledWithinClientSd, rupturesAndRepairs } from "../../derive/ruptures.ts"
import { type SessionOrder, sessionsByClient } from "../../derive/session-order.ts"
import { suddenGains } from "../../derive/sudden-gains.ts"
import { quantileSorted } from "../../stats/descriptives/summary.ts"
import { pairedTTest } from "../../stats/group-comparison/paired-t.ts"
import { compareGroups } from "./groups.ts"

export interface SessionSeries {
  readonly client: Int32Array
  readonly session: Int32Array
  readonly values: Float64Array
}

export const RUPTURE_GROUPS = ["no rupture", "every rupture repaired", "a rupture unrepaired"] as const
export const GAIN_GROUPS = ["no sudden gain", "sudden gain"] as const

/**
 * Pairs of consecutive rated sessions (t − 1, t), by the later session number, and which clients
 * have at least one.
 */
const transitionsBySession = (nClients: number, series: SessionSeries, order: SessionOrder): { readonly bySession: Map<number, number>; readonly rated: Uint8Array } => {
  const { start, order: rows } = order
  let last = 0
  for (let j = 0; j < series.session.length; j++) last = Math.max(last, series.session[j]!)
  const counts = new Int32Array(last + 1)
  const rated = new Uint8Array(nClients)
  for (let c = 0; c < nClients; c++) {
    let previous = Number.NaN
    for (let j = start[c]!; j < start[c + 1]!; j++) {
      const row = rows[j]!
      if (Number.isNaN(series.values[row]!)) continue
      const t = series.session[row]!
      if (t === previous + 1) {
        counts[t]!++
        rated[c] = 1
      }
      previous = t
    }
  }
  const bySession = new Map<number, number>()
  counts.forEach((n, t) => n > 0 && bySession.set(t, n))
  return { bySession, rated }
}

export const rupturesOf = (
  nClients: number,
  alliance: SessionSeries,
  improvement: Float64Array,
  options: { readonly thresholdSd: number; readonly window: number; readonly minCell: number },
  order: SessionOrder = sessionsByClient(nClients, alliance.client, alliance.session),
): ClinicalResults["ruptures"] => {
  const sd = pooledWithinClientSd(nClients, alliance.client, alliance.values)
  if (!(sd > 0)) return { status: "not_estimable", reason: "alliance does not vary within clients (or too few repeated ratings)" }
  const threshold = options.thresholdSd * sd
  const { ruptures, perClient } = rupturesAndRepairs(nClients, { client: alliance.client, session: alliance.session, alliance: alliance.values }, { threshold, window: options.window }, order)
  const { bySession: transitions, rated } = transitionsBySession(nClients, alliance, order)
  const total = [...transitions.values()].reduce((a, b) => a + b, 0)
  if (total === 0) return { status: "not_estimable", reason: "no client has two consecutive rated sessions" }
  const atSession = new Map<number, number>()
  for (const r of ruptures) atSession.set(r.session, (atSession.get(r.session) ?? 0) + 1)
  const group = Int8Array.from({ length: nClients }, (_, c) =>
    rated[c] === 0 ? -1 : perClient.ruptures[c] === 0 ? 0 : perClient.repaired[c] === perClient.ruptures[c] ? 1 : 2,
  )
  const repaired = ruptures.filter((r) => r.repairedAt !== null).length
  return {
    status: "estimated",
    threshold,
    threshold_sd: options.thresholdSd,
    within_client_sd: sd,
    repair_window: options.window,
    clients_rated: rated.reduce((a, b) => a + b, 0),
    transitions: total,
    ruptures: ruptures.length,
    repaired,
    clients_with_rupture: perClient.ruptures.reduce((n, k) => n + (k > 0 ? 1 : 0), 0),
    rupture_rate: ruptures.length / total,
    repair_rate: ruptures.length === 0 ? null : repaired / ruptures.length,
    by_session: [...transitions.entries()]
      .filter(([, n]) => n >= options.minCell)
      .sort((a, b) => a[0] - b[0])
      .map(([session, n]) => ({ session, transitions: n, ruptures: atSession.get(session) ?? 0 })),
    improvement: compareGroups(RUPTURE_GROUPS, group, improvement, options.minCell),
  }
}

export const suddenGainsOf = (
  nClients: number,
  symptom: SessionSeries,
  alliance: SessionSeries,
  improvement: Float64Array,
  options: { readonly minimum: number; readonly direction: "lower_is_better" | "higher_is_better"; readonly range: readonly [number, number]; readonly minCell: number },
  order: SessionOrder = sessionsByClient(nClients, symptom.client, symptom.session),
): ClinicalResults["sudden_gains"] => {
  const withSeries = new Uint8Array(nClients)
  for (let j = 0; j < symptom.client.length; j++) if (!Number.isNaN(symptom.values[j]!)) withSeries[symptom.client[j]!] = 1
  const clientsWithSeries = withSeries.reduce((a, b) => a + b, 0)
  if (clientsWithSeries === 0) return { status: "not_estimable", reason: "no session symptom scores" }
  const gains = suddenGains(nClients, { client: symptom.client, session: symptom.session, score: symptom.values }, {
    minimum: options.minimum,
    relative: 0.25,
    direction: options.direction,
    range: options.range,
  }, order)
  const first = gains.filter((g) => g.first)
  const sessions = Float64Array.from(first.map((g) => g.session)).sort()
  // alliance at the pre-gain session N and the post-gain session N + 1 of each first gain, read
  // from the client's own rows (in session order)
  const allianceAt = (client: number, session: number): number | undefined => {
    for (let j = order.start[client]!; j < order.start[client + 1]!; j++) {
      const row = order.order[j]!
      if (alliance.session[row] === session) return Number.isNaN(alliance.values[row]!) ? undefined : alliance.values[row]!
    }
    return undefined
  }
  const pairs = first.flatMap((g) => {
    const before = allianceAt(g.client, g.session)
    const after = allianceAt(g.client, g.session + 1)
    return before === undefined || after === undefined ? [] : [[before, after] as const]
  })
  const group = Int8Array.from({ length: nClients }, (_, c) => (withSeries[c] === 0 ? -1 : 0))
  for (const g of first) group[g.client] = 1
  return {
    status: "estimated",
    minimum: options.minimum,
    clients_with_series: clientsWithSeries,
    gains: gains.length,
    clients_with_gain: first.length,
    first_gain_session:
      sessions.length < options.minCell
        ? null
        : { median: quantileSorted(sessions, 0.5), q1: quantileSorted(sessions, 0.25), q3: quantileSorted(sessions, 0.75) },
    alliance_around_gain: pairedT(pairs, options.minCell),
    improvement: compareGroups(GAIN_GROUPS, group, improvement, options.minCell),
  }
}

/** The alliance before and after first gains, compared by the paired t test (stats/group-comparison/paired-t.ts). */
export const pairedT = (pairs: ReadonlyArray<readonly [number, number]>, minCell: number): Extract<ClinicalResults["sudden_gains"], { status: "estimated" }>["alliance_around_gain"] => {
  if (pairs.length < Math.max(minCell, 2)) return { status: "not_estimable", reason: `fewer than ${Math.max(minCell, 2)} first gains with alliance rated at both sessions (min_cell)` }
  const test = pairedTTest(pairs.map(([before]) => before), pairs.map(([, after]) => after))
  if (!(test.sdDifference > 0)) return { status: "not_estimable", reason: "the alliance differences do not vary" }
  const n = test.n
  return {
    status: "estimated",
    n,
    before: pairs.reduce((s, [b]) => s + b, 0) / n,
    after: pairs.reduce((s, [, a]) => s + a, 0) / n,
    difference: test.meanDifference,
    t: test.t,
    df: test.df,
    p: test.p,
  }
}
