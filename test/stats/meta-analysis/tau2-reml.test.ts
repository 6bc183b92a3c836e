import { describe, expect, it } from "vitest"
import { tau2Reml } from "../../../src/stats/meta-analysis/tau2-reml.ts"
import { tolerance } from "../../tolerances.ts"
import { dataset, expectClose, fitsWhere, fixture } from "./fixture.ts"

describe("tau2Reml", () => {
  const cases = fitsWhere((f) => f.method === "REML" && f.test === "z")

  it.each(cases.map(([name, d, f]) => ({ name, d, f })))(
    "matches rma.uni(method = \"REML\") τ², se.tau2 and the iteration count for $name",
    ({ name, d, f }) => {
      const result = tau2Reml(d.yi, d.vi)
      expect(result.status).toBe("estimated")
      if (result.status !== "estimated") return
      expectClose(result.tau2, f.tau2, tolerance.iterative, `${name} tau2`)
      expectClose(result.se, f.tau2Se, tolerance.iterative, `${name} se.tau2`)
      expect(result.iterations).toBe(f.iterations)
      expect(result.method).toBe("REML")
      expect(result.k).toBe(d.yi.length)
    },
  )

  it("returns τ² = 0 exactly at the boundary (homogeneous sites)", () => {
    const d = dataset("homogeneous")
    const result = tau2Reml(d.yi, d.vi)
    expect(result.status === "estimated" && result.tau2).toBe(0)
  })

  it("is not estimable when Fisher scoring needs more iterations than allowed, as metafor stops", () => {
    const nc = fixture.nonconvergence
    expect(nc.errored).toBe(true)
    const d = dataset(nc.dataset)
    const result = tau2Reml(d.yi, d.vi, { maxIterations: 3 })
    expect(result.status).toBe("not_estimable")
    if (result.status === "not_estimable") expect(result.reason).toMatch(/did not converge/)
    expect(tau2Reml(d.yi, d.vi).status).toBe("estimated")
  })

  it("is not estimable for fewer than two studies, a non-positive variance or a missing value", () => {
    expect(tau2Reml([0.2], [0.01]).status).toBe("not_estimable")
    expect(tau2Reml([0.2, 0.3], [0.01, 0]).status).toBe("not_estimable")
    expect(tau2Reml([0.2, Number.NaN], [0.01, 0.02]).status).toBe("not_estimable")
    expect(() => tau2Reml([0.2, 0.3], [0.01])).toThrow(RangeError)
  })

  it("gives the documented example", () => {
    const result = tau2Reml([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
    expect(result.status === "estimated" && result.tau2).toBeCloseTo(0.016713183221701761, 15)
  })
})
