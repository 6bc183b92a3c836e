/**
 * Finding the studies file for `synthesize`: a `studies.csv` given directly, a study file whose
 * `files.studies` names it (default `studies.csv` beside the study file), or a folder holding a
 * `studies.csv` (and optionally a `study.json`). Resolved into the study's name, its settings with
 * every default filled in, and the absolute path of the studies file.
 */
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Path from "effect/Path"
import { StudyFile, type StudyConfig } from "../../data-schemas/study-file.ts"
import { StudyFileError } from "../errors.ts"
import { folderName, resolveStudyConfig } from "./study-loader.ts"

export const STUDIES_FILE_NAME = "studies.csv"

export interface SynthesisStudy {
  readonly name: string
  /** folder the studies file path is relative to */
  readonly root: string
  /** absolute path of the study file, or null when defaults were used */
  readonly studyFile: string | null
  readonly config: StudyConfig
  /** absolute path of studies.csv */
  readonly studies: string
}

/** Resolves `target` (a studies CSV, a study file or a folder) for `synthesize`. */
export const loadSynthesisStudy = (target: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const absolute = path.resolve(target)
    if (absolute.toLowerCase().endsWith(".csv") && (yield* fs.exists(absolute).pipe(Effect.orElseSucceed(() => false)))) {
      const root = path.dirname(absolute)
      const stem = path.basename(absolute).replace(/\.csv$/i, "")
      const name = folderName(path, stem === "studies" ? root : stem)
      return { name, root, studyFile: null, config: StudyFile.parse({ name }), studies: absolute } satisfies SynthesisStudy
    }
    const { root, candidate, hasStudyFile, config } = yield* resolveStudyConfig(target)
    const studies = path.resolve(root, config.files.studies ?? STUDIES_FILE_NAME)
    const exists = yield* fs.exists(studies).pipe(Effect.orElseSucceed(() => false))
    if (!exists) {
      const shown = path.relative(process.cwd(), studies) || studies
      return yield* new StudyFileError({
        path: hasStudyFile ? candidate : root,
        problems: [
          config.files.studies === undefined
            ? `no studies file: expected ${shown} (or name one in the study file as files.studies)`
            : `studies file not found: ${shown}`,
        ],
      })
    }
    return { name: config.name, root, studyFile: hasStudyFile ? candidate : null, config, studies } satisfies SynthesisStudy
  })
