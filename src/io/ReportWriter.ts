/**
 * ReportWriter: writes a report folder atomically.
 *
 * All files go to a hidden temporary sibling folder first; only when every file is written is it
 * renamed into place (replacing an earlier report of the same study). A failure at any point
 * removes the temporary folder, so a reader never sees a half-written report.
 *
 * An existing folder is replaced only when it is empty or is itself a report of this tool (it has
 * a manifest.json naming the tool). Anything else — `--out ~/Documents` by mistake, say — is
 * refused with a UsageError before any work is done, and never deleted.
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as Path from "effect/Path"
import { FileSystemError, UsageError } from "../errors.ts"
import { TOOL } from "../tool.ts"

export interface ReportFile {
  /** path relative to the report folder, with forward slashes */
  readonly path: string
  readonly contents: string
}

const fail = (path: string) => (error: { readonly message: string }) => new FileSystemError({ path, message: error.message })

export interface ReportWriterShape {
  /** Fails unless `folder` is absent, empty, or an earlier report of this tool. */
  readonly checkReplaceable: (folder: string) => Effect.Effect<void, UsageError>
  readonly write: (folder: string, files: ReadonlyArray<ReportFile>) => Effect.Effect<void, FileSystemError | UsageError>
}

export class ReportWriter extends Context.Service<ReportWriter, ReportWriterShape>()("alliance-outcome/ReportWriter") {
  static readonly layer = Layer.effect(
    ReportWriter,
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path

      const isOurReport = (target: string) =>
        fs.readFileString(path.join(target, "manifest.json")).pipe(
          Effect.map((text) => {
            try {
              return (JSON.parse(text) as { tool?: { name?: unknown } }).tool?.name === TOOL.name
            } catch {
              return false
            }
          }),
          Effect.orElseSucceed(() => false),
        )

      const checkReplaceable = (folder: string) =>
        Effect.gen(function* () {
          const target = path.resolve(folder)
          const info = yield* fs.stat(target).pipe(Effect.option)
          if (info._tag === "None") return
          const refuse = (why: string) =>
            new UsageError({ message: `refusing to write the report to ${folder}: ${why}; choose a new or empty folder` })
          if (info.value.type !== "Directory") return yield* refuse("it exists and is not a folder")
          const entries = yield* fs.readDirectory(target).pipe(Effect.orElseSucceed(() => ["?"]))
          if (entries.length > 0 && !(yield* isOurReport(target))) {
            return yield* refuse("the folder is not empty and is not a report written by this tool, so it will not be replaced")
          }
        })

      const write = (folder: string, files: ReadonlyArray<ReportFile>) =>
        Effect.gen(function* () {
          yield* checkReplaceable(folder)
          const target = path.resolve(folder)
          const parent = path.dirname(target)
          const stamp = `${process.pid}-${Date.now().toString(36)}`
          const temporary = path.join(parent, `.${path.basename(target)}.partial-${stamp}`)
          const previous = path.join(parent, `.${path.basename(target)}.previous-${stamp}`)

          yield* fs.makeDirectory(parent, { recursive: true }).pipe(Effect.mapError(fail(parent)))
          const makeTemporary = fs.makeDirectory(temporary, { recursive: true }).pipe(Effect.mapError(fail(temporary)))
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
            yield* fs.rename(temporary, target).pipe(
              Effect.mapError(fail(target)),
              // put the earlier report back if the new one could not be moved into place
              Effect.tapError(() => (exists ? fs.rename(previous, target).pipe(Effect.ignore) : Effect.void)),
            )
            if (exists) yield* fs.remove(previous, { recursive: true }).pipe(Effect.ignore)
          })
          yield* makeTemporary.pipe(Effect.andThen(writeAll), Effect.andThen(swap)).pipe(
            Effect.onError(() => fs.remove(temporary, { recursive: true }).pipe(Effect.ignore)),
          )
        })
      return ReportWriter.of({ checkReplaceable, write })
    }),
  )
}
