/**
 * SessionLineDecoder.decodeLine finds a line's end while it reads the cells: it must take a line
 * only when its line break lies before `limit` (a read chunk may cut a line anywhere), and decide
 * a line the same whether it ends in LF or CRLF, whatever follows it.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { SESSION_COLUMNS } from "../../data-schemas/sessions.ts"
import { resolveHeader } from "../../src/ingest/header.ts"
import { ProblemLog } from "../../src/ingest/problem-log.ts"
import { SessionLineDecoder, sessionLinePlan } from "../../src/ingest/session-line.ts"

const plan = sessionLinePlan(
  resolveHeader("sessions.csv", ["client_id", "session", "alliance", "symptom"], SESSION_COLUMNS, {}, new ProblemLog()),
  { alliance: [1, 5], symptom: [0, 27] },
  new Set(["", "NA"]),
  ["alliance", "symptom"],
)
const bytesOf = (text: string) => new TextEncoder().encode(text)

describe("SessionLineDecoder.decodeLine", () => {
  it.each([
    ["C1,2,4.5,12", 11],
    ["C1,2,4.5,", 9], // a missing last cell
    ['"C1",2,"4.5",12', 15], // quoted, still plain
    ["C1,2,4.5", -1], // a cell short
    ["C1,2,4.5,12,", -1], // a cell too many
    ["C1,2,4.5,12 ", -1], // a space after the last number: not plain
    ["C1,2,9,12", -1], // alliance out of range
    ["C1,0,4,12", -1], // session 0
    ['C1,2,"4""",12', -1], // an escaped quote
  ])("%s → %i", (line, end) => {
    const decoder = new SessionLineDecoder(plan)
    for (const eol of ["\n", "\r\n"]) {
      const bytes = bytesOf(`${line}${eol}C9,1,1,1\n`)
      expect(decoder.decodeLine(bytes, 0, bytes.length)).toBe(end)
    }
  })

  it("never takes a line whose line break lies at or after the limit", () => {
    const cell = fc.constantFrom("", "NA", "4", "4.5", "-1", "12", "x", '"3"', " 2", "27", "99")
    const line = fc.tuple(fc.constantFrom("C1", "C22", '"C3"', ""), fc.constantFrom("1", "2", "33", "0"), cell, cell).map((cells) => cells.join(","))
    fc.assert(
      fc.property(line, fc.constantFrom("\n", "\r\n"), (text, eol) => {
        const decoder = new SessionLineDecoder(plan)
        const bytes = bytesOf(text + eol)
        const whole = decoder.decodeLine(bytes, 0, bytes.length)
        // taken: it ends where the line break starts
        if (whole >= 0) expect(whole).toBe(text.length)
        for (let limit = 0; limit <= text.length; limit++) expect(decoder.decodeLine(bytes, 0, limit)).toBe(-1)
      }),
      { numRuns: 400, seed: 7 },
    )
  })
})
