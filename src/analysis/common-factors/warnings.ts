/**
 * Plain-language warnings for the common-factor breakdown: what could not be estimated, families
 * with no data (never dropped silently), clients left out for a missing predictor, and bootstrap
 * replicates that could not be analysed.
 */
import type { CommonFactors } from "../../../data-schemas/common-factors-results.ts"

type Warning = { code: string; message: string }

/** Below this many therapists a bootstrap that resamples therapists has too few units to mean much. */
export const FEW_CLUSTERS = 20

export const commonFactorWarnings = (c: CommonFactors): Warning[] => {
  const warnings: Warning[] = []
  const add = (code: string, message: string) => warnings.push({ code, message })
  if (c.status !== "estimated") add("common_factors_not_estimable", `The common-factor breakdown could not be estimated: ${c.reason}.`)
  for (const a of c.absent_families) {
    add("family_without_data", `The ${a.family} family has no data in this study (${a.reason}), so its share was not estimated; the breakdown covers the other families only.`)
  }
  if (c.status !== "estimated") return warnings
  if (c.n_excluded > 0) {
    const share = c.n_excluded / (c.n + c.n_excluded)
    add(
      "common_factors_missing_predictors",
      `${c.n_excluded} of the ${c.n + c.n_excluded} clients with an improvement score (${Math.round(share * 1000) / 10}%) were left out of the common-factor breakdown because a predictor was missing (complete cases).` +
        (share > 0.2 ? " With so many left out, the breakdown may not describe the whole sample." : ""),
    )
  }
  const b = c.bootstrap
  if (b.used < b.replicates) add("bootstrap_replicates_skipped", `${b.replicates - b.used} of ${b.replicates} bootstrap replicates could not be analysed (their resampled clients left the outcome, or baseline, without variation) and were skipped; the intervals rest on the other ${b.used}.`)
  if (b.resample === "therapists" && b.units < FEW_CLUSTERS) {
    add("few_bootstrap_clusters", `The bootstrap resampled only ${b.units} therapists; with fewer than ${FEW_CLUSTERS} the intervals of the family shares are unreliable.`)
  }
  if (c.therapist.status !== "estimated") add("therapist_share_not_estimable", `The therapist share of the breakdown could not be estimated: ${c.therapist.reason}.`)
  return warnings
}
