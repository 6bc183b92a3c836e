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
 * clients' own residuals).
 *
 * Reference: Wampold & Brown (2005); Baldwin & Imel (2013) on therapist effects and their
 * estimation; `lme4::lmer` as in test/reference/multilevel-example.R.
 */
import type { IccModel, TherapistEffectsRecord } from "../../../data-schemas/multilevel-results.ts"
import type { StudyData } from "../../data/study-data.ts"
import { quantileSorted } from "../../stats/descriptives/summary.ts"
import { normalQuantile } from "../../stats/distributions/normal.ts"
import { iccProfileInterval } from "../../stats/mixed-models/profile.ts"
import { notEstimable } from "../../stats/types.ts"
import type { DerivedClients } from "../derive-clients.ts"
import type { AnalysisSettings } from "../settings.ts"
import { type Fitted, fitRows, fittedFields } from "./fitted.ts"

const pick = (values: Float64Array, rows: Int32Array): Float64Array => Float64Array.from(rows, (i) => values[i]!)

const iccRecord = (fitted: Fitted, label: string, formula: string, level: number): IccModel => {
  const { fit, summary } = fitted
  const therapist = fit.components[0]!.variances[0]!
  const ci = iccProfileInterval(summary, fit, level)
  return {
    ...fittedFields(fit, formula),
    label,
    n_therapists: fit.components[0]!.groups,
    icc: therapist / (therapist + fit.residualVariance),
    icc_ci: [ci[0], ci[1]],
  }
}

export const estimateTherapistEffects = (data: StudyData, derived: DerivedClients, settings: AnalysisSettings): TherapistEffectsRecord => {
  const { clients } = data
  const rows = Int32Array.from(
    Array.from({ length: clients.n }, (_, i) => i).filter((i) => !Number.isNaN(derived.improvement[i]!) && clients.therapist.codes[i]! >= 0),
  )
  const y = pick(derived.improvement, rows)
  const baseline = pick(derived.baseline, rows)
  const therapist = { name: "therapist", codes: Int32Array.from(rows, (i) => clients.therapist.codes[i]!), levels: clients.therapist.levels.length }

  const caseloads = new Map<number, number>()
  for (const code of therapist.codes) caseloads.set(code, (caseloads.get(code) ?? 0) + 1)
  const sizes = Float64Array.from(caseloads.values()).sort()
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
  if (adjustedFit.status !== "not_estimable") {
    const { modes, variances } = adjustedFit.fit.modes()[0]!
    const z = normalQuantile((1 + level) / 2)
    const codes = adjustedFit.summary.levels[0]!.codes
    const shown: TherapistEffectsRecord["caterpillar"] = []
    codes.forEach((code, g) => {
      if (caseloads.get(code)! < settings.minCell) {
        leftOut++
        return
      }
      const half = z * Math.sqrt(variances![g]!)
      shown.push({ estimate: modes[g]!, ci: [modes[g]! - half, modes[g]! + half] })
    })
    caterpillar = shown.sort((a, b) => a.estimate - b.estimate)
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
    site_adjusted: siteAdjusted(data, rows, y, baseline, level),
    caterpillar,
    caterpillar_left_out: leftOut,
  }
}

/** improvement ~ baseline + (1 | site/therapist) over the sample's clients that have a site. */
const siteAdjusted = (data: StudyData, rows: Int32Array, y: Float64Array, baseline: Float64Array, level: number): TherapistEffectsRecord["site_adjusted"] => {
  const site = data.clients.site
  if (site === null) return notEstimable(rows.length, "the study has no site_id column")
  const keep = Array.from(rows.keys()).filter((k) => site.codes[rows[k]!]! >= 0)
  const siteCodes = Int32Array.from(keep, (k) => site.codes[rows[k]!]!)
  const nSites = new Set(siteCodes).size
  if (nSites < 2) return notEstimable(keep.length, `a site variance needs at least 2 sites; the sample has ${nSites}`)
  // therapist within site: one group per (site, therapist) pair, as lme4's site:therapist
  const pairs = new Map<string, number>()
  const therapistCodes = Int32Array.from(keep, (k) => {
    const key = `${site.codes[rows[k]!]!}:${data.clients.therapist.codes[rows[k]!]!}`
    let code = pairs.get(key)
    if (code === undefined) pairs.set(key, (code = pairs.size))
    return code
  })
  const fitted = fitRows(
    Float64Array.from(keep, (k) => y[k]!),
    [Float64Array.from(keep, (k) => baseline[k]!)],
    ["baseline"],
    [
      { name: "site", codes: siteCodes, levels: site.levels.length },
      { name: "therapist", codes: therapistCodes, levels: pairs.size },
    ],
    level,
  )
  if (fitted.status === "not_estimable") return fitted
  return { ...fittedFields(fitted.fit, "improvement ~ baseline + (1 | site/therapist)"), n_sites: nSites, n_therapists: pairs.size }
}
