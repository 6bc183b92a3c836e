import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { type RmaMethod, type RmaUniResult, rmaUni } from "../../../src/stats/meta-analysis/rma-uni.ts"
import type { NotEstimable } from "../../../src/stats/types.ts"
import { tolerance } from "../../tolerances.ts"
import { dataset, expectClose, type FitReference, fitsWhere, fixture } from "./fixture.ts"

const estimated = (x: RmaUniResult | NotEstimable): RmaUniResult => {
  if (x.status !== "estimated") throw new Error(x.reason)
  return x
}

/** τ²-dependent quantities come from an iterative estimator for REML/ML/EB/PM, closed forms otherwise. */
const tau2Tolerance = (f: FitReference): number =>
  ["REML", "ML", "EB", "PM"].includes(f.method) ? tolerance.iterative : tolerance.closedForm

// metafor reports a zero-width Knapp–Hartung interval when every yi is identical; rmaUni declines.
const goldenFits = fitsWhere(() => true).filter(([name, , f]) => !(name === "identical" && f.test === "knha"))

describe("rmaUni", () => {
  it.each(goldenFits.map(([name, d, f]) => ({ name, d, f, label: `${name}: ${f.call}` })))(
    "matches metafor for $label",
    ({ name, d, f }) => {
      const r = estimated(rmaUni(d.yi, d.vi, { method: f.method, test: f.test }))
      const at = (q: string) => `${name} ${f.method}/${f.test} ${q}`
      const tol = tau2Tolerance(f)
      expect(r.k).toBe(f.k)
      expectClose(r.tau2, f.tau2, tol, at("tau2"))
      expectClose(r.tau2Se, f.tau2Se, tol, at("se.tau2"))
      expectClose(r.estimate, f.estimate, tol, at("estimate"))
      expectClose(r.se, f.se, tol, at("se"))
      expectClose(r.statistic, f.statistic, tol, at("statistic"))
      expectClose(r.p, f.p, Math.max(tol, tolerance.distribution), at("p"))
      expectClose(r.ci[0], f.ciLb, tol, at("ci.lb"))
      expectClose(r.ci[1], f.ciUb, tol, at("ci.ub"))
      expectClose(r.df, f.df, 0, at("df"))
      expectClose(r.i2, f.I2, tol, at("I2"))
      expectClose(r.h2, f.H2, tol, at("H2"))
      if (f.QE < 1e-12) expect(r.q).toBeLessThan(1e-12)
      else expectClose(r.q, f.QE, tolerance.closedForm, at("QE"))
      expectClose(r.qP, f.QEp, tolerance.distribution, at("QEp"))
      expectClose(r.typicalVariance, f.vt, tolerance.closedForm, at("vt"))
      // R reports no iteration count for PM (uniroot's is not kept)
      if (!Number.isNaN(f.iterations)) expect(r.iterations).toBe(f.iterations)
      if (f.test === "knha") expectClose(r.knhaFactor, f.s2w, tol, at("s2w"))
      else expect(r.knhaFactor).toBeNull()
      if (f.method === "EE") {
        // metafor's predict() gives no PI for an EE model; with τ² = 0 it equals the CI
        expect(r.pi).toEqual(r.ci)
      } else {
        expectClose(r.pi[0], f.piLb, tol, at("pi.lb"))
        expectClose(r.pi[1], f.piUb, tol, at("pi.ub"))
      }
      f.weights.forEach((w, i) => expectClose(r.weights[i] ?? null, w, tol, at(`weights[${i}]`)))
      expect(r.reference).toBe(f.call)
    },
  )

  it("carries the Q-profile interval, with a null interval and a note whenever a bound is missing", () => {
    for (const [name, d, f] of goldenFits.filter(([, , f]) => f.method !== "EE")) {
      const r = estimated(rmaUni(d.yi, d.vi, { method: f.method, test: f.test }))
      const tight = f.confintTight
      if (tight === undefined || r.qProfile === null) throw new Error(`${name}: no Q-profile`)
      const complete = r.qProfile.tau2[0] !== null && r.qProfile.tau2[1] !== null
      expect(r.tau2Ci === null, name).toBe(!complete)
      if (r.tau2Ci !== null && r.i2Ci !== null && r.h2Ci !== null) {
        expectClose(r.tau2Ci[0], tight.tau2[1], tolerance.iterative, `${name} ${f.method} tau2 ci.lb`)
        expectClose(r.tau2Ci[1], tight.tau2[2], tolerance.iterative, `${name} ${f.method} tau2 ci.ub`)
        expectClose(r.i2Ci[1], tight.I2[2], tolerance.iterative, `${name} ${f.method} I2 ci.ub`)
        expectClose(r.h2Ci[1], tight.H2[2], tolerance.iterative, `${name} ${f.method} H2 ci.ub`)
      } else {
        expect(r.tau2CiNote, name).not.toBeNull()
      }
    }
  })

  it("has no τ² interval for the equal-effects model", () => {
    const d = dataset("bcg")
    const r = estimated(rmaUni(d.yi, d.vi, { method: "EE" }))
    expect([r.tau2Ci, r.i2Ci, r.h2Ci, r.qProfile, r.tau2Se]).toEqual([null, null, null, null, null])
  })

  it("matches metafor at confidence levels other than 95%", () => {
    for (const c of fixture.levels) {
      const d = dataset(c.dataset)
      const r = estimated(rmaUni(d.yi, d.vi, { method: c.method, test: c.test, level: c.level }))
      expectClose(r.ci[0], c.ciLb, tolerance.iterative, `${c.call} ci.lb`)
      expectClose(r.ci[1], c.ciUb, tolerance.iterative, `${c.call} ci.ub`)
      expectClose(r.pi[0], c.piLb, tolerance.iterative, `${c.call} pi.lb`)
      expectClose(r.pi[1], c.piUb, tolerance.iterative, `${c.call} pi.ub`)
      expectClose(r.tau2Ci?.[0] ?? null, c.tau2Ci[0], tolerance.iterative, `${c.call} tau2 ci.lb`)
      expectClose(r.tau2Ci?.[1] ?? null, c.tau2Ci[1], tolerance.iterative, `${c.call} tau2 ci.ub`)
      expect(r.reference).toBe(c.call)
    }
  })

  it("does not truncate the Knapp–Hartung factor at 1 (metafor test = \"knha\")", () => {
    const below = goldenFits.filter(([, , f]) => f.test === "knha" && f.s2w < 1)
    expect(below.length).toBeGreaterThan(0)
    for (const [, d, f] of below) {
      const r = estimated(rmaUni(d.yi, d.vi, { method: f.method, test: "knha" }))
      expect(r.knhaFactor).toBeLessThan(1)
    }
  })

  it("is not estimable for k < 2, a non-positive or non-finite variance, or non-finite estimates", () => {
    expect(rmaUni([0.3], [0.01]).status).toBe("not_estimable")
    expect(rmaUni([], []).status).toBe("not_estimable")
    expect(rmaUni([0.3, 0.2], [0.01, 0]).status).toBe("not_estimable")
    expect(rmaUni([0.3, 0.2], [0.01, Number.POSITIVE_INFINITY]).status).toBe("not_estimable")
    expect(rmaUni([0.3, Number.NaN], [0.01, 0.02]).status).toBe("not_estimable")
  })

  it("is not estimable under Knapp–Hartung when every estimate is identical (metafor: se = 0)", () => {
    const d = dataset("identical")
    const metafor = d.fits.find((f) => f.method === "REML" && f.test === "knha")
    expect(metafor?.s2w).toBe(0)
    const r = rmaUni(d.yi, d.vi, { test: "knha" })
    expect(r.status).toBe("not_estimable")
    if (r.status === "not_estimable") expect(r.reason).toMatch(/Knapp-Hartung/)
  })

  it("throws for mismatched lengths or a level outside (0, 1)", () => {
    expect(() => rmaUni([0.1, 0.2], [0.01])).toThrow(RangeError)
    expect(() => rmaUni([0.1, 0.2], [0.01, 0.02], { level: 95 })).toThrow(RangeError)
  })

  it("gives the documented example", () => {
    const r = estimated(rmaUni([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]))
    expectClose(r.estimate, 0.26315566372553389, tolerance.iterative, "estimate")
    expectClose(r.pi[1], 0.56802906400630837, tolerance.iterative, "pi.ub")
  })

  describe("properties", () => {
    const options = { seed: 20240611, numRuns: 200 }
    const methods: readonly RmaMethod[] = ["REML", "ML", "DL", "HE", "HS", "SJ", "PM", "EB", "EE"]
    /** k studies of correlations: yi on the Fisher z scale, vi = 1/(n − 3). */
    const studies = fc
      .array(fc.record({ yi: fc.double({ min: -1.5, max: 1.5, noNaN: true }), n: fc.integer({ min: 4, max: 2000 }) }), {
        minLength: 2,
        maxLength: 30,
      })
      .map((rows) => ({ yi: rows.map((r) => r.yi), vi: rows.map((r) => 1 / (r.n - 3)) }))
    const method = fc.constantFrom(...methods)
    const test = fc.constantFrom("z" as const, "knha" as const)
    const fit = (s: { yi: number[]; vi: number[] }, m: RmaMethod, t: "z" | "knha" = "z") =>
      rmaUni(s.yi, s.vi, { method: m, test: t })

    it("keeps I² in [0, 100] and τ² ≥ 0", () => {
      fc.assert(
        fc.property(studies, method, (s, m) => {
          const r = estimated(fit(s, m))
          return r.i2 >= 0 && r.i2 <= 100 && r.tau2 >= 0 && r.h2 >= 0
        }),
        options,
      )
    })

    it("has a CI that contains the estimate and a PI that contains the CI", () => {
      fc.assert(
        fc.property(studies, method, test, (s, m, t) => {
          const r = fit(s, m, t)
          if (r.status !== "estimated") return t === "knha" // only the all-identical KH case
          return r.ci[0] <= r.estimate && r.estimate <= r.ci[1] && r.pi[0] <= r.ci[0] && r.ci[1] <= r.pi[1]
        }),
        options,
      )
    })

    it("gives the same pooled estimate and τ² for any ordering of the studies", () => {
      fc.assert(
        fc.property(
          studies.chain((s) =>
            fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.yi.keys()], { minLength: s.yi.length })),
          ),
          method,
          ([s, order], m) => {
            const a = estimated(fit(s, m))
            const b = estimated(fit({ yi: order.map((i) => s.yi[i] ?? 0), vi: order.map((i) => s.vi[i] ?? 0) }, m))
            const scale = 1 + Math.abs(a.estimate)
            return Math.abs(a.estimate - b.estimate) <= 1e-9 * scale && Math.abs(a.tau2 - b.tau2) <= 1e-9 * (1 + a.tau2)
          },
        ),
        options,
      )
    })

    it("shifts the estimate, CI and PI with a location shift of yi and leaves τ² unchanged", () => {
      fc.assert(
        fc.property(studies, method, fc.double({ min: -2, max: 2, noNaN: true }), (s, m, shift) => {
          const a = estimated(fit(s, m))
          const b = estimated(fit({ yi: s.yi.map((y) => y + shift), vi: s.vi }, m))
          return Math.abs(b.estimate - (a.estimate + shift)) <= 1e-9 && Math.abs(b.tau2 - a.tau2) <= 1e-9 * (1 + a.tau2)
        }),
        options,
      )
    })

    it("makes the equal-effects estimate the inverse-variance weighted mean", () => {
      fc.assert(
        fc.property(studies, (s) => {
          const r = estimated(fit(s, "EE"))
          const w = s.vi.map((v) => 1 / v)
          const sw = w.reduce((a, b) => a + b, 0)
          const mean = w.reduce((acc, wi, i) => acc + wi * (s.yi[i] ?? 0), 0) / sw
          return Math.abs(r.estimate - mean) <= 1e-12 * (1 + Math.abs(mean)) && Math.abs(r.se - Math.sqrt(1 / sw)) <= 1e-12 * r.se
        }),
        options,
      )
    })

    it("gives τ² = 0 and Q = 0 when all estimates are equal", () => {
      fc.assert(
        fc.property(studies, method, fc.double({ min: -1.5, max: 1.5, noNaN: true }), (s, m, y) => {
          const r = estimated(fit({ yi: s.yi.map(() => y), vi: s.vi }, m))
          return r.tau2 === 0 && r.q < 1e-20 && Math.abs(r.estimate - y) <= 1e-12 * (1 + Math.abs(y)) && r.i2 === 0
        }),
        options,
      )
    })

    it("reports weights that sum to 100", () => {
      fc.assert(
        fc.property(studies, method, (s, m) => {
          const r = estimated(fit(s, m))
          return Math.abs(r.weights.reduce((a, b) => a + b, 0) - 100) <= 1e-9
        }),
        options,
      )
    })
  })
})
