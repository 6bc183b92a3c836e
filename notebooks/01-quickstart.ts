/**
 * Quickstart: the alliance–outcome library, step by step, on the bundled example study.
 *
 * Run it:  npx tsx notebooks/01-quickstart.ts
 * Cells are marked `// %%` (VS Code / Jupytext "percent" format), so editors that understand them
 * can run one cell at a time. The test suite runs this file top to bottom, so it cannot rot.
 *
 * The command line (`npx tsx pipelines/run.ts`) does all of this and writes a report; here we call
 * the same pieces directly: the Effect shell to load and validate, then the pure estimators.
 */

// %% 1. Load and validate the example study with the Effect shell
// loadValidated streams both CSVs, validates every row against the data contract, and runs the
// de-identification gate; it fails with a tagged error (InvalidData, IdentifyingData, ...) otherwise.
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { loadValidated } from "../pipelines/alliance-outcome.ts"
import { EXAMPLE_STUDY } from "../pipelines/run.ts"
import { deriveClients } from "../src/analysis/derive-clients.ts"
import { settingsFrom } from "../src/analysis/settings.ts"
import { synthesiseSites } from "../src/analysis/sites.ts"
import { Progress } from "../src/cli/Progress.ts"
import { take } from "../src/derive/select.ts"
import { CsvSource } from "../src/io/CsvSource.ts"
import { partialCorrelationTest } from "../src/stats/correlation/partial-correlation.ts"
import { pearsonTest } from "../src/stats/correlation/pearson.ts"
import { spearmanTest } from "../src/stats/correlation/spearman.ts"
import { escalcZcor } from "../src/stats/meta-analysis/escalc-zcor.ts"
import { rmaUni } from "../src/stats/meta-analysis/rma-uni.ts"
import { summarise } from "../src/stats/mixed-models/design.ts"
import { fitMixedModel } from "../src/stats/mixed-models/lmm.ts"
import { iccProfileInterval } from "../src/stats/mixed-models/profile.ts"

const services = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, CsvSource.layer, Progress.silent)
const { study, data } = await Effect.runPromise(loadValidated(EXAMPLE_STUDY).pipe(Effect.provide(services)))
console.log(`study "${study.name}": ${data.clients.n} clients, ${data.sessions.n} sessions`)

// %% 2. Derive early alliance (mean of sessions 1–3) and improvement (baseline − outcome on PHQ-9)
const settings = settingsFrom(study.config, { poolingTest: null })
const derived = deriveClients(data, settings)
for (const step of derived.funnel) console.log(`excluded ${step.excluded} (${step.step}); ${step.remaining} remain`)

const rows = derived.analysed
const alliance = take(derived.early.get("alliance")!, rows)
const improvement = take(derived.improvement, rows)
const baseline = take(derived.baseline, rows)
const outcome = take(derived.outcome, rows)

// %% 3. The primary correlation, as R's cor.test(alliance, improvement)
const r = pearsonTest(alliance, improvement)
if (r.status === "estimated") {
  console.log(`Pearson r = ${r.estimate.toFixed(4)}, 95% CI [${r.ci.map((x) => x.toFixed(4)).join(", ")}], t(${r.df}) = ${r.statistic.toFixed(2)}, p = ${r.p.toExponential(2)}`)
}

// %% 4. Spearman's rho and the partial correlation with outcome, controlling for baseline
const rho = spearmanTest(alliance, improvement)
const partial = partialCorrelationTest(alliance, outcome, baseline)
if (rho.status === "estimated") console.log(`Spearman rho = ${rho.estimate.toFixed(4)}`)
// PHQ-9 is lower-is-better, so a negative partial r means stronger alliance → better end scores.
if (partial.status === "estimated") console.log(`partial r(alliance, outcome | baseline) = ${partial.estimate.toFixed(4)}`)

// %% 5. Sites: per-site r, pooled by random-effects meta-analysis (metafor::rma.uni, REML)
const sites = synthesiseSites(data.clients.site, derived, settings)
for (const site of sites?.sites ?? []) {
  if (site.correlation.status === "estimated") console.log(`  ${site.site}: r = ${site.correlation.estimate.toFixed(3)} (n = ${site.n})`)
}
const pooled = sites?.pooled
if (pooled?.status === "estimated") {
  console.log(`pooled r = ${Math.tanh(pooled.estimate).toFixed(4)}, tau² = ${pooled.tau2.toFixed(5)}, I² = ${pooled.i2.toFixed(1)}%`)
}

// %% 6. The same pooling by hand, with the Knapp–Hartung adjustment (metafor: test = "knha")
const included = (sites?.sites ?? []).filter((s) => s.excludedBecause === null && s.correlation.status === "estimated")
const effects = included.map((s) => escalcZcor(s.correlation.status === "estimated" ? s.correlation.estimate : 0, s.n))
const knha = rmaUni(effects.map((e) => e.yi), effects.map((e) => e.vi), { method: "REML", test: "knha" })
if (knha.status === "estimated") {
  console.log(`Knapp–Hartung: 95% CI for r [${knha.ci.map((z) => Math.tanh(z).toFixed(4)).join(", ")}] on t(${knha.df})`)
}

// %% 7. Therapist effects: a random-intercept model, as lme4::lmer(improvement ~ baseline + (1 | therapist))
const therapist = { name: "therapist", codes: Int32Array.from(rows, (i) => data.clients.therapist.codes[i]!), levels: data.clients.therapist.levels.length }
const summary = summarise({ y: improvement, columns: [baseline], names: ["(Intercept)", "baseline"], factors: [therapist] })
const fit = fitMixedModel(summary)
if (fit.status === "estimated") {
  const tau2 = fit.components[0]!.variances[0]!
  const [low, high] = iccProfileInterval(summary, fit)
  console.log(`therapist variance ${tau2.toFixed(3)}, residual ${fit.residualVariance.toFixed(3)}; ICC = ${(tau2 / (tau2 + fit.residualVariance)).toFixed(4)} [${low.toFixed(4)}, ${high.toFixed(4)}]`)
  const b = fit.coefficients[1]!
  console.log(`baseline: b = ${b.estimate.toFixed(4)}, SE ${b.se.toFixed(4)}, t(${b.df.toFixed(1)}) = ${b.statistic.toFixed(2)} (Satterthwaite df, as lmerTest)`)
}
