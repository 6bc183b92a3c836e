/**
 * The primary estimates on the analysed sample (clients with early alliance, baseline and outcome):
 * Pearson r(early alliance, improvement), Spearman ρ, the partial r(early alliance, outcome |
 * baseline) with its raw sign, and the residualized-gain correlation.
 */
import { partialCorrelationTest } from "../stats/correlation/partial-correlation.ts"
import { pearsonTest } from "../stats/correlation/pearson.ts"
import { residualize } from "../stats/correlation/residualized-gain.ts"
import { spearmanTest } from "../stats/correlation/spearman.ts"
import type { CorrelationTest, NotEstimable } from "../stats/types.ts"
import { betterSign } from "../derive/improvement.ts"
import { take } from "../derive/select.ts"
import type { DerivedClients } from "./derive-clients.ts"
import type { AnalysisSettings } from "./settings.ts"

export interface PrimaryEstimates {
  readonly n: number
  readonly pearson: CorrelationTest | NotEstimable
  readonly spearman: ReturnType<typeof spearmanTest>
  readonly partial: CorrelationTest | NotEstimable
  readonly partialDirection: string
  readonly residualizedGain: CorrelationTest | NotEstimable
}

/** Plain-language reading of the partial correlation's raw sign for this outcome measure. */
export const partialDirection = (partial: CorrelationTest | NotEstimable, settings: Pick<AnalysisSettings, "outcome">): string => {
  if (partial.status !== "estimated") return "not estimated"
  const instrument = settings.outcome.instrument
  const lowerIsBetter = settings.outcome.direction === "lower_is_better"
  if (partial.estimate === 0) return `zero: early alliance is unrelated to end-of-treatment ${instrument} scores once baseline is held constant.`
  const higherScores = partial.estimate > 0
  const better = higherScores !== lowerIsBetter
  return (
    `${higherScores ? "positive" : "negative"}: among clients with the same baseline, those with stronger early alliance ` +
    `ended treatment with ${higherScores ? "higher" : "lower"} ${instrument} scores, which is ${better ? "better" : "worse"} ` +
    `because ${lowerIsBetter ? "lower" : "higher"} scores are better on this measure.`
  )
}

export const estimatePrimary = (derived: DerivedClients, settings: Pick<AnalysisSettings, "level" | "outcome">): PrimaryEstimates => {
  const rows = derived.analysed
  const alliance = take(derived.early.get("alliance") ?? new Float64Array(0), rows)
  const change = take(derived.improvement, rows)
  const baseline = take(derived.baseline, rows)
  const outcome = take(derived.outcome, rows)
  const options = { level: settings.level }

  const partial = partialCorrelationTest(alliance, outcome, baseline, options)
  // Residualized gain: the part of the end score not predicted by baseline, oriented so that
  // positive means better than expected.
  const residual = residualize(outcome, baseline)
  const sign = betterSign(settings.outcome.direction)
  const gain = new Float64Array(residual.length)
  for (let i = 0; i < residual.length; i++) gain[i] = sign * residual[i]!

  return {
    n: rows.length,
    pearson: pearsonTest(alliance, change, options),
    spearman: spearmanTest(alliance, change),
    partial,
    partialDirection: partialDirection(partial, settings),
    residualizedGain: pearsonTest(alliance, gain, options),
  }
}
