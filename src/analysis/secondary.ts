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

const correlate = (derived: DerivedClients, column: AllianceColumn, settings: AnalysisSettings) => {
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
  settings: AnalysisSettings,
): ReadonlyArray<ColumnCorrelation<Label>> =>
  table.flatMap(([label, column]) => {
    const correlation = correlate(derived, column, settings)
    return correlation === undefined ? [] : [{ label, column, correlation }]
  })

export const estimateByRater = (derived: DerivedClients, settings: AnalysisSettings) => over(RATERS, derived, settings)
export const estimateBySubscale = (derived: DerivedClients, settings: AnalysisSettings) => over(SUBSCALES, derived, settings)
