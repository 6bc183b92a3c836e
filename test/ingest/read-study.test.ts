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
import fc from "fast-check"
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

/**
 * The tail of every sessions file (after its first 30%) decoded as a worker would, but on this
 * thread, once the file's header has been read.
 */
const splitHere = CsvSource.layerWith({ minBytes: 0, headShare: 0.3, earlyHeadShare: 0.3, startEarly: false, inProcess: true })
/** The same in a worker thread started before the clients file is read, as a big study is read. */
const splitWorker = CsvSource.layerWith({ minBytes: 0, headShare: 0.5, earlyHeadShare: 0.5, startEarly: true })

/** The fast reader (on one thread, and with a file's tail decoded apart) agrees with csv-parse. */
const sameEither = async (folder: string, worker = false) => {
  const fast = await ingestWith(folder, CsvSource.layer)
  const reference = await ingestWith(folder, CsvSource.csvParseLayer)
  expect(fast).toEqual(reference)
  expect(await ingestWith(folder, splitHere)).toEqual(reference)
  if (worker) expect(await ingestWith(folder, splitWorker)).toEqual(reference)
  return fast
}

describe("readStudy with the fast scanner and with csv-parse", () => {
  it("gives identical typed columns and profiles on the example study", async () => {
    const result = await sameEither(join(ROOT, "examples", "example-study"), true)
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

  it("gives identical results when byte-path and string-path records mix in both files", async () => {
    const dir = tempDir("mixed")
    writeFileSync(
      join(dir, "clients.csv"),
      [
        "client_id,therapist_id,site_id,modality,baseline,outcome,dropout,referral",
        "C1,T1,S1,CBT,18,7,0,GP",
        "C2,T1,Zürich,\"systemic\",20,9,1,NA",
        "C3,T2,S1, CBT ,1e1,3,0,", // exponent: string path
        "C4,T2,S1,CBT,high,3,0,x", // invalid
        "C1,T3,S2,CBT,5,3,0,y", // duplicate code
        "C5,,S2,CBT,5,3,2,y", // missing therapist, dropout 2
        "C6,T3,S2,\"a \"\"b\"\"\",12.5,-0,0,\u00a0z",
      ].join("\n"),
    )
    writeFileSync(
      join(dir, "sessions.csv"),
      ["client_id,session,alliance,symptom", "C1,1,4,12", "C1,2, 4.5 ,", "C2,1,3.25,NA", "C4,1,3,3", "C6,1,1e0,3", "C6,1,2,2", "C9,1,2,2", "C6,40,2,2", "C6,40,3,3"].join("\n"),
    )
    const result = await sameEither(dir)
    expect(result.problems.map((p) => `${p.file}:${p.line}:${p.column}`)).toEqual([
      "clients.csv:5:baseline",
      "clients.csv:6:client_id",
      "clients.csv:7:therapist_id",
      "clients.csv:7:dropout",
      "sessions.csv:7:session",
      "sessions.csv:8:client_id",
      "sessions.csv:10:session",
    ])
  })

  it("reports identical problems with identical lines on invalid data", async () => {
    const dir = tempDir("invalid")
    copyFileSync(join(ROOT, "examples", "example-study", "clients.csv"), join(dir, "clients.csv"))
    const sessions = readFileSync(join(ROOT, "examples", "example-study", "sessions.csv"), "utf8").split("\n")
    sessions[5] = sessions[5]!.replace(/,[0-9.]*,/, ",high,")
    sessions[9] = "C999999,1,3,3,3,3,3,3"
    writeFileSync(join(dir, "sessions.csv"), sessions.join("\n"))
    const result = await sameEither(dir, true)
    expect(result.problems.map((p) => [p.file, p.line, p.column])).toEqual([
      ["sessions.csv", 6, "session"],
      ["sessions.csv", 10, "client_id"],
    ])
  })

  it("gives identical results when a big tail mixes plain rows with duplicates, orphans and odd records", async () => {
    // The value samples fill up in the first rows, so that most of the tail is replayed in bulk
    // (PlainSessions.replay); odd rows placed at random in the tail break the runs: duplicates of
    // rows taken in bulk (whose message names the earlier line), orphans, clients with an invalid
    // row, session numbers past 32, and records the decoder leaves to the string path.
    const clients = Array.from({ length: 400 }, (_, k) => `C${k},T${k % 17},S${k % 3},CBT,${k % 27},${(k * 7) % 27},0`)
    clients[13] = "C13,T1,S1,CBT,high,3,0" // invalid: its sessions are neither kept nor orphans
    const plain = Array.from({ length: 4000 }, (_, r) => `C${r % 400},${1 + Math.floor(r / 400)},${(1 + (r % 40) / 10).toFixed(1)},${r % 28}`)
    const odd = fc.constantFrom(
      "C5,3,4.0,12", // a duplicate of a row in the head or the tail
      "C399,10,4.0,12", // a duplicate of the tail's last plain row
      "C7,33,4,4", // past 32: the string path's map
      "C7,33,5,5", // and its duplicate
      "C1000,1,4,4", // orphan
      "C13,20,4,4", // the client's row is invalid
      'C8,20,"4",4', // quoted, still plain
      'C9,20,"4""",4', // an escaped quote: the string path
      "C10,21,4,4,9", // one cell too many
      "C11,22,9,4", // out of range
      "C12,23,4e0,4", // valid, but only the string path reads exponents
      "C12,24, 4,4", // valid once trimmed: the string path
    )
    const study = fc.array(fc.tuple(fc.integer({ min: 2500, max: 4000 }), odd), { maxLength: 12 })
    const dir = tempDir("bulk-replay")
    writeFileSync(join(dir, "clients.csv"), ["client_id,therapist_id,site_id,modality,baseline,outcome,dropout", ...clients].join("\n") + "\n")
    writeFileSync(join(dir, "study.json"), "{}")
    await fc.assert(
      fc.asyncProperty(study, async (inserts) => {
        const rows = [...plain]
        for (const [at, row] of [...inserts].sort((a, b) => b[0] - a[0])) rows.splice(at, 0, row)
        writeFileSync(join(dir, "sessions.csv"), ["client_id,session,alliance,symptom", ...rows].join("\n") + "\n")
        await sameEither(dir)
      }),
      { numRuns: 25, seed: 20261122 },
    )
  })

  it("gives identical tables, profiles and problems on random studies mixing plain and unusual cells", async () => {
    // Cells the plain path reads from bytes, and, now and then, cells it must leave to the string
    // path (mostly plain cells, so that most lines are plain and an odd cell is met in all places).
    const mostly = <T,>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) => fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 })
    const code = (prefix: string) =>
      mostly(
        fc.nat(12).map((k) => `${prefix}${k}`),
        fc.constantFrom(`"${prefix}1"`, ` ${prefix}2`, `${prefix}3 `, `${prefix}ü`, "", "NA", `"${prefix}""4"`, "-99", `${prefix}${"x".repeat(70)}`),
      )
    const odd = fc.constantFrom(
      "", "NA", "-99", "-0", "+3", ".5", "3.", " 4", "1e1", "3,5", '"7"', "high", "99", "0.1234567890123456", "１",
      "1.2.3", "2..", "--1", "+-2", "1.5e", "12345678901234567890", "0x1", "4 ", "\t3", "-", ".", "+.5",
    )
    const number = mostly(fc.integer({ min: 0, max: 270 }).map((k) => String(k / 10)), odd)
    const rating = mostly(fc.integer({ min: 10, max: 50 }).map((k) => (k / 10).toFixed(2)), odd)
    const label = mostly(
      fc.constantFrom("CBT", "psychodynamic", "person centred"),
      fc.constantFrom('"CBT"', " CBT", "", "NA", "Zürich", "-99", '"a, b"'),
    )
    const clientRow = fc
      .tuple(
        code("C"), code("T"), code("S"), label, number, number,
        mostly(fc.constantFrom("0", "1"), fc.constantFrom("2", "", "NA", "-0", "1.0")),
        mostly(fc.constantFrom("3", "0", "12"), fc.constantFrom("-1", "2.5", "")),
        label,
      )
      .map((cells) => cells.join(","))
    const sessionRow = fc
      .tuple(code("C"), mostly(fc.integer({ min: 1, max: 40 }).map(String), fc.constantFrom("0", "", "NA", "1.0", "-99", " 2")), rating, rating, number)
      .map((cells) => cells.join(","))
    const study = fc.record({
      clients: fc.array(clientRow, { minLength: 1, maxLength: 20 }),
      sessions: fc.array(sessionRow, { minLength: 1, maxLength: 80 }),
      missing: fc.constantFrom(undefined, ["", "NA"], ["NA", "-99"], [""], ["-99"]),
      eol: fc.constantFrom("\n", "\r\n"),
      extraCell: fc.boolean(),
    })
    const dir = tempDir("random-study")
    await fc.assert(
      fc.asyncProperty(study, async ({ clients, sessions, missing, eol, extraCell }) => {
        const clientLines = ["client_id,therapist_id,site_id,modality,baseline,outcome,dropout,sessions_attended,referral", ...clients]
        const sessionLines = ["client_id,session,alliance,alliance_goal,symptom", ...sessions]
        if (extraCell) sessionLines.push("C1,3,4,4,4,4")
        writeFileSync(join(dir, "clients.csv"), clientLines.join(eol) + eol)
        writeFileSync(join(dir, "sessions.csv"), sessionLines.join(eol))
        writeFileSync(join(dir, "study.json"), JSON.stringify(missing === undefined ? {} : { missing_values: missing }))
        await sameEither(dir)
      }),
      { numRuns: 150, seed: 20261122 },
    )
  })
})
