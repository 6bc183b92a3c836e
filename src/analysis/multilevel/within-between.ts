/**
 * The lagged session-level model: when a client's alliance is better than their own average this
 * session, is their symptom score lower next session, beyond stable differences between clients?
 *
 * Rows: the session pairs of derive/lagged-sessions.ts. Model, by REML:
 *   symptom_next ~ symptom + alliance_client_mean + alliance_within + (1 | client)
 * or, when the study file asks (analysis.within_between_therapist_intercept), with clients nested
 * in therapists: (1 | therapist/client). The within coefficient is the within-client effect
 * (Falkenström, Finkel, Sandell, Rubel & Holmqvist 2017; Zilcha-Mano 2017; Flückiger et al. 2020
 * for sessions 1–7), the between coefficient the association of a client's average alliance with
 * their next-session symptoms; their difference (within − between) is tested on Satterthwaite df.
 * Standardized coefficients use the SDs over the model's rows.
 */
import type { WithinBetween } from "../../../data-schemas/multilevel-results.ts"
import { type StudyData, usedLevels } from "../../data/study-data.ts"
import { sessionPairs } from "../../derive/lagged-sessions.ts"
import type { GroupingFactor } from "../../stats/mixed-models/design.ts"
import { notEstimable } from "../../stats/types.ts"
import { takeCodes } from "../../derive/select.ts"
import type { AnalysisSettings } from "../settings.ts"
import { coefficient, coefficientRecord, columnSd, finiteOr, contrastWeights, fitRows, fittedFields, standardizedRecord } from "./fitted.ts"

/** The pipeline's progress label for this model (the benchmark times the phase by it). */
export const WITHIN_BETWEEN_PHASE = "estimating the within/between session model"

export const BETWEEN_CLIENTS = "alliance_client_mean"
export const WITHIN_CLIENT = "alliance_within"

export const estimateWithinBetween = (data: StudyData, settings: Pick<AnalysisSettings, "level" | "withinBetweenTherapistIntercept">): WithinBetween => {
  const { sessions, clients } = data
  const alliance = sessions.numbers.get("alliance")
  const symptom = sessions.numbers.get("symptom")
  if (alliance === undefined || symptom === undefined) {
    return notEstimable(0, `sessions.csv has no ${alliance === undefined ? "alliance" : "symptom"} column, so there are no session-level scores to relate`)
  }
  const pairs = sessionPairs(clients.n, sessions.client, sessions.session, alliance, symptom)
  const therapistOf = takeCodes(clients.therapist.codes, pairs.client)
  const withTherapist = settings.withinBetweenTherapistIntercept
  const clientFactor: GroupingFactor = { name: "client", codes: pairs.client, levels: clients.n }
  const factors: GroupingFactor[] = withTherapist
    ? [{ name: "therapist", codes: therapistOf, levels: clients.therapist.levels.length }, clientFactor]
    : [clientFactor]
  const fitted = fitRows(pairs.nextSymptom, [pairs.symptom, pairs.between, pairs.within], ["symptom", BETWEEN_CLIENTS, WITHIN_CLIENT], factors, settings.level)
  if (fitted.status === "not_estimable") return notEstimable(pairs.n, fitted.reason)
  const { fit, summary } = fitted
  const sdY = columnSd(summary, "(response)")
  const random = withTherapist ? "(1 | therapist/client)" : "(1 | client)"
  return finiteOr({
    ...fittedFields(fit, `symptom_next ~ symptom + ${BETWEEN_CLIENTS} + ${WITHIN_CLIENT} + ${random}`),
    n_clients: pairs.clients,
    n_therapists: usedLevels({ codes: therapistOf, levels: clients.therapist.levels }),
    therapist_intercept: withTherapist,
    between: standardizedRecord(coefficient(fit, BETWEEN_CLIENTS), columnSd(summary, BETWEEN_CLIENTS), sdY),
    within: standardizedRecord(coefficient(fit, WITHIN_CLIENT), columnSd(summary, WITHIN_CLIENT), sdY),
    difference: coefficientRecord(fit.contrast(`${WITHIN_CLIENT} − ${BETWEEN_CLIENTS}`, contrastWeights(fit, WITHIN_CLIENT, BETWEEN_CLIENTS))),
  })
}
