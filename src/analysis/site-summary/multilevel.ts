/**
 * A site's multilevel figures for two-stage pooling (issue 10): the coefficients of the primary
 * pipeline's two alliance models, each with its SE and Satterthwaite df, and the ICC components
 * of its therapist-effects models — fitted on the site's clients alone, exactly as the primary
 * pipeline fits them on a whole study (src/analysis/multilevel/).
 *
 * - within/between (session level): the within-client and between-client coefficients of
 *   symptom_next ~ symptom + client mean + within-client alliance (+ therapist intercept when the
 *   study file asks); client-level figures, shared when the model's clients number at least k.
 * - decomposition (client level; Baldwin, Wampold & Imel 2007): the within-therapist coefficient
 *   (a client's deviation from their therapist's mean) is a client-level figure; the
 *   between-therapist coefficient (the therapists' mean alliance) is a therapist-level one.
 * - therapist effects: therapist and residual variance and the ICC of improvement, unadjusted and
 *   adjusted for baseline: therapist-level figures.
 *
 * Disclosure (issue 10): besides the k-clients rule, a therapist-level figure needs at least k
 * therapists, since with fewer it describes a handful of named people's caseloads. Every figure
 * not shared is listed with its reason — for a model on fewer than k clients, that rule rather
 * than the fit's own message, which may count them; nor a fit's message holding a number below k.
 */
import type { IccModel, StandardizedCoefficientRecord } from "../../../data-schemas/multilevel-results.ts"
import type { StudyData } from "../../data/study-data.ts"
import type { DerivedClients } from "../derive-clients.ts"
import { clientInputs } from "../multilevel/client-inputs.ts"
import { estimateDecomposition } from "../multilevel/decomposition.ts"
import { estimateTherapistEffects } from "../multilevel/therapist-effects.ts"
import { estimateWithinBetween } from "../multilevel/within-between.ts"
import type { AnalysisSettings } from "../settings.ts"
import type { Withheld } from "./build.ts"

/** A fixed-effect coefficient as a site shares it: enough for its own interval and for pooling (vi = se²). */
export interface CoefficientSummary {
  readonly estimate: number
  readonly se: number
  /** Satterthwaite degrees of freedom of the site's own test */
  readonly df: number
}

export interface IccSummary {
  readonly model: "unadjusted" | "adjusted"
  readonly n: number
  readonly therapists: number
  readonly therapist_variance: number
  readonly residual_variance: number
  readonly icc: number
  readonly icc_ci: readonly [number, number]
}

export interface MultilevelSummary {
  readonly withinBetween: {
    readonly n: number
    readonly clients: number
    readonly therapists: number
    readonly within: CoefficientSummary
    readonly between: CoefficientSummary
  } | null
  readonly decomposition: { readonly n: number; readonly therapists: number; readonly within: CoefficientSummary; readonly between: CoefficientSummary | null } | null
  readonly therapistEffects: ReadonlyArray<IccSummary>
  readonly withheld: ReadonlyArray<Withheld>
}

/** What the summary lists as withheld, by these names (pool reads them). */
export const WITHHELD = {
  withinBetween: "the within/between session model's coefficients",
  decomposition: "the alliance decomposition's coefficients",
  betweenTherapist: "the alliance decomposition's between-therapist coefficient",
} as const

const shared = (c: StandardizedCoefficientRecord): CoefficientSummary => ({ estimate: c.estimate, se: c.se, df: c.df })

const fewerTherapists = (k: number) => `fewer than ${k} therapists: a therapist-level figure needs at least k = ${k}`
const fewerClients = (k: number) => `fewer than ${k} clients`

/**
 * Why a model was not fitted, as the summary may say it: "fewer than k …" when it had fewer than
 * k rows (`few`), else its own reason — unless that holds a number below k, which may count the
 * few clients or groups it had ("there is 1"): then a plain reason without it.
 */
export const modelReason = (rows: number, reason: string, k: number, few: string): string => {
  if (rows < k) return few
  const small = [...reason.matchAll(/\d+(?:\.\d+)?/g)].some((m) => Number(m[0]) < k)
  return small ? "the model could not be fitted to the site's data (too few clients or groups for it)" : reason
}

/** The site's multilevel figures, the disclosure rules applied (file comment). */
export const summariseMultilevel = (
  data: StudyData,
  derived: DerivedClients,
  settings: Pick<AnalysisSettings, "level" | "minCell" | "withinBetweenTherapistIntercept">,
  k: number,
): MultilevelSummary => {
  const withheld: Withheld[] = []

  const wb = estimateWithinBetween(data, settings)
  const wbWhat = WITHHELD.withinBetween
  let withinBetween: MultilevelSummary["withinBetween"] = null
  if (wb.status !== "estimated") withheld.push({ what: wbWhat, reason: modelReason(wb.n, wb.reason, k, `fewer than ${k} session pairs`) })
  else if (wb.n_clients < k) withheld.push({ what: wbWhat, reason: fewerClients(k) })
  else withinBetween = { n: wb.n, clients: wb.n_clients, therapists: wb.n_therapists, within: shared(wb.within), between: shared(wb.between) }

  const inputs = clientInputs(data, derived)
  const dec = estimateDecomposition(inputs, settings)
  const decWhat = WITHHELD.decomposition
  let decomposition: MultilevelSummary["decomposition"] = null
  if (dec.status !== "estimated") withheld.push({ what: decWhat, reason: modelReason(dec.n, dec.reason, k, fewerClients(k)) })
  else if (dec.n < k) withheld.push({ what: decWhat, reason: fewerClients(k) })
  else {
    const therapistLevel = dec.n_therapists >= k
    if (!therapistLevel) withheld.push({ what: WITHHELD.betweenTherapist, reason: fewerTherapists(k) })
    decomposition = { n: dec.n, therapists: dec.n_therapists, within: shared(dec.within), between: therapistLevel ? shared(dec.between) : null }
  }

  const effects = estimateTherapistEffects(inputs, settings)
  const therapistEffects: IccSummary[] = []
  const models: ReadonlyArray<readonly [IccSummary["model"], IccModel]> = [
    ["unadjusted", effects.unadjusted],
    ["adjusted", effects.adjusted],
  ]
  for (const [model, icc] of models) {
    const what = `the ICC components of the ${model === "unadjusted" ? "unadjusted" : "baseline-adjusted"} therapist model`
    if (icc.status !== "estimated") withheld.push({ what, reason: modelReason(icc.n, icc.reason, k, fewerClients(k)) })
    else if (icc.n < k) withheld.push({ what, reason: fewerClients(k) })
    else if (icc.n_therapists < k) withheld.push({ what, reason: fewerTherapists(k) })
    else {
      const therapist = icc.variance_components.find((c) => c.source === "therapist")!.variance
      const residual = icc.variance_components.find((c) => c.source === "residual")!.variance
      therapistEffects.push({ model, n: icc.n, therapists: icc.n_therapists, therapist_variance: therapist, residual_variance: residual, icc: icc.icc, icc_ci: icc.icc_ci })
    }
  }
  return { withinBetween, decomposition, therapistEffects, withheld }
}
