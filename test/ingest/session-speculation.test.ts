/**
 * The worker's half of reading a big sessions file (src/ingest/session-speculation.ts), on small
 * files: which lines it decodes, which it leaves as records, and when it gives up.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { SESSION_COLUMNS } from "../../data-schemas/sessions.ts"
import { resolveHeader } from "../../src/ingest/header.ts"
import { sessionLinePlan } from "../../src/ingest/session-line.ts"
import { ProblemLog } from "../../src/ingest/problem-log.ts"
import { speculate } from "../../src/ingest/session-speculation.ts"
import { tempDir } from "../e2e/run-cli.ts"

const HEADER = "client_id,session,alliance,symptom"
const plan = sessionLinePlan(
  resolveHeader("sessions.csv", HEADER.split(","), SESSION_COLUMNS, {}, new ProblemLog()),
  { alliance: [1, 5], symptom: [0, 27] },
  new Set(["", "NA"]),
  ["alliance", "symptom"],
)

let written = ""

/** Writes `text` and speculates from the start of its second line. */
const fromSecondLine = (text: string) => {
  const path = join(tempDir("speculation"), "sessions.csv")
  writeFileSync(path, text)
  written = text.slice(text.indexOf("\n") + 1)
  return speculate(path, text.indexOf("\n") + 1, plan)
}

describe("speculate", () => {
  it("decodes plain, valid lines as rows and keeps the others (and its first line) as records, in order", () => {
    const result = fromSecondLine(`${HEADER}\nC1,1,4,12\nC1,2,4.5,NA\nC2,1,high,3\nC2,2,"3",\nC1,3,3,3\n`)
    expect("part" in result).toBe(true)
    if (!("part" in result)) return
    const { part } = result
    // the first line teaches the scanner the line ending, so it is always a record
    expect(part.records).toEqual([
      { before: 0, line: 1, cells: ["C1", "1", "4", "12"] },
      { before: 1, line: 3, cells: ["C2", "1", "high", "3"] },
    ])
    expect(part.rows).toBe(3)
    expect([...part.line]).toEqual([2, 4, 5])
    expect([...part.session]).toEqual([2, 2, 3])
    expect([...part.values[0]!]).toEqual([4.5, 3, 3])
    expect([...part.values[1]!]).toEqual([Number.NaN, Number.NaN, 3])
    // missing cells as bits: symptom (column 3) in the first two rows
    expect([...part.missing]).toEqual([8, 8, 0])
    // client codes numbered in order of appearance
    expect(part.codes.count).toBe(2)
    expect([...part.client]).toEqual([0, 1, 0])
    expect(new TextDecoder().decode(part.codes.bytes)).toBe("C1C2")
    expect(part.style).toBe(1)
    expect(part.lines).toBe(6)
    // where each row's line is in the part (ASCII here, so bytes are characters)
    expect(written.slice(part.lineStart[1]!, part.lineEnd[1]!)).toBe('C2,2,"3",')
  })

  it("reports the line ending of the part (the reader compares it with the head's)", () => {
    const result = fromSecondLine(`${HEADER}\r\nC1,1,4,12\r\nC1,2,4,12\r\n`)
    expect("part" in result && result.part.style).toBe(2)
    expect("part" in result && result.part.rows).toBe(1)
  })

  it("gives up where the fast scanner is undecided, so that the whole file is read by csv-parse", () => {
    expect(fromSecondLine(`${HEADER}\nC1,1,4,12\nC1,2,4"x,12\n`)).toHaveProperty("undecided")
    expect(fromSecondLine(`${HEADER}\nC1,1,4,12\n"C1\nC2",2,4,12\n`)).toHaveProperty("undecided")
  })

  it("takes an empty tail and a last line without a line break", () => {
    const empty = fromSecondLine(`${HEADER}\n`)
    expect("part" in empty && [empty.part.rows, empty.part.records.length]).toEqual([0, 0])
    const last = fromSecondLine(`${HEADER}\nC1,1,4,12\nC1,2,4,12`)
    expect("part" in last && last.part.records.map((r) => r.line)).toEqual([1, 2])
  })
})
