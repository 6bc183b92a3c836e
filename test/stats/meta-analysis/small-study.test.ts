/**
 * Small-study and sensitivity analyses against metafor (test/reference/small-study.R): the
 * regression test, fail-safe N and leave-one-out on dat.molloy2014, dat.mcdaniel1994, dat.bcg and
 * a toy set.
 */
import { describe, expect, it } from "vitest"
import { failSafeN, type FailSafeType } from "../../../src/stats/meta-analysis/fail-safe-n.ts"
import { influence } from "../../../src/stats/meta-analysis/influence.ts"
import { leaveOneOut } from "../../../src/stats/meta-analysis/leave-one-out.ts"
import { ranktest } from "../../../src/stats/meta-analysis/ranktest.ts"
import { regtest } from "../../../src/stats/meta-analysis/regtest.ts"
import { trimAndFill } from "../../../src/stats/meta-analysis/trim-and-fill.ts"
import type { RmaMethod, RmaTest } from "../../../src/stats/meta-analysis/rma-uni.ts"
import { type Provenance, readFixture } from "../../reference/read-fixture.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose } from "./fixture.ts"

interface SmallStudyDataset {
  readonly name: string
  readonly yi: readonly number[]
  readonly vi: readonly number[]
  readonly regtest: ReadonlyArray<{
    readonly model: "rma" | "lm"
    readonly method: RmaMethod
    readonly test: RmaTest
    readonly call: string
    readonly zval: number
    readonly pval: number
    readonly df: number
    readonly est: number
    readonly ciLb: number
    readonly ciUb: number
  }>
  readonly ranktest: { readonly tau: number; readonly pval: number }
  readonly influence: ReadonlyArray<{
    readonly method: RmaMethod
    readonly test: RmaTest
    readonly call: string
    readonly rstudent: readonly number[]
    readonly dffits: readonly number[]
    readonly cookD: readonly number[]
    readonly covRatio: readonly number[]
    readonly tau2Del: readonly number[]
    readonly QEdel: readonly number[]
    readonly hat: readonly number[]
    readonly weight: readonly number[]
    readonly dfbetas: readonly number[]
    readonly influential: readonly number[]
  }>
  readonly trimfill: ReadonlyArray<{
    readonly method: RmaMethod
    readonly estimator: "L0" | "R0"
    readonly side: "left" | "right" | number
    readonly call: string
    readonly k0: number
    readonly "se.k0": number
    readonly "p.k0": number
    readonly sideUsed: "left" | "right"
    readonly filledYi: readonly number[]
    readonly filledVi: readonly number[]
    readonly estimate: number
    readonly se: number
    readonly ciLb: number
    readonly ciUb: number
    readonly tau2: number
    readonly k: number
  }>
  readonly fsn: ReadonlyArray<{ readonly type: FailSafeType; readonly fsnum: number; readonly pval: number; readonly target: number }>
  readonly leave1out: ReadonlyArray<{
    readonly method: RmaMethod
    readonly test: RmaTest
    readonly estimate: readonly number[]
    readonly se: readonly number[]
    readonly zval: readonly number[]
    readonly pval: readonly number[]
    readonly ciLb: readonly number[]
    readonly ciUb: readonly number[]
    readonly Q: readonly number[]
    readonly Qp: readonly number[]
    readonly tau2: readonly number[]
    readonly I2: readonly number[]
    readonly H2: readonly number[]
  }>
}

const fixture = readFixture<{ readonly provenance: Provenance; readonly datasets: Readonly<Record<string, SmallStudyDataset>> }>("small-study")
const datasets = Object.values(fixture.datasets)
const iterative = (method: RmaMethod) => ["REML", "ML", "EB", "PM"].includes(method)

describe("regtest", () => {
  const cases = datasets.flatMap((d) => d.regtest.map((r) => ({ d, r, label: `${d.name}: ${r.call}` })))
  it.each(cases)("matches metafor for $label", ({ d, r }) => {
    const result = regtest(d.yi, d.vi, { model: r.model, method: r.method, test: r.test })
    if (result.status !== "estimated") throw new Error(result.reason)
    const tol = r.model === "rma" && iterative(r.method) ? tolerance.iterative : tolerance.closedForm
    expectClose(result.statistic, r.zval, tol, `${d.name} ${r.call} statistic`)
    expectClose(result.p, r.pval, Math.max(tol, tolerance.distribution), `${d.name} ${r.call} p`)
    expectClose(result.df, r.df, 0, `${d.name} ${r.call} df`)
    expectClose(result.limitEstimate, r.est, tol, `${d.name} ${r.call} limit estimate`)
    expectClose(result.limitCi[0], r.ciLb, tol, `${d.name} ${r.call} ci.lb`)
    expectClose(result.limitCi[1], r.ciUb, tol, `${d.name} ${r.call} ci.ub`)
  })

  it("is not estimable with fewer than 3 studies or equal standard errors", () => {
    expect(regtest([0.1, 0.2], [0.01, 0.02]).status).toBe("not_estimable")
    expect(regtest([0.1, 0.2, 0.4], [0.01, 0.01, 0.01]).status).toBe("not_estimable")
  })
})

describe("ranktest", () => {
  it.each(datasets.map((d) => ({ d, name: d.name })))("matches metafor's ranktest for $name", ({ d }) => {
    const result = ranktest(d.yi, d.vi)
    if (result.status !== "estimated") throw new Error(result.reason)
    expectClose(result.tau, d.ranktest.tau, tolerance.closedForm, `${d.name} tau`)
    // p-values compared in absolute terms: R's exact tail is 1 − P(T ≤ q − 1)
    expect(Math.abs(result.p - d.ranktest.pval), `${d.name} p ${result.p} vs R ${d.ranktest.pval}`).toBeLessThanOrEqual(1e-12)
  })
})

describe("trimAndFill", () => {
  const cases = datasets.flatMap((d) => d.trimfill.map((t) => ({ d, t, label: `${d.name}: ${t.call}` })))
  it.each(cases)("matches metafor for $label", ({ d, t }) => {
    // the fixture has NA (read as NaN) where the side was left to the data
    const r = trimAndFill(d.yi, d.vi, { method: t.method, estimator: t.estimator, ...(typeof t.side === "string" ? { side: t.side } : {}) })
    if (r.status !== "estimated") throw new Error(r.reason)
    const tol = iterative(t.method) ? tolerance.iterative : tolerance.closedForm
    const at = (q: string) => `${d.name} ${t.call} ${q}`
    expect(r.side).toBe(t.sideUsed)
    expect(r.k0).toBe(t.k0)
    expectClose(r.k0Se, t["se.k0"], tolerance.closedForm, at("se.k0"))
    expectClose(r.k0P, t["p.k0"], tolerance.closedForm, at("p.k0"))
    expect(r.filled.yi.length).toBe(t.filledYi.length)
    r.filled.yi.forEach((y, i) => expectClose(y, t.filledYi[i]!, tol, at(`filled yi[${i}]`)))
    r.filled.vi.forEach((v, i) => expectClose(v, t.filledVi[i]!, tolerance.closedForm, at(`filled vi[${i}]`)))
    expect(r.fit.k).toBe(t.k)
    expectClose(r.fit.estimate, t.estimate, tol, at("estimate"))
    expectClose(r.fit.se, t.se, tol, at("se"))
    expectClose(r.fit.ci[0], t.ciLb, tol, at("ci.lb"))
    expectClose(r.fit.ci[1], t.ciUb, tol, at("ci.ub"))
    if (t.tau2 === 0) expect(r.fit.tau2).toBe(0)
    else expectClose(r.fit.tau2, t.tau2, tol, at("tau2"))
  })
})

describe("influence", () => {
  const cases = datasets.flatMap((d) => d.influence.map((f) => ({ d, f, label: `${d.name}: ${f.call}` })))
  it.each(cases)("matches metafor for $label", ({ d, f }) => {
    const r = influence(d.yi, d.vi, { method: f.method, test: f.test })
    if (r.status !== "estimated") throw new Error(r.reason)
    const tol = iterative(f.method) ? tolerance.iterative : tolerance.closedForm
    r.studies.forEach((s, i) => {
      const at = (q: string) => `${d.name} ${f.call} study ${i + 1} ${q}`
      // values that vanish in R (rounding residue) are compared in absolute terms
      const close = (actual: number | null, expected: number, q: string) =>
        Math.abs(expected) < 1e-12 ? expect(Math.abs(actual ?? Number.NaN), at(q)).toBeLessThan(1e-10) : expectClose(actual, expected, tol, at(q))
      close(s.rstudent, f.rstudent[i]!, "rstudent")
      close(s.dffits, f.dffits[i]!, "dffits")
      close(s.cookD, f.cookD[i]!, "cook.d")
      close(s.covRatio, f.covRatio[i]!, "cov.r")
      if (f.tau2Del[i] === 0) expect(s.tau2Deleted).toBe(0)
      else close(s.tau2Deleted, f.tau2Del[i]!, "tau2.del")
      close(s.qDeleted, f.QEdel[i]!, "QE.del")
      close(s.hat, f.hat[i]!, "hat")
      close(s.weight, f.weight[i]!, "weight")
      close(s.dfbetas, f.dfbetas[i]!, "dfbetas")
      expect(s.influential, at("influential")).toBe(f.influential[i] === 1)
    })
  })
})

describe("failSafeN", () => {
  const cases = datasets.flatMap((d) => d.fsn.map((f) => ({ d, f, label: `${d.name} ${f.type}` })))
  it.each(cases)("matches metafor's fsn for $label", ({ d, f }) => {
    const result = failSafeN(d.yi, d.vi, { type: f.type })
    if (result.status !== "estimated") throw new Error(result.reason)
    expect(result.n).toBe(f.fsnum)
    expectClose(result.p, f.pval, tolerance.distribution, `${d.name} ${f.type} p`)
    expectClose(result.target, f.target, tolerance.closedForm, `${d.name} ${f.type} target`)
  })
})

describe("leaveOneOut", () => {
  const cases = datasets.flatMap((d) => d.leave1out.map((l) => ({ d, l, label: `${d.name} ${l.method}/${l.test}` })))
  it.each(cases)("matches metafor's leave1out for $label", ({ d, l }) => {
    const rows = leaveOneOut(d.yi, d.vi, { method: l.method, test: l.test })
    const tol = iterative(l.method) ? tolerance.iterative : tolerance.closedForm
    rows.forEach((row, i) => {
      expect(row.omitted).toBe(i)
      const fit = row.fit
      if (fit.status !== "estimated") throw new Error(fit.reason)
      const at = (q: string) => `${d.name} ${l.method}/${l.test} without study ${i + 1}: ${q}`
      expectClose(fit.estimate, l.estimate[i]!, tol, at("estimate"))
      expectClose(fit.se, l.se[i]!, tol, at("se"))
      expectClose(fit.statistic, l.zval[i]!, tol, at("zval"))
      expectClose(fit.p, l.pval[i]!, Math.max(tol, tolerance.distribution), at("pval"))
      expectClose(fit.ci[0], l.ciLb[i]!, tol, at("ci.lb"))
      expectClose(fit.ci[1], l.ciUb[i]!, tol, at("ci.ub"))
      expectClose(fit.q, l.Q[i]!, tolerance.closedForm, at("Q"))
      expectClose(fit.qP, l.Qp[i]!, tolerance.distribution, at("Qp"))
      if (l.tau2[i] === 0) expect(fit.tau2).toBe(0)
      else expectClose(fit.tau2, l.tau2[i]!, tol, at("tau2"))
      expectClose(fit.i2, l.I2[i]!, tol, at("I2"))
      expectClose(fit.h2, l.H2[i]!, tol, at("H2"))
    })
  })
})
