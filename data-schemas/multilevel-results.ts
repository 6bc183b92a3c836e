/**
 * The `multilevel` section of results.json (schema 1.2.0): therapist effects, the decomposition of
 * early alliance into therapist and client parts (Baldwin, Wampold & Imel 2007), and the lagged
 * session-level within/between model. Every model is a linear mixed model fitted as
 * `lme4::lmer` (REML) with lmerTest's Satterthwaite df; its formula is recorded in R syntax.
 */
import { z } from "zod"
import { Interval, NotEstimable } from "./shared.ts"


export const MixedCoefficientRecord = z.object({
  term: z.string().describe("the term, as named in the formula"),
  estimate: z.number(),
  se: z.number(),
  df: z.number().describe("Satterthwaite degrees of freedom (lmerTest)"),
  statistic: z.number().describe("t statistic"),
  p: z.number().min(0).max(1),
  ci: Interval,
})

export const StandardizedCoefficientRecord = MixedCoefficientRecord.extend({
  standardized: z.number().describe("estimate × SD(predictor) / SD(response), SDs over the model's rows"),
  standardized_ci: Interval,
})

export const VarianceComponentRecord = z.object({
  source: z.string().describe("grouping factor (e.g. therapist, client, site) or residual"),
  groups: z.number().int().nullable().describe("number of groups; null for the residual"),
  variance: z.number().nonnegative(),
  share: z.number().min(0).max(1).describe("share of the total variance (sum of the components)"),
})

/** What every fitted model records. */
const Fitted = z.object({
  status: z.literal("estimated"),
  formula: z.string().describe("the model in lme4 syntax"),
  n: z.number().int().describe("rows the model was fitted to"),
  fixed: z.array(MixedCoefficientRecord),
  variance_components: z.array(VarianceComponentRecord),
  reml_criterion: z.number(),
  singular: z.boolean().describe("a variance component estimated at exactly 0"),
  reference: z.string(),
})

export const IccModelRecord = Fitted.extend({
  label: z.string(),
  n_therapists: z.number().int(),
  icc: z.number().min(0).max(1).describe("therapist variance / (therapist + residual variance)"),
  icc_ci: Interval.describe("profile-likelihood interval (REML criterion, χ²₁)"),
})
export const IccModel = z.discriminatedUnion("status", [IccModelRecord, NotEstimable])

export const SiteAdjustedRecord = Fitted.extend({ n_sites: z.number().int(), n_therapists: z.number().int() })

export const TherapistEffectsRecord = z.object({
  n_clients: z.number().int().describe("clients with baseline and outcome"),
  n_therapists: z.number().int(),
  clients_per_therapist: z
    .object({ mean: z.number(), median: z.number(), min: z.number().int().nullable(), max: z.number().int().nullable() })
    .nullable(),
  patient_therapist_ratio: z.number().nullable(),
  unadjusted: IccModel.describe("improvement ~ 1 + (1 | therapist)"),
  adjusted: IccModel.describe("improvement ~ baseline + (1 | therapist): the post score adjusted for baseline"),
  site_adjusted: z
    .discriminatedUnion("status", [SiteAdjustedRecord, NotEstimable])
    .describe("improvement ~ baseline + (1 | site/therapist), when the study has two or more sites"),
  caterpillar: z
    .array(z.object({ estimate: z.number(), ci: Interval }))
    .describe(
      "therapists' conditional modes in the adjusted model with conditional-variance intervals, ascending; unnamed; only therapists with at least min_cell clients, and of more than 200 such therapists 200 evenly spaced by rank (the lowest and highest included)",
    ),
  caterpillar_eligible: z.number().int().describe("therapists with at least min_cell clients (of whom the caterpillar shows all, or 200)"),
  caterpillar_left_out: z.number().int().describe("therapists with fewer than min_cell clients, not shown"),
})

export const DecompositionRecord = Fitted.extend({
  n_therapists: z.number().int(),
  between: StandardizedCoefficientRecord.describe("therapist mean of early alliance"),
  within: StandardizedCoefficientRecord.describe("client's deviation from their therapist's mean"),
  difference: MixedCoefficientRecord.describe("between − within"),
})
export const Decomposition = z.discriminatedUnion("status", [DecompositionRecord, NotEstimable])

export const WithinBetweenRecord = Fitted.extend({
  n_clients: z.number().int(),
  n_therapists: z.number().int(),
  therapist_intercept: z.boolean().describe("whether the model has a therapist random intercept (clients nested in therapists)"),
  between: StandardizedCoefficientRecord.describe("client's mean alliance over their session pairs"),
  within: StandardizedCoefficientRecord.describe("session alliance minus the client's mean"),
  difference: MixedCoefficientRecord.describe("within − between"),
})
export const WithinBetween = z.discriminatedUnion("status", [WithinBetweenRecord, NotEstimable])

export const MultilevelResults = z.object({
  therapist_effects: TherapistEffectsRecord,
  decomposition: Decomposition.describe("improvement ~ baseline + therapist mean + client deviation of early alliance + (1 | therapist)"),
  within_between: WithinBetween.describe("next-session symptom ~ symptom + client-mean alliance + within-client alliance + (1 | client)"),
})

export type MixedCoefficientRecord = z.infer<typeof MixedCoefficientRecord>
export type StandardizedCoefficientRecord = z.infer<typeof StandardizedCoefficientRecord>
export type VarianceComponentRecord = z.infer<typeof VarianceComponentRecord>
export type IccModel = z.infer<typeof IccModel>
export type SiteAdjustedRecord = z.infer<typeof SiteAdjustedRecord>
export type TherapistEffectsRecord = z.infer<typeof TherapistEffectsRecord>
export type Decomposition = z.infer<typeof Decomposition>
export type WithinBetween = z.infer<typeof WithinBetween>
export type MultilevelResults = z.infer<typeof MultilevelResults>
