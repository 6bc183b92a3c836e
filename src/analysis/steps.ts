/**
 * The analysis as steps that a re-run can reuse (the step cache: src/io/step-cache.ts, keyed in
 * src/provenance/cache-keys.ts, run by pipelines/alliance-outcome.ts).
 *
 * A step's product must depend on nothing but the data, the settings in its slice and the code,
 * or reusing it would give a stale answer. The slices make that checkable: each step below is a
 * function of the data and its slice only (no other settings are in scope), and every estimator
 * it calls takes a `Pick` of the settings, so the type checker refuses a step that passes its
 * slice to an estimator needing a setting outside it. The slice is part of the step's key.
 * Every step also depends on the derived clients, so the `derive` slice is in every key too.
 */
import type { ClinicalResults } from "../../data-schemas/clinical-results.ts"
import type { CommonFactors } from "../../data-schemas/common-factors-results.ts"
import type { StudyData } from "../data/study-data.ts"
import { type AllianceBin, allianceBins } from "../derive/bins.ts"
import type { InstrumentPlan } from "../ingest/instrument-plan.ts"
import type { ItemBlockResult } from "../ingest/item-scorer.ts"
import { clinicalResults } from "./clinical/record.ts"
import { factorDesign, type ResolvedFamilies } from "./common-factors/families.ts"
import { estimateCommonFactors } from "./common-factors/record.ts"
import type { DerivedClients, FunnelStep } from "./derive-clients.ts"
import { estimatePrimary, type PrimaryEstimates } from "./primary.ts"
import { type ColumnCorrelation, estimateByRater, estimateBySubscale } from "./secondary.ts"
import type { AnalysisSettings } from "./settings.ts"
import { type SiteSynthesis, synthesiseSites } from "./sites.ts"

/** The settings each step reads. */
export const STEP_SETTINGS = {
  derive: ["earlyWindow", "outcome"],
  correlations: ["level", "minCell", "outcome", "alliance"],
  sites: ["level", "minSiteN", "poolingMethod", "poolingTest", "privacy"],
  multilevel: ["level", "minCell", "withinBetweenTherapistIntercept"],
  commonFactors: ["commonFactors", "level", "outcome"],
  clinical: ["level", "minCell", "outcome", "rupture"],
} as const satisfies Record<string, ReadonlyArray<keyof AnalysisSettings>>

export type SlicedStep = keyof typeof STEP_SETTINGS
export type StepSettings<S extends SlicedStep> = Pick<AnalysisSettings, (typeof STEP_SETTINGS)[S][number]>

/** The step's slice of the settings: all it may read. */
export const settingsFor = <S extends SlicedStep>(step: S, settings: AnalysisSettings): StepSettings<S> =>
  Object.fromEntries(STEP_SETTINGS[step].map((name) => [name, settings[name]])) as StepSettings<S>

/** Where each setting comes from, as a researcher would look for it (for "re-ran because …"). */
export const SETTING_SOURCES = {
  earlyWindow: "analysis.early_window",
  level: "analysis.ci_level",
  outcome: "the outcome measure (measures.outcome or instruments.outcome)",
  alliance: "the alliance measure (measures.alliance or instruments.alliance)",
  poolingMethod: "analysis.pooling_method",
  poolingTest: "the pooling test (analysis.pooling_test or --pooling-test)",
  minSiteN: "analysis.min_site_n",
  minCell: "min_cell (analysis.min_cell, at least privacy.k)",
  privacy: "privacy (privacy.mode and privacy.k, or --privacy)",
  withinBetweenTherapistIntercept: "analysis.within_between_therapist_intercept",
  commonFactors: "common_factors",
  rupture: "instruments.rupture",
} as const satisfies Record<keyof AnalysisSettings, string>

/** What the steps compute from: the validated data and the derived clients. */
export interface StepData {
  readonly data: StudyData
  readonly derived: DerivedClients
  readonly plan: InstrumentPlan
  readonly items: ReadonlyArray<ItemBlockResult>
  readonly secondOutcome: { readonly baseline: Float64Array; readonly outcome: Float64Array } | null
}

export interface Correlations {
  readonly funnel: ReadonlyArray<FunnelStep>
  readonly primary: PrimaryEstimates
  readonly byRater: ReadonlyArray<ColumnCorrelation<"client" | "therapist" | "observer">>
  readonly bySubscale: ReadonlyArray<ColumnCorrelation<"goal" | "task" | "bond">>
  readonly bins: ReadonlyArray<AllianceBin>
}

/** Primary correlations, by rater and by subscale, and the binned alliance × improvement chart. */
export const correlationsStep = ({ derived }: StepData, s: StepSettings<"correlations">): Correlations => {
  const primary = estimatePrimary(derived, s)
  return {
    funnel: derived.funnel,
    primary,
    byRater: estimateByRater(derived, s, primary.pearson), // the client rater's r is the primary r
    bySubscale: estimateBySubscale(derived, s),
    // over all clients: allianceBins keeps those with both values, exactly the analysed clients it
    // would keep of the analysed sample (see estimateByRater), in the same order
    bins: allianceBins(
      derived.early.get("alliance") ?? new Float64Array(derived.improvement.length).fill(Number.NaN),
      derived.improvement,
      s.alliance.range,
      { minCell: s.minCell, level: s.level },
    ),
  }
}

/** Per-site r pooled by random-effects meta-analysis. */
export const sitesStep = ({ data, derived }: StepData, s: StepSettings<"sites">): SiteSynthesis | null => synthesiseSites(data.clients.site, derived, s)

/** The families' shares of the outcome variance, the therapist share, the rest. */
export const commonFactorsStep = ({ data, derived }: StepData, families: ResolvedFamilies, s: StepSettings<"commonFactors">): CommonFactors => {
  const therapist = { codes: data.clients.therapist.codes, count: data.clients.therapist.levels.length }
  return estimateCommonFactors(factorDesign(families, derived, s.commonFactors.outcome, therapist), therapist, s)
}

/** Instruments, reliability, clinical categories, ruptures and repairs, sudden gains. */
export const clinicalStep = ({ data, derived, plan, items, secondOutcome }: StepData, s: StepSettings<"clinical">): ClinicalResults =>
  clinicalResults({ data, derived, settings: s, plan, items, secondOutcome })
