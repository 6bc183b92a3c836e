import { describe, expect, it } from "vitest"
import { tau2Ml } from "../../../src/stats/meta-analysis/tau2-ml.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose, fitsWhere } from "./fixture.ts"

describe("tau2Ml", () => {
  const cases = fitsWhere((f) => f.method === "ML" && f.test === "z")

  it.each(cases.map(([name, d, f]) => ({ name, d, f })))(
    "matches rma.uni(method = \"ML\") τ², se.tau2 and the iteration count for $name",
    ({ name, d, f }) => {
      const result = tau2Ml(d.yi, d.vi)
      expect(result.status).toBe("estimated")
      if (result.status !== "estimated") return
      expectClose(result.tau2, f.tau2, tolerance.iterative, `${name} tau2`)
      expectClose(result.se, f.tau2Se, tolerance.iterative, `${name} se.tau2`)
      expect(result.iterations).toBe(f.iterations)
    },
  )

  it("is not estimable for fewer than two studies", () => {
    expect(tau2Ml([0.2], [0.01]).status).toBe("not_estimable")
  })

  it("gives the documented example", () => {
    const result = tau2Ml([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
    expect(result.status === "estimated" && result.tau2).toBeCloseTo(0.0091309433458698231, 15)
  })
})
