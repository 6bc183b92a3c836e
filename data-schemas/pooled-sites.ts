/**
 * results.json of `pool` (issue 10): the sites' summaries (site-summary.ts) pooled. Each analysis
 * has the shape of results.json's `sites` section (per-site rows and the random-effects pool), so
 * that a two-stage result reads like the one-process site pooling of the primary pipeline.
 */
import { z } from "zod"
import { Pooled, PooledEstimate, SiteRow } from "./results.ts"
import { NotEstimable } from "./shared.ts"
import { SiteSummary } from "./site-summary.ts"

export const POOLED_SITES_SCHEMA_VERSION = "1.1.0"

const PooledAnalysis = z.object({
  per_site: z.array(SiteRow).describe("every site, in label order: pooled, or why not"),
  pooled: Pooled,
})

const Interval = z.tuple([z.number(), z.number()])

/** A coefficient pooled by random effects on its own scale (metafor rma(yi, sei = se)). */
const PooledCoefficientEstimate = PooledEstimate.omit({ estimate: true, ci: true, pi: true, z: true }).extend({
  estimate: z.number().describe("pooled coefficient"),
  tau2: z.number().nonnegative().describe("between-site variance of the coefficient"),
  se: z.number().describe("its standard error (Knapp–Hartung adjusted with the knha test)"),
  ci: Interval,
  pi: Interval.describe("prediction interval for the coefficient at a new site"),
})

const CoefficientAnalysis = z
  .object({
    coefficient: z.enum(["within_client", "between_client", "within_therapist", "between_therapist"]),
    label: z.string(),
    per_site: z
      .array(
        z
          .object({
            site: z.string(),
            n: z.number().int().nullable().describe("clients the site's model rests on; null when not shared"),
            pooled: z.boolean(),
            note: z.string().nullable().describe("why the site is not pooled; null when it is"),
            estimate: z.number().nullable(),
            se: z.number().nullable(),
            df: z.number().nullable().describe("the site's Satterthwaite df"),
            ci: Interval.nullable().describe("the site's own interval, estimate ± t(df)·SE"),
            weight: z.number().nullable().describe("percent weight in the random-effects model"),
          })
          .strict(),
      )
      .describe("every site, in label order"),
    pooled: z.discriminatedUnion("status", [PooledCoefficientEstimate, NotEstimable]),
  })
  .strict()

const OneStage = z.discriminatedUnion("status", [
  z
    .object({
      status: z.literal("estimated"),
      terms: z.array(z.string()).describe("the coefficients, intercept first"),
      estimate: z.array(z.number()),
      se: z.array(z.number()),
      statistic: z.array(z.number()).describe("t statistics"),
      df: z.number().int(),
      p: z.array(z.number()),
      ci: z.array(z.tuple([z.number(), z.number()])),
      sigma: z.number().describe("residual standard deviation"),
      r_squared: z.number(),
      n: z.number().int(),
      method: z.string(),
    })
    .strict(),
  NotEstimable,
])

export const PooledSites = z
  .object({
    schema_version: z.literal(POOLED_SITES_SCHEMA_VERSION),
    tool: z.object({ name: z.string(), version: z.string() }).strict(),
    sites_made_with: z.object({ name: z.string(), version: z.string() }).strict().describe("the pipeline version every summary was made with"),
    settings: SiteSummary.shape.settings,
    pooling: z.object({ method: z.literal("REML"), test: z.enum(["z", "knha"]) }).strict(),
    inputs: z.array(z.object({ file: z.string(), site: z.string(), sha256: z.string() }).strict()).describe("the summaries pooled, with the SHA-256 of each file"),
    primary: PooledAnalysis.describe("r(early alliance, improvement), pooled over the sites"),
    by_modality: z.array(PooledAnalysis.extend({ modality: z.string() })).describe("the same within each treatment modality that two or more sites shared"),
    one_stage: OneStage.describe("the regression of improvement on early alliance and baseline over every site's clients, from the summed cross-products"),
    multilevel: z
      .object({
        coefficients: z.array(CoefficientAnalysis).describe("each multilevel coefficient pooled over the sites that shared it"),
        therapist_effects: z
          .array(SiteSummary.shape.multilevel.shape.therapist_effects.element.extend({ site: z.string() }))
          .describe("the ICC components by site (not pooled: a REML variance component has no sampling variance to weight by)"),
      })
      .strict(),
    common_factors: z
      .object({
        factors: z.array(PooledAnalysis.extend({ predictor: z.string(), family: z.string() })).describe("each numeric common factor's r with improvement, pooled on Fisher z"),
        one_stage: OneStage.describe("improvement on baseline and every numeric common factor over the sites' clients, from the summed cross-products"),
        one_stage_sites: z.array(z.string()).describe("the sites the one-stage regression sums"),
        categorical: z.array(z.string()).describe("categorical predictors of the families: not summarised at the sites, so not pooled"),
      })
      .strict(),
  })
  .strict()

export type PooledSites = z.infer<typeof PooledSites>
