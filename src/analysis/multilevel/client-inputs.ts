/**
 * What the client-level multilevel models (therapist effects, the alliance decomposition) read:
 * a few columns of typed arrays and two group codings — small enough to hand to a worker thread,
 * which fits them while the session-level model runs on the main thread (pipelines/alliance-outcome.ts).
 */
import type { StudyData } from "../../data/study-data.ts"
import type { DerivedClients } from "../derive-clients.ts"

/** Group codes per client (−1: none) and the number of codes. */
export interface Coding {
  readonly codes: Int32Array
  readonly count: number
}

export interface ClientInputs {
  /** number of clients (rows of every column) */
  readonly n: number
  readonly therapist: Coding
  /** null when clients.csv has no site column */
  readonly site: Coding | null
  /** improvement, positive = better (NaN when baseline or outcome is missing) */
  readonly improvement: Float64Array
  readonly baseline: Float64Array
  /** early client-rated alliance; null when sessions.csv has no alliance column */
  readonly earlyAlliance: Float64Array | null
  /** the primary analysis's clients (early alliance, baseline and outcome present) */
  readonly analysed: Int32Array
}

export const clientInputs = (data: StudyData, derived: DerivedClients): ClientInputs => ({
  n: data.clients.n,
  therapist: { codes: data.clients.therapist.codes, count: data.clients.therapist.levels.length },
  site: data.clients.site === null ? null : { codes: data.clients.site.codes, count: data.clients.site.levels.length },
  improvement: derived.improvement,
  baseline: derived.baseline,
  earlyAlliance: derived.early.get("alliance") ?? null,
  analysed: derived.analysed,
})
