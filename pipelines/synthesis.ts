/**
 * The evidence-synthesis pipeline (`synthesize`): a meta-analysis of published or site-level
 * effect sizes in a studies file.
 *
 * Phases, in order:
 *   load (studies.csv, study file or folder) → validate (every row, every rule) → settings →
 *   synthesise (two-level, moderators, small-study, sensitivity, three-level) → chart → report →
 *   manifest
 *
 * Nothing is written unless every phase succeeds, and then the whole report folder appears at
 * once (ReportWriter writes to a temporary folder and renames it).
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import { SynthesisResults } from "../data-schemas/synthesis-results.ts"
import type { SynthesisMethod } from "../data-schemas/study-file.ts"
import { synthesisSettingsFrom } from "../src/analysis/synthesis/settings.ts"
import { synthesize } from "../src/analysis/synthesis/synthesize.ts"
import { Progress } from "../src/cli/Progress.ts"
import { shownPath } from "../src/cli/messages.ts"
import { FileSystemError, InvalidData, StudyFileError } from "../src/errors.ts"
import { parseStudies } from "../src/ingest/read-studies.ts"
import { hashFile, hashLockfile, hashString } from "../src/io/hashing.ts"
import { ReportWriter } from "../src/io/ReportWriter.ts"
import { loadSynthesisStudy } from "../src/io/synthesis-loader.ts"
import { formatCount } from "../src/report/format.ts"
import { stableJson } from "../src/report/render-report.ts"
import { renderSynthesisReport } from "../src/report/synthesis/render.ts"
import { TOOL } from "../src/tool.ts"

export interface SynthesisOptions {
  /** studies.csv, a study file or a folder */
  readonly study: string
  /** report folder; default reports/<study name> under the working directory */
  readonly out: string | null
  readonly method: SynthesisMethod | null
  readonly poolingTest: "z" | "knha" | null
}

export const runSynthesis = (options: SynthesisOptions) =>
  Effect.gen(function* () {
    const progress = yield* Progress
    const path = yield* Path.Path
    const fs = yield* FileSystem.FileSystem

    // load
    yield* progress.phase(`loading the studies at ${options.study}`)
    const study = yield* loadSynthesisStudy(options.study)
    const display = (file: string) => path.relative(study.root, file).split(path.sep).join("/")
    const writer = yield* ReportWriter
    const out = path.resolve(options.out ?? path.join("reports", study.name))
    yield* writer.checkReplaceable(out) // fail fast, before the analysis

    // validate: every row against every rule, all problems reported at once
    yield* progress.phase("reading and validating the studies file")
    const text = yield* fs
      .readFileString(study.studies)
      .pipe(Effect.mapError((e) => new FileSystemError({ path: study.studies, message: e.message })))
    const file = parseStudies(text, display(study.studies), new Set(study.config.missing_values))
    if (file.totalProblems > 0) return yield* new InvalidData({ problems: file.problems, total: file.totalProblems })

    // settings: the study file's synthesis section, the command line, the moderators
    const resolved = synthesisSettingsFrom(study.config, file, { method: options.method, test: options.poolingTest })
    if ("problems" in resolved) {
      return yield* new StudyFileError({
        path: study.studyFile ?? study.studies,
        problems: resolved.problems.map((p) => `${p.setting}: ${p.message}`),
      })
    }
    const settings = resolved.settings

    // synthesise
    yield* progress.phase(`pooling ${formatCount(file.effects.length)} effects`)
    const results = SynthesisResults.parse(
      synthesize({
        tool: TOOL,
        study: { name: study.name, title: study.config.title ?? null, file: display(study.studies) },
        effects: file.effects,
        settings,
      }),
    )

    // chart + report
    yield* progress.phase("drawing charts and writing the report")
    const rendered = yield* Effect.promise(() => renderSynthesisReport(results))
    const files = [{ path: "results.json", contents: stableJson(results) }, ...rendered]

    // manifest: the input's hash, settings, runtime and a hash of every output
    const studyFileText = study.studyFile ? yield* fs.readFileString(study.studyFile).pipe(Effect.orDie) : null
    const lockfileSha256 = yield* hashLockfile(TOOL.root)
    const manifest = {
      manifest_version: "1.0.0",
      kind: "synthesis",
      tool: { name: TOOL.name, version: TOOL.version },
      study: {
        name: study.name,
        study_file: study.studyFile ? display(study.studyFile) : null,
        study_file_sha256: studyFileText === null ? null : hashString(studyFileText).sha256,
      },
      inputs: [{ file: display(study.studies), ...(yield* hashFile(study.studies)), rows: file.effects.length }],
      lockfile_sha256: lockfileSha256,
      runtime: { node: process.version, platform: `${process.platform}-${process.arch}` },
      seed: null,
      study_config: study.config,
      settings: results.settings,
      outputs: files.map((f) => ({ path: f.path, ...hashString(f.contents) })),
    }
    yield* writer.write(out, [...files, { path: "manifest.json", contents: stableJson(manifest) }])

    const where = shownPath(out)
    const m = results.three_level?.model.status === "estimated" ? results.three_level.model : results.model
    const headline =
      m.status === "estimated"
        ? `${results.settings.effect === "correlation" ? `r = ${Math.tanh(m.estimate).toFixed(3)}` : `estimate = ${m.estimate.toFixed(3)}`} (${results.three_level?.model.status === "estimated" ? "three-level" : "random effects"}, k = ${formatCount(results.data.k)})`
        : `pooled estimate not estimable (${m.reason})`
    yield* progress.note(`${study.name}: ${headline}; report written to ${where}`)
    return results
  })
