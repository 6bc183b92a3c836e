/**
 * Per-client derived measures: early alliance (for every alliance column present), improvement,
 * and which clients enter the primary analysis, with the exclusion funnel.
 */
import type { StudyData } from "../data/study-data.ts"
import { earlyMeans } from "../derive/early-alliance.ts"
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

/**
 * The number columns the primary analysis reads (symptom: the session-level within/between model;
 * expectancy, empathy, positive regard, congruence: the common-factor breakdown; sessions attended:
 * the NHS Talking Therapies metrics' finished courses); ingest keeps no
 * other number column in memory.
 */
export const ANALYSED_COLUMNS: ReadonlySet<string> = new Set([
  "baseline",
  "outcome",
  "symptom",
  "expectancy",
  "empathy",
  "positive_regard",
  "congruence",
  "sessions_attended",
  ...ALLIANCE_COLUMNS,
])

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

export const deriveClients = (data: StudyData, settings: Pick<AnalysisSettings, "earlyWindow" | "outcome">): DerivedClients => {
  const { clients, sessions } = data
  const present = ALLIANCE_COLUMNS.filter((column) => sessions.numbers.has(column))
  const means = earlyMeans(
    clients.n,
    sessions.client,
    sessions.session,
    present.map((column) => sessions.numbers.get(column)!),
    settings.earlyWindow,
  )
  const early = new Map(present.map((column, k) => [column, means[k]!] as const))
  const missing = () => new Float64Array(clients.n).fill(Number.NaN)
  const baseline = clients.numbers.get("baseline") ?? missing()
  const outcome = clients.numbers.get("outcome") ?? missing()
  const change = improvement(baseline, outcome, settings.outcome.direction)
  const alliance = early.get("alliance") ?? missing()
  const [w0, w1] = settings.earlyWindow
  const { analysed, funnel } = applyExclusions(clients.n, [
    { step: `no client-rated alliance in sessions ${w0}–${w1}`, values: alliance },
    { step: "baseline score missing", values: baseline },
    { step: "outcome score missing", values: outcome },
  ])
  return { early, baseline, outcome, improvement: change, analysed, funnel }
}

/**
 * The exclusion funnel: each step drops the clients still remaining whose value is missing (NaN),
 * counted in the order given; a client missing several values is counted at its first step only.
 * Returns the remaining row indices in row order.
 */
const applyExclusions = (
  n: number,
  steps: ReadonlyArray<{ readonly step: string; readonly values: Float64Array }>,
): { analysed: Int32Array; funnel: FunnelStep[] } => {
  const excluded = new Array<number>(steps.length).fill(0)
  const kept = new Int32Array(n)
  let remaining = 0
  clients: for (let i = 0; i < n; i++) {
    for (let k = 0; k < steps.length; k++) {
      if (Number.isNaN(steps[k]!.values[i]!)) {
        excluded[k]!++
        continue clients
      }
    }
    kept[remaining++] = i
  }
  let left = n
  const funnel = steps.map(({ step }, k) => {
    left -= excluded[k]!
    return { step, excluded: excluded[k]!, remaining: left }
  })
  return { analysed: kept.slice(0, remaining), funnel }
}
