/**
 * ReportWriter: writes a report folder atomically.
 *
 * All files go to a hidden temporary sibling folder first; only when every file is written is it
 * renamed into place (replacing an earlier report of the same study). A failure at any point
 * removes the temporary folder, so a reader never sees a half-written report.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import { FileSystemError } from "../errors.ts"

export interface ReportFile {
  /** path relative to the report folder, with forward slashes */
  readonly path: string
  readonly contents: string
}

const fail = (path: string) => (error: { readonly message: string }) => new FileSystemError({ path, message: error.message })

export class ReportWriter extends Context.Service<
  ReportWriter,
  { readonly write: (folder: string, files: ReadonlyArray<ReportFile>) => Effect.Effect<void, FileSystemError> }
>()("alliance-outcome/ReportWriter") {
  static readonly layer = Layer.effect(
    ReportWriter,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path

      const write = (folder: string, files: ReadonlyArray<ReportFile>) =>
        Effect.gen(function* () {
          const target = path.resolve(folder)
          const parent = path.dirname(target)
          const stamp = `${process.pid}-${Date.now().toString(36)}`
          const temporary = path.join(parent, `.${path.basename(target)}.partial-${stamp}`)
          const previous = path.join(parent, `.${path.basename(target)}.previous-${stamp}`)

          yield* fs.makeDirectory(parent, { recursive: true }).pipe(Effect.mapError(fail(parent)))
          const writeAll = Effect.forEach(
            files,
            (file) => {
              const destination = path.join(temporary, ...file.path.split("/"))
              return fs.makeDirectory(path.dirname(destination), { recursive: true }).pipe(
                Effect.andThen(fs.writeFileString(destination, file.contents)),
                Effect.mapError(fail(destination)),
              )
            },
            { discard: true },
          )
          const swap = Effect.gen(function* () {
            const exists = yield* fs.exists(target).pipe(Effect.mapError(fail(target)))
            if (exists) yield* fs.rename(target, previous).pipe(Effect.mapError(fail(target)))
            yield* fs.rename(temporary, target).pipe(Effect.mapError(fail(target)))
            if (exists) yield* fs.remove(previous, { recursive: true }).pipe(Effect.ignore)
          })
          yield* Effect.andThen(writeAll, swap).pipe(
            Effect.onError(() => fs.remove(temporary, { recursive: true }).pipe(Effect.ignore)),
          )
        })
      return ReportWriter.of({ write })
    }),
  )
}
