/**
 * Session rows grouped by client and, within a client, ordered by session number — in whatever
 * order the rows come. A counting sort buckets the rows by client; an insertion sort orders each
 * client's few rows (usually in order already), so the cost is O(rows).
 */

export interface SessionOrder {
  /** client c's rows are order[start[c]] … order[start[c + 1] − 1], by session number */
  readonly start: Int32Array
  readonly order: Int32Array
}

export const sessionsByClient = (nClients: number, client: Int32Array, session: Int32Array): SessionOrder => {
  const rows = client.length
  const start = new Int32Array(nClients + 1)
  for (let i = 0; i < rows; i++) start[client[i]! + 1]!++
  for (let c = 0; c < nClients; c++) start[c + 1]! += start[c]!
  const next = start.slice(0, nClients)
  const order = new Int32Array(rows)
  for (let i = 0; i < rows; i++) order[next[client[i]!]!++] = i
  for (let c = 0; c < nClients; c++) {
    for (let j = start[c]! + 1; j < start[c + 1]!; j++) {
      const row = order[j]!
      const s = session[row]!
      let k = j - 1
      while (k >= start[c]! && session[order[k]!]! > s) {
        order[k + 1] = order[k]!
        k--
      }
      order[k + 1] = row
    }
  }
  return { start, order }
}
