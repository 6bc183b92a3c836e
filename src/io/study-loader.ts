/**
 * Finding a study: a folder (with or without `study.json`) or a study file, resolved into the
 * study's name, its settings with every default filled in, and the absolute paths of its files.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import { StudyFile, type StudyConfig } from "../../data-schemas/study-file.ts"
import { StudyFileError } from "../errors.ts"
import { type InstrumentPlan, planInstruments } from "../ingest/instrument-plan.ts"

export const STUDY_FILE_NAME = "study.json"

export interface Study {
  readonly name: string
  /** folder the data file paths are relative to */
  readonly root: string
  /** absolute path of the study file, or null when defaults were used */
  readonly studyFile: string | null
  /** the settings, with the measures of instruments named in `instruments` taken from the registry */
  readonly config: StudyConfig
  readonly files: { readonly clients: string; readonly sessions: string }
  /** the registry instruments the study uses and the item blocks to score */
  readonly instruments: InstrumentPlan
}

/**
 * The study file as reading and validating the data see it: without the sections that shape only
 * the analysis, the report or --check, and without the rupture rule of `instruments` (the clinical
 * step's setting). Reading is typed to take a `ReadableStudy`, so the type checker holds it to
 * that; the step cache keys the data on what is left (src/provenance/cache-keys.ts).
 */
export type ReadConfig = Omit<StudyConfig, "name" | "title" | "analysis" | "common_factors" | "synthesis" | "check" | "privacy" | "instruments"> & {
  readonly instruments: Omit<StudyConfig["instruments"], "rupture">
}

/** A study as reading it sees it. */
export type ReadableStudy = Omit<Study, "name" | "studyFile" | "config"> & { readonly config: ReadConfig }

/** `text` as a file name: letters, digits, dot, dash and underscore, starting with a letter or digit, at most 64 characters. */
export const safeName = (text: string, fallback: string): string =>
  (text.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "") || fallback).slice(0, 64)

export const folderName = (path: Path.Path, dir: string): string => safeName(path.basename(dir), "study")

/** Parses a study file's text (JSON) against the StudyFile schema; the name defaults to `fallbackName`. */
const parseStudyFile = (file: string, text: string, fallbackName: string) =>
  Effect.gen(function* () {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (error) {
      return yield* new StudyFileError({ path: file, problems: [`not valid JSON: ${(error as Error).message}`] })
    }
    if (json !== null && typeof json === "object" && !Array.isArray(json) && !("name" in json)) {
      json = { ...json, name: fallbackName }
    }
    const parsed = StudyFile.safeParse(json)
    if (!parsed.success) {
      return yield* new StudyFileError({
        path: file,
        problems: parsed.error.issues.map((issue) => {
          const where = issue.path.length > 0 ? issue.path.join(".") : "(top level)"
          return `${where}: ${issue.message}`
        }),
      })
    }
    return { config: parsed.data, given: json }
  })

/**
 * The first steps of loading a study, shared by `loadStudy` and `loadSynthesisStudy`: `target`
 * must exist; a folder's study file is `study.json` inside it (optional), a file is the study
 * file itself; the config is parsed with every default filled in (name: the folder's).
 */
export const resolveStudyConfig = (target: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const absolute = path.resolve(target)
    const info = yield* fs.stat(absolute).pipe(
      Effect.mapError(() => new StudyFileError({ path: target, problems: ["no such file or folder"] })),
    )
    const isFolder = info.type === "Directory"
    const root = isFolder ? absolute : path.dirname(absolute)
    const candidate = isFolder ? path.join(absolute, STUDY_FILE_NAME) : absolute
    const hasStudyFile = isFolder ? yield* fs.exists(candidate).pipe(Effect.orElseSucceed(() => false)) : true
    const name = folderName(path, root)
    const { config, given } = hasStudyFile
      ? yield* fs.readFileString(candidate).pipe(
          Effect.mapError(() => new StudyFileError({ path: candidate, problems: ["could not be read"] })),
          Effect.flatMap((text) => parseStudyFile(candidate, text, name)),
        )
      : { config: StudyFile.parse({ name }), given: {} as unknown }
    return { absolute, isFolder, root, candidate, hasStudyFile, config, given }
  })

/**
 * Resolves `target` (a folder or a study file). A folder without a study file runs with the
 * defaults and takes its name from the folder.
 */
export const loadStudy = (target: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const resolved = yield* resolveStudyConfig(target)
    const { root, candidate, hasStudyFile } = resolved
    const planned = planInstruments(resolved.config, resolved.given)
    if ("problems" in planned) return yield* new StudyFileError({ path: hasStudyFile ? candidate : root, problems: planned.problems })
    const config = planned.config

    const files = {
      clients: path.resolve(root, config.files.clients),
      sessions: path.resolve(root, config.files.sessions),
    }
    for (const file of [files.clients, files.sessions]) {
      const exists = yield* fs.exists(file).pipe(Effect.orElseSucceed(() => false))
      if (!exists) {
        return yield* new StudyFileError({
          path: hasStudyFile ? candidate : root,
          problems: [`data file not found: ${path.relative(process.cwd(), file) || file}`],
        })
      }
    }
    return { name: config.name, root, studyFile: hasStudyFile ? candidate : null, config, files, instruments: planned.plan } satisfies Study
  })
