import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { brent } from "../../../src/stats/numeric/root-finding.ts"

const runs = { numRuns: 200, seed: 20240612 } as const

describe("brent", () => {
  it("gives the documented example: √2 as R's uniroot finds it", () => {
    const result = brent((x) => x * x - 2, 0, 2, { tolerance: 0 })
    expect(result).toMatchObject({ status: "converged", root: 1.4142135623730949 })
  })

  // R 4.2: p <- function(u) sprintf("%.17g %d", u$root, u$iter); p(uniroot(f, interval, tol = ...))
  // (uniroot's default tol is .Machine$double.eps^0.25). At loose tolerances the answer is wherever
  // the iteration stops, so only the same steps give the same root.
  it.each([
    ["x² − 2 on [0, 2], tol 1e-4", (x: number) => x * x - 2, 0, 2, 1e-4, 1.4142133199955025, 6],
    ["cos x − x on [0, 1], tol 1e-3", (x: number) => Math.cos(x) - x, 0, 1, 1e-3, 0.73909105828536981, 4],
    ["eˣ − 5 on [−3, 4], default tol", (x: number) => Math.exp(x) - 5, -3, 4, 2 ** -13, 1.6094198801596251, 9],
    ["atan(50(x − 0.3)) on [−200, 200], tol 1e-6", (x: number) => Math.atan(50 * (x - 0.3)), -200, 200, 1e-6, 0.29999999987884612, 16],
    ["1/(x + 0.01) − 30 on [0, 100], default tol", (x: number) => 1 / (x + 0.01) - 30, 0, 100, 2 ** -13, 0.023328991416464197, 17],
  ])("stops where R's uniroot stops: %s", (_, f, lower, upper, tolerance, root, iterations) => {
    expect(brent(f, lower, upper, { tolerance })).toMatchObject({ status: "converged", root, iterations })
  })

  it("finds the root of monotone functions to the requested tolerance", () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (root, slope) => {
        const result = brent((x) => Math.atan(slope * (x - root)), -200, 200, { tolerance: 1e-10 })
        expect(result.status).toBe("converged")
        if (result.status === "converged") expect(Math.abs(result.root - root)).toBeLessThanOrEqual(1e-10)
      }),
      runs,
    )
  })

  it("converges fast on smooth functions (superlinear, far fewer steps than bisection)", () => {
    const result = brent((x) => Math.cos(x) - x, 0, 1, { tolerance: 0 })
    expect(result.status).toBe("converged")
    if (result.status === "converged") {
      expect(Math.abs(Math.cos(result.root) - result.root)).toBeLessThanOrEqual(2e-16)
      expect(result.iterations).toBeLessThan(15)
    }
  })

  it("still converges on a discontinuous sign change, by bisection", () => {
    const result = brent((x) => (x < 0.3 ? -1 : 1), 0, 1, { tolerance: 1e-12 })
    expect(result.status).toBe("converged")
    if (result.status === "converged") expect(Math.abs(result.root - 0.3)).toBeLessThanOrEqual(1e-12)
  })

  it("accepts an end point that is an exact root", () => {
    expect(brent((x) => x - 1, 1, 3)).toMatchObject({ status: "converged", root: 1, iterations: 0 })
    expect(brent((x) => x - 3, 1, 3)).toMatchObject({ status: "converged", root: 3, iterations: 0 })
  })

  it("reports a missing bracket, NaN values and exhausted iterations instead of a root", () => {
    const noBracket = brent((x) => x * x + 1, -1, 1)
    expect(noBracket.status).toBe("not_converged")
    if (noBracket.status === "not_converged") expect(noBracket.reason).toMatch(/same sign/)
    expect(brent(() => Number.NaN, 0, 1).status).toBe("not_converged")
    expect(brent((x) => (x > 0.5 ? Number.NaN : x - 0.7), 0, 1).status).toBe("not_converged")
    const exhausted = brent((x) => Math.exp(x) - 5, 0, 10, { tolerance: 0, maxIterations: 2 })
    expect(exhausted).toMatchObject({ status: "not_converged", iterations: 2 })
  })
})
