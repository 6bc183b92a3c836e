/**
 * The simplex against linear programs whose optimum is known in closed form or by hand.
 */
import { describe, expect, it } from "vitest"
import { minimise, variableRange } from "../../../src/privacy/disclosure/linear-program.ts"

describe("minimise", () => {
  it("solves a textbook program (Chvátal 1983, ch. 2, as a minimisation with slacks)", () => {
    // max 5x1 + 4x2 + 3x3 s.t. 2x1+3x2+x3 ≤ 5, 4x1+x2+2x3 ≤ 11, 3x1+4x2+2x3 ≤ 8: optimum 13 at (2, 0, 1)
    const A = [
      [2, 3, 1, 1, 0, 0],
      [4, 1, 2, 0, 1, 0],
      [3, 4, 2, 0, 0, 1],
    ]
    const out = minimise(A, [5, 11, 8], [-5, -4, -3, 0, 0, 0])
    expect(out).toEqual({ status: "optimal", value: expect.closeTo(-13, 12) })
  })

  it("reports an infeasible program", () => {
    // x + y = 1 and x + y = 3 cannot both hold
    expect(minimise([[1, 1], [1, 1]], [1, 3], [1, 0]).status).toBe("infeasible")
    // x = −2 with x ≥ 0
    expect(minimise([[1]], [-2], [1]).status).toBe("infeasible")
  })

  it("reports an unbounded program", () => {
    // x − y = 1: x can grow without end
    expect(minimise([[1, -1]], [1], [-1, 0]).status).toBe("unbounded")
  })

  it("copes with redundant and negative right-hand sides", () => {
    // x + y = 4 twice, and −x = −1: x = 1, y = 3
    const A = [[1, 1], [1, 1], [-1, 0]]
    expect(minimise(A, [4, 4, -1], [0, 1])).toEqual({ status: "optimal", value: expect.closeTo(3, 12) })
  })

  it("treats an empty constraint set as x ≥ 0 only", () => {
    expect(minimise([], [], [1, 2])).toEqual({ status: "optimal", value: 0 })
    expect(minimise([], [], [1, -2]).status).toBe("unbounded")
  })
})

describe("variableRange", () => {
  it("gives the range of one count in a total shared by three unknown counts", () => {
    // a + b + c = 10, all ≥ 0: each lies in [0, 10]
    expect(variableRange([[1, 1, 1]], [10], 1, 3)).toEqual([0, 10])
  })

  it("finds the range where two sums overlap", () => {
    // a + b = 7, b + c = 3: b ∈ [0, 3], a ∈ [4, 7]
    const A = [[1, 1, 0], [0, 1, 1]]
    expect(variableRange(A, [7, 3], 1, 3)).toEqual([0, 3])
    expect(variableRange(A, [7, 3], 0, 3)).toEqual([4, 7])
  })

  it("is unbounded above when nothing limits the count, and null when the sums contradict", () => {
    expect(variableRange([[1, -1]], [2], 0, 2)).toEqual([2, Infinity])
    expect(variableRange([[1, 1]], [-1], 0, 2)).toBeNull()
  })
})
