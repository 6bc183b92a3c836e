/**
 * What each cached step's key is made of (src/io/step-cache.ts), as named components so that a
 * re-run can say what changed:
 *
 * - **the code**: every file under src/, pipelines/ and data-schemas/, with package.json,
 *   package-lock.json (which pins every dependency) and tsconfig.json. A change to one of them
 *   re-runs every step: coarse, but no change to the code can leave a stale product behind.
 * - **the runtime**: the Node version, platform and architecture.
 * - **the data**: the SHA-256 of each input file's contents (not its date or size), under the
 *   name the report gives it.
 * - **the study file's sections that reading the data sees** (all but those `ReadConfig` in
 *   src/io/study-loader.ts leaves out, and the rupture rule of `instruments`, a setting of the
 *   clinical step), and the common-factor predictor columns, which reading keeps in memory.
 * - **the step's settings** (src/analysis/steps.ts), named as the study file names them.
 */
import { createHash } from "node:crypto"
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import type { StudyConfig } from "../../data-schemas/study-file.ts"
import { SETTING_SOURCES } from "../analysis/steps.ts"
import type { AnalysisSettings } from "../analysis/settings.ts"
import type { ReadConfig } from "../io/study-loader.ts"
import type { Components } from "../io/step-cache.ts"

const sha256 = (data: string | Buffer): string => createHash("sha256").update(data).digest("hex")

/** The folders and files whose contents are "the code". */
const CODE = ["src", "pipelines", "data-schemas", "package.json", "package-lock.json", "tsconfig.json"] as const

const codeFiles = (root: string): string[] => {
  const walk = (relative: string): string[] => {
    const absolute = join(root, relative)
    if (!existsSync(absolute)) return []
    if (!statSync(absolute).isDirectory()) return [relative]
    return readdirSync(absolute).sort().flatMap((name) => walk(`${relative}/${name}`))
  }
  return CODE.flatMap((entry) => walk(entry))
}

const codeDigests = new Map<string, string>()

/** The SHA-256 over the code's files under `root`: their paths and contents. */
export const computeCodeDigest = (root: string): string => {
  const hash = createHash("sha256")
  for (const file of codeFiles(root)) hash.update(`${file}\0`).update(readFileSync(join(root, file))).update("\0")
  return hash.digest("hex")
}

/** `computeCodeDigest`, once per process (the code does not change while it runs). */
export const codeDigest = (root: string): string => {
  const digest = codeDigests.get(root) ?? computeCodeDigest(root)
  codeDigests.set(root, digest)
  return digest
}

export const runtimeOf = (): string => `Node ${process.version} ${process.platform}-${process.arch}`

/** The study file's sections that reading and validating the data depend on; the others (analysis, report, check) reach the steps only as settings. */
export const readSections = (config: ReadConfig): Components =>
  Object.fromEntries(
    Object.keys(config)
      .sort()
      .map((section) => [`study file: ${section}`, sha256(JSON.stringify(config[section as keyof ReadConfig] ?? null))]),
  )

export interface DataIdentity {
  /** input files as the report names them → SHA-256 of their contents */
  readonly inputs: ReadonlyArray<{ readonly file: string; readonly sha256: string }>
  /** the study file's sections reading sees */
  readonly config: ReadConfig
  /** the common-factor predictor columns that reading keeps */
  readonly keptColumns: ReadonlyArray<string>
}

/** The components shared by every step: the code, the runtime. */
export const baseComponents = (root: string): Components => ({ "the code": codeDigest(root), "the runtime": runtimeOf() })

/** The components of the validated data: the input files, the sections of the study file that reading sees, the columns it keeps. */
export const dataComponents = (data: DataIdentity): Components => ({
  ...Object.fromEntries(data.inputs.map((input) => [`data file ${input.file}`, input.sha256])),
  ...readSections(data.config),
  "common-factor columns kept": sha256(JSON.stringify([...data.keptColumns].sort())),
})

/** The components of a slice of the settings, each named as the study file names it. */
export const settingComponents = (slice: Partial<AnalysisSettings>): Components =>
  Object.fromEntries(
    Object.entries(slice).map(([name, value]) => [`setting ${SETTING_SOURCES[name as keyof AnalysisSettings]}`, sha256(JSON.stringify(value))]),
  )

/** The study file as reading sees it: the sections (and the rupture rule) left out of `ReadConfig` dropped. */
export const readConfigOf = (config: StudyConfig): ReadConfig => {
  const { name: _name, title: _title, analysis: _analysis, common_factors: _cf, synthesis: _synthesis, check: _check, privacy: _privacy, ...read } = config
  const { rupture: _rupture, ...instruments } = config.instruments
  return { ...read, instruments }
}
