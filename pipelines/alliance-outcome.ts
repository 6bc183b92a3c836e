/**
 * The primary alliance–outcome pipeline: how strongly does early working alliance predict
 * improvement, overall, by rater, by subscale, and across sites?
 *
 * Phases, in order (each a step below):
 *   load → validate → de-identification gate → derive (early alliance, change) → estimate →
 *   synthesise → multilevel models → common factors → clinical significance and process markers →
 *   chart → report → manifest
 *
 * Validation and the gate share one streaming pass over each file; the gate's verdict is given
 * before any data problem is printed, so that identifying values are never echoed. Nothing is
 * written unless every phase succeeds, and then the whole report folder appears at once.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import { Results } from "../data-schemas/results.ts"
import { assembleResults } from "../src/analysis/assemble.ts"
import { CLINICAL_PHASE } from "../src/analysis/clinical/record.ts"
import { familyColumns, resolveFamilies } from "../src/analysis/common-factors/families.ts"
import { COMMON_FACTORS_PHASE } from "../src/analysis/common-factors/record.ts"
import { definitions } from "../src/analysis/definitions.ts"
import { ANALYSED_COLUMNS, deriveClients } from "../src/analysis/derive-clients.ts"
import { type Descriptives, describeStudy } from "../src/analysis/descriptives.ts"
import { clientInputs } from "../src/analysis/multilevel/client-inputs.ts"
import { estimateWithinBetween, WITHIN_BETWEEN_PHASE } from "../src/analysis/multilevel/within-between.ts"
import { settingsFrom } from "../src/analysis/settings.ts"
import { clinicalStep, commonFactorsStep, correlationsStep, settingsFor, sitesStep, type StepData, type StepSettings } from "../src/analysis/steps.ts"
import { Progress } from "../src/cli/Progress.ts"
import { shownPath } from "../src/cli/messages.ts"
import { IdentifyingData, InvalidData, StudyFileError } from "../src/errors.ts"
import { readStudy } from "../src/ingest/read-study.ts"
import { secondOutcomeTotals } from "../src/ingest/second-outcome.ts"
import { startClientModels } from "../src/io/client-models.ts"
import { checkExpected, type CheckOptions, tolerancesFrom } from "../src/io/expected-results.ts"
import { hashLockfile, hashString } from "../src/io/hashing.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { cacheLines, StepRunner } from "../src/io/step-runner.ts"
import { loadStudy, type ReadableStudy, type Study } from "../src/io/study-loader.ts"
import { screenStudy } from "../src/privacy/deid-gate.ts"
import { controlDisclosure } from "../src/privacy/disclosure/control.ts"
import { buildManifest, type ManifestInput } from "../src/provenance/manifest.ts"
import { formatCount } from "../src/report/format.ts"
import { TOOL } from "../src/tool.ts"

export interface PipelineOptions {
  /** folder or study file */
  readonly study: string
  /** report folder; default reports/<study name> under the working directory */
  readonly out: string | null
  readonly poolingTest: "z" | "knha" | null
  /** disclosure control; null = the study file's privacy.mode */
  readonly privacy?: "standard" | "strict" | null
  /** --check FILE [--update-expected] */
  readonly check?: CheckOptions | null
  /** validate only: check the data and the gate, write nothing */
  readonly validateOnly: boolean
  /** the step cache's folder (src/io/step-cache.ts); null or absent: no cache, every step runs */
  readonly cache?: string | null
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n"

/** Reading a loaded study: validate (one streaming pass per file) → de-identification gate. */
export const readValidated = (study: ReadableStudy, display: (file: string) => string, keptColumns: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    // validate: one streaming pass per file (schemas, keys, referential integrity, profiles)
    yield* progress.phase("reading and validating clients and sessions")
    // Columns the analysis does not read are validated and profiled but not kept in memory.
    const kept = new Set(keptColumns)
    const ingest = yield* readStudy(study, display, (column) => ANALYSED_COLUMNS.has(column) || kept.has(column))

    // de-identification gate, judged before any problem (and so any cell value) is printed
    yield* progress.phase("checking for identifying columns")
    const gate = screenStudy(
      ingest.profiles.map((p) => ({ file: p.file, column: p.column, values: p.values, firstLine: p.lines })),
      study.config.deidentification.allow,
    )
    if (gate.findings.length > 0) return yield* new IdentifyingData({ findings: gate.findings })
    if (ingest.totalProblems > 0 || ingest.data === null) {
      return yield* new InvalidData({ problems: ingest.problems, total: ingest.totalProblems })
    }
    // the second outcome's totals (GAD-7 beside PHQ-9): scored from items, or two columns checked here
    const second = secondOutcomeTotals(study.instruments, study.config.instruments.second_outcome, ingest.items, ingest.data.clients, display(study.files.clients))
    if (second.problems.length > 0) return yield* new InvalidData({ problems: second.problems.slice(0, 100), total: second.problems.length })
    return { data: ingest.data, profiles: ingest.profiles, inputs: ingest.inputs, items: ingest.items, secondOutcome: second.totals, overridden: gate.overridden }
  })

/** Loading a study: the study file, its settings and data files, and the display name of a file. */
const loaded = (target: string) =>
  Effect.gen(function* () {
    const path = yield* Path.Path
    yield* (yield* Progress).phase(`loading the study at ${target}`)
    const study: Study = yield* loadStudy(target)
    const display = (file: string) => path.relative(study.root, file).split(path.sep).join("/")
    return { study, display }
  })

/** load → validate → de-identification gate (for notebooks and tests; `run` and `validate` go step by step). */
export const loadValidated = (target: string) =>
  Effect.gen(function* () {
    const { study, display } = yield* loaded(target)
    return { study, display, ...(yield* readValidated(study, display, familyColumns(study.config.common_factors))) }
  })

/** What the `read` step leaves for the report: aggregates only (the data are not cached). */
interface ReadProduct {
  readonly inputs: ManifestInput["inputs"]
  readonly descriptives: Descriptives
  readonly extraColumns: ReadonlyArray<string>
}

/** The multilevel models: the client-level ones on a worker thread while the session-level one runs here. */
const multilevelStep = (d: StepData, s: StepSettings<"multilevel">) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const clientModels = startClientModels(clientInputs(d.data, d.derived), s)
    yield* progress.phase(WITHIN_BETWEEN_PHASE) // its own phase, so that the benchmark can time it
    const withinBetween = estimateWithinBetween(d.data, s)
    yield* progress.phase("estimating therapist effects and the alliance decomposition")
    return { ...(yield* Effect.promise(() => clientModels)).models, within_between: withinBetween }
  })

export const runAllianceOutcome = (options: PipelineOptions) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem
    const { study, display } = yield* loaded(options.study)
    const settings = settingsFrom(study.config, { poolingTest: options.poolingTest, privacy: options.privacy ?? null })
    const keptColumns = familyColumns(settings.commonFactors)

    // read → derive, and the common-factor families checked against the study before the long work
    const readAndDerive = () =>
      Effect.gen(function* () {
        const read = yield* readValidated(study, display, keptColumns)
        yield* progress.phase("deriving early alliance and improvement")
        const derived = deriveClients(read.data, settingsFor("derive", settings))
        const families = resolveFamilies(read.data, derived, settingsFor("commonFactors", settings).commonFactors)
        if (families.problems.length > 0) return yield* new StudyFileError({ path: study.studyFile ?? study.root, problems: families.problems })
        const second = study.config.instruments.second_outcome
        const notExtra = new Set([...keptColumns, second?.baseline_column, second?.outcome_column])
        // built only when the read step runs (validate has no use for it)
        const product = (): ReadProduct => ({
          inputs: read.inputs,
          descriptives: describeStudy(read.data, read.profiles),
          extraColumns: [...read.data.clients.extras.keys()].filter((c) => !notExtra.has(c)),
        })
        const stepData: StepData = { data: read.data, derived, plan: study.instruments, items: read.items, secondOutcome: read.secondOutcome }
        return { read, derived, families, product, stepData }
      })

    if (options.validateOnly) {
      const { read } = yield* readAndDerive()
      yield* progress.note(
        `valid: ${display(study.files.clients)} (${formatCount(read.data.clients.n)} clients), ` +
          `${display(study.files.sessions)} (${formatCount(read.data.sessions.n)} sessions); de-identification gate passed`,
      )
      return
    }
    const writer = yield* ReportWriter
    const out = path.resolve(options.out ?? path.join("reports", study.name))
    yield* writer.checkReplaceable(out) // fail fast, before the analysis

    // the step cache: what an earlier run with the same data, settings and code computed is reused
    const steps = yield* StepRunner.open(options.cache ?? null, study, settings, display, keptColumns)
    let fresh = steps.needsData() ? yield* readAndDerive() : null
    if (fresh !== null) steps.confirmInputs(fresh.read.inputs)
    const readProduct = yield* steps.run("read", () => Effect.sync(fresh!.product))
    const d = () => fresh!.stepData
    const correlations = yield* steps.run("correlations", (s) => progress.phase("estimating correlations").pipe(Effect.map(() => correlationsStep(d(), s))))
    const sites = yield* steps.run("sites", (s) => progress.phase("pooling sites (random-effects meta-analysis)").pipe(Effect.map(() => sitesStep(d(), s))))
    const multilevel = yield* steps.run("multilevel", (s) => multilevelStep(d(), s))
    const commonFactors = yield* steps.run("commonFactors", (s) => progress.phase(COMMON_FACTORS_PHASE).pipe(Effect.map(() => commonFactorsStep(d(), fresh!.families, s))))
    const clinical = yield* steps.run("clinical", (s) => progress.phase(CLINICAL_PHASE).pipe(Effect.map(() => clinicalStep(d(), s))))
    fresh = null // the data are not needed past here: let them go before the report is drawn (a million clients' columns)

    // disclosure control: small counts suppressed, with the differencing audit (src/privacy/disclosure/)
    const results = Results.parse(
      controlDisclosure(assembleResults({
        tool: TOOL,
        study: { name: study.name, title: study.config.title ?? null },
        settings,
        definitions: definitions(settings),
        descriptives: readProduct.descriptives,
        funnel: correlations.funnel,
        primary: correlations.primary,
        byRater: correlations.byRater,
        bySubscale: correlations.bySubscale,
        sites,
        multilevel,
        commonFactors,
        clinical,
        bins: correlations.bins,
        extraColumns: readProduct.extraColumns,
      }), settings.privacy),
    )

    // chart + report: figures (Vega-Lite and SVG), report.html, summary.md, tidy tables
    const resultsJson = json(results)
    // (loaded only when drawn: Vega and its kin take a second and a half to load, a re-run need not)
    const draw = Effect.promise(() => import("../src/report/render-report.ts").then(({ renderReport }) => renderReport(results)))
    const rendered = yield* steps.render(resultsJson, progress.phase("drawing charts and writing the report").pipe(Effect.andThen(draw)))
    const files = [{ path: "results.json", contents: resultsJson }, ...rendered]

    // manifest: inputs (hashed while they were read), settings, runtime and a hash of every output
    const studyFileText = study.studyFile ? yield* fs.readFileString(study.studyFile).pipe(Effect.orDie) : null
    const lockfileSha256 = yield* hashLockfile(TOOL.root)
    const manifest = buildManifest({
      tool: { name: TOOL.name, version: TOOL.version },
      study: {
        name: study.name,
        studyFile: study.studyFile ? display(study.studyFile) : null,
        studyFileSha256: studyFileText === null ? null : hashString(studyFileText).sha256,
      },
      inputs: readProduct.inputs,
      lockfileSha256,
      runtime: { node: process.version, platform: `${process.platform}-${process.arch}` },
      config: study.config,
      settings,
      outputs: files.map((f) => ({ path: f.path, ...hashString(f.contents) })),
      warnings: results.warnings,
    })

    yield* writer.write(out, [...files, { path: "manifest.json", contents: json(manifest) }])

    const r = results.primary.pearson
    const where = shownPath(out)
    yield* progress.note(
      r.status === "estimated"
        ? `${study.name}: r(early alliance, improvement) = ${r.estimate.toFixed(3)}, n = ${formatCount(r.n)}; report written to ${where}`
        : `${study.name}: primary correlation not estimable (${r.reason}); report written to ${where}`,
    )
    const cache = steps.outcome()
    for (const line of cacheLines(cache, shownPath)) yield* progress.note(line)
    // check mode: every quantity against the expected results.json (exit 5 on drift)
    const compared = options.check ? yield* checkExpected(options.check, resultsJson, tolerancesFrom(study.config.check), where) : null
    const summary = rendered.find((f) => f.path === "summary.md")?.contents ?? null
    return { results, out, summary, cache, check: options.check && compared !== null ? { expected: options.check.expected, quantities: compared } : null }
  })
