/**
 * results.json — the machine-readable record of one run of the alliance–outcome pipeline.
 *
 * Every estimate carries its n, confidence interval, test statistic, degrees of freedom, p-value
 * and the method that produced it. Field names are snake_case so that R (jsonlite) and Python
 * users read them without renaming. Numbers are full double precision; nothing is rounded here
 * (rounding is a presentation concern of report.html and summary.md).
 *
 * The JSON Schema exported from this file lives next to it in `json/results.schema.json`.
 * Bump RESULTS_SCHEMA_VERSION on any change a consumer could notice.
 */
import { ClinicalResults } from "./clinical-results.ts"
import { z } from "zod"
import { CommonFactors } from "./common-factors-results.ts"
import { MultilevelResults } from "./multilevel-results.ts"
import { Interval, NotEstimable } from "./shared.ts"
import { SYNTHESIS_METHODS } from "./study-file.ts"

export const RESULTS_SCHEMA_VERSION = "1.5.0"

export { NotEstimable } from "./shared.ts"

/** A Pearson-type correlation with its t test and Fisher-z interval (R: cor.test). */
export const CorrelationEstimate = z
  .object({
    status: z.literal("estimated"),
    estimate: z.number().min(-1).max(1).describe("the correlation coefficient"),
    n: z.number().int().describe("number of complete pairs used"),
    ci: Interval.describe("confidence interval from the Fisher z transformation"),
    statistic: z.number().describe("t statistic"),
    df: z.number().describe("degrees of freedom of the t statistic"),
    p: z.number().min(0).max(1).describe("two-sided p-value"),
    method: z.string().describe("what was computed and which R function it matches"),
  })
  .describe("A correlation with its test")

export const Correlation = z.discriminatedUnion("status", [CorrelationEstimate, NotEstimable])

export const SpearmanEstimate = z.object({
  status: z.literal("estimated"),
  estimate: z.number().min(-1).max(1).describe("Spearman's rho"),
  n: z.number().int(),
  statistic: z.number().describe("S = (n^3 - n)(1 - rho) / 6, as reported by R's cor.test"),
  p: z.number().min(0).max(1).describe("two-sided p-value from the t approximation"),
  method: z.string(),
})
export const Spearman = z.discriminatedUnion("status", [SpearmanEstimate, NotEstimable])

export const PartialCorrelationEstimate = CorrelationEstimate.extend({
  controlling_for: z.array(z.string()),
  direction: z.string().describe("plain statement of what the raw sign means for this outcome measure"),
})
export const PartialCorrelation = z.discriminatedUnion("status", [PartialCorrelationEstimate, NotEstimable])

/** A random-effects pooled correlation (R: metafor::rma.uni on Fisher z, back-transformed). */
export const PooledEstimate = z.object({
  status: z.literal("estimated"),
  k: z.number().int().describe("number of units (sites) pooled"),
  n: z.number().int().describe("total clients across the pooled units"),
  estimate: z.number().min(-1).max(1).describe("pooled correlation (back-transformed from Fisher z)"),
  ci: Interval.describe("confidence interval of the pooled correlation"),
  pi: Interval.describe("prediction interval for the correlation in a new unit"),
  z: z
    .object({
      estimate: z.number(),
      se: z.number(),
      ci: Interval,
      pi: Interval,
    })
    .describe("the same on the Fisher z scale, where the model is fitted"),
  statistic: z.number().describe("z or t statistic of the pooled Fisher z"),
  df: z.number().nullable().describe("degrees of freedom (Knapp–Hartung: k − 1); null for the z test"),
  p: z.number().min(0).max(1),
  tau2: z.number().nonnegative().describe("between-unit variance of Fisher z"),
  tau2_se: z.number().nullable(),
  tau: z.number().nonnegative(),
  tau2_ci: Interval.nullable().describe("Q-profile confidence interval for tau^2"),
  i2: z.number().min(0).max(100).describe("I^2 in percent"),
  i2_ci: Interval.nullable(),
  h2: z.number().min(1),
  q: z.number().nonnegative().describe("Cochran's Q"),
  q_df: z.number().int(),
  q_p: z.number().min(0).max(1),
  method: z.string().describe("tau^2 estimator, e.g. REML"),
  test: z.enum(["z", "knha"]).describe("inference for the pooled estimate: z (metafor default) or Knapp–Hartung"),
  iterations: z.number().int(),
  reference: z.string().describe("the R call this matches"),
})
export const Pooled = z.discriminatedUnion("status", [PooledEstimate, NotEstimable])

export const SiteRow = z.object({
  site: z.string().describe("the site's pseudonymous study code, or \"merged: …\" for the merged small sites"),
  merged_from: z
    .array(z.string())
    .nullable()
    .describe("1.5.0: sites with fewer than privacy.k analysed clients, merged into this one row (with the smallest others while the row had fewer than k); null for a site of its own"),
  n: z.number().int(),
  pooled: z.boolean().describe("whether the site entered the meta-analysis"),
  note: z.string().nullable().describe("why the site was not pooled; null when it was"),
  correlation: Correlation,
  yi: z.number().nullable().describe("Fisher z of the site's r (metafor escalc ZCOR)"),
  vi: z.number().nullable().describe("sampling variance 1/(n − 3)"),
  weight: z.number().nullable().describe("percent weight in the random-effects model"),
})

export const Warning = z.object({
  code: z.string(),
  message: z.string(),
})

export const MissingnessRow = z.object({
  file: z.string(),
  column: z.string(),
  n: z.number().int(),
  n_missing: z.number().int().nullable().describe("null: suppressed (strict privacy)"),
  percent: z.number().min(0).max(100).nullable(),
})

export const Summary5 = z.object({
  mean: z.number(),
  sd: z.number().nullable().describe("null with fewer than 2 values"),
  min: z.number().nullable().describe("null in strict privacy: one client's value"),
  q1: z.number(),
  median: z.number(),
  q3: z.number(),
  max: z.number().nullable().describe("null in strict privacy: one client's value"),
})

export const Bin = z.object({
  low: z.number(),
  high: z.number(),
  n: z.number().int(),
  mean_alliance: z.number(),
  mean_improvement: z.number(),
  ci: Interval.describe("t-based confidence interval of the mean improvement in the bin"),
})

export const Disclosure = z
  .object({
    mode: z.enum(["standard", "strict"]),
    k: z.number().int().describe("no count of 1 to k − 1 clients is shown"),
    rule: z.string().describe("what was done, in words"),
    suppressed: z
      .array(z.object({ table: z.string(), cells: z.number().int().describe("counts suppressed ([c]); which of them were below k is not said") }))
      .describe("tables with suppressed counts"),
    withheld: z
      .array(z.object({ table: z.string(), reason: z.string() }))
      .describe("tables withheld whole: every count suppressed because no smaller pattern protected them, or a chart that would bound a suppressed count"),
  })
  .describe("1.5.0: disclosure control of this report (issue 8; src/privacy/disclosure/)")

export const Results = z.object({
  schema_version: z.literal(RESULTS_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  study: z.object({
    name: z.string(),
    title: z.string().nullable(),
  }),
  definitions: z
    .record(z.string(), z.string())
    .describe("the exact definition of every derived quantity, in words"),
  settings: z.object({
    early_window: z.tuple([z.number().int(), z.number().int()]).describe("first and last session of the early-alliance window"),
    ci_level: z.number(),
    outcome: z.object({
      instrument: z.string(),
      direction: z.enum(["lower_is_better", "higher_is_better"]),
      range: z.tuple([z.number(), z.number()]),
    }),
    alliance: z.object({
      instrument: z.string(),
      range: z.tuple([z.number(), z.number()]),
    }),
    pooling: z.object({
      method: z.enum(SYNTHESIS_METHODS).describe("tau^2 estimator for pooling the sites (study file analysis.pooling_method; 1.1.0: was always REML)"),
      test: z.enum(["z", "knha"]),
      min_site_n: z.number().int(),
    }),
    min_cell: z.number().int().describe("smallest group whose estimates (means, bins, quartiles) are shown in tables and charts; at least privacy.k"),
    privacy: z
      .object({ mode: z.enum(["standard", "strict"]), k: z.number().int() })
      .describe("1.5.0: disclosure control (study file privacy; --privacy strict); strict raises k to at least 10"),
    within_between_therapist_intercept: z.boolean().describe("1.2.0: the session-level model has a therapist random intercept"),
    common_factors: z
      .object({
        outcome: z.enum(["improvement", "baseline_adjusted"]),
        families: z
          .array(z.object({ name: z.string(), predictors: z.array(z.string()) }))
          .describe("the families as specified (the study file's, or the defaults), before looking at the data"),
        families_from: z.enum(["defaults", "study_file"]),
        bootstrap: z.object({
          replicates: z.number().int(),
          seed: z.number().int(),
          resample: z.enum(["clients", "therapists"]),
          max_resample_size: z.number().int(),
        }),
      })
      .describe("1.3.0: settings of the common-factor breakdown"),
  }),
  descriptives: z.object({
    n_sites: z.number().int(),
    n_therapists: z.number().int(),
    n_clients: z.number().int(),
    n_sessions: z.number().int(),
    sessions_per_client: Summary5.nullable().describe("null when the study has no clients"),
    missingness: z.array(MissingnessRow),
    funnel: z
      .array(z.object({ step: z.string(), excluded: z.number().int().nullable(), remaining: z.number().int().nullable() }))
      .describe("how clients were excluded, in order, to reach the analysed sample"),
  }),
  primary: z.object({
    n_analysed: z.number().int(),
    pearson: Correlation.describe("r(early alliance, improvement)"),
    spearman: Spearman.describe("rho(early alliance, improvement)"),
    partial: PartialCorrelation.describe("r(early alliance, outcome | baseline), raw sign"),
    residualized_gain: Correlation.describe("r(early alliance, residualized gain)"),
  }),
  by_rater: z.array(
    z.object({ rater: z.enum(["client", "therapist", "observer"]), column: z.string(), correlation: Correlation }),
  ),
  by_subscale: z.array(
    z.object({ subscale: z.enum(["goal", "task", "bond"]), column: z.string(), correlation: Correlation }),
  ),
  sites: z.object({
    per_site: z.array(SiteRow),
    pooled: Pooled,
  }),
  multilevel: MultilevelResults.describe("1.2.0: therapist effects, alliance decomposition, within/between session model"),
  common_factors: CommonFactors.describe("1.3.0: the common-factor breakdown of the outcome variance"),
  clinical: ClinicalResults.describe("1.4.0: instruments and scoring, reliability, clinical significance, ruptures and repairs, sudden gains"),
  binned: z.array(Bin).describe("alliance vs improvement in bins of early alliance; bins below min_cell are merged"),
  disclosure: Disclosure,
  warnings: z.array(Warning),
})

export type Results = z.infer<typeof Results>
export type Correlation = z.infer<typeof Correlation>
export type Pooled = z.infer<typeof Pooled>
export type SiteRow = z.infer<typeof SiteRow>
export type Bin = z.infer<typeof Bin>
