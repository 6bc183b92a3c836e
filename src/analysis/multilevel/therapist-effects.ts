/**
 * Therapist effects: how much of the outcome variance lies between therapists.
 *
 * Sample: clients with baseline and outcome (so improvement) present. Models, by REML:
 *   unadjusted     improvement ~ 1 + (1 | therapist)
 *   adjusted       improvement ~ baseline + (1 | therapist)   (= post score adjusted for baseline:
 *                  improvement is ± (baseline − post), so the variance components are the same)
 *   site-adjusted  improvement ~ baseline + (1 | site/therapist), with two or more sites
 * ICC = therapist variance / (therapist + residual variance), with a profile-likelihood interval
 * (stats/mixed-models/profile.ts). The caterpillar plot shows the adjusted model's conditional
 * modes with ± z·√condVar intervals, ascending, without names, for therapists with at least
 * min_cell clients in the sample (a therapist's mode from two or three clients is close to those
 * clients' own residuals) — and of more than 200 such therapists, 200 evenly spaced by rank.
 *
 * Reference: Wampold & Brown (2005); Baldwin & Imel (2013) on therapist effects and their
 * estimation; `lme4::lmer` as in test/reference/multilevel-example.R.
 */
import type { IccModel, TherapistEffectsRecord } from "../../../data-schemas/multilevel-results.ts"
import { usedLevels } from "../../data/study-data.ts"
import { quantileSorted } from "../../stats/descriptives/summary.ts"
import { normalQuantile } from "../../stats/distributions/normal.ts"
import { iccProfileInterval } from "../../stats/mixed-models/profile.ts"
import { notEstimable } from "../../stats/types.ts"
import { codeCounts, take, takeCodes } from "../../derive/select.ts"
import type { AnalysisSettings } from "../settings.ts"
import type { ClientInputs } from "./client-inputs.ts"
import { type Fitted, finiteOr, fitRows, fittedFields } from "./fitted.ts"

/** Most therapists the caterpillar shows: beyond that a chart is a smear, and the file grows with the study. */
export const CATERPILLAR_MAX = 200

/** At most `max` of the sorted items, evenly spaced by rank, first and last included. */
export const evenlyByRank = <T>(sorted: ReadonlyArray<T>, max: number): T[] =>
  sorted.length <= max ? [...sorted] : Array.from({ length: max }, (_, i) => sorted[Math.round((i * (sorted.length - 1)) / (max - 1))]!)

/** The ICC record of a fitted therapist model (its first grouping factor), with the profile interval. */
export const iccRecord = (fitted: Fitted, label: string, formula: string, level: number): IccModel => {
  const { fit, summary } = fitted
  const therapist = fit.components[0]!.variances[0]!
  const ci = iccProfileInterval(summary, fit, level)
  return finiteOr({
    ...fittedFields(fit, formula),
    label,
    n_therapists: fit.components[0]!.groups,
    icc: therapist / (therapist + fit.residualVariance),
    icc_ci: [ci[0], ci[1]] as [number, number],
  })
}

export const estimateTherapistEffects = (inputs: ClientInputs, settings: Pick<AnalysisSettings, "level" | "minCell">): TherapistEffectsRecord => {
  const kept = new Int32Array(inputs.n)
  let count = 0
  for (let i = 0; i < inputs.n; i++) if (!Number.isNaN(inputs.improvement[i]!) && inputs.therapist.codes[i]! >= 0) kept[count++] = i
  const rows = kept.slice(0, count)
  const y = take(inputs.improvement, rows)
  const baseline = take(inputs.baseline, rows)
  const therapist = { name: "therapist", codes: takeCodes(inputs.therapist.codes, rows), levels: inputs.therapist.count }

  const caseloads = codeCounts(therapist.codes, therapist.levels)
  const sizes = Float64Array.from(caseloads.filter((c) => c > 0)).sort()
  const nTherapists = sizes.length
  const level = settings.level

  const fitIcc = (columns: Float64Array[], names: string[], label: string, formula: string): IccModel => {
    const fitted = fitRows(y, columns, names, [therapist], level)
    return fitted.status === "not_estimable" ? fitted : iccRecord(fitted, label, formula, level)
  }
  const unadjusted = fitIcc([], [], "improvement", "improvement ~ 1 + (1 | therapist)")
  const adjustedFit = fitRows(y, [baseline], ["baseline"], [therapist], level)
  const adjusted: IccModel =
    adjustedFit.status === "not_estimable"
      ? adjustedFit
      : iccRecord(adjustedFit, "post score adjusted for baseline", "improvement ~ baseline + (1 | therapist)", level)

  // caterpillar: the adjusted model's modes, for therapists with at least min_cell clients
  let caterpillar: TherapistEffectsRecord["caterpillar"] = []
  let leftOut = 0
  let eligible = 0
  if (adjustedFit.status !== "not_estimable") {
    const { modes, variances } = adjustedFit.fit.modes()[0]!
    const z = normalQuantile((1 + level) / 2)
    const codes = adjustedFit.summary.levels[0]!.codes
    const shown: TherapistEffectsRecord["caterpillar"] = []
    codes.forEach((code, g) => {
      if (caseloads[code]! < settings.minCell) {
        leftOut++
        return
      }
      const half = z * Math.sqrt(variances![g]!)
      if (!Number.isFinite(modes[g]!) || !Number.isFinite(half)) return
      shown.push({ estimate: modes[g]!, ci: [modes[g]! - half, modes[g]! + half] })
    })
    eligible = shown.length
    caterpillar = evenlyByRank(shown.sort((a, b) => a.estimate - b.estimate), CATERPILLAR_MAX)
  }

  return {
    n_clients: rows.length,
    n_therapists: nTherapists,
    clients_per_therapist:
      nTherapists === 0
        ? null
        : { mean: rows.length / nTherapists, median: quantileSorted(sizes, 0.5), min: sizes[0]!, max: sizes[nTherapists - 1]! },
    patient_therapist_ratio: nTherapists === 0 ? null : rows.length / nTherapists,
    unadjusted,
    adjusted,
    site_adjusted: siteAdjusted(inputs, rows, y, baseline, level),
    caterpillar,
    caterpillar_eligible: eligible,
    caterpillar_left_out: leftOut,
  }
}

/** improvement ~ baseline + (1 | site/therapist) over the sample's clients that have a site. */
const siteAdjusted = (inputs: ClientInputs, rows: Int32Array, y: Float64Array, baseline: Float64Array, level: number): TherapistEffectsRecord["site_adjusted"] => {
  const site = inputs.site
  if (site === null) return notEstimable(rows.length, "the study has no site_id column")
  const within = new Int32Array(rows.length) // positions in the sample of clients with a site
  let n = 0
  for (let k = 0; k < rows.length; k++) if (site.codes[rows[k]!]! >= 0) within[n++] = k
  const keep = within.slice(0, n)
  const siteCodes = takeCodes(site.codes, takeCodes(rows, keep))
  const nSites = usedLevels({ codes: siteCodes, levels: { length: site.count } })
  if (nSites < 2) return notEstimable(n, `a site variance needs at least 2 sites; the sample has ${nSites}`)
  // therapist within site: one group per (site, therapist) pair, as lme4's site:therapist
  const therapists = inputs.therapist.count
  const pairs = new Map<number, number>()
  const therapistCodes = new Int32Array(n)
  for (let j = 0; j < n; j++) {
    const row = rows[keep[j]!]!
    const key = siteCodes[j]! * therapists + inputs.therapist.codes[row]!
    let code = pairs.get(key)
    if (code === undefined) pairs.set(key, (code = pairs.size))
    therapistCodes[j] = code
  }
  const fitted = fitRows(
    take(y, keep),
    [take(baseline, keep)],
    ["baseline"],
    [
      { name: "site", codes: siteCodes, levels: site.count },
      { name: "therapist", codes: therapistCodes, levels: pairs.size },
    ],
    level,
  )
  if (fitted.status === "not_estimable") return fitted
  return finiteOr({ ...fittedFields(fitted.fit, "improvement ~ baseline + (1 | site/therapist)"), n_sites: nSites, n_therapists: pairs.size })
}
