/**
 * manifest.json: what went into a run, enough to reproduce it byte for byte — input file hashes,
 * the study file and its hash, the package version, the lockfile hash, the runtime, the seed
 * (of the common-factor bootstrap, the only randomness of a run) and the settings actually used — plus the hash
 * of every file the run wrote. Paths are relative (to the study folder, or the report folder), so
 * the manifest does not depend on where the study lives; there is no timestamp, so the same
 * inputs give the same bytes. 1.1.0: the run's warnings, and where its timings are (beside the
 * report folder, as `<folder>.timings.json`, not hashed).
 */
import type { StudyConfig } from "../../data-schemas/study-file.ts"
import type { AnalysisSettings } from "../analysis/settings.ts"

export const MANIFEST_VERSION = "1.1.0"

export interface ManifestInput {
  readonly tool: { readonly name: string; readonly version: string }
  readonly study: { readonly name: string; readonly studyFile: string | null; readonly studyFileSha256: string | null }
  readonly inputs: ReadonlyArray<{
    readonly file: string
    readonly sha256: string
    readonly bytes: number
    readonly rows: number
    /** how the file was written, as detected (or set in the study file) */
    readonly dialect?: { readonly encoding: string; readonly bom: boolean; readonly delimiter: string; readonly decimal: string; readonly lineEnding: string }
  }>
  readonly lockfileSha256: string | null
  readonly runtime: { readonly node: string; readonly platform: string }
  readonly config: StudyConfig
  readonly settings: AnalysisSettings
  readonly outputs: ReadonlyArray<{ readonly path: string; readonly sha256: string; readonly bytes: number }>
  /** the run's warnings (as in results.json) */
  readonly warnings: ReadonlyArray<{ readonly code: string; readonly message: string }>
}

export const buildManifest = (m: ManifestInput) => ({
  manifest_version: MANIFEST_VERSION,
  tool: m.tool,
  study: { name: m.study.name, study_file: m.study.studyFile, study_file_sha256: m.study.studyFileSha256 },
  inputs: m.inputs.map(({ dialect, ...input }) => ({
    ...input,
    ...(dialect === undefined
      ? {}
      : {
          dialect: {
            encoding: dialect.encoding,
            bom: dialect.bom,
            delimiter: dialect.delimiter === "\t" ? "tab" : dialect.delimiter,
            decimal: dialect.decimal,
            line_ending: dialect.lineEnding,
          },
        }),
  })),
  lockfile_sha256: m.lockfileSha256,
  runtime: m.runtime,
  seed: m.settings.commonFactors.bootstrap.seed,
  study_config: m.config,
  settings: {
    early_window: m.settings.earlyWindow,
    ci_level: m.settings.level,
    outcome: m.settings.outcome,
    alliance: m.settings.alliance,
    pooling: { method: m.settings.poolingMethod, test: m.settings.poolingTest, min_site_n: m.settings.minSiteN },
    min_cell: m.settings.minCell,
    privacy: m.settings.privacy,
    within_between_therapist_intercept: m.settings.withinBetweenTherapistIntercept,
    common_factors: m.settings.commonFactors,
  },
  warnings: m.warnings,
  timings: "per-phase timings depend on the machine, so they are written beside the report folder as <folder name>.timings.json, not among the outputs hashed here",
  outputs: m.outputs,
})
