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
import { factorDesign, familyColumns, resolveFamilies } from "../src/analysis/common-factors/families.ts"
import { COMMON_FACTORS_PHASE, estimateCommonFactors } from "../src/analysis/common-factors/record.ts"
import { CLINICAL_PHASE, clinicalResults } from "../src/analysis/clinical/record.ts"
import { secondOutcomeTotals } from "../src/ingest/second-outcome.ts"
import { definitions } from "../src/analysis/definitions.ts"
import { ANALYSED_COLUMNS, deriveClients } from "../src/analysis/derive-clients.ts"
import { describeStudy } from "../src/analysis/descriptives.ts"
import { clientInputs } from "../src/analysis/multilevel/client-inputs.ts"
import { estimateWithinBetween, WITHIN_BETWEEN_PHASE } from "../src/analysis/multilevel/within-between.ts"
import { estimatePrimary } from "../src/analysis/primary.ts"
import { estimateByRater, estimateBySubscale } from "../src/analysis/secondary.ts"
import { settingsFrom } from "../src/analysis/settings.ts"
import { synthesiseSites } from "../src/analysis/sites.ts"
import { Progress } from "../src/cli/Progress.ts"
import { allianceBins } from "../src/derive/bins.ts"
import { IdentifyingData, InvalidData, StudyFileError } from "../src/errors.ts"
import { readStudy } from "../src/ingest/read-study.ts"
import { hashLockfile, hashString } from "../src/io/hashing.ts"
import { startClientModels } from "../src/io/client-models.ts"
import { checkExpected, type CheckOptions, tolerancesFrom } from "../src/io/expected-results.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { loadStudy, type Study } from "../src/io/study-loader.ts"
import { screenStudy } from "../src/privacy/deid-gate.ts"
import { controlDisclosure } from "../src/privacy/disclosure/control.ts"
import { buildManifest } from "../src/provenance/manifest.ts"
import { renderReport } from "../src/report/render-report.ts"
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
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + "\n"

/** load → validate → de-identification gate. Shared by `run` and `validate`. */
export const loadValidated = (target: string) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const path = yield* Path.Path

    // load
    yield* progress.phase(`loading the study at ${target}`)
    const study: Study = yield* loadStudy(target)

    // validate: one streaming pass per file (schemas, keys, referential integrity, profiles)
    yield* progress.phase("reading and validating clients and sessions")
    const display = (file: string) => path.relative(study.root, file).split(path.sep).join("/")
    // Columns the analysis does not read are validated and profiled but not kept in memory.
    const familyColumnsKept = new Set(familyColumns(study.config.common_factors))
    const ingest = yield* readStudy(study, display, (column) => ANALYSED_COLUMNS.has(column) || familyColumnsKept.has(column))

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
    return {
      study,
      data: ingest.data,
      profiles: ingest.profiles,
      inputs: ingest.inputs,
      items: ingest.items,
      secondOutcome: second.totals,
      overridden: gate.overridden,
      display,
    }
  })

export const runAllianceOutcome = (options: PipelineOptions) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem
    const { study, data, profiles, inputs, items, secondOutcome, display } = yield* loadValidated(options.study)

    const settings = settingsFrom(study.config, { poolingTest: options.poolingTest, privacy: options.privacy ?? null })

    // derive: early alliance per rater and subscale, improvement, the analysed sample
    yield* progress.phase("deriving early alliance and improvement")
    const derived = deriveClients(data, settings)
    // the study file's common-factor families, checked against the study (validation too) before the long work
    const families = resolveFamilies(data, derived, settings.commonFactors)
    if (families.problems.length > 0) return yield* new StudyFileError({ path: study.studyFile ?? study.root, problems: families.problems })

    if (options.validateOnly) {
      yield* progress.note(
        `valid: ${display(study.files.clients)} (${formatCount(data.clients.n)} clients), ` +
          `${display(study.files.sessions)} (${formatCount(data.sessions.n)} sessions); de-identification gate passed`,
      )
      return
    }
    const writer = yield* ReportWriter
    const out = path.resolve(options.out ?? path.join("reports", study.name))
    yield* writer.checkReplaceable(out) // fail fast, before the analysis

    // estimate: primary correlations, then by rater and by subscale
    yield* progress.phase("estimating correlations")
    const primary = estimatePrimary(derived, settings)
    const byRater = estimateByRater(derived, settings, primary.pearson) // the client rater's r is the primary r
    const bySubscale = estimateBySubscale(derived, settings)

    // synthesise: per-site r pooled by random-effects meta-analysis
    yield* progress.phase("pooling sites (random-effects meta-analysis)")
    const sites = synthesiseSites(data.clients.site, derived, settings)

    // multilevel: the client-level models (therapist effects, the alliance decomposition) start on
    // a worker thread, the session-level within/between model runs here meanwhile (its own phase,
    // so that the benchmark can time it), then the client-level models are collected
    const clientModels = startClientModels(clientInputs(data, derived), settings)
    yield* progress.phase(WITHIN_BETWEEN_PHASE)
    const withinBetween = estimateWithinBetween(data, settings)
    yield* progress.phase("estimating therapist effects and the alliance decomposition")
    const multilevel = { ...(yield* Effect.promise(() => clientModels)).models, within_between: withinBetween }

    // common factors: the families' shares of the outcome variance, the therapist share, the rest
    yield* progress.phase(COMMON_FACTORS_PHASE)
    const therapist = { codes: data.clients.therapist.codes, count: data.clients.therapist.levels.length }
    const commonFactors = estimateCommonFactors(factorDesign(families, derived, settings.commonFactors.outcome, therapist), therapist, settings)

    // clinical: instruments, reliability, clinical categories, ruptures and repairs, sudden gains
    yield* progress.phase(CLINICAL_PHASE)
    const clinical = clinicalResults({
      data,
      derived,
      settings,
      plan: study.instruments,
      items,
      secondOutcome,
    })

    // over all clients: allianceBins keeps those with both values, exactly the analysed clients it
    // would keep of the analysed sample (see estimateByRater), in the same order
    const bins = allianceBins(
      derived.early.get("alliance") ?? new Float64Array(derived.improvement.length).fill(Number.NaN),
      derived.improvement,
      settings.alliance.range,
      { minCell: settings.minCell, level: settings.level },
    )
    const familyColumnsUsed = new Set(familyColumns(settings.commonFactors))
    const second = study.config.instruments.second_outcome
    const secondOutcomeColumns = new Set([second?.baseline_column, second?.outcome_column].filter((c) => c !== undefined))
    // disclosure control: small counts suppressed, with the differencing audit (src/privacy/disclosure/)
    const results = Results.parse(
      controlDisclosure(assembleResults({
        tool: TOOL,
        study: { name: study.name, title: study.config.title ?? null },
        settings,
        definitions: definitions(settings),
        descriptives: describeStudy(data, profiles),
        funnel: derived.funnel,
        primary,
        byRater,
        bySubscale,
        sites,
        multilevel,
        commonFactors,
        clinical,
        bins,
        extraColumns: [...data.clients.extras.keys()].filter((c) => !familyColumnsUsed.has(c) && !secondOutcomeColumns.has(c)),
      }), settings.privacy),
    )

    // chart + report: figures (Vega-Lite and SVG), report.html, summary.md, tidy tables
    yield* progress.phase("drawing charts and writing the report")
    const rendered = yield* Effect.promise(() => renderReport(results))
    const resultsJson = json(results)
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
      inputs,
      lockfileSha256,
      runtime: { node: process.version, platform: `${process.platform}-${process.arch}` },
      config: study.config,
      settings,
      outputs: files.map((f) => ({ path: f.path, ...hashString(f.contents) })),
      warnings: results.warnings,
    })

    yield* writer.write(out, [...files, { path: "manifest.json", contents: json(manifest) }])

    const r = results.primary.pearson
    const relative = path.relative(process.cwd(), out)
    const where = relative === "" ? "." : relative.startsWith("..") ? out : relative
    yield* progress.note(
      r.status === "estimated"
        ? `${study.name}: r(early alliance, improvement) = ${r.estimate.toFixed(3)}, n = ${formatCount(r.n)}; report written to ${where}`
        : `${study.name}: primary correlation not estimable (${r.reason}); report written to ${where}`,
    )
    // check mode: every quantity against the expected results.json (exit 5 on drift)
    const compared = options.check ? yield* checkExpected(options.check, resultsJson, tolerancesFrom(study.config.check), where) : null
    const summary = rendered.find((f) => f.path === "summary.md")?.contents ?? null
    return { results, out, summary, check: options.check && compared !== null ? { expected: options.check.expected, quantities: compared } : null }
  })
