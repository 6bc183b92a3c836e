/**
 * Fuzzing the ingest and validation layer (issue 8): generated and mutated CSVs — characters
 * inserted (quotes, delimiters, line breaks, CR, NUL, non-ASCII), ranges deleted, lines
 * duplicated or swapped, random text — are read as a study. Whatever the input, reading ends, no
 * untyped exception escapes, and the result either holds the data or reports problems each
 * located by file and line, with a rule.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodePath from "@effect/platform-node/NodePath"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Progress } from "../../src/cli/Progress.ts"
import { readStudy } from "../../src/ingest/read-study.ts"
import { CsvSource } from "../../src/io/CsvSource.ts"
import { loadStudy } from "../../src/io/study-loader.ts"
import { tempDir } from "../e2e/run-cli.ts"
import { CLIENTS, SESSIONS } from "./cases.ts"

const platform = Layer.mergeAll(NodeFileSystem.layer, NodePath.layer, Progress.silent, CsvSource.layer)

type Mutation =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "duplicate"; line: number }
  | { kind: "swap"; a: number; b: number }

const PIECES = ['"', ",", ";", "\t", "\n", "\r", "\r\n", "\u0000", "é", "\uFEFF", "NA", "-99", "1e308", "  ", "=1+1", "__proto__"]

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), line: fc.nat() }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat() }),
)

const apply = (text: string, m: Mutation): string => {
  if (m.kind === "insert") {
    const at = m.at % (text.length + 1)
    return text.slice(0, at) + m.text + text.slice(at)
  }
  if (m.kind === "delete") {
    const at = m.at % (text.length + 1)
    return text.slice(0, at) + text.slice(at + m.length)
  }
  const lines = text.split("\n")
  if (m.kind === "duplicate") {
    const i = m.line % lines.length
    lines.splice(i, 0, lines[i]!)
  } else {
    const a = m.a % lines.length
    const b = m.b % lines.length
    ;[lines[a], lines[b]] = [lines[b]!, lines[a]!]
  }
  return lines.join("\n")
}

const ingest = (clients: string, sessions: string) => {
  const dir = tempDir("fuzz")
  writeFileSync(join(dir, "clients.csv"), clients)
  writeFileSync(join(dir, "sessions.csv"), sessions)
  return Effect.runPromiseExit(
    Effect.gen(function* () {
      const study = yield* loadStudy(dir)
      return yield* readStudy(study, (file) => file.slice(dir.length + 1))
    }).pipe(Effect.provide(platform)),
  )
}

const located = async (clients: string, sessions: string) => {
  const exit = await ingest(clients, sessions)
  // no defect (an untyped exception): the read either succeeds or fails with a tagged error
  if (Exit.isFailure(exit)) {
    expect(JSON.stringify(exit.cause)).toMatch(/"_tag":"(StudyFileError|CsvReadError)"/)
    return
  }
  const result = exit.value
  if (result.totalProblems === 0) {
    expect(result.data).not.toBeNull()
    return
  }
  expect(result.problems.length).toBeGreaterThan(0)
  for (const p of result.problems) {
    expect(["clients.csv", "sessions.csv"]).toContain(p.file)
    expect(Number.isInteger(p.line) && p.line >= 0).toBe(true)
    expect(p.rule.length).toBeGreaterThan(0)
  }
}

describe("ingest under fuzzing", () => {
  it("ends, throws nothing untyped, and accepts or locates every problem, for mutated studies", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.array(mutation, { maxLength: 3 }), async (mc, ms) => {
        await located(mc.reduce(apply, CLIENTS), ms.reduce(apply, SESSIONS))
      }),
      { numRuns: 120 },
    )
  }, 120_000)

  it("does the same for random text as either file", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 300 }), fc.boolean(), async (text, asClients) => {
        await located(asClients ? text : CLIENTS, asClients ? SESSIONS : text)
      }),
      { numRuns: 80 },
    )
  }, 120_000)
})
