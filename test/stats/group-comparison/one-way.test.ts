/**
 * One-way F tests (src/stats/group-comparison/one-way.ts) against R's oneway.test, Welch and
 * equal-variance, on InsectSprays, PlantGrowth and a small unbalanced case
 * (test/reference/one-way.R): statistic and df to 1e-10, p to 1e-9.
 */
import { describe, expect, it } from "vitest"
import { classicOneWay, welchOneWay } from "../../../src/stats/group-comparison/one-way.ts"
import { readFixture } from "../../reference/read-fixture.ts"
import { relativeError, tolerance } from "../../tolerances.ts"

interface Test {
  statistic: number
  df1: number
  df2: number
  p: number
}
const fixture = readFixture<{ cases: Record<string, { groups: number[][]; welch: Test; classic: Test }> }>("one-way")

const same = (actual: Test, expected: Test, what: string) => {
  for (const key of ["statistic", "df1", "df2"] as const) {
    expect(relativeError(actual[key], expected[key]), `${what} ${key}: ${actual[key]} vs R ${expected[key]}`).toBeLessThanOrEqual(tolerance.closedForm)
  }
  expect(relativeError(actual.p, expected.p, 1e-300), `${what} p: ${actual.p} vs R ${expected.p}`).toBeLessThanOrEqual(tolerance.distribution)
}

describe("one-way F tests against oneway.test", () => {
  for (const [name, c] of Object.entries(fixture.cases)) {
    it(`gives R's Welch and equal-variance tests on ${name}`, () => {
      same(welchOneWay(c.groups), c.welch, `${name} Welch`)
      same(classicOneWay(c.groups), c.classic, `${name} classic`)
    })
  }

  it("is NaN when a group has fewer than two values or no variance (Welch)", () => {
    expect(welchOneWay([[1, 2, 3], [4]]).statistic).toBeNaN()
    expect(welchOneWay([[1, 2, 3], [4, 4, 4]]).p).toBeNaN()
    expect(welchOneWay([[1, 2, 3]]).statistic).toBeNaN()
  })
})
