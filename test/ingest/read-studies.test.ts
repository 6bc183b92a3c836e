import { describe, expect, it } from "vitest"
import { parseStudies } from "../../src/ingest/read-studies.ts"

const where = (text: string) => parseStudies(text, "studies.csv").problems.map((p) => `${p.line}:${p.column}:${p.value}:${p.rule}`)

describe("parseStudies", () => {
  it("reads correlations as Fisher z with variance 1/(n − 3), keeping moderators as text", () => {
    const result = parseStudies("study_id,r,n,rater,year\nA,0.3,50,client,2001\nB,-0.1,24,therapist,NA\n", "studies.csv")
    expect(result.kind).toBe("correlation")
    expect(result.problems).toEqual([])
    expect(result.moderatorColumns).toEqual(["rater", "year"])
    expect(result.effects).toHaveLength(2)
    const [a, b] = result.effects
    expect(a).toMatchObject({ study: "A", effect: "1", r: 0.3, n: 50, line: 2, moderators: { rater: "client", year: "2001" } })
    expect(a!.yi).toBe(Math.atanh(0.3))
    expect(a!.vi).toBe(1 / 47)
    expect(b!.moderators).toEqual({ rater: "therapist", year: null })
  })

  it("reads yi and vi when no correlation is given, with several effects per study by es_id", () => {
    const result = parseStudies("study_id,es_id,yi,vi\nA,1,0.2,0.01\nA,2,0.4,0.02\nB,1,-0.1,0.05\n", "studies.csv")
    expect(result.kind).toBe("generic")
    expect(result.effects.map((e) => [e.study, e.effect, e.yi, e.vi])).toEqual([
      ["A", "1", 0.2, 0.01],
      ["A", "2", 0.4, 0.02],
      ["B", "1", -0.1, 0.05],
    ])
  })

  it("names the row of r = 1, n = 3 and a negative variance, with the rule broken", () => {
    expect(where("study_id,r,n\nA,1,50\nB,0.2,3\nC,0.2,10.5\n")).toEqual([
      "2:r:1:must be a correlation strictly between -1 and 1 (r = ±1 has no Fisher z and no sampling variance)",
      "3:n:3:must be a whole number ≥ 4 (the variance of Fisher's z, 1/(n − 3), needs at least 4 pairs)",
      "4:n:10.5:must be a whole number ≥ 4 (the variance of Fisher's z, 1/(n − 3), needs at least 4 pairs)",
    ])
    expect(where("study_id,yi,vi\nA,0.2,-0.01\nB,0.1,0\nC,x,0.1\n")).toEqual([
      "2:vi:-0.01:must be a positive sampling variance",
      "3:vi:0:must be a positive sampling variance",
      "4:yi:x:must be a number",
    ])
  })

  it("refuses duplicate studies (or study and effect pairs), naming the earlier line", () => {
    expect(where("study_id,r,n\nA,0.1,20\nA,0.2,30\n")).toEqual([
      "3:study_id:A:each study_id must be unique (also on line 2); add an es_id column to give several effects per study",
    ])
    expect(where("study_id,es_id,r,n\nA,1,0.1,20\nA,2,0.2,30\nA,1,0.3,40\n")).toEqual(["4:es_id:1:each (study_id, es_id) pair must be unique (also on line 2)"])
  })

  it("requires the columns and the cells an effect needs", () => {
    expect(where("study,r,n\nA,0.1,20\n")).toEqual(["1:study_id:null:the column study_id is required"])
    expect(where("study_id,r\nA,0.1\n")).toEqual(["1:n:null:the column n is required (give r and n, or yi and vi)"])
    expect(where("study_id,r,n\nA,,20\n,0.2,30\n")).toEqual([
      "2:r:null:is required (an effect without it cannot be pooled)",
      "3:study_id:null:is required (an effect without it cannot be pooled)",
    ])
    expect(where("study_id,r,n\nA,0.1\n")).toEqual(["2::null:the row has 2 cells; the header has 3"])
  })

  it("reports an empty file, a header without rows, and text that is not CSV", () => {
    expect(where("")).toEqual(["1::null:the file is empty: a header row is required"])
    expect(where("study_id,r,n\n")).toEqual(["2::null:the file has no effect sizes: at least one row is required"])
    expect(where('study_id,r,n\nA,"0.1,20\n')[0]).toMatch(/^\d+::null:the file is not valid CSV/)
  })
})
