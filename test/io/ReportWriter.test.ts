import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as FileSystem from "effect/FileSystem"
import * as Layer from "effect/Layer"
import * as PlatformError from "effect/PlatformError"
import { afterEach, describe, expect, it } from "vitest"
import { FileSystemError, UsageError } from "../../src/errors.ts"
import { type ReportFile, ReportWriter } from "../../src/io/ReportWriter.ts"
import { TOOL } from "../../src/tool.ts"

const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer)

const run = <A, E>(effect: Effect.Effect<A, E, ReportWriter>) =>
  Effect.runPromise(effect.pipe(Effect.provide(ReportWriter.layer), Effect.provide(platform)))

const write = (folder: string, files: ReadonlyArray<ReportFile>) =>
  run(
    Effect.gen(function* () {
      const writer = yield* ReportWriter
      return yield* writer.write(folder, files)
    }),
  )

/** The same write, with its failure as the value (it must fail). */
const writeFailure = (folder: string, files: ReadonlyArray<ReportFile>) =>
  run(
    Effect.gen(function* () {
      const writer = yield* ReportWriter
      return yield* writer.write(folder, files)
    }).pipe(Effect.flip),
  )

/** checkReplaceable's failure, or undefined when the folder may be replaced. */
const replaceProblem = (folder: string) =>
  run(
    Effect.gen(function* () {
      const writer = yield* ReportWriter
      return yield* writer.checkReplaceable(folder)
    }).pipe(Effect.match({ onFailure: (error) => error, onSuccess: () => undefined })),
  )

/** Every file under `dir`, as sorted relative paths with forward slashes. */
const listFiles = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1).split("\\").join("/"))
    .sort()

const temporaryFolders: string[] = []
const scratch = (): string => {
  const dir = mkdtempSync(join(tmpdir(), "report-writer-"))
  temporaryFolders.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of temporaryFolders.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** An earlier report of this tool: its manifest names the tool. */
const MANIFEST: ReportFile = { path: "manifest.json", contents: JSON.stringify({ tool: { name: TOOL.name } }) }

const OLD_REPORT: ReadonlyArray<ReportFile> = [
  MANIFEST,
  { path: "results.json", contents: "{\"old\": true}\n" },
  { path: "figures/old-chart.svg", contents: "<svg/>" },
  { path: "old-only.md", contents: "# old" },
]

describe("ReportWriter", () => {
  it("writes every file, creating nested folders, with the contents given", async () => {
    const parent = scratch()
    const folder = join(parent, "reports", "lab")
    await write(folder, [
      { path: "results.json", contents: "{}\n" },
      { path: "figures/forest.vl.json", contents: "{\"mark\": \"point\"}" },
      { path: "tables/sites/per-site.csv", contents: "site,n\nS1,20\n" },
    ])
    expect(listFiles(folder)).toEqual(["figures/forest.vl.json", "results.json", "tables/sites/per-site.csv"])
    expect(readFileSync(join(folder, "tables", "sites", "per-site.csv"), "utf8")).toBe("site,n\nS1,20\n")
    expect(readFileSync(join(folder, "figures", "forest.vl.json"), "utf8")).toBe("{\"mark\": \"point\"}")
  })

  it("replaces an earlier report completely: files the new report does not have are gone", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    await write(folder, OLD_REPORT)
    writeFileSync(join(folder, "notes-added-by-hand.txt"), "x")
    await write(folder, [
      { path: "results.json", contents: "{\"new\": true}\n" },
      { path: "figures/new-chart.svg", contents: "<svg/>" },
    ])
    expect(listFiles(folder)).toEqual(["figures/new-chart.svg", "results.json"])
    expect(readFileSync(join(folder, "results.json"), "utf8")).toBe("{\"new\": true}\n")
  })

  it("puts the earlier report back when the new one cannot be moved into place", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    await write(folder, OLD_REPORT)
    // A file system whose rename of the finished temporary folder fails (as on a permissions error).
    const failingRename = Layer.effect(
      FileSystem.FileSystem,
      Effect.gen(function* () {
        const fs = yield* FileSystem.FileSystem
        return {
          ...fs,
          rename: (from: string, to: string) =>
            from.includes(".partial-")
              ? Effect.fail(PlatformError.systemError({ _tag: "PermissionDenied", module: "FileSystem", method: "rename", pathOrDescriptor: to }))
              : fs.rename(from, to),
        }
      }),
    ).pipe(Layer.provide(platform))
    const failure = await Effect.runPromise(
      Effect.gen(function* () {
        const writer = yield* ReportWriter
        return yield* writer.write(folder, [{ path: "results.json", contents: "{}" }])
      }).pipe(Effect.flip, Effect.provide(ReportWriter.layer), Effect.provide(Layer.mergeAll(failingRename, NodePath.layer))),
    )
    expect(failure).toBeInstanceOf(FileSystemError)
    expect(listFiles(folder)).toEqual(OLD_REPORT.map((f) => f.path).sort())
    expect(readFileSync(join(folder, "results.json"), "utf8")).toBe("{\"old\": true}\n")
    expect(readdirSync(parent)).toEqual(["lab"])
  })

  it("leaves no hidden partial or previous folders next to the report after a successful write", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    await write(folder, OLD_REPORT)
    await write(folder, [{ path: "results.json", contents: "{}" }])
    expect(readdirSync(parent)).toEqual(["lab"])
  })

  it("keeps an existing report intact when a file collides with a folder part-way", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    await write(folder, OLD_REPORT)
    // "figures" is written as a file, then needed as the folder of the next file
    const error = await writeFailure(folder, [
      { path: "results.json", contents: "{\"new\": true}\n" },
      { path: "figures", contents: "not a folder" },
      { path: "figures/forest.svg", contents: "<svg/>" },
    ])
    expect(error).toBeInstanceOf(FileSystemError)
    expect(error).toMatchObject({ path: expect.stringContaining(".lab.partial-") })
    expect(listFiles(folder)).toEqual(["figures/old-chart.svg", "manifest.json", "old-only.md", "results.json"])
    expect(readFileSync(join(folder, "results.json"), "utf8")).toBe("{\"old\": true}\n")
    expect(readdirSync(parent)).toEqual(["lab"])
  })

  it("creates no report folder when writing a file onto a folder fails", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    const error = await writeFailure(folder, [
      { path: "figures/forest.svg", contents: "<svg/>" },
      { path: "figures", contents: "a file where a folder already is" },
    ])
    expect(error._tag).toBe("FileSystemError")
    expect(readdirSync(parent)).toEqual([])
  })

  it("fails without writing anything when the report's parent is a file", async () => {
    const parent = scratch()
    writeFileSync(join(parent, "reports"), "a file, not a folder")
    const error = await writeFailure(join(parent, "reports", "lab"), [{ path: "results.json", contents: "{}" }])
    expect(error).toBeInstanceOf(FileSystemError)
    expect(error).toMatchObject({ path: join(parent, "reports") })
    expect(readdirSync(parent)).toEqual(["reports"])
    expect(readFileSync(join(parent, "reports"), "utf8")).toBe("a file, not a folder")
  })

  it("writes into a folder whose parent does not exist yet", async () => {
    const parent = scratch()
    mkdirSync(join(parent, "a"))
    const folder = join(parent, "a", "b", "c", "lab")
    await write(folder, [{ path: "results.json", contents: "{}" }])
    expect(listFiles(folder)).toEqual(["results.json"])
    expect(readdirSync(join(parent, "a", "b", "c"))).toEqual(["lab"])
  })

  it("writes into an existing empty folder", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    mkdirSync(folder)
    await write(folder, [{ path: "results.json", contents: "{}" }])
    expect(listFiles(folder)).toEqual(["results.json"])
  })

  it("refuses to replace a non-empty folder that is not a report of this tool, and leaves it as it was", async () => {
    const parent = scratch()
    const folder = join(parent, "Documents")
    mkdirSync(folder)
    writeFileSync(join(folder, "thesis.docx"), "precious")
    const error = await writeFailure(folder, [{ path: "results.json", contents: "{}" }])
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toBe(
      `refusing to write the report to ${folder}: the folder is not empty and is not a report written by this tool, ` +
        "so it will not be replaced; choose a new or empty folder",
    )
    expect(listFiles(folder)).toEqual(["thesis.docx"])
    expect(readdirSync(parent)).toEqual(["Documents"])
  })

  it("refuses to replace a folder whose manifest names another tool, or is not JSON", async () => {
    const parent = scratch()
    for (const [name, manifest] of [
      ["other", JSON.stringify({ tool: { name: "someone-else" } })],
      ["broken", "{ not json"],
    ] as const) {
      const folder = join(parent, name)
      mkdirSync(folder)
      writeFileSync(join(folder, "manifest.json"), manifest)
      expect(await writeFailure(folder, [{ path: "results.json", contents: "{}" }])).toBeInstanceOf(UsageError)
      expect(listFiles(folder)).toEqual(["manifest.json"])
    }
  })

  it("refuses to write the report where a file of that name is", async () => {
    const parent = scratch()
    const folder = join(parent, "lab")
    writeFileSync(folder, "a file")
    const error = await writeFailure(folder, [{ path: "results.json", contents: "{}" }])
    expect(error).toBeInstanceOf(UsageError)
    expect(error.message).toBe(`refusing to write the report to ${folder}: it exists and is not a folder; choose a new or empty folder`)
    expect(readFileSync(folder, "utf8")).toBe("a file")
  })

  it("checks before any work whether a folder may be replaced: absent, empty or an earlier report", async () => {
    const parent = scratch()
    expect(await replaceProblem(join(parent, "absent"))).toBeUndefined()
    mkdirSync(join(parent, "empty"))
    expect(await replaceProblem(join(parent, "empty"))).toBeUndefined()
    await write(join(parent, "report"), OLD_REPORT)
    expect(await replaceProblem(join(parent, "report"))).toBeUndefined()
    mkdirSync(join(parent, "other"))
    writeFileSync(join(parent, "other", "notes.txt"), "x")
    expect(await replaceProblem(join(parent, "other"))).toBeInstanceOf(UsageError)
  })
})
