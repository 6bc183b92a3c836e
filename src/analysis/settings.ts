/** The analysis settings actually used in a run (study file + command-line overrides). */
import type { CommonFactorConfig, StudyConfig, SynthesisMethod } from "../../data-schemas/study-file.ts"

export interface AnalysisSettings {
  readonly earlyWindow: readonly [number, number]
  readonly level: number
  readonly outcome: {
    readonly instrument: string
    readonly range: readonly [number, number]
    readonly direction: "lower_is_better" | "higher_is_better"
  }
  readonly alliance: { readonly instrument: string; readonly range: readonly [number, number] }
  readonly poolingMethod: SynthesisMethod
  readonly poolingTest: "z" | "knha"
  readonly minSiteN: number
  readonly minCell: number
  /** session-level within/between model: (1 | therapist/client) instead of (1 | client) */
  readonly withinBetweenTherapistIntercept: boolean
  /** the common-factor breakdown, as the study file's `common_factors` section (defaults filled in) */
  readonly commonFactors: CommonFactorConfig
  /** ruptures: a drop of at least thresholdSd pooled within-client SDs, repaired within window sessions */
  readonly rupture: { readonly thresholdSd: number; readonly window: number }
}

export const settingsFrom = (config: StudyConfig, overrides: { readonly poolingTest: "z" | "knha" | null }): AnalysisSettings => ({
  earlyWindow: config.analysis.early_window,
  level: config.analysis.ci_level,
  outcome: config.measures.outcome,
  alliance: config.measures.alliance,
  poolingMethod: config.analysis.pooling_method,
  poolingTest: overrides.poolingTest ?? config.analysis.pooling_test,
  minSiteN: config.analysis.min_site_n,
  minCell: config.analysis.min_cell,
  withinBetweenTherapistIntercept: config.analysis.within_between_therapist_intercept,
  commonFactors: config.common_factors,
  rupture: { thresholdSd: config.instruments.rupture.threshold_sd, window: config.instruments.rupture.repair_window },
})
