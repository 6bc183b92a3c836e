import { describe, expect, it } from "vitest"
import {
  cochranQ,
  h2FromQ,
  h2FromTau2,
  i2FromQ,
  i2FromTau2,
  typicalWithinVariance,
} from "../../../src/stats/meta-analysis/heterogeneity.ts"
import { tolerance } from "../../tolerances.ts"
import { expectClose, fitsWhere } from "./fixture.ts"

const reml = fitsWhere((f) => f.method === "REML" && f.test === "z")
const ee = fitsWhere((f) => f.method === "EE")

describe("cochranQ", () => {
  it("matches rma.uni QE, QEp and vt for every dataset", () => {
    for (const [name, d, f] of reml) {
      const result = cochranQ(d.yi, d.vi)
      expect(result.status).toBe("estimated")
      if (result.status !== "estimated") continue
      // Q is ~0 for the identical-estimates set, where only an absolute comparison makes sense
      if (f.QE < 1e-12) expect(result.q).toBeLessThan(1e-12)
      else expectClose(result.q, f.QE, tolerance.closedForm, `${name} Q`)
      expectClose(result.p, f.QEp, tolerance.distribution, `${name} Q p`)
      expectClose(result.typicalVariance, f.vt, tolerance.closedForm, `${name} vt`)
      expect(result.df).toBe(d.yi.length - 1)
    }
  })

  it("gives the documented example", () => {
    const result = cochranQ([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01])
    expect(result.status === "estimated" && result.q).toBeCloseTo(6.7894736842105265, 14)
  })

  it("is not estimable for a single study", () => {
    expect(cochranQ([0.1], [0.01]).status).toBe("not_estimable")
  })
})

describe("typicalWithinVariance", () => {
  it("matches rma.uni vt, (k − 1)Σw / ((Σw)² − Σw²)", () => {
    for (const [name, d, f] of reml) expectClose(typicalWithinVariance(d.vi), f.vt, tolerance.closedForm, `${name} vt`)
  })

  it("equals the common variance when all variances are equal", () => {
    expect(typicalWithinVariance([0.04, 0.04, 0.04])).toBeCloseTo(0.04, 15)
  })
})

describe("i2FromTau2", () => {
  it("reproduces rma.uni I² from τ² and vt", () => {
    for (const [name, , f] of fitsWhere((f) => f.method !== "EE")) {
      expectClose(i2FromTau2(f.tau2, f.vt), f.I2, tolerance.closedForm, `${name} ${f.method} I2`)
    }
  })

  it("is 0 at τ² = 0", () => {
    expect(i2FromTau2(0, 0.01)).toBe(0)
  })
})

describe("h2FromTau2", () => {
  it("reproduces rma.uni H² from τ² and vt", () => {
    for (const [name, , f] of fitsWhere((f) => f.method !== "EE")) {
      expectClose(h2FromTau2(f.tau2, f.vt), f.H2, tolerance.closedForm, `${name} ${f.method} H2`)
    }
  })
})

describe("i2FromQ", () => {
  it("reproduces the equal-effects I², including 0 when Q ≤ k − 1", () => {
    for (const [name, d, f] of ee) expectClose(i2FromQ(f.QE, d.yi.length - 1), f.I2, tolerance.closedForm, `${name} I2`)
    expect(i2FromQ(0, 4)).toBe(0)
  })
})

describe("h2FromQ", () => {
  it("reproduces the equal-effects H² = Q/(k − 1)", () => {
    for (const [name, d, f] of ee) {
      if (f.H2 === 0) expect(h2FromQ(f.QE, d.yi.length - 1)).toBeLessThan(1e-12)
      else expectClose(h2FromQ(f.QE, d.yi.length - 1), f.H2, tolerance.closedForm, `${name} H2`)
    }
  })
})
