/**
 * The compiled row checks against the zod row schema they stand in for: on any cells, the
 * compiled reader returns exactly the row the schema returns, or logs exactly the problems the
 * schema reports.
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { CLIENT_COLUMNS, SESSION_COLUMNS } from "../../data-schemas/canonical.ts"
import { clientCsvRow } from "../../data-schemas/clients.ts"
import { sessionCsvRow } from "../../data-schemas/sessions.ts"
import { resolveHeader } from "../../src/ingest/header.ts"
import { ProblemLog } from "../../src/ingest/problem-log.ts"
import { compileRowReader } from "../../src/ingest/row-reader.ts"

const ranges = { baseline: [0, 27], outcome: [0, 27], alliance: [1, 5], alliance_goal: [1, 5], expectancy: [1, 9] } as const
const missing = new Set(["", "NA", "-99"])

// Cells that probe every rule: numbers of all shapes, bounds, exponents, huge integers, labels.
const cell = fc.oneof(
  fc.constantFrom("", "NA", "-99", " ", "0", "1", "-0", "0.0", "1.", ".5", "+3", "27", "27.0000001", "-1e-3", "1e999", "9007199254740993", "1e20", "3.75", " 4 ", "high", "NaN", "Infinity", "0x1A", "1,5", "C001", "T 1", "é", "\u00a0x\u00a0"),
  fc.double({ noNaN: true }).map(String),
  fc.integer({ min: -5, max: 40 }).map(String),
  fc.string({ maxLength: 70 }),
)

const check = (file: string, names: ReadonlyArray<string>, specs: typeof CLIENT_COLUMNS, schemaFor: typeof clientCsvRow) =>
  fc.assert(
    fc.property(fc.array(cell, { minLength: names.length, maxLength: names.length }), (cells) => {
      const log = new ProblemLog()
      const header = resolveHeader(file, names, specs, {}, log)
      const schema = schemaFor(header.columns.map((c) => c.spec.name), ranges)
      const fast = compileRowReader(header, schema, ranges, { missing }, log)(2, cells)

      const raw = Object.fromEntries(header.columns.map((c) => [c.spec.name, missing.has(cells[c.index]!.trim()) ? null : cells[c.index]!.trim()]))
      const reference = schema.safeParse(raw)
      if (reference.success) {
        expect(fast).toEqual(reference.data)
        expect(log.total).toBe(0)
      } else {
        expect(fast).toBeUndefined()
        expect(log.problems.map((p) => p.column).sort()).toEqual(reference.error.issues.map((i) => String(i.path[0])).sort())
      }
    }),
    { numRuns: 3000, seed: 11 },
  )

describe("compileRowReader", () => {
  it("agrees with the clients row schema on any cells", () => {
    check("clients.csv", ["client_id", "therapist_id", "baseline", "outcome", "expectancy", "sessions_attended", "dropout", "modality"], CLIENT_COLUMNS, clientCsvRow)
  })

  it("agrees with the sessions row schema on any cells", () => {
    check("sessions.csv", ["client_id", "session", "alliance", "alliance_goal", "symptom"], SESSION_COLUMNS, sessionCsvRow)
  })

  it("reports a wrong number of cells without looking at them", () => {
    const log = new ProblemLog()
    const header = resolveHeader("s.csv", ["client_id", "session", "alliance"], SESSION_COLUMNS, {}, log)
    const read = compileRowReader(header, sessionCsvRow(["client_id", "session", "alliance"], ranges), ranges, { missing }, log)
    expect(read(7, ["C1", "1"])).toBeUndefined()
    expect(log.problems).toEqual([{ file: "s.csv", line: 7, column: "", value: null, rule: "the row has 2 cells but the header has 3 columns" }])
  })
})
