/**
 * Multi-site studies without sharing client data (issue 10): two-stage pooling, step by step.
 *
 * Run it:  npx tsx notebooks/02-multi-site.ts
 * Cells are marked `// %%` as in 01-quickstart.ts; the test suite runs this file top to bottom.
 *
 * The command line does this across machines — `summarize` at each site, `pool` at the
 * coordinator (README, "Multi-site studies"). Here the bundled example's 8 sites stand in for the
 * consortium, in one process, to show what travels and why the pooled numbers are exact.
 */

// %% 1. Load the example and derive early alliance and improvement (as in 01-quickstart.ts)
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { loadValidated } from "../pipelines/alliance-outcome.ts"
import { EXAMPLE_STUDY } from "../pipelines/run.ts"
import { deriveClients } from "../src/analysis/derive-clients.ts"
import { settingsFrom } from "../src/analysis/settings.ts"
import { summariseSite } from "../src/analysis/site-summary/build.ts"
import { oneStageRegression, sumCrossProducts } from "../src/analysis/site-summary/one-stage.ts"
import { compareSiteLabels, synthesiseSites } from "../src/analysis/sites.ts"
import { Progress } from "../src/cli/Progress.ts"
import { CsvSource } from "../src/io/CsvSource.ts"
import { rmaUni } from "../src/stats/meta-analysis/rma-uni.ts"

const services = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, CsvSource.layer, Progress.silent)
const { study, data } = await Effect.runPromise(loadValidated(EXAMPLE_STUDY).pipe(Effect.provide(services)))
const settings = settingsFrom(study.config, { poolingTest: null })
const derived = deriveClients(data, settings)
const site = data.clients.site!

// %% 2. Stage 1, at each site: only aggregates leave it
// A site's summary holds its r with Fisher z and variance, and the 4 × 4 sums of squares and
// cross-products of (1, early alliance, baseline, improvement) — no row, no minimum or maximum,
// nothing of fewer than k clients (summariseSite applies the disclosure rules).
const byLabel = [...site.levels.keys()].sort((a, b) => compareSiteLabels(site.levels[a]!, site.levels[b]!))
const summaries = byLabel.map((code) => {
  const label = site.levels[code]!
  const analysed = derived.analysed.filter((row) => site.codes[row] === code)
  const parts = summariseSite({ ...derived, analysed }, data.clients.therapist, data.clients.categories.get("modality") ?? null, { k: settings.privacy.k, level: settings.level })
  console.log(`${label}: n = ${parts.counts?.clients}, r = ${parts.primary?.r.toFixed(3)}, withheld: ${parts.withheld.map((w) => w.what).join("; ") || "nothing"}`)
  return { label, parts }
})

// %% 3. Stage 2, at the coordinator: random effects on Fisher z (REML; the example's study file asks for the z test)
const shared = summaries.flatMap((s) => (s.parts.primary === null ? [] : [s.parts.primary]))
const twoStage = rmaUni(shared.map((p) => p.yi), shared.map((p) => p.vi), { method: "REML", test: "z" })
const oneProcess = synthesiseSites(site, derived, settings)?.pooled
if (twoStage.status === "estimated" && oneProcess?.status === "estimated") {
  console.log(`two-stage pooled r = ${Math.tanh(twoStage.estimate).toFixed(4)}, tau² = ${twoStage.tau2.toFixed(5)}`)
  console.log(`one process, all rows: pooled r = ${Math.tanh(oneProcess.estimate).toFixed(4)}; difference ${Math.abs(twoStage.estimate - oneProcess.estimate).toExponential(1)}`)
}

// %% 4. One stage, from the summed cross-products: exactly the regression on every site's clients
// improvement ~ early alliance + baseline, as R's lm() on the concatenated data (one intercept, one slope each)
const tables = summaries.flatMap((s) => (s.parts.crossProducts === null ? [] : [s.parts.crossProducts]))
const one = oneStageRegression(sumCrossProducts(tables), settings.level)
if (one.status === "estimated") {
  one.terms.forEach((term, i) => console.log(`  ${term}: b = ${one.estimate[i]!.toFixed(4)}, SE ${one.se[i]!.toFixed(4)}`))
  console.log(`one-stage n = ${one.n}, R² = ${one.rSquared.toFixed(4)}`)
}
