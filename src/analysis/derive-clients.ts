/**
 * Per-client derived measures: early alliance (for every alliance column present), improvement,
 * and which clients enter the primary analysis, with the exclusion funnel.
 */
import type { StudyData } from "../data/study-data.ts"
import { earlyMean } from "../derive/early-alliance.ts"
import { improvement } from "../derive/improvement.ts"
import type { AnalysisSettings } from "./settings.ts"

export const ALLIANCE_COLUMNS = [
  "alliance",
  "alliance_goal",
  "alliance_task",
  "alliance_bond",
  "alliance_therapist",
  "alliance_observer",
] as const
export type AllianceColumn = (typeof ALLIANCE_COLUMNS)[number]

/** The number columns the primary analysis reads; ingest need not keep any other in memory. */
export const ANALYSED_COLUMNS: ReadonlySet<string> = new Set(["baseline", "outcome", ...ALLIANCE_COLUMNS])

export interface FunnelStep {
  readonly step: string
  readonly excluded: number
  readonly remaining: number
}

export interface DerivedClients {
  /** early mean of each alliance column present in sessions.csv, by canonical column */
  readonly early: ReadonlyMap<AllianceColumn, Float64Array>
  readonly baseline: Float64Array
  readonly outcome: Float64Array
  /** improvement, positive = better (see derive/improvement.ts) */
  readonly improvement: Float64Array
  /** row indices of the clients in the primary analysis (early alliance, baseline, outcome all present) */
  readonly analysed: Int32Array
  readonly funnel: ReadonlyArray<FunnelStep>
}

export const deriveClients = (data: StudyData, settings: AnalysisSettings): DerivedClients => {
  const { clients, sessions } = data
  const early = new Map<AllianceColumn, Float64Array>()
  for (const column of ALLIANCE_COLUMNS) {
    const values = sessions.numbers.get(column)
    if (values) early.set(column, earlyMean(clients.n, sessions.client, sessions.session, values, settings.earlyWindow))
  }
  const missing = new Float64Array(clients.n).fill(Number.NaN)
  const baseline = clients.numbers.get("baseline") ?? missing
  const outcome = clients.numbers.get("outcome") ?? missing
  const change = improvement(baseline, outcome, settings.outcome.direction)
  const alliance = early.get("alliance") ?? missing

  // The funnel applies the exclusions in a fixed order, each counted among those still remaining.
  const [w0, w1] = settings.earlyWindow
  const steps: Array<{ step: string; keep: (i: number) => boolean }> = [
    { step: `no client-rated alliance in sessions ${w0}–${w1}`, keep: (i) => !Number.isNaN(alliance[i]!) },
    { step: "baseline score missing", keep: (i) => !Number.isNaN(baseline[i]!) },
    { step: "outcome score missing", keep: (i) => !Number.isNaN(outcome[i]!) },
  ]
  let remaining = Array.from({ length: clients.n }, (_, i) => i)
  const funnel: FunnelStep[] = []
  for (const { step, keep } of steps) {
    const next = remaining.filter(keep)
    funnel.push({ step, excluded: remaining.length - next.length, remaining: next.length })
    remaining = next
  }
  return { early, baseline, outcome, improvement: change, analysed: Int32Array.from(remaining), funnel }
}
