import { describe, expect, it } from "vitest"
import { CLIENT_COLUMNS } from "../../data-schemas/canonical.ts"
import { resolveHeader } from "../../src/ingest/header.ts"
import { ProblemLog } from "../../src/ingest/problem-log.ts"

describe("resolveHeader", () => {
  it("finds canonical columns by name and keeps unknown columns as extras", () => {
    const log = new ProblemLog()
    const h = resolveHeader("clients.csv", ["client_id", "therapist_id", "baseline", "outcome", "hope"], CLIENT_COLUMNS, {}, log)
    expect(log.total).toBe(0)
    expect(h.columns.map((c) => [c.spec.name, c.index])).toEqual([
      ["client_id", 0],
      ["therapist_id", 1],
      ["baseline", 2],
      ["outcome", 3],
    ])
    expect(h.extras).toEqual([{ name: "hope", index: 4 }])
  })

  it("follows the study file's mapping from canonical to lab column names", () => {
    const log = new ProblemLog()
    const h = resolveHeader("c.csv", ["ID", "Thx", "PHQ_pre", "PHQ_post"], CLIENT_COLUMNS, {
      client_id: "ID",
      therapist_id: "Thx",
      baseline: "PHQ_pre",
      outcome: "PHQ_post",
    }, log)
    expect(log.total).toBe(0)
    expect(h.columns.find((c) => c.spec.name === "baseline")?.name).toBe("PHQ_pre")
  })

  it("reports a missing required column, a mapping to an absent column and duplicate names on line 1", () => {
    const log = new ProblemLog()
    resolveHeader("clients.csv", ["client_id", "client_id", "baseline"], CLIENT_COLUMNS, { outcome: "post" }, log)
    const rules = log.problems.map((p) => `${p.line}|${p.column}|${p.rule}`)
    expect(rules).toContain("1|client_id|column names must be unique in the header")
    expect(rules.some((r) => r.startsWith("1|therapist_id|required column"))).toBe(true)
    expect(rules.some((r) => r.startsWith("1|post|the study file maps outcome"))).toBe(true)
  })
})
