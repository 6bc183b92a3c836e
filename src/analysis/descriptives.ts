/** Study descriptives: counts, sessions per client, and missingness per column. */
import { fiveNumberSummary } from "../stats/descriptives/summary.ts"
import { type StudyData, usedLevels } from "../data/study-data.ts"
import { sessionsPerClient } from "../derive/select.ts"
import type { ColumnProfile } from "../ingest/column-profile.ts"

export interface Descriptives {
  readonly nSites: number
  readonly nTherapists: number
  readonly nClients: number
  readonly nSessions: number
  readonly sessionsPerClient: ReturnType<typeof fiveNumberSummary>
  readonly clientsWithoutSessions: number
  readonly missingness: ReadonlyArray<{ file: string; column: string; n: number; nMissing: number; percent: number }>
}

const countZeros = (values: Float64Array): number => {
  let zeros = 0
  for (let i = 0; i < values.length; i++) if (values[i] === 0) zeros++
  return zeros
}

export const describeStudy = (data: StudyData, profiles: ReadonlyArray<ColumnProfile>): Descriptives => {
  const counts = sessionsPerClient(data.clients.n, data.sessions.client)
  return {
    nSites: data.clients.site === null ? 0 : usedLevels(data.clients.site),
    nTherapists: usedLevels(data.clients.therapist),
    nClients: data.clients.n,
    nSessions: data.sessions.n,
    sessionsPerClient: fiveNumberSummary(counts),
    clientsWithoutSessions: countZeros(counts),
    missingness: profiles.map((p) => ({
      file: p.file,
      // canonical names of mapped columns: a lab's export with its own names gives the same results
      column: p.canonical,
      n: p.n,
      nMissing: p.nMissing,
      percent: p.n === 0 ? 0 : (100 * p.nMissing) / p.n,
    })),
  }
}
