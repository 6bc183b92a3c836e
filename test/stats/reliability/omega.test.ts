/**
 * McDonald's ω from one minres factor (src/stats/reliability/omega.ts) against
 * psych::omega(nfactors = 1) on the five bfi scales (test/reference/reliability.R): the minres
 * optimum (refined in R to the gradient's rounding) and ω from it to 1e-9; psych's own ω (its
 * optimiser stops short of the optimum) to 1e-6 and its loadings to 1e-4; and a one-factor
 * correlation matrix whose loadings are known exactly.
 */
import { describe, expect, it } from "vitest"
import { itemMatrices } from "../../../src/stats/reliability/alpha.ts"
import { omegaOneFactor } from "../../../src/stats/reliability/omega.ts"
import { readFixture } from "../../reference/read-fixture.ts"
import { relativeError } from "../../tolerances.ts"

interface OmegaCase {
  omega_tot: number
  omega_h: number
  loadings: number[]
}
interface Scale {
  names: string[]
  items: number[][]
  omega: { psych: OmegaCase; refined: OmegaCase }
}
const fixture = readFixture<{ scales: Record<string, Scale> }>("reliability")

const close = (actual: number, expected: number, what: string, limit: number) =>
  expect(relativeError(actual, expected, 1e-12), `${what}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(limit)

for (const [name, s] of Object.entries(fixture.scales)) {
  describe(`omegaOneFactor on bfi ${name}`, () => {
    const k = s.items.length
    const o = omegaOneFactor(itemMatrices(s.items).r, k)

    it("finds the minres optimum and its omega total and omega h", () => {
      o.loadings.forEach((l, i) => close(l, s.omega.refined.loadings[i]!, `${s.names[i]} loading`, 1e-9))
      close(o.omegaTotal, s.omega.refined.omega_tot, "omega total", 1e-9)
      close(o.omegaHierarchical, s.omega.refined.omega_h, "omega h", 1e-9)
      expect(o.heywood).toBe(false)
    })

    it("agrees with psych::omega's own values to its optimiser's tolerance", () => {
      close(o.omegaTotal, s.omega.psych.omega_tot, "psych omega.tot", 1e-6)
      close(o.omegaHierarchical, s.omega.psych.omega_h, "psych omega_h", 1e-6)
      // its loadings stop up to 1e-5 short (extraversion's E5), which moves ω far less
      o.loadings.forEach((l, i) => close(l, s.omega.psych.loadings[i]!, `psych ${s.names[i]} loading`, 1e-4))
    })
  })
}

describe("omegaOneFactor on an exact one-factor structure", () => {
  // r_ij = λ_i λ_j off the diagonal: minres recovers λ exactly (residuals 0), so
  // ω_total = 1 − Σ(1 − λ²)/ΣR and ω_h = (Σλ)²/ΣR with ΣR = k + Σ_{i≠j} λ_i λ_j = (Σλ)² + Σ(1 − λ²): they coincide
  const lambda = [0.8, 0.7, 0.6, 0.5, 0.4]
  const k = lambda.length
  const r = Float64Array.from({ length: k * k }, (_, e) => (Math.floor(e / k) === e % k ? 1 : lambda[Math.floor(e / k)]! * lambda[e % k]!))
  const o = omegaOneFactor(r, k)
  it("recovers the loadings and gives ω = (Σλ)² / ((Σλ)² + Σ(1 − λ²))", () => {
    o.loadings.forEach((l, i) => expect(l).toBeCloseTo(lambda[i]!, 12))
    const sum = lambda.reduce((s, v) => s + v, 0)
    const expected = (sum * sum) / (sum * sum + lambda.reduce((s, v) => s + 1 - v * v, 0))
    expect(o.omegaTotal).toBeCloseTo(expected, 12)
    expect(o.omegaHierarchical).toBeCloseTo(expected, 12)
  })
  it("gives positive loadings whatever the sign of the start, and refuses fewer than 3 items", () => {
    const flipped = Float64Array.from(r, (v, e) => (Math.floor(e / k) === 0 !== (e % k === 0) ? -v : v)) // item 1 reversed
    const f = omegaOneFactor(flipped, k)
    expect(f.loadings.reduce((s, v) => s + v, 0)).toBeGreaterThan(0)
    expect(Math.abs(f.loadings[0]!)).toBeCloseTo(0.8, 12)
    expect(() => omegaOneFactor(Float64Array.of(1, 0.5, 0.5, 1), 2)).toThrow(RangeError)
  })
})
