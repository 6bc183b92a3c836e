/**
 * site-summary.json — what one site of a consortium shares for two-stage pooling (issue 10):
 * aggregates only, with the disclosure rules applied (src/analysis/site-summary/build.ts) and a
 * plain list of its contents for the site's data-protection officer.
 *
 * The coordinator refuses summaries of another format version, pipeline version or settings, so
 * each carries the version, the settings that shape its numbers and their SHA-256.
 */
import { z } from "zod"

/** 1.1.0: the multilevel models, the common factors and the settings they read */
export const SITE_SUMMARY_FORMAT_VERSION = "1.1.0"

const Correlation = z.object({
  n: z.number().int().describe("clients the correlation is based on (at least k)"),
  r: z.number().min(-1).max(1).describe("Pearson r(early alliance, improvement)"),
  yi: z.number().describe("Fisher z, atanh(r)"),
  vi: z.number().positive().describe("sampling variance of Fisher z, 1/(n − 3)"),
})

const Coefficient = z
  .object({
    estimate: z.number(),
    se: z.number().positive(),
    df: z.number().positive().describe("Satterthwaite degrees of freedom of the site's own t test"),
  })
  .strict()

const Icc = z
  .object({
    model: z.enum(["unadjusted", "adjusted"]).describe("improvement ~ 1 + (1 | therapist), or ~ baseline + (1 | therapist)"),
    n: z.number().int(),
    therapists: z.number().int().describe("at least k"),
    therapist_variance: z.number().nonnegative(),
    residual_variance: z.number().nonnegative(),
    icc: z.number().min(0).max(1),
    icc_ci: z.tuple([z.number(), z.number()]).describe("profile-likelihood interval"),
  })
  .strict()

const Multilevel = z
  .object({
    within_between: z
      .object({ n: z.number().int().describe("session pairs"), clients: z.number().int(), therapists: z.number().int(), within: Coefficient, between: Coefficient })
      .strict()
      .nullable()
      .describe("symptom_next ~ symptom + client-mean alliance + within-client alliance: the within-client and between-client coefficients"),
    decomposition: z
      .object({ n: z.number().int(), therapists: z.number().int(), within: Coefficient, between: Coefficient.nullable().describe("null with fewer than k therapists") })
      .strict()
      .nullable()
      .describe("improvement ~ baseline + therapist mean + client deviation of early alliance + (1 | therapist)"),
    therapist_effects: z.array(Icc).describe("ICC components of the therapist models that pass the disclosure rules"),
  })
  .strict()

const CommonFactors = z
  .object({
    outcome: z.enum(["improvement", "baseline_adjusted"]),
    n: z.number().int().describe("clients with improvement, baseline and every numeric predictor"),
    factors: z.array(Correlation.extend({ predictor: z.string(), family: z.string() })).describe("each numeric predictor's r with improvement"),
    cross_products: z
      .object({
        terms: z.array(z.string()).min(3).describe("intercept, baseline, the other numeric predictors, improvement"),
        matrix: z.array(z.array(z.number())).describe("Σ x xᵀ over the sample, x = (1, the terms' values)"),
      })
      .strict()
      .refine((c) => c.terms[0] === "intercept" && c.terms.at(-1) === "improvement" && c.matrix.length === c.terms.length && c.matrix.every((row) => row.length === c.terms.length), {
        message: "the matrix must be square over the terms, from intercept to improvement",
      }),
    categorical: z.array(z.string()).describe("categorical predictors of the families: not summarised (their cells would be small)"),
  })
  .strict()

export const SiteSummary = z
  .object({
    format: z.literal("alliance-outcome site summary"),
    format_version: z.string(),
    tool: z.object({ name: z.string(), version: z.string() }).strict(),
    site: z.string().min(1).describe("the site's label, as given to summarize --site"),
    settings: z
      .object({
        early_window: z.tuple([z.number().int(), z.number().int()]),
        ci_level: z.number(),
        outcome: z.object({ instrument: z.string(), range: z.tuple([z.number(), z.number()]), direction: z.enum(["lower_is_better", "higher_is_better"]) }).strict(),
        alliance: z.object({ instrument: z.string(), range: z.tuple([z.number(), z.number()]) }).strict(),
        k: z.number().int().min(5).describe("the disclosure threshold: no statistic of fewer than k clients, no therapist-level figure of fewer than k therapists"),
        within_between_therapist_intercept: z.boolean(),
        common_factors: z
          .object({
            outcome: z.enum(["improvement", "baseline_adjusted"]),
            families: z.array(z.object({ name: z.string(), predictors: z.array(z.string()) }).strict()),
          })
          .strict(),
      })
      .strict()
      .describe("the settings that shape the summary's numbers; sites pooled together must agree on all of them"),
    settings_sha256: z.string().regex(/^[0-9a-f]{64}$/).describe("SHA-256 of `settings` as canonical JSON"),
    inputs: z
      .array(z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() }).strict())
      .describe("SHA-256 of each data file summarised (hashes only: no data)"),
    contents: z.array(z.string()).describe("what this file contains, in plain language, for the site's data-protection officer"),
    counts: z
      .object({ clients: z.number().int(), therapists: z.number().int() })
      .strict()
      .nullable()
      .describe("analysed clients and their therapists; null when the site has fewer than k analysed clients"),
    primary: Correlation.nullable().describe("the primary correlation; null when withheld (see withheld)"),
    by_modality: z.array(Correlation.extend({ modality: z.string() })).describe("the correlation within each treatment modality that passes the disclosure rules"),
    cross_products: z
      .object({
        terms: z.tuple([z.literal("intercept"), z.literal("early_alliance"), z.literal("baseline"), z.literal("improvement")]),
        matrix: z.array(z.array(z.number()).length(4)).length(4).describe("Σ x xᵀ over the analysed clients, x = (1, early alliance, baseline, improvement)"),
      })
      .strict()
      .nullable()
      .describe("sufficient statistics of the regression of improvement on early alliance and baseline; their sum over sites is that regression's on all clients"),
    multilevel: Multilevel.describe("the multilevel models' coefficients with SEs, and ICC components"),
    common_factors: CommonFactors.nullable().describe("the common factors' correlations with improvement and their cross-products; null when withheld"),
    withheld: z.array(z.object({ what: z.string(), reason: z.string() }).strict()).describe("every statistic not shared, and why (never with its count)"),
  })
  .strict()

export type SiteSummary = z.infer<typeof SiteSummary>
