/**
 * results.json of `pool` (issue 10): the sites' summaries (site-summary.ts) pooled. Each analysis
 * has the shape of results.json's `sites` section (per-site rows and the random-effects pool), so
 * that a two-stage result reads like the one-process site pooling of the primary pipeline.
 */
import { z } from "zod"
import { Pooled, SiteRow } from "./results.ts"
import { NotEstimable } from "./shared.ts"
import { SiteSummary } from "./site-summary.ts"

export const POOLED_SITES_SCHEMA_VERSION = "1.0.0"

const PooledAnalysis = z.object({
  per_site: z.array(SiteRow).describe("every site, in label order: pooled, or why not"),
  pooled: Pooled,
})

const OneStage = z.discriminatedUnion("status", [
  z
    .object({
      status: z.literal("estimated"),
      terms: z.tuple([z.literal("intercept"), z.literal("early_alliance"), z.literal("baseline")]),
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
  })
  .strict()

export type PooledSites = z.infer<typeof PooledSites>
