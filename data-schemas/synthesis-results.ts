/**
 * results.json of `synthesize` — the machine-readable record of one evidence synthesis: the
 * effects as read, the random-effects model (and the same model under every τ² estimator), the
 * moderator analyses, the small-study and sensitivity analyses, and — when studies report several
 * effects — the three-level model with cluster-robust inference.
 *
 * Model quantities are on the scale the model is fitted on (`scale`: Fisher z for correlations,
 * the file's yi otherwise); `r` blocks repeat point estimates and intervals back-transformed to
 * correlations (null for generic effect sizes). Field names are snake_case, numbers full double
 * precision, as in results.json of the primary pipeline.
 *
 * The JSON Schema exported from this file lives next to it in `json/synthesis-results.schema.json`.
 * Bump SYNTHESIS_SCHEMA_VERSION on every change a consumer could notice.
 */
import { z } from "zod"
import { Warning } from "./results.ts"
import { Interval, NotEstimable } from "./shared.ts"
import { SYNTHESIS_METHODS } from "./study-file.ts"

export const SYNTHESIS_SCHEMA_VERSION = "1.0.0"

const Method = z.enum(SYNTHESIS_METHODS)
const Test = z.enum(["z", "knha", "t"])

/** Point estimate and intervals back-transformed to r (tanh of the Fisher z values). */
const RScale = z
  .object({ estimate: z.number(), ci: Interval, pi: Interval.nullable() })
  .describe("the same on the correlation scale (tanh of Fisher z)")

export const EffectRow = z.object({
  study: z.string(),
  effect: z.string().describe("es_id within the study ('1' when the file has no es_id)"),
  line: z.number().int().describe("line of the row in the studies file"),
  yi: z.number().describe("effect size on the model scale"),
  vi: z.number().positive().describe("sampling variance"),
  ci: Interval.describe("yi ± crit·√vi"),
  r: z.number().nullable().describe("the correlation as given (null for generic effects)"),
  r_ci: Interval.nullable(),
  n: z.number().int().nullable(),
  weight: z.number().nullable().describe("percent weight in the two-level random-effects model"),
  moderators: z.record(z.string(), z.string().nullable()),
})

/** An intercept-only random-effects (or equal-effects) model (R: metafor::rma.uni). */
export const ModelEstimate = z.object({
  status: z.literal("estimated"),
  k: z.number().int(),
  estimate: z.number(),
  se: z.number(),
  ci: Interval,
  pi: Interval.describe("prediction interval for the true effect of a new study (equals the CI for EE)"),
  statistic: z.number(),
  df: z.number().nullable().describe("t df for Knapp–Hartung; null for z"),
  p: z.number().min(0).max(1),
  tau2: z.number().nonnegative(),
  tau2_se: z.number().nullable(),
  tau: z.number().nonnegative(),
  tau2_ci: Interval.nullable().describe("Q-profile interval (null for EE, or when a bound could not be found)"),
  tau2_ci_note: z.string().nullable(),
  i2: z.number().min(0).max(100),
  i2_ci: Interval.nullable(),
  h2: z.number(),
  h2_ci: Interval.nullable(),
  q: z.number().nonnegative(),
  q_df: z.number().int(),
  q_p: z.number().min(0).max(1),
  r: RScale.nullable(),
  method: Method,
  test: z.enum(["z", "knha"]),
  iterations: z.number().int(),
  reference: z.string().describe("the R call this matches"),
})
export const Model = z.discriminatedUnion("status", [ModelEstimate, NotEstimable])

export const Coefficient = z.object({
  name: z.string(),
  estimate: z.number(),
  se: z.number(),
  statistic: z.number(),
  df: z.number().nullable(),
  p: z.number().min(0).max(1),
  ci: Interval,
})

export const SubgroupRow = z.object({
  level: z.string(),
  k: z.number().int(),
  model: Model.describe("the subgroup's own random-effects model (its own τ²)"),
})

export const ModeratorEstimate = z.object({
  status: z.literal("estimated"),
  column: z.string(),
  type: z.enum(["continuous", "categorical"]),
  k: z.number().int().describe("effects with the moderator present"),
  omitted: z.number().int().describe("effects left out because the moderator is missing"),
  levels: z.array(z.string()).nullable().describe("categorical: levels in order, the first is the reference"),
  coefficients: z.array(Coefficient),
  qm: z.number(),
  qm_df: z.tuple([z.number().int(), z.number().nullable()]).describe("[numerator df, denominator df or null for χ²]"),
  qm_p: z.number().min(0).max(1),
  qe: z.number(),
  qe_df: z.number().int(),
  qe_p: z.number().min(0).max(1),
  tau2: z.number().nonnegative().describe("residual τ²"),
  i2: z.number().describe("residual I² (percent)"),
  r2: z.number().nullable().describe("R² analogue: % of τ² accounted for (null for EE or when τ² of the reduced model is 0)"),
  subgroups: z
    .object({
      groups: z.array(SubgroupRow),
      q_between: z.number().nullable().describe("Q test of the subgroup estimates (equal-effects model of the estimates)"),
      df: z.number().int().nullable(),
      p: z.number().min(0).max(1).nullable(),
      note: z.string().nullable(),
    })
    .nullable()
    .describe("categorical only: separate models per level and the between-groups Q test"),
  fitted: z
    .array(z.object({ x: z.number(), estimate: z.number(), ci: Interval }))
    .nullable()
    .describe("continuous only: the fitted line on the model scale at 41 points across the observed range"),
  reference: z.string(),
})
export const Moderator = z.discriminatedUnion("status", [
  ModeratorEstimate,
  NotEstimable.extend({ column: z.string(), type: z.enum(["continuous", "categorical"]) }),
])

const RegressionTest = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("estimated"),
    model: z.enum(["rma", "lm"]),
    k: z.number().int(),
    statistic: z.number(),
    df: z.number().nullable(),
    p: z.number().min(0).max(1),
    limit_estimate: z.number().describe("estimate as the standard error goes to 0"),
    limit_ci: Interval,
    reference: z.string(),
  }),
  NotEstimable,
])

export const SmallStudy = z.object({
  egger: RegressionTest.describe("metafor regtest default: mixed-effects model with the SE as predictor"),
  egger_classical: RegressionTest.describe("classical Egger test: weighted regression (regtest model = 'lm')"),
  rank: z.discriminatedUnion("status", [
    z.object({
      status: z.literal("estimated"),
      k: z.number().int(),
      tau: z.number(),
      p: z.number().min(0).max(1),
      kind: z.enum(["exact", "normal"]),
      reference: z.string(),
    }),
    NotEstimable,
  ]),
  trim_and_fill: z.array(
    z.discriminatedUnion("status", [
      z.object({
        status: z.literal("estimated"),
        estimator: z.enum(["L0", "R0"]),
        side: z.enum(["left", "right"]),
        side_from_data: z.boolean(),
        k0: z.number().int(),
        k0_se: z.number(),
        k0_p: z.number().nullable(),
        filled: z.array(z.object({ yi: z.number(), vi: z.number() })),
        model: ModelEstimate.describe("the model with the filled-in effects"),
        reference: z.string(),
      }),
      NotEstimable.extend({ estimator: z.enum(["L0", "R0"]) }),
    ]),
  ),
  fail_safe_n: z.array(
    z.discriminatedUnion("status", [
      z.object({
        status: z.literal("estimated"),
        type: z.enum(["Rosenthal", "Orwin", "Rosenberg"]),
        n: z.number(),
        p: z.number().nullable(),
        target: z.number().nullable(),
        reference: z.string(),
      }),
      NotEstimable.extend({ type: z.enum(["Rosenthal", "Orwin", "Rosenberg"]) }),
    ]),
  ),
  leave_one_out: z.array(
    z.object({ study: z.string(), effect: z.string(), model: Model }),
  ),
  influence: z.discriminatedUnion("status", [
    z.object({
      status: z.literal("estimated"),
      rows: z.array(
        z.object({
          study: z.string(),
          effect: z.string(),
          rstudent: z.number().nullable(),
          dffits: z.number().nullable(),
          cook_d: z.number().nullable(),
          cov_ratio: z.number().nullable(),
          tau2_deleted: z.number().nullable(),
          q_deleted: z.number().nullable(),
          hat: z.number(),
          weight: z.number(),
          dfbetas: z.number().nullable(),
          influential: z.boolean(),
        }),
      ),
      reference: z.string(),
    }),
    NotEstimable,
  ]),
})

/** Three-level model (effects within studies), R: metafor::rma.mv(random = ~ 1 | study/es). */
export const ThreeLevelEstimate = z.object({
  status: z.literal("estimated"),
  k: z.number().int().describe("effects"),
  studies: z.number().int(),
  estimate: z.number(),
  se: z.number(),
  ci: Interval,
  pi: Interval,
  statistic: z.number(),
  df: z.number().nullable(),
  p: z.number().min(0).max(1),
  sigma2_between: z.number().nonnegative().describe("variance of true effects between studies (level 3)"),
  sigma2_within: z.number().nonnegative().describe("variance of true effects within studies (level 2)"),
  i2_between: z.number().describe("% of total variance between studies"),
  i2_within: z.number().describe("% of total variance within studies"),
  i2_total: z.number(),
  q: z.number(),
  q_df: z.number().int(),
  q_p: z.number().min(0).max(1),
  log_likelihood: z.number(),
  robust: z
    .object({
      estimate: z.number(),
      se: z.number(),
      statistic: z.number(),
      df: z.number().describe("Satterthwaite degrees of freedom"),
      p: z.number().min(0).max(1),
      ci: Interval,
      reference: z.string(),
    })
    .describe("cluster-robust inference: CR2 sandwich, Satterthwaite df, clusters = studies"),
  r: RScale.nullable(),
  method: z.enum(["REML", "ML"]),
  test: Test,
  reference: z.string(),
})

export const ThreeLevel = z.object({
  model: z.discriminatedUnion("status", [ThreeLevelEstimate, NotEstimable]),
  egger: z
    .discriminatedUnion("status", [
      z.object({
        status: z.literal("estimated"),
        slope: z.number().describe("coefficient of the standard error √vi"),
        se: z.number(),
        statistic: z.number(),
        df: z.number().nullable(),
        p: z.number().min(0).max(1),
        robust_se: z.number(),
        robust_statistic: z.number(),
        robust_df: z.number(),
        robust_p: z.number().min(0).max(1),
        limit_estimate: z.number(),
        limit_ci: Interval,
        reference: z.string(),
      }),
      NotEstimable,
    ])
    .describe("multilevel Egger test: the three-level model with √vi as moderator, model-based and CR2 inference"),
  leave_one_study_out: z.array(
    z.object({
      study: z.string(),
      status: z.enum(["estimated", "not_estimable"]),
      estimate: z.number().nullable(),
      se: z.number().nullable(),
      ci: Interval.nullable(),
      p: z.number().nullable(),
      sigma2_between: z.number().nullable(),
      sigma2_within: z.number().nullable(),
      reason: z.string().nullable(),
    }),
  ),
})

export const SynthesisResults = z.object({
  schema_version: z.literal(SYNTHESIS_SCHEMA_VERSION),
  kind: z.literal("synthesis"),
  tool: z.object({ name: z.string(), version: z.string() }),
  study: z.object({ name: z.string(), title: z.string().nullable(), file: z.string().describe("the studies file, relative to the study") }),
  settings: z.object({
    effect: z.enum(["correlation", "generic"]).describe("correlation: r and n pooled as Fisher z; generic: yi and vi as given"),
    scale: z.string().describe("the scale the models are fitted on"),
    effect_label: z.string(),
    method: Method,
    test: z.enum(["z", "knha"]),
    ci_level: z.number(),
    moderators: z.array(z.object({ column: z.string(), type: z.enum(["continuous", "categorical"]) })),
    subgroup: z.string().nullable(),
    literature_reference: z.boolean(),
  }),
  data: z.object({
    k: z.number().int().describe("effects"),
    studies: z.number().int(),
    n_total: z.number().int().nullable().describe("sum of n over effects (correlations only; effects of one study may share clients)"),
    several_effects_per_study: z.boolean(),
    max_effects_per_study: z.number().int(),
  }),
  warnings: z.array(Warning),
  effects: z.array(EffectRow),
  model: Model.describe("two-level random-effects model of every effect (effects treated as independent)"),
  estimators: z.array(z.object({ method: Method, model: Model })).describe("the same model under every τ² estimator (sensitivity)"),
  moderators: z.array(Moderator),
  small_study: SmallStudy,
  three_level: ThreeLevel.nullable().describe("present when at least one study reports several effects"),
})
export type SynthesisResults = z.infer<typeof SynthesisResults>

/** Record types of the parts of results.json, for the code that builds them. */
export type EffectRecord = z.infer<typeof EffectRow>
export type ModelRecord = z.infer<typeof Model>
export type ModelEstimateRecord = z.infer<typeof ModelEstimate>
export type ModeratorRecord = z.infer<typeof Moderator>
export type ModeratorEstimateRecord = z.infer<typeof ModeratorEstimate>
export type SmallStudyRecord = z.infer<typeof SmallStudy>
export type ThreeLevelRecord = z.infer<typeof ThreeLevel>
