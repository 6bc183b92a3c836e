/**
 * The alliance decomposition of Baldwin, Wampold & Imel (2007): is it the therapist's typical
 * alliance or the client's deviation from it that predicts outcome?
 *
 * Sample: the primary analysis's clients (early alliance, baseline and outcome present). For each
 * therapist, the mean early alliance of their clients in the sample (`alliance_therapist_mean`);
 * for each client, their early alliance minus that mean (`alliance_client_deviation`). Model, by
 * REML: improvement ~ baseline + alliance_therapist_mean + alliance_client_deviation + (1 | therapist).
 * Both coefficients are reported, standardized by the client-level SDs of the predictor and of
 * improvement, and their difference (between − within) tested on Satterthwaite df.
 */
import type { Decomposition } from "../../../data-schemas/multilevel-results.ts"
import { notEstimable } from "../../stats/types.ts"
import type { ClientInputs } from "./client-inputs.ts"
import { codeCounts, take, takeCodes } from "../../derive/select.ts"
import type { AnalysisSettings } from "../settings.ts"
import { coefficient, columnSd, finiteOr, coefficientRecord, contrastWeights, fitRows, fittedFields, standardizedRecord } from "./fitted.ts"

export const BETWEEN_THERAPISTS = "alliance_therapist_mean"
export const WITHIN_THERAPIST = "alliance_client_deviation"

export const estimateDecomposition = (inputs: ClientInputs, settings: Pick<AnalysisSettings, "level">): Decomposition => {
  const alliance = inputs.earlyAlliance
  const rows = inputs.analysed
  if (alliance === null) return notEstimable(0, "sessions.csv has no client-rated alliance column")
  const levels = inputs.therapist.count
  const codes = takeCodes(inputs.therapist.codes, rows)
  const early = take(alliance, rows)
  const sum = new Float64Array(levels)
  const count = codeCounts(codes, levels)
  for (let k = 0; k < rows.length; k++) sum[codes[k]!]! += early[k]!
  const between = new Float64Array(rows.length)
  const within = new Float64Array(rows.length)
  for (let k = 0; k < rows.length; k++) {
    between[k] = sum[codes[k]!]! / count[codes[k]!]!
    within[k] = early[k]! - between[k]!
  }
  const y = take(inputs.improvement, rows)
  const baseline = take(inputs.baseline, rows)
  const fitted = fitRows(y, [baseline, between, within], ["baseline", BETWEEN_THERAPISTS, WITHIN_THERAPIST], [{ name: "therapist", codes, levels }], settings.level)
  if (fitted.status === "not_estimable") return fitted
  const { fit, summary } = fitted
  const sdY = columnSd(summary, "(response)")
  return finiteOr({
    ...fittedFields(fit, `improvement ~ baseline + ${BETWEEN_THERAPISTS} + ${WITHIN_THERAPIST} + (1 | therapist)`),
    n_therapists: fit.components[0]!.groups,
    between: standardizedRecord(coefficient(fit, BETWEEN_THERAPISTS), columnSd(summary, BETWEEN_THERAPISTS), sdY),
    within: standardizedRecord(coefficient(fit, WITHIN_THERAPIST), columnSd(summary, WITHIN_THERAPIST), sdY),
    difference: coefficientRecord(fit.contrast(`${BETWEEN_THERAPISTS} − ${WITHIN_THERAPIST}`, contrastWeights(fit, BETWEEN_THERAPISTS, WITHIN_THERAPIST))),
  })
}
