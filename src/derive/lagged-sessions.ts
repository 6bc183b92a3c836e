/**
 * Session pairs for the lagged within/between model: this session's alliance and symptom score,
 * and the symptom score at the client's next session.
 *
 * Definition (results.json `definitions.session_pairs`): a pair is a session t of a client whose
 * client-rated `alliance` and `symptom` are both present, and whose session t + 1 (the session
 * numbered exactly one more) exists with `symptom` present. A session with no successor, or a
 * successor without a symptom score, makes no pair; a skipped session number breaks the chain.
 * The client's mean alliance over their pairs is the between-client part, and alliance minus that
 * mean the within-client part (person-mean centring; Curran & Bauer 2011), so the within part sums
 * to zero over each client's pairs.
 *
 * Example: a client with sessions 1, 2, 3, 5 (alliance 3, 4, 5, 4; symptom 12, 10, 9, 7) gives
 * pairs (1 → 2) and (2 → 3): alliance 3 and 4, mean 3.5, within −0.5 and +0.5, current symptom 12
 * and 10, next symptom 10 and 9. Session 3 has no session 4; session 5 has no successor.
 */

import { sessionsByClient } from "./session-order.ts"

export interface SessionPairs {
  readonly n: number
  /** client row of each pair */
  readonly client: Int32Array
  readonly symptom: Float64Array
  readonly nextSymptom: Float64Array
  /** the client's mean alliance over their pairs (between-client part) */
  readonly between: Float64Array
  /** this session's alliance − between (within-client part; alliance = between + within) */
  readonly within: Float64Array
  /** clients with at least one pair */
  readonly clients: number
}

/**
 * Builds the pairs (file comment) from session rows in whatever order they come (grouped by
 * client and ordered by session number: session-order.ts).
 */
export const sessionPairs = (
  nClients: number,
  client: Int32Array,
  session: Int32Array,
  alliance: Float64Array,
  symptom: Float64Array,
): SessionPairs => {
  const rows = client.length
  const { start, order } = sessionsByClient(nClients, client, session)
  // mark each row that starts a pair, then fill exactly-sized columns
  const starts = new Uint8Array(rows)
  let n = 0
  for (let c = 0; c < nClients; c++) {
    for (let j = start[c]!; j + 1 < start[c + 1]!; j++) {
      const now = order[j]!
      const later = order[j + 1]!
      if (session[later]! !== session[now]! + 1) continue
      if (Number.isNaN(alliance[now]!) || Number.isNaN(symptom[now]!) || Number.isNaN(symptom[later]!)) continue
      starts[j] = 1
      n++
    }
  }
  // `within` holds the session's alliance until the client means are known (one column fewer in memory)
  const pairs = { client: new Int32Array(n), symptom: new Float64Array(n), nextSymptom: new Float64Array(n) }
  const within = new Float64Array(n)
  for (let c = 0, k = 0; c < nClients; c++) {
    for (let j = start[c]!; j < start[c + 1]!; j++) {
      if (starts[j] === 0) continue
      const now = order[j]!
      pairs.client[k] = c
      within[k] = alliance[now]!
      pairs.symptom[k] = symptom[now]!
      pairs.nextSymptom[k] = symptom[order[j + 1]!]!
      k++
    }
  }
  const sum = new Float64Array(nClients)
  const count = new Int32Array(nClients)
  for (let i = 0; i < n; i++) {
    sum[pairs.client[i]!]! += within[i]!
    count[pairs.client[i]!]!++
  }
  let clients = 0
  for (let c = 0; c < nClients; c++) if (count[c]! > 0) clients++
  const between = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const c = pairs.client[i]!
    between[i] = sum[c]! / count[c]!
    within[i] = within[i]! - between[i]!
  }
  return { n, ...pairs, between, within, clients }
}
