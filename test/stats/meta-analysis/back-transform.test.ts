import { describe, expect, it } from "vitest"
import { zToCorrelation } from "../../../src/stats/meta-analysis/back-transform.ts"
import { rmaUni } from "../../../src/stats/meta-analysis/rma-uni.ts"
import { tolerance } from "../../tolerances.ts"
import { dataset, expectClose, fixture } from "./fixture.ts"

describe("zToCorrelation", () => {
  it.each(fixture.backTransform.map((c) => ({ c, label: `${c.dataset}: ${c.call}` })))(
    "matches $label",
    ({ c }) => {
      const d = dataset(c.dataset)
      const fit = rmaUni(d.yi, d.vi, { test: c.test })
      if (fit.status !== "estimated") throw new Error(fit.reason)
      const r = zToCorrelation(fit)
      expectClose(r.estimate, c.estimate, tolerance.iterative, "estimate")
      expectClose(r.ci[0], c.ciLb, tolerance.iterative, "ci.lb")
      expectClose(r.ci[1], c.ciUb, tolerance.iterative, "ci.ub")
      expectClose(r.pi[0], c.piLb, tolerance.iterative, "pi.lb")
      expectClose(r.pi[1], c.piUb, tolerance.iterative, "pi.ub")
    },
  )

  it("applies tanh to each quantity, keeping bounds ordered", () => {
    const r = zToCorrelation({ estimate: 0.5, ci: [0.2, 0.8], pi: [-0.1, 1.1] })
    expect(r.estimate).toBe(Math.tanh(0.5))
    expect(r.ci).toEqual([Math.tanh(0.2), Math.tanh(0.8)])
    expect(r.pi[0]).toBeLessThan(r.ci[0])
    expect(r.pi[1]).toBeLessThan(1)
  })

  it("gives the documented example", () => {
    const fit = rmaUni([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
    if (fit.status !== "estimated") throw new Error(fit.reason)
    const r = zToCorrelation(fit)
    expectClose(r.estimate, 0.25724475505810335, tolerance.iterative, "estimate")
    expectClose(r.pi[1], 0.5139103432594021, tolerance.iterative, "pi.ub")
  })
})
