/**
 * The multilevel Egger test and leave-one-study-out refits of the three-level model against
 * metafor::rma.mv with mods = ~ sqrt(vi) and clubSandwich CR2, and rma.mv refitted without each
 * study (test/reference/three-level.R). Iterative tolerances; bounds on the scale of their se.
 */
import { describe, expect, it } from "vitest"
import { rmaThreeLevel } from "../../../src/stats/meta-analysis/three-level.ts"
import { type LeftOutStudy, threeLevelEgger, threeLevelLeaveOneOut } from "../../../src/stats/meta-analysis/three-level-sensitivity.ts"
import { matrixFromRows } from "../../../src/stats/numeric/matrix.ts"
import { tolerance } from "../../tolerances.ts"
import { expectAllClose, fixture } from "./three-level-fixture.ts"

const tol = tolerance.iterative

describe("threeLevelEgger", () => {
  const cases = Object.entries(fixture.datasets).flatMap(([name, d]) => d.fits.filter((f) => f.design === "sei").map((f) => ({ d, f, label: `${name} ${f.method}/${f.test}` })))

  it.each(cases)("matches rma.mv(mods = ~ sqrt(vi)) and its CR2 coef_test for $label", ({ d, f }) => {
    const r = threeLevelEgger({ yi: d.yi, vi: d.vi, study: d.study }, { method: f.method, test: f.test })
    if (r.status !== "estimated") throw new Error(r.reason)
    const [limit, slope] = [0, 1]
    expect([r.limit.name, r.slope.name]).toEqual(["intrcpt", "sei"])
    expectAllClose([r.limit.estimate, r.slope.estimate], [f.estimate[limit]!, f.estimate[slope]!], tol, "estimates")
    expectAllClose([r.limit.se, r.slope.se, r.limit.p, r.slope.p], [f.se[limit]!, f.se[slope]!, f.p[limit]!, f.p[slope]!], tol, "model-based se, p")
    expectAllClose([r.limit.ci[0], r.limit.ci[1]], [f.ciLb[limit]!, f.ciUb[limit]!], tol, "limit CI", f.se[limit]!)
    expect(r.df).toBe(f.test === "t" ? d.yi.length - 2 : null)
    expectAllClose([r.robustSlope.se, r.robustSlope.statistic, r.robustSlope.df, r.robustSlope.p], [f.cr2.se[slope]!, f.cr2.statistic[slope]!, f.cr2.df[slope]!, f.cr2.p[slope]!], tol, "CR2 slope")
    expectAllClose([r.robustLimit.se, r.robustLimit.df, r.robustLimit.p], [f.cr2.se[limit]!, f.cr2.df[limit]!, f.cr2.p[limit]!], tol, "CR2 limit")
    expectAllClose([r.robustLimit.ci[0], r.robustLimit.ci[1]], [f.cr2.ciLb[limit]!, f.cr2.ciUb[limit]!], tol, "CR2 limit CI", f.cr2.se[limit]!)
  })

  it("is not estimable when every effect has the same standard error", () => {
    const r = threeLevelEgger({ yi: [0.1, 0.3, 0.2, 0.5, 0.4], vi: [0.02, 0.02, 0.02, 0.02, 0.02], study: ["a", "a", "b", "b", "c"] })
    expect(r).toMatchObject({ status: "not_estimable" })
  })
})

describe("threeLevelLeaveOneOut", () => {
  const cases = Object.entries(fixture.datasets).flatMap(([name, d]) => d.leaveOneStudyOut.map((l) => ({ d, l, label: `${name} ${l.method}/${l.test}` })))

  it.each(cases)("matches rma.mv refitted without each study for $label", ({ d, l }) => {
    const rows = threeLevelLeaveOneOut({ yi: d.yi, vi: d.vi, study: d.study }, { method: l.method, test: l.test })
    expect(rows.map((r) => r.study)).toEqual(l.rows.map((r) => r.study))
    const fits = rows.map((r): LeftOutStudy => {
      if (r.status !== "estimated") throw new Error(r.reason)
      return r
    })
    const spread = l.rows.map((e) => Math.sqrt(e.se ** 2 + e.sigma2[0]! + e.sigma2[1]!))
    expect(fits.map((r) => r.k)).toEqual(l.rows.map((e) => e.k))
    expectAllClose(fits.map((r) => r.estimate), l.rows.map((e) => e.estimate), tol, "estimate")
    expectAllClose(fits.map((r) => r.se), l.rows.map((e) => e.se), tol, "se")
    expectAllClose(fits.map((r) => r.statistic), l.rows.map((e) => e.statistic), tol, "statistic")
    expectAllClose(fits.map((r) => r.p), l.rows.map((e) => e.p), tol, "p")
    const se = l.rows.map((e) => e.se)
    expectAllClose(fits.map((r) => r.ci[0]), l.rows.map((e) => e.ciLb), tol, "ci.lb", se)
    expectAllClose(fits.map((r) => r.ci[1]), l.rows.map((e) => e.ciUb), tol, "ci.ub", se)
    expectAllClose(fits.map((r) => r.pi[0]), l.rows.map((e) => e.piLb), tol, "pi.lb", spread)
    expectAllClose(fits.map((r) => r.pi[1]), l.rows.map((e) => e.piUb), tol, "pi.ub", spread)
    expectAllClose(fits.flatMap((r) => r.sigma2), l.rows.flatMap((e) => e.sigma2), tol, "sigma2")
  })

  it("carries the moderators' rows of the remaining effects into each refit", () => {
    const d = fixture.datasets["assink2016"]!
    const x = matrixFromRows(d.yi.map((_, i) => [1, Math.sqrt(d.vi[i]!)]))
    const rows = threeLevelLeaveOneOut({ yi: d.yi, vi: d.vi, study: d.study, x, names: ["intrcpt", "sei"] })
    const left = rows[2]!
    const keep = d.study.flatMap((s, i) => (s === left.study ? [] : [i]))
    const direct = rmaThreeLevel({ yi: keep.map((i) => d.yi[i]!), vi: keep.map((i) => d.vi[i]!), study: keep.map((i) => d.study[i]!), x: matrixFromRows(keep.map((i) => [1, Math.sqrt(d.vi[i]!)])) })
    if (left.status !== "estimated" || direct.status !== "estimated") throw new Error("not estimated")
    expect(left.estimate).toBe(direct.coefficients[0]!.estimate)
    expect(left.sigma2).toEqual(direct.sigma2)
  })

  it("names the study whose removal leaves a model that cannot be fitted", () => {
    const rows = threeLevelLeaveOneOut({ yi: [0.1, 0.3, 0.2, 0.5, 0.4], vi: [0.02, 0.03, 0.02, 0.01, 0.02], study: ["a", "a", "a", "b", "b"] })
    expect(rows).toMatchObject([
      { study: "a", status: "not_estimable" },
      { study: "b", status: "not_estimable" },
    ])
  })
})
