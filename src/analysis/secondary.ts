/**
 * The primary correlation repeated by rater (client, therapist, observer) and by alliance
 * subscale (goal, task, bond), for the columns present. Each uses the clients with both that
 * column's early mean and an improvement score.
 */
import { pearsonTest } from "../stats/correlation/pearson.ts"
import type { CorrelationTest, NotEstimable } from "../stats/types.ts"
import type { AllianceColumn, DerivedClients } from "./derive-clients.ts"
import type { AnalysisSettings } from "./settings.ts"

export interface ColumnCorrelation<Label extends string> {
  readonly label: Label
  readonly column: AllianceColumn
  readonly correlation: CorrelationTest | NotEstimable
}

type Correlation = CorrelationTest | NotEstimable

const correlate = (derived: DerivedClients, column: AllianceColumn, settings: Pick<AnalysisSettings, "level">) => {
  const early = derived.early.get(column)
  if (early === undefined) return undefined
  // pearsonTest uses the complete pairs itself
  return pearsonTest(early, derived.improvement, { level: settings.level })
}

const RATERS = [
  ["client", "alliance"],
  ["therapist", "alliance_therapist"],
  ["observer", "alliance_observer"],
] as const

const SUBSCALES = [
  ["goal", "alliance_goal"],
  ["task", "alliance_task"],
  ["bond", "alliance_bond"],
] as const

const over = <Label extends string>(
  table: ReadonlyArray<readonly [Label, AllianceColumn]>,
  derived: DerivedClients,
  settings: Pick<AnalysisSettings, "level">,
  known: ReadonlyMap<AllianceColumn, Correlation> = new Map(),
): ReadonlyArray<ColumnCorrelation<Label>> =>
  table.flatMap(([label, column]) => {
    const correlation = derived.early.has(column) ? (known.get(column) ?? correlate(derived, column, settings)) : undefined
    return correlation === undefined ? [] : [{ label, column, correlation }]
  })

/**
 * The correlation per rater column present. `primaryPearson`, when given, is taken as the client
 * rater's instead of computing it again: it is the same estimate, bit for bit. Same column, same
 * level, and the same pairs in the same order: improvement is missing whenever baseline or outcome
 * is, so the clients with both client-rated early alliance and improvement are exactly the
 * analysed clients with an improvement score, which are the pairs pearsonTest keeps of the
 * analysed sample. The pipeline passes it to save a pass over a million clients.
 */
export const estimateByRater = (derived: DerivedClients, settings: Pick<AnalysisSettings, "level">, primaryPearson?: Correlation) =>
  over(RATERS, derived, settings, primaryPearson === undefined ? new Map() : new Map([["alliance", primaryPearson]]))

export const estimateBySubscale = (derived: DerivedClients, settings: Pick<AnalysisSettings, "level">) => over(SUBSCALES, derived, settings)
