/**
 * Ruptures and repairs in session-by-session alliance ratings.
 *
 * Operational definition (after the V-shaped "rupture–repair sequences" of Stiles et al. 2004,
 * *J Counsel Psychol* 51(1), 81–92, and the self-report rupture markers reviewed by Eubanks, Muran &
 * Safran 2018, *Psychotherapy* 55(4)); both parameters are settings, and the defaults are this
 * project's choice, not a published standard:
 *   - rupture at session t: the alliance at t is lower than at t − 1 (the session numbered exactly
 *     one less, both rated) by at least `threshold` points. The default threshold is one pooled
 *     within-client SD of alliance, √(Σ_c Σ_t (x_ct − x̄_c)² / (N − C)) over every client's rated
 *     sessions (N ratings, C clients), so a rupture is a drop larger than a client's usual
 *     session-to-session variation; the measure's reliable change index is the alternative;
 *   - repair: within the `window` sessions after t (sessions t + 1 … t + window, by number), the
 *     alliance comes back to at least its level at t − 1.
 * A later drop while a rupture is still unrepaired is a rupture of its own. "At least" allows for
 * decimal ratings' binary rounding (at-least.ts).
 */
import { atLeast } from "./at-least.ts"
import { type SessionOrder, sessionsByClient } from "./session-order.ts"

export interface Rupture {
  /** client row */
  readonly client: number
  /** the session of the drop */
  readonly session: number
  /** alliance before (t − 1) and at the drop (t) */
  readonly before: number
  readonly at: number
  /** the session by which the alliance was back at `before`, or null */
  readonly repairedAt: number | null
}

export interface RuptureSummary {
  readonly ruptures: ReadonlyArray<Rupture>
  /** per client: ruptures and repaired ruptures (0 for clients without rated sessions) */
  readonly perClient: { readonly ruptures: Int32Array; readonly repaired: Int32Array }
}

/** The pooled within-client SD of `alliance` (file comment); NaN with fewer ratings than clients + 1. */
export const pooledWithinClientSd = (nClients: number, client: Int32Array, alliance: Float64Array): number => {
  const sum = new Float64Array(nClients)
  const count = new Int32Array(nClients)
  for (let i = 0; i < client.length; i++) {
    if (Number.isNaN(alliance[i]!)) continue
    sum[client[i]!]! += alliance[i]!
    count[client[i]!]!++
  }
  let squares = 0
  let ratings = 0
  let clients = 0
  for (let c = 0; c < nClients; c++) if (count[c]! > 0) clients++
  for (let i = 0; i < client.length; i++) {
    if (Number.isNaN(alliance[i]!)) continue
    const c = client[i]!
    const deviation = alliance[i]! - sum[c]! / count[c]!
    squares += deviation * deviation
    ratings++
  }
  return ratings > clients ? Math.sqrt(squares / (ratings - clients)) : Number.NaN
}

/**
 * The ruptures and repairs (file comment) in `alliance` over session rows in whatever order; NaN ratings
 * are missing. `order` is the rows grouped by client in session order (sessionsByClient), when
 * already made.
 */
export const rupturesAndRepairs = (
  nClients: number,
  sessions: { readonly client: Int32Array; readonly session: Int32Array; readonly alliance: Float64Array },
  options: { readonly threshold: number; readonly window: number },
  order: SessionOrder = sessionsByClient(nClients, sessions.client, sessions.session),
): RuptureSummary => {
  const ruptures: Rupture[] = []
  const perClient = { ruptures: new Int32Array(nClients), repaired: new Int32Array(nClients) }
  for (let c = 0; c < nClients; c++) {
    // the client's rated sessions, by number, as positions into order (no object per client)
    const from = order.start[c]!
    const to = order.start[c + 1]!
    let previousNumber = Number.NaN
    let previousValue = Number.NaN
    for (let j = from; j < to; j++) {
      const row = order.order[j]!
      const at = sessions.alliance[row]!
      if (Number.isNaN(at)) continue
      const t = sessions.session[row]!
      const before = previousValue
      const adjacent = previousNumber === t - 1
      previousNumber = t
      previousValue = at
      if (!adjacent || !atLeast(before - at, options.threshold)) continue
      let repairedAt: number | null = null
      for (let k = j + 1; k < to && repairedAt === null; k++) {
        const later = order.order[k]!
        const s = sessions.session[later]!
        if (s > t + options.window) break
        if (!Number.isNaN(sessions.alliance[later]!) && atLeast(sessions.alliance[later]!, before)) repairedAt = s
      }
      ruptures.push({ client: c, session: t, before, at, repairedAt })
      perClient.ruptures[c]!++
      if (repairedAt !== null) perClient.repaired[c]!++
    }
  }
  return { ruptures, perClient }
}
