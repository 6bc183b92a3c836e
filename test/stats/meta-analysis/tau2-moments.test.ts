/**
 * The τ² estimators beyond REML, ML and DL — Hedges (HE), Hunter–Schmidt (HS), Sidik–Jonkman
 * (SJ), Paule–Mandel (PM) and empirical Bayes (EB) — against metafor on every fixture dataset
 * (test/reference/meta-analysis.R), and their documented examples.
 */
import { describe, expect, it } from "vitest"
import type { Tau2Estimate } from "../../../src/stats/meta-analysis/tau2-estimate.ts"
import { tau2Eb } from "../../../src/stats/meta-analysis/tau2-eb.ts"
import { tau2He } from "../../../src/stats/meta-analysis/tau2-he.ts"
import { tau2Hs } from "../../../src/stats/meta-analysis/tau2-hs.ts"
import { tau2Pm } from "../../../src/stats/meta-analysis/tau2-pm.ts"
import { tau2Sj } from "../../../src/stats/meta-analysis/tau2-sj.ts"
import type { NotEstimable } from "../../../src/stats/types.ts"
import { tolerance } from "../../tolerances.ts"
import { dataset, expectClose, fitsWhere } from "./fixture.ts"

const estimated = (x: Tau2Estimate | NotEstimable): Tau2Estimate => {
  if (x.status !== "estimated") throw new Error(x.reason)
  return x
}

const estimators = [
  ["HE", tau2He, tolerance.closedForm],
  ["HS", tau2Hs, tolerance.closedForm],
  ["SJ", tau2Sj, tolerance.closedForm],
  ["PM", tau2Pm, tolerance.iterative],
  ["EB", tau2Eb, tolerance.iterative],
] as const

describe.each(estimators)("tau2 %s", (method, estimator, tol) => {
  it.each(fitsWhere((f) => f.method === method && f.test === "z").map(([name, d, f]) => ({ name, d, f })))(
    "matches rma.uni τ² and se.tau2 for $name",
    ({ name, d, f }) => {
      const r = estimated(estimator(d.yi, d.vi))
      expect(r.method).toBe(method)
      expect(r.reference).toBe(`metafor::rma.uni(yi, vi, method = "${method}")`)
      if (f.tau2 === 0) expect(r.tau2).toBe(0)
      else expectClose(r.tau2, f.tau2, tol, `${name} ${method} tau2`)
      expectClose(r.se, f.tau2Se, tol, `${name} ${method} se.tau2`)
    },
  )

  it("is not estimable for a non-positive sampling variance or a single study", () => {
    expect(estimator([0.2, 0.4], [0.01, -0.01]).status).toBe("not_estimable")
    expect(estimator([0.2], [0.01]).status).toBe("not_estimable")
  })
})

describe("documented examples (R: rma(c(0.1, 0.3, 0.5, 0.2), c(0.01, 0.02, 0.015, 0.01), method = ...))", () => {
  const yi = [0.1, 0.3, 0.5, 0.2]
  const vi = [0.01, 0.02, 0.015, 0.01]
  it.each([
    ["HE", tau2He, 0.015416666666666667, 0.023974330408136915],
    ["HS", tau2Hs, 0.0088088642659279789, 0.013055393593464892],
    ["SJ", tau2Sj, 0.018327947515409546, 0.0160675808772025],
    ["PM", tau2Pm, 0.016235407376579011, 0.024041984736488168],
    ["EB", tau2Eb, 0.016235583472685923, 0.024042130974779766],
  ] as const)("%s", (method, estimator, tau2, se) => {
    const r = estimated(estimator(yi, vi))
    expectClose(r.tau2, tau2, tolerance.closedForm, `${method} tau2`)
    expectClose(r.se, se, tolerance.closedForm, `${method} se`)
  })
})

describe("Paule–Mandel and empirical Bayes", () => {
  // R: rma(yi, vi, method = "PM" / "EB", control = list(tol = 1e-13, threshold = 1e-13)) on
  // escalc("ZCOR", ri, ni, data = dat.mcdaniel1994): 0.034432030097780036 and 0.034432030097784443
  it("solve the same equation: with tight tolerances both give its root", () => {
    const d = dataset("mcdaniel1994")
    const pm = estimated(tau2Pm(d.yi, d.vi, { tolerance: 0 }))
    const eb = estimated(tau2Eb(d.yi, d.vi, { threshold: 1e-13 }))
    expectClose(pm.tau2, 0.034432030097780036, 1e-12, "PM exact root")
    expectClose(eb.tau2, 0.034432030097784443, 1e-12, "EB tight")
  })

  it("stops where metafor's default tolerance stops, which is not the root", () => {
    // metafor's default PM here is 0.03445114058294535, 5.5e-4 from the root (see the fixture)
    const d = dataset("mcdaniel1994")
    const loose = estimated(tau2Pm(d.yi, d.vi))
    expect(Math.abs(loose.tau2 - 0.034432030097780036) / 0.034432030097780036).toBeGreaterThan(1e-4)
  })

  it("gives τ² = 0 when Q(0) is below k − 1, and declines when the root lies above τ² = 100", () => {
    expect(estimated(tau2Pm([0.1, 0.11, 0.12], [0.01, 0.01, 0.01])).tau2).toBe(0)
    expect(tau2Pm([-40, 0, 40], [0.01, 0.01, 0.01]).status).toBe("not_estimable")
  })
})
