/**
 * The two CSV readers give identical studies: the fast scanner (with its csv-parse fallback) and
 * csv-parse alone produce the same typed columns, profiles and problems, on the bundled example,
 * on a file the scanner must hand over to csv-parse, and on invalid data.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { describe, expect, it } from "vitest"
import { readStudy } from "../../src/ingest/read-study.ts"
import { Progress } from "../../src/cli/Progress.ts"
import { CsvSource } from "../../src/io/CsvSource.ts"
import { loadStudy } from "../../src/io/study-loader.ts"
import { ROOT, tempDir } from "../e2e/run-cli.ts"

const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, Progress.silent)

const ingestWith = (folder: string, source: typeof CsvSource.layer) =>
  Effect.runPromise(
    Effect.gen(function* () {
      const study = yield* loadStudy(folder)
      return yield* readStudy(study, (file) => file.slice(folder.length + 1))
    }).pipe(Effect.provide(Layer.mergeAll(platform, source))),
  )

const sameEither = async (folder: string) => {
  const fast = await ingestWith(folder, CsvSource.layer)
  const reference = await ingestWith(folder, CsvSource.csvParseLayer)
  expect(fast).toEqual(reference)
  return fast
}

describe("readStudy with the fast scanner and with csv-parse", () => {
  it("gives identical typed columns and profiles on the example study", async () => {
    const result = await sameEither(join(ROOT, "examples", "example-study"))
    expect(result.data?.sessions.n).toBe(16857)
  })

  it("gives identical results when quoted cells with line breaks send the scanner back to csv-parse", async () => {
    const dir = tempDir("quoted")
    writeFileSync(join(dir, "clients.csv"), 'client_id,therapist_id,baseline,outcome,note\nC1,T1,18,7,"two\nlines"\nC2,T1,20,"9"," x, y "\n')
    writeFileSync(join(dir, "sessions.csv"), "client_id,session,alliance\r\nC1,1,4\r\nC2,1,3.5\r\n")
    const result = await sameEither(dir)
    expect(result.totalProblems).toBe(0)
    expect([...result.data!.clients.numbers.get("outcome")!]).toEqual([7, 9])
  })

  it("reports identical problems with identical lines on invalid data", async () => {
    const dir = tempDir("invalid")
    copyFileSync(join(ROOT, "examples", "example-study", "clients.csv"), join(dir, "clients.csv"))
    const sessions = readFileSync(join(ROOT, "examples", "example-study", "sessions.csv"), "utf8").split("\n")
    sessions[5] = sessions[5]!.replace(/,[0-9.]*,/, ",high,")
    sessions[9] = "C999999,1,3,3,3,3,3,3"
    writeFileSync(join(dir, "sessions.csv"), sessions.join("\n"))
    const result = await sameEither(dir)
    expect(result.problems.map((p) => [p.file, p.line, p.column])).toEqual([
      ["sessions.csv", 6, "session"],
      ["sessions.csv", 10, "client_id"],
    ])
  })
})
