/**
 * `pool`: stage 2 of two-stage pooling across sites (issue 10).
 *
 *   npx tsx pipelines/run.ts pool site-a.json site-b.json … [--out DIR] [--pooling-test z|knha]
 *
 * Phases: read and check every summary (schema, the same format, pipeline version and settings,
 * no site twice; all problems at once, exit 2) → pool (src/analysis/site-summary/pool.ts: random
 * effects on Fisher z, REML, Knapp–Hartung unless --pooling-test z; the one-stage regression from
 * the summed cross-products; pool-models.ts: the multilevel coefficients, the ICCs by site, the
 * common factors) → forest plots → results.json, summary.md, report.html, manifest, written whole
 * or not at all.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import { POOLED_SITES_SCHEMA_VERSION, PooledSites } from "../data-schemas/pooled-sites.ts"
import { SITE_SUMMARY_FORMAT_VERSION, SiteSummary } from "../data-schemas/site-summary.ts"
import type { NotEstimable } from "../src/stats/types.ts"
import type { OneStageRegression } from "../src/analysis/site-summary/one-stage.ts"
import { analysisRecord, bySiteLabel, type NamedSummary, poolingProblems, poolSites } from "../src/analysis/site-summary/pool.ts"
import { COEFFICIENTS, coefficientRecord, poolCoefficient, poolCommonFactors } from "../src/analysis/site-summary/pool-models.ts"
import { Progress } from "../src/cli/Progress.ts"
import { shownPath } from "../src/cli/messages.ts"
import { FileSystemError, StudyFileError } from "../src/errors.ts"
import { hashLockfile, hashString } from "../src/io/hashing.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { coefficientForestPlot, forestPlotOf } from "../src/report/figures/forest-plot.ts"
import { formatCount } from "../src/report/format.ts"
import { stableJson } from "../src/report/render-report.ts"
import { poolSummaryMarkdown, renderPoolHtml } from "../src/report/site-pool.ts"
import { slug } from "../src/report/html.ts"
import { renderSvg } from "../src/report/svg.ts"
import { TOOL } from "../src/tool.ts"
import { settingsDigest } from "./site-summary.ts"

export interface PoolOptions {
  readonly files: ReadonlyArray<string>
  /** report folder; default reports/pooled-sites */
  readonly out: string | null
  /** null: Knapp–Hartung (few sites) */
  readonly poolingTest: "z" | "knha" | null
}

/** A one-stage regression as results.json records it. */
const oneStageRecord = (one: OneStageRegression | NotEstimable, method: string): PooledSites["one_stage"] =>
  one.status === "estimated"
    ? {
        status: "estimated",
        terms: [...one.terms],
        estimate: [...one.estimate],
        se: [...one.se],
        statistic: [...one.statistic],
        df: one.df,
        p: [...one.p],
        ci: one.ci.map((c) => [c[0], c[1]]),
        sigma: one.sigma,
        r_squared: one.rSquared,
        n: one.n,
        method,
      }
    : one

export const runPool = (options: PoolOptions) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem
    const display = (file: string) => shownPath(path.resolve(file))

    // read and check: every problem of every file, at once
    yield* progress.phase(`reading ${formatCount(options.files.length)} site summaries`)
    const named: Array<NamedSummary & { readonly sha256: string }> = []
    const problems: string[] = []
    for (const file of options.files) {
      const text = yield* fs.readFileString(path.resolve(file)).pipe(Effect.mapError((e) => new FileSystemError({ path: file, message: e.message })))
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch (error) {
        problems.push(`${display(file)}: not valid JSON (${(error as Error).message})`)
        continue
      }
      // a summary of another format version is named as such, before its fields are checked
      const header = json as { format?: unknown; format_version?: unknown } | null
      if (header?.format === "alliance-outcome site summary" && typeof header.format_version === "string" && header.format_version !== SITE_SUMMARY_FORMAT_VERSION) {
        problems.push(`${display(file)}: summary format ${header.format_version}, but this pipeline reads ${SITE_SUMMARY_FORMAT_VERSION}: summarise the site again with this version`)
        continue
      }
      const parsed = SiteSummary.safeParse(json)
      if (!parsed.success) {
        problems.push(...parsed.error.issues.slice(0, 5).map((issue) => `${display(file)}: not a site summary: ${issue.path.join(".") || "(top level)"}: ${issue.message}`))
        continue
      }
      if (settingsDigest(parsed.data.settings) !== parsed.data.settings_sha256) {
        problems.push(`${display(file)}: its settings do not match their settings_sha256 (was the file edited?)`)
        continue
      }
      named.push({ file: display(file), summary: parsed.data, sha256: hashString(text).sha256 })
    }
    if (problems.length === 0) problems.push(...poolingProblems(named, SITE_SUMMARY_FORMAT_VERSION))
    if (problems.length > 0) return yield* new StudyFileError({ path: "the site summaries", problems })

    const writer = yield* ReportWriter
    const out = path.resolve(options.out ?? path.join("reports", "pooled-sites"))
    yield* writer.checkReplaceable(out)

    // pool
    yield* progress.phase("pooling the sites")
    const test = options.poolingTest ?? "knha"
    const first = named[0]!.summary
    const level = first.settings.ci_level
    const pooled = poolSites(named, { test })
    const ordered = [...named].sort(bySiteLabel)
    const sorted = ordered.map((n) => n.summary)
    const commonFactors = poolCommonFactors(sorted, { test, level })
    const results = PooledSites.parse({
      schema_version: POOLED_SITES_SCHEMA_VERSION,
      tool: { name: TOOL.name, version: TOOL.version },
      sites_made_with: first.tool,
      settings: first.settings,
      pooling: { method: "REML", test },
      inputs: ordered.map((n) => ({ file: n.file, site: n.summary.site, sha256: n.sha256 })),
      primary: analysisRecord(pooled.primary, level),
      by_modality: pooled.byModality.map((m) => ({ modality: m.modality, ...analysisRecord(m, level) })),
      one_stage: oneStageRecord(pooled.oneStage, "ordinary least squares from the sites' summed cross-products (R: lm(improvement ~ early + baseline) on all clients)"),
      multilevel: {
        coefficients: COEFFICIENTS.map((name) => coefficientRecord(name, poolCoefficient(sorted, name, { test, level }), level)),
        therapist_effects: sorted.flatMap((s) => s.multilevel.therapist_effects.map((m) => ({ site: s.site, ...m }))),
      },
      common_factors: {
        factors: commonFactors.factors.map((f) => ({ predictor: f.predictor, family: f.family, ...analysisRecord(f, level) })),
        one_stage: oneStageRecord(
          commonFactors.oneStage,
          `ordinary least squares from the sites' summed cross-products (R: lm(improvement ~ ${commonFactors.oneStage.status === "estimated" ? commonFactors.oneStage.terms.slice(1).join(" + ") : "…"}) on all clients)`,
        ),
        one_stage_sites: [...commonFactors.oneStageSites],
        categorical: [...commonFactors.categorical],
      },
    })

    // forest plots (one per analysis), the summary and report.html
    yield* progress.phase("drawing the forest plots and writing the report")
    const k = first.settings.k
    const figures = [
      { name: "forest-primary", title: "Alliance–outcome correlation by site", spec: forestPlotOf(results.primary, level, "Alliance–outcome correlation by site, pooled from site summaries", { k }) },
      ...results.by_modality.map((m) => ({ name: `forest-modality-${slug(m.modality)}`, title: `Alliance–outcome correlation by site: ${m.modality}`, spec: forestPlotOf(m, level, `Alliance–outcome correlation by site: ${m.modality}`) })),
      ...results.common_factors.factors.map((f) => ({
        name: `forest-factor-${slug(f.predictor)}`,
        title: `Correlation of ${f.predictor} with improvement by site`,
        spec: forestPlotOf(f, level, `Correlation of ${f.predictor} with improvement by site`, { k, predictor: f.predictor }),
      })),
      ...results.multilevel.coefficients.map((c) => ({ name: `forest-${slug(c.coefficient)}`, title: c.label, spec: coefficientForestPlot(c, level) })),
    ]
    const svgs = yield* Effect.promise(() => Promise.all(figures.map((f) => renderSvg(f.spec))))
    const caption = "Squares: each site's estimate (area ∝ its random-effects weight) with its interval; diamond: the pooled estimate and its CI; dashed bar: the prediction interval for a new site."
    const files = [
      { path: "results.json", contents: stableJson(results) },
      { path: "summary.md", contents: poolSummaryMarkdown(results) },
      { path: "report.html", contents: renderPoolHtml(results, figures.map((f, i) => ({ name: f.name, title: f.title, svg: svgs[i]!, caption }))) },
      ...figures.flatMap((f, i) => [
        { path: `figures/${f.name}.vl.json`, contents: stableJson(f.spec) },
        { path: `figures/${f.name}.svg`, contents: svgs[i]! },
      ]),
    ]
    const manifest = {
      manifest_version: "1.0.0",
      kind: "pool",
      tool: { name: TOOL.name, version: TOOL.version },
      inputs: results.inputs,
      lockfile_sha256: yield* hashLockfile(TOOL.root),
      runtime: { node: process.version, platform: `${process.platform}-${process.arch}` },
      settings: { ...results.settings, pooling: results.pooling },
      outputs: files.map((f) => ({ path: f.path, ...hashString(f.contents) })),
    }
    yield* writer.write(out, [...files, { path: "manifest.json", contents: stableJson(manifest) }])

    const p = results.primary.pooled
    yield* progress.note(
      (p.status === "estimated"
        ? `pooled r(early alliance, improvement) = ${p.estimate.toFixed(3)} over ${p.k} sites (n = ${formatCount(p.n)})`
        : `pooled r not estimable (${p.reason})`) + `; report written to ${display(out)}`,
    )
    return results
  })
