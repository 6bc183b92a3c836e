import { describe, expect, it } from "vitest"
import { readMetaInputs } from "../../../src/stats/meta-analysis/inputs.ts"
import { qProfile, tau2ConfidenceInterval } from "../../../src/stats/meta-analysis/q-profile.ts"
import type { Tau2ConfidenceInterval } from "../../../src/stats/meta-analysis/q-profile.ts"
import { tolerance } from "../../tolerances.ts"
import { type ConfintReference, dataset, expectClose, fitsWhere, fixture } from "./fixture.ts"

/** metafor's uniroot tolerance in confint(): .Machine$double.eps^0.25 (absolute). */
const UNIROOT_TOL = Math.pow(Number.EPSILON, 0.25)

const estimated = (x: ReturnType<typeof tau2ConfidenceInterval>): Tau2ConfidenceInterval => {
  if (x.status !== "estimated") throw new Error(x.reason)
  return x
}

/** The bound kind implied by metafor's confint() output. */
const expectedKinds = (ci: ConfintReference): readonly [string, string] => {
  if (ci.ciNull) return ["empty", "empty"]
  const lower = ci.lbSign === ">" ? "beyond-search-limit" : ci.tau2[1] === ci.tau2Min ? "zero" : "root"
  const upper = ci.ubSign === ">" ? "beyond-search-limit" : "root"
  return [lower, upper]
}

const remlFits = fitsWhere((f) => f.method === "REML" && f.test === "z")

describe("tau2ConfidenceInterval", () => {
  it.each(remlFits.map(([name, d, f]) => ({ name, d, f })))(
    "matches confint(rma(method = \"REML\"), tol = 1e-13) for τ², I² and H² on $name",
    ({ name, d, f }) => {
      const tight = f.confintTight
      if (tight === undefined) throw new Error("fixture lacks confintTight")
      const ci = estimated(tau2ConfidenceInterval(d.yi, d.vi, 0.95))
      const [lowerKind, upperKind] = expectedKinds(tight)
      expect([ci.lowerBound, ci.upperBound]).toEqual([lowerKind, upperKind])
      expectClose(ci.searchLimit, tight.tau2Max, tolerance.closedForm, `${name} search limit`)
      if (lowerKind === "root" || lowerKind === "zero") {
        expectClose(ci.tau2[0], tight.tau2[1], tolerance.iterative, `${name} tau2 lower`)
        expectClose(ci.i2[0], tight.I2[1], tolerance.iterative, `${name} I2 lower`)
        expectClose(ci.h2[0], tight.H2[1], tolerance.iterative, `${name} H2 lower`)
      } else {
        expect([ci.tau2[0], ci.i2[0], ci.h2[0]]).toEqual([null, null, null])
      }
      if (upperKind === "root") {
        expectClose(ci.tau2[1], tight.tau2[2], tolerance.iterative, `${name} tau2 upper`)
        expectClose(ci.i2[1], tight.I2[2], tolerance.iterative, `${name} I2 upper`)
        expectClose(ci.h2[1], tight.H2[2], tolerance.iterative, `${name} H2 upper`)
      } else {
        expect([ci.tau2[1], ci.i2[1], ci.h2[1]]).toEqual([null, null, null])
      }
      expect(ci.note === null).toBe(lowerKind === "root" && upperKind === "root")
    },
  )

  it("agrees with metafor's default confint() to within its uniroot tolerance (eps^0.25)", () => {
    for (const [name, d, f] of remlFits) {
      const ci = estimated(tau2ConfidenceInterval(d.yi, d.vi, 0.95))
      const loose = f.confint
      if (loose === undefined) throw new Error("fixture lacks confint")
      if (ci.tau2[0] !== null) expect(Math.abs(ci.tau2[0] - (loose.tau2[1] ?? 0)), `${name} lower`).toBeLessThan(UNIROOT_TOL)
      if (ci.tau2[1] !== null) expect(Math.abs(ci.tau2[1] - (loose.tau2[2] ?? 0)), `${name} upper`).toBeLessThan(UNIROOT_TOL)
    }
  })

  it("matches confint() at other confidence levels", () => {
    for (const c of fixture.levels) {
      const d = dataset(c.dataset)
      const ci = estimated(tau2ConfidenceInterval(d.yi, d.vi, c.level, { tau2: c.tau2 }))
      expectClose(ci.tau2[0], c.tau2Ci[0], tolerance.iterative, `${c.call} tau2 lower`)
      expectClose(ci.tau2[1], c.tau2Ci[1], tolerance.iterative, `${c.call} tau2 upper`)
      expectClose(ci.i2[1], c.I2Ci[1], tolerance.iterative, `${c.call} I2 upper`)
      expectClose(ci.h2[1], c.H2Ci[1], tolerance.iterative, `${c.call} H2 upper`)
    }
  })

  it("returns null bounds with a reason when the interval is empty (Q below the lower χ² quantile)", () => {
    const d = dataset("null-set")
    const ci = estimated(tau2ConfidenceInterval(d.yi, d.vi))
    expect(ci.tau2).toEqual([null, null])
    expect(ci.note).toMatch(/empty/)
  })

  it("returns a null upper bound with a reason when it lies beyond the search limit", () => {
    const d = dataset("k2-wide")
    const ci = estimated(tau2ConfidenceInterval(d.yi, d.vi))
    expect(ci.tau2[1]).toBeNull()
    expect(ci.searchLimit).toBe(100)
    expect(ci.note).toMatch(/search limit/)
  })

  it("sets the search limit to 10·τ̂² when τ̂² > 10", () => {
    const d = dataset("wide-scale")
    const ci = estimated(tau2ConfidenceInterval(d.yi, d.vi))
    expect(ci.searchLimit).toBeGreaterThan(100)
    expect(ci.upperBound).toBe("root")
  })

  it("is not estimable for one study and rejects a level outside (0, 1)", () => {
    expect(tau2ConfidenceInterval([0.1], [0.01]).status).toBe("not_estimable")
    expect(() => tau2ConfidenceInterval([0.1, 0.2], [0.01, 0.01], 95)).toThrow(RangeError)
  })

  it("gives the documented example", () => {
    const ci = estimated(tau2ConfidenceInterval([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01], 0.95))
    expect(ci.tau2[0]).toBe(0)
    expectClose(ci.tau2[1], 0.39251503895766215, tolerance.iterative, "example upper")
    expect(ci.lowerBound).toBe("zero")
  })
})

describe("qProfile", () => {
  it("is the search behind tau2ConfidenceInterval, given validated inputs and τ̂²", () => {
    const d = dataset("bcg")
    const inputs = readMetaInputs(d.yi, d.vi)
    if (inputs.status !== "ok") throw new Error(inputs.reason)
    const direct = qProfile(inputs, 0.95, 0.3132433259808949)
    expect(direct).toEqual(tau2ConfidenceInterval(d.yi, d.vi, 0.95))
  })
})
