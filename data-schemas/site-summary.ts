/**
 * site-summary.json — what one site of a consortium shares for two-stage pooling (issue 10):
 * aggregates only, with the disclosure rules applied (src/analysis/site-summary/build.ts) and a
 * plain list of its contents for the site's data-protection officer.
 *
 * The coordinator refuses summaries of another format version, pipeline version or settings, so
 * each carries the version, the settings that shape its numbers and their SHA-256.
 */
import { z } from "zod"

export const SITE_SUMMARY_FORMAT_VERSION = "1.0.0"

const Correlation = z.object({
  n: z.number().int().describe("clients the correlation is based on (at least k)"),
  r: z.number().min(-1).max(1).describe("Pearson r(early alliance, improvement)"),
  yi: z.number().describe("Fisher z, atanh(r)"),
  vi: z.number().positive().describe("sampling variance of Fisher z, 1/(n − 3)"),
})

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
        k: z.number().int().min(5).describe("the disclosure threshold: no statistic of fewer than k clients"),
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
    withheld: z.array(z.object({ what: z.string(), reason: z.string() }).strict()).describe("every statistic not shared, and why (never with its count)"),
  })
  .strict()

export type SiteSummary = z.infer<typeof SiteSummary>
