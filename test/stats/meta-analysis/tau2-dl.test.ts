import { describe, expect, it } from "vitest"
import { tau2Dl } from "../../../src/stats/meta-analysis/tau2-dl.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose, fitsWhere } from "./fixture.ts"

describe("tau2Dl", () => {
  const cases = fitsWhere((f) => f.method === "DL" && f.test === "z")

  it.each(cases.map(([name, d, f]) => ({ name, d, f })))(
    "matches rma.uni(method = \"DL\") τ² and se.tau2 for $name",
    ({ name, d, f }) => {
      const result = tau2Dl(d.yi, d.vi)
      expect(result.status).toBe("estimated")
      if (result.status !== "estimated") return
      expectClose(result.tau2, f.tau2, tolerance.closedForm, `${name} tau2`)
      expectClose(result.se, f.tau2Se, tolerance.closedForm, `${name} se.tau2`)
      expect(result.iterations).toBe(0)
    },
  )

  it("is not estimable for a non-positive sampling variance", () => {
    expect(tau2Dl([0.2, 0.4], [0.01, -0.01]).status).toBe("not_estimable")
  })

  it("gives the documented example", () => {
    const result = tau2Dl([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
    expect(result.status === "estimated" && result.tau2).toBeCloseTo(0.016363636363636361, 15)
  })
})
