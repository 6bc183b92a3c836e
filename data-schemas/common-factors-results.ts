/**
 * The `common_factors` section of results.json (schema 1.3.0): how much of the outcome variance
 * each family of factors explains, the therapist share, and what is left.
 *
 * Shares are of the outcome's total variance — of improvement, or with outcome `baseline_adjusted`
 * of the variance left after baseline — and add up to 1: the families' general dominance weights
 * (their Shapley shares of the model R²), the therapist share (1 − R²) × ICC, and the unexplained
 * rest. Pairwise dominance verdicts are 1 (row dominates column), 0 (column dominates) or 0.5
 * (neither), with null on the diagonal, as the `dominanceanalysis` R package codes them.
 */
import { z } from "zod"
import { IccModelRecord } from "./multilevel-results.ts"
import { Interval, NotEstimable } from "./shared.ts"

const Verdicts = z.array(z.array(z.union([z.literal(0), z.literal(0.5), z.literal(1)]).nullable()))

export const FamilyRecord = z.object({
  family: z.string(),
  predictors: z.array(z.string()),
  general_dominance: z.number().describe("the family's general dominance weight: its Shapley share of R², a share of the total variance"),
  ci: Interval.describe("bootstrap interval of the general dominance weight (see bootstrap)"),
  share_of_explained: z.number().describe("general dominance weight / R²"),
  rank: z.number().int().describe("1 = the largest general dominance weight"),
  conditional: z.array(z.number()).describe("conditional dominance: mean R² gained when added to models of 0, 1, … other families"),
})

export const PredictorRecord = z.object({
  predictor: z.string(),
  family: z.string(),
  columns: z.array(z.string()).describe("design columns: the predictor, or one dummy per level but the first (`name: level`)"),
  general_dominance: z.number(),
  share_of_explained: z.number(),
  conditional: z.array(z.number()),
})

export const HierarchicalRecord = z.object({
  family: z.string(),
  r_squared: z.number(),
  delta_r_squared: z.number(),
  f: z.number(),
  df1: z.number().int(),
  df2: z.number().int(),
  p: z.number().min(0).max(1),
})

export const TherapistShareRecord = IccModelRecord.extend({
  share: z.number().describe("(1 − R²) × ICC: the between-therapist share of the total variance"),
  share_ci: Interval.describe("(1 − R²) × the ICC's profile interval (R² held fixed)"),
})

export const CommonFactorsRecord = z.object({
  status: z.literal("estimated"),
  outcome: z.enum(["improvement", "baseline_adjusted"]),
  outcome_description: z.string().describe("what the shares are shares of, in words"),
  n: z.number().int().describe("clients with improvement and every predictor present"),
  n_excluded: z.number().int().describe("clients with improvement left out for a missing predictor (or baseline)"),
  r_squared: z.number().describe("R² of the model with every family (partial R² when baseline_adjusted)"),
  families: z.array(FamilyRecord).describe("in order of entry"),
  absent_families: z.array(z.object({ family: z.string(), reason: z.string() })).describe("families with no data in this study, and why"),
  therapist: z.discriminatedUnion("status", [TherapistShareRecord, NotEstimable]),
  unexplained: z.number().describe("1 − R² − the therapist share (1 − R² when the therapist share is not estimable)"),
  dominance: z.object({
    complete: Verdicts,
    conditional: Verdicts,
    general: Verdicts,
  }).describe("pairwise dominance of the families (rows and columns in the order of families)"),
  predictors: z.array(PredictorRecord).describe("dominance of the single predictors (their weights sum to R²); empty when predictors_skipped says why"),
  predictor_complete_dominance: Verdicts,
  predictors_skipped: z.string().nullable().describe("why the single predictors were not analysed (more than 15 of them), or null"),
  hierarchical: z.array(HierarchicalRecord).describe("families entered in order, each with its ΔR² and F test (anova of nested lm fits)"),
  commonality: z
    .array(z.object({ families: z.array(z.string()), value: z.number(), share_of_explained: z.number() }))
    .nullable()
    .describe("unique (one family) and common parts of R², summing to R²; null with more than 6 families"),
  bootstrap: z.object({
    replicates: z.number().int().describe("replicates requested"),
    used: z.number().int().describe("replicates whose models could be fitted (a replicate whose outcome does not vary is skipped)"),
    seed: z.number().int(),
    resample: z.enum(["clients", "therapists"]),
    units: z.number().int().describe("clients or therapists in the sample"),
    size: z.number().int().describe("units drawn per replicate (m)"),
    method: z.enum(["percentile", "m_out_of_n"]).describe("percentile interval; m_out_of_n: rescaled by √(m/units) around the estimate"),
  }),
  reference: z.string(),
})
export const CommonFactors = z.discriminatedUnion("status", [CommonFactorsRecord, NotEstimable.extend({ absent_families: z.array(z.object({ family: z.string(), reason: z.string() })) })])

export type CommonFactorsRecord = z.infer<typeof CommonFactorsRecord>
export type CommonFactors = z.infer<typeof CommonFactors>
