/**
 * The three-level likelihood's block algebra against dense matrices, its analytic derivatives
 * against finite differences, and its maximum against metafor's estimates
 * (test/reference/three-level.R).
 */
import { describe, expect, it } from "vitest"
import { applyInverse, blockInverse, derivatives, evaluate, maximise, studyBlocks, type ThreeLevelData } from "../../../src/stats/meta-analysis/three-level-likelihood.ts"
import { cholesky, invertSpd, matrixFromRows } from "../../../src/stats/numeric/matrix.ts"
import { relativeError } from "../../tolerances.ts"
import { designOf, fixture } from "./three-level-fixture.ts"

const assink = fixture.datasets["assink2016"]!
const dataOf = (design: string): ThreeLevelData => ({
  y: Float64Array.from(assink.yi),
  v: Float64Array.from(assink.vi),
  x: designOf(assink, design).x,
  blocks: studyBlocks(assink.study),
})

/** V = diag(vᵢ + σ²₂) + σ²₁·[same study], dense. */
const denseV = (d: ThreeLevelData, between: number, within: number) => {
  const k = d.y.length
  return matrixFromRows(Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => (d.blocks.cluster[i] === d.blocks.cluster[j] ? between : 0) + (i === j ? d.v[i]! + within : 0))))
}

describe("studyBlocks", () => {
  it("numbers the studies in order of first appearance and lists each one's effects", () => {
    const b = studyBlocks(["b", "a", "b", "c", "a"])
    expect(b.labels).toEqual(["b", "a", "c"])
    expect(Array.from(b.cluster)).toEqual([0, 1, 0, 2, 1])
    expect(b.members.map((m) => Array.from(m))).toEqual([[0, 2], [1, 4], [3]])
  })
})

describe("blockInverse and applyInverse", () => {
  it("apply V⁻¹ and give ln|V| as the dense inverse and Cholesky factor do", () => {
    const d = dataOf("deltype")
    const inv = blockInverse(d.v, d.blocks, 0.19, 0.085)
    const v = denseV(d, 0.19, 0.085)
    const dense = invertSpd(v)!.inverse
    const k = d.y.length
    const mine = applyInverse(inv, d.blocks, d.y, 1)
    for (let i = 0; i < k; i++) {
      const expected = d.y.reduce((s, y, j) => s + dense.data[i * k + j]! * y, 0)
      expect(Math.abs(mine[i]! - expected)).toBeLessThan(1e-10 * (1 + Math.abs(expected)))
    }
    expect(relativeError(inv.logDetV, cholesky(v)!.logDeterminant)).toBeLessThan(1e-12)
  })
})

describe("evaluate and derivatives", () => {
  it.each([true, false])("give a gradient and Hessian that central differences of ℓ confirm (REML: %s)", (reml) => {
    const d = dataOf("deltype")
    const at = (a: number, b: number) => evaluate(d, a, b, reml)!
    const theta: [number, number] = [0.15, 0.06]
    const g = derivatives(d, at(...theta), reml)
    const h = 1e-6
    const grad = (a: number, b: number) => derivatives(d, at(a, b), reml).gradient
    const fd = [(at(theta[0] + h, theta[1]).ll - at(theta[0] - h, theta[1]).ll) / (2 * h), (at(theta[0], theta[1] + h).ll - at(theta[0], theta[1] - h).ll) / (2 * h)]
    expect(relativeError(g.gradient[0], fd[0]!)).toBeLessThan(1e-6)
    expect(relativeError(g.gradient[1], fd[1]!)).toBeLessThan(1e-6)
    const d1 = [grad(theta[0] + h, theta[1]), grad(theta[0] - h, theta[1])] as const
    const d2 = [grad(theta[0], theta[1] + h), grad(theta[0], theta[1] - h)] as const
    const fdHessian = [(d1[0][0] - d1[1][0]) / (2 * h), (d2[0][0] - d2[1][0]) / (2 * h), (d2[0][1] - d2[1][1]) / (2 * h)]
    g.hessian.forEach((value, i) => expect(relativeError(value, fdHessian[i]!)).toBeLessThan(1e-5))
    // the expected information is positive definite
    const [i11, i12, i22] = g.information
    expect(i11 * i22 - i12 * i12).toBeGreaterThan(0)
  })

  it("returns null for a design that is not of full rank", () => {
    const d = { ...dataOf("intercept"), x: matrixFromRows(assink.yi.map(() => [1, 2])) }
    expect(evaluate(d, 0.1, 0.1, true)).toBeNull()
  })
})

describe("maximise", () => {
  const cases = Object.entries(fixture.datasets).flatMap(([name, d]) => d.fits.filter((f) => f.test === "z").map((f) => ({ d, f, label: `${name} ${f.design} ${f.method}` })))

  it.each(cases)("reaches a stationary point at least as high as metafor's estimates for $label", ({ d, f }) => {
    const data: ThreeLevelData = { y: Float64Array.from(d.yi), v: Float64Array.from(d.vi), x: designOf(d, f.design).x, blocks: studyBlocks(d.study) }
    const reml = f.method === "REML"
    const best = maximise(data, reml, [0.05, 0.05], 1e-6)!
    const theirs = evaluate(data, f.sigma2[0]!, f.sigma2[1]!, reml)!
    expect(best.evaluation.ll).toBeGreaterThanOrEqual(theirs.ll - 1e-12 * Math.abs(theirs.ll))
    // the gradient vanishes relative to the curvature: a Newton step from here is below 1e-9 of σ²
    const g = derivatives(data, best.evaluation, reml)
    const [h11, h12, h22] = g.hessian
    const det = h11 * h22 - h12 * h12
    const step = [(-h22 * g.gradient[0] + h12 * g.gradient[1]) / det, (h12 * g.gradient[0] - h11 * g.gradient[1]) / det]
    expect(Math.abs(step[0]!)).toBeLessThan(1e-9 * best.sigma2[0])
    expect(Math.abs(step[1]!)).toBeLessThan(1e-9 * best.sigma2[1])
  })
})
