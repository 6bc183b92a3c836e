/** The analysis settings the analysis tests share: the defaults of a study file (PHQ-9, WAI-SR). */
import type { AnalysisSettings } from "../../src/analysis/settings.ts"

export const settings: AnalysisSettings = {
  earlyWindow: [1, 3],
  level: 0.95,
  outcome: { instrument: "PHQ-9", range: [0, 27], direction: "lower_is_better" },
  alliance: { instrument: "WAI-SR", range: [1, 5] },
  poolingMethod: "REML",
  poolingTest: "z",
  minSiteN: 4,
  minCell: 10,
  privacy: { mode: "standard", k: 5 },
  withinBetweenTherapistIntercept: false,
  commonFactors: { outcome: "improvement", bootstrap: { replicates: 1000, seed: 1, resample: "clients", max_resample_size: 2000 } },
  rupture: { thresholdSd: 1, window: 3 },
}
