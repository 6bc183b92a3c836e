/**
 * Scoring item responses by the registry's rules (src/derive/scoring.ts, data-schemas/instruments/)
 * on rows worked by hand.
 */
import { describe, expect, it } from "vitest"
import { INSTRUMENTS } from "../../data-schemas/instruments/registry.ts"
import { scoreItems } from "../../src/derive/scoring.ts"

const NA = Number.NaN
/** rows of responses → one column per item */
const columns = (rows: number[][]) => rows[0]!.map((_, item) => Float64Array.from(rows, (r) => r[item]!))

describe("scoreItems", () => {
  it("sums PHQ-9, prorates one missing item, leaves two missing unscored, and flags an out-of-range response", () => {
    const phq9 = INSTRUMENTS.get("phq9")!
    const scored = scoreItems(
      phq9,
      columns([
        [3, 3, 2, 2, 1, 1, 0, 0, 1], //  13
        [3, 3, 2, 2, 1, 1, 0, 0, NA], // 12 over 8 items → 12/8 · 9 = 13.5
        [3, 3, 2, 2, 1, 1, 0, NA, NA], // two missing: unscored
        [3, 3, 2, 2, 1, 1, 0, 0, 4], //  4 is outside 0–3
        [NA, NA, NA, NA, NA, NA, NA, NA, NA], // not assessed: missing, not counted
      ]),
    )
    expect([...scored.total.scores]).toEqual([13, 13.5, NA, NA, NA])
    expect([scored.total.prorated, scored.total.tooManyMissing]).toEqual([1, 1])
    expect(scored.problems).toEqual([{ row: 3, item: 9, value: 4, rule: "PHQ-9 (Patient Health Questionnaire, depression) item 9 must lie in 0–3" }])
  })

  it("reverses CORE-10's positively worded items (2 and 3) before summing", () => {
    const core10 = INSTRUMENTS.get("core10")!
    // items 2 and 3 answered 4 and 3 → scored 0 and 1
    const scored = scoreItems(core10, columns([[1, 4, 3, 1, 1, 1, 1, 1, 1, 1]]))
    expect([...scored.total.scores]).toEqual([8 + 0 + 1])
  })

  it("averages WAI-SR and its subscales, where a missing item leaves the subscale unscored", () => {
    const wai = INSTRUMENTS.get("wai_sr")!
    //            1  2  3  4  5  6  7  8  9 10 11 12
    const full = [5, 4, 3, 2, 3, 2, 3, 2, 3, 5, 2, 4]
    const oneMissing = [5, 4, NA, 2, 3, 2, 3, 2, 3, 5, 2, 4]
    const scored = scoreItems(wai, columns([full, oneMissing]))
    expect([...scored.total.scores]).toEqual([38 / 12, 35 / 11])
    // task = items 1, 2, 10, 12; bond = 3, 5, 7, 9; goal = 4, 6, 8, 11
    expect([...scored.subscales.get("task")!.scores]).toEqual([4.5, 4.5])
    expect([...scored.subscales.get("bond")!.scores]).toEqual([3, NA])
    expect([...scored.subscales.get("goal")!.scores]).toEqual([2, 2])
    expect(scored.subscales.get("bond")!.tooManyMissing).toBe(1)
  })

  it("refuses a number of columns that is not the instrument's", () => {
    expect(() => scoreItems(INSTRUMENTS.get("gad7")!, columns([[1, 2, 3]]))).toThrow(RangeError)
  })
})

describe("the instrument registry", () => {
  it("holds the instruments issue 7 names, each marked unverified until checked against its source", () => {
    expect([...INSTRUMENTS.keys()]).toEqual(["phq9", "gad7", "wai_sr", "ors", "srs", "core10", "oq45"])
    for (const instrument of INSTRUMENTS.values()) {
      for (const sourced of [instrument.cut_off, instrument.reliable_change, instrument.subscales, instrument.reversed]) {
        if (sourced !== null) expect(sourced.verified).toBe(false)
      }
    }
  })
})
