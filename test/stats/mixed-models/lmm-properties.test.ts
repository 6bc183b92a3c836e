/**
 * Properties of the mixed-model fit on random small nested data (fast-check): it never throws,
 * an estimate has only finite numbers, and the REML criterion at θ̂ is not above its value anywhere
 * on a grid of θ (so the optimiser found the minimum, not a point near a saddle or a boundary).
 */
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { criterionOf, evaluate } from "../../../src/stats/mixed-models/criterion.ts"
import { summarise } from "../../../src/stats/mixed-models/design.ts"
import { fitMixedModel } from "../../../src/stats/mixed-models/lmm.ts"

const dataset = fc
  .record({
    outer: fc.integer({ min: 2, max: 6 }),
    inner: fc.integer({ min: 1, max: 4 }),
    rows: fc.integer({ min: 1, max: 5 }),
    values: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 400, maxLength: 400 }),
    scale: fc.constantFrom(0, 0.3, 1, 3),
  })
  .map(({ outer, inner, rows, values, scale }) => {
    const y: number[] = []
    const x: number[] = []
    const outerCodes: number[] = []
    const innerCodes: number[] = []
    let v = 0
    for (let o = 0; o < outer; o++) {
      const u = scale * values[v++ % 400]!
      for (let i = 0; i < inner; i++) {
        const w = scale * values[v++ % 400]!
        for (let r = 0; r < rows + ((o + i) % 2); r++) {
          const xi = values[v++ % 400]!
          x.push(xi)
          // the residual has a fixed part (sin) so that it never vanishes: a perfect fit has no optimum to find
          y.push(1 + 0.5 * xi + u + w + values[v++ % 400]! / 2 + 0.5 * Math.sin(7.3 * v))
          outerCodes.push(o)
          innerCodes.push(o * inner + i)
        }
      }
    }
    return { y, x, outerCodes, innerCodes, outer, inner }
  })

describe("fitMixedModel on random nested data", () => {
  it("never throws, reports only finite numbers, and sits at the minimum of the criterion", () => {
    fc.assert(
      fc.property(dataset, fc.boolean(), (d, nested) => {
        const summary = summarise({
          y: d.y,
          columns: [d.x],
          names: ["(Intercept)", "x"],
          factors: nested
            ? [
                { name: "outer", codes: Int32Array.from(d.outerCodes), levels: d.outer },
                { name: "inner", codes: Int32Array.from(d.innerCodes), levels: d.outer * d.inner },
              ]
            : [{ name: "outer", codes: Int32Array.from(d.outerCodes), levels: d.outer }],
        })
        const fit = fitMixedModel(summary)
        if (fit.status !== "estimated") return
        for (const c of fit.coefficients) for (const value of [c.estimate, c.se, c.statistic, c.ci[0], c.ci[1]]) expect(Number.isFinite(value)).toBe(true)
        expect(Number.isFinite(fit.criterion)).toBe(true)
        const grid = [0, 0.05, 0.2, 0.5, 1, 2, 5]
        const points = nested ? grid.flatMap((a) => grid.map((b) => [a, b])) : grid.map((a) => [a])
        for (const theta of points) {
          const e = evaluate(summary, theta)
          if (e === null) continue
          expect(fit.criterion).toBeLessThanOrEqual(criterionOf(e, summary.n, summary.p, true) + 1e-8 * Math.abs(fit.criterion))
        }
      }),
      { numRuns: 150, seed: 20261122 },
    )
  })
})
