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
  /** smallest group whose estimates are shown: the study file's min_cell, at least privacy.k */
  readonly minCell: number
  /** disclosure control: counts of 1 to k − 1 clients are suppressed; strict mode for reports leaving the lab */
  readonly privacy: PrivacySettings
  /** session-level within/between model: (1 | therapist/client) instead of (1 | client) */
  readonly withinBetweenTherapistIntercept: boolean
  /** the common-factor breakdown, as the study file's `common_factors` section (defaults filled in) */
  readonly commonFactors: CommonFactorConfig
  /** ruptures: a drop of at least thresholdSd pooled within-client SDs, repaired within window sessions */
  readonly rupture: { readonly thresholdSd: number; readonly window: number }
}

export interface PrivacySettings {
  readonly mode: "standard" | "strict"
  readonly k: number
}

/** Strict mode's smallest k (reports leaving the lab). */
export const STRICT_MIN_K = 10

export const privacyFrom = (config: StudyConfig, mode: "standard" | "strict" | null): PrivacySettings => {
  const chosen = mode ?? config.privacy.mode
  return { mode: chosen, k: chosen === "strict" ? Math.max(config.privacy.k, STRICT_MIN_K) : config.privacy.k }
}

export const settingsFrom = (
  config: StudyConfig,
  overrides: { readonly poolingTest: "z" | "knha" | null; readonly privacy?: "standard" | "strict" | null },
): AnalysisSettings => {
  const privacy = privacyFrom(config, overrides.privacy ?? null)
  return {
    earlyWindow: config.analysis.early_window,
    level: config.analysis.ci_level,
    outcome: config.measures.outcome,
    alliance: config.measures.alliance,
    poolingMethod: config.analysis.pooling_method,
    poolingTest: overrides.poolingTest ?? config.analysis.pooling_test,
    minSiteN: config.analysis.min_site_n,
    minCell: Math.max(config.analysis.min_cell, privacy.k),
    privacy,
    withinBetweenTherapistIntercept: config.analysis.within_between_therapist_intercept,
    commonFactors: config.common_factors,
    rupture: { thresholdSd: config.instruments.rupture.threshold_sd, window: config.instruments.rupture.repair_window },
  }
}
