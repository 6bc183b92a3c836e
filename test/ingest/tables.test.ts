import { describe, expect, it } from "vitest"
import { CLIENT_COLUMNS, SESSION_COLUMNS } from "../../data-schemas/canonical.ts"
import { ClientTableBuilder } from "../../src/ingest/client-table.ts"
import { resolveHeader } from "../../src/ingest/header.ts"
import { ProblemLog } from "../../src/ingest/problem-log.ts"
import { SessionTableBuilder } from "../../src/ingest/session-table.ts"

const ranges = { baseline: [0, 27], outcome: [0, 27], alliance: [1, 5] } as const
const settings = { missing: new Set(["", "NA", "-99"]) }

const clients = (rows: string[][], log = new ProblemLog()) => {
  const header = resolveHeader("clients.csv", ["client_id", "therapist_id", "site_id", "baseline", "outcome", "note"], CLIENT_COLUMNS, {}, log)
  const builder = new ClientTableBuilder(header, ranges, settings, log)
  rows.forEach((cells, i) => builder.row(i + 2, cells))
  return { builder, log }
}

describe("ClientTableBuilder", () => {
  it("builds typed columns with NaN for missing-value codes and dictionary-encoded codes", () => {
    const { builder, log } = clients([
      ["C1", "T1", "S1", "18", "7", "x"],
      ["C2", "T1", "S2", "NA", "-99", ""],
      ["C3", "T2", "S1", " 20 ", "10", "y"],
    ])
    expect(log.total).toBe(0)
    const t = builder.build()
    expect(t.n).toBe(3)
    expect([...t.numbers.get("baseline")!]).toEqual([18, Number.NaN, 20])
    expect([...t.numbers.get("outcome")!]).toEqual([7, Number.NaN, 10])
    expect(t.therapist.levels).toEqual(["T1", "T2"])
    expect([...t.site!.codes]).toEqual([0, 1, 0])
    expect([...t.extras.get("note")!.codes]).toEqual([0, -1, 1])
  })

  it("logs every bad cell with line, column, value and rule, and duplicate client codes", () => {
    const { log } = clients([
      ["C1", "T1", "S1", "high", "30", ""],
      ["C1", "T1", "S1", "1", "2", ""],
      ["", "T1", "S1", "1", "2", ""],
      ["C4", "T1", "S1", "1"],
    ])
    const got = log.problems.map((p) => [p.line, p.column, p.value, p.rule])
    expect(got).toContainEqual([2, "baseline", "high", "must be a number between 0 and 27"])
    expect(got).toContainEqual([2, "outcome", "30", "must be a number between 0 and 27"])
    expect(got).toContainEqual([3, "client_id", "C1", "client codes must be unique (first seen on line 2)"])
    expect(got.find((p) => p[0] === 4)?.[1]).toBe("client_id")
    expect(got.find((p) => p[0] === 5)?.[3]).toBe("the row has 4 cells but the header has 6 columns")
  })
})

describe("SessionTableBuilder", () => {
  it("links sessions to client rows and rejects orphans and repeated session numbers", () => {
    const { builder } = clients([
      ["C1", "T1", "S1", "18", "7", ""],
      ["C2", "T1", "S1", "18", "7", ""],
    ])
    const log = new ProblemLog()
    const header = resolveHeader("sessions.csv", ["client_id", "session", "alliance"], SESSION_COLUMNS, {}, log)
    const sessions = new SessionTableBuilder(header, ranges, settings, log, builder.index, "clients.csv")
    const rows = [
      ["C2", "1", "3.5"],
      ["C1", "1", ""],
      ["C9", "1", "4"],
      ["C2", "1", "4"],
      ["C2", "0", "4"],
      ["C1", "2", "high"],
    ]
    rows.forEach((cells, i) => sessions.row(i + 2, cells))
    const t = sessions.build()
    expect([...t.client]).toEqual([1, 0])
    expect([...t.numbers.get("alliance")!]).toEqual([3.5, Number.NaN])
    const got = log.problems.map((p) => [p.line, p.column, p.rule])
    expect(got).toContainEqual([4, "client_id", "every session's client must exist in clients.csv"])
    expect(got).toContainEqual([5, "session", "each client's session numbers must be unique (this client's session 1 is also on line 2)"])
    expect(got).toContainEqual([6, "session", "must be a whole number ≥ 1"])
    expect(got).toContainEqual([7, "alliance", "must be a number between 1 and 5"])
  })
})

describe("ProblemLog", () => {
  it("keeps the first problems up to the cap and counts the rest", () => {
    const log = new ProblemLog(2)
    for (let i = 0; i < 5; i++) log.add({ file: "f", line: i, column: "c", value: "v".repeat(100), rule: "r" })
    expect(log.total).toBe(5)
    expect(log.problems).toHaveLength(2)
    expect(log.problems[0]!.value!.length).toBeLessThanOrEqual(40)
  })
})
