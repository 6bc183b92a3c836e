/** canonicalJson: one text per value, whatever the order its objects' keys were built in. */
import { describe, expect, it } from "vitest"
import { canonicalJson } from "../../src/io/hashing.ts"

describe("canonicalJson", () => {
  it("sorts every object's keys at every depth and keeps arrays in order", () => {
    const a = { k: 5, outcome: { range: [0, 27], instrument: "PHQ-9" }, families: [{ name: "b", predictors: ["y", "x"] }, { name: "a", predictors: [] }] }
    const b = { families: [{ predictors: ["y", "x"], name: "b" }, { predictors: [], name: "a" }], outcome: { instrument: "PHQ-9", range: [0, 27] }, k: 5 }
    expect(canonicalJson(a)).toBe(canonicalJson(b))
    expect(canonicalJson(a)).toBe('{"families":[{"name":"b","predictors":["y","x"]},{"name":"a","predictors":[]}],"k":5,"outcome":{"instrument":"PHQ-9","range":[0,27]}}')
    // a different value is a different text: array order matters
    expect(canonicalJson({ ...a, families: [...a.families].reverse() })).not.toBe(canonicalJson(a))
  })

  it("writes scalars and null as JSON.stringify does", () => {
    expect(canonicalJson(null)).toBe("null")
    expect(canonicalJson([1, "a", true, null])).toBe('[1,"a",true,null]')
  })
})
