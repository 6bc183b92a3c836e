import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { cholesky, invertSpd, invertWeightedCrossProduct, matrixFromRows, multiply, multiplyVector, symmetricEigen, symmetricPower, transpose, weightedCrossVector } from "../../../src/stats/numeric/matrix.ts"

describe("invertWeightedCrossProduct", () => {
  it("inverts XᵀWX exactly on a small case (closed form)", () => {
    // X = [1 0; 1 1; 1 2], w = (1, 2, 3): XᵀWX = [6 8; 8 14], det 20, inverse [14 −8; −8 6]/20
    const r = invertWeightedCrossProduct(matrixFromRows([[1, 0], [1, 1], [1, 2]]), [1, 2, 3])
    expect(r).not.toBeNull()
    const expected = [0.7, -0.4, -0.4, 0.3]
    r!.inverse.data.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 14))
    expect(r!.logDeterminant).toBeCloseTo(Math.log(20), 14)
  })

  it("returns null for a design that is not of full column rank", () => {
    expect(invertWeightedCrossProduct(matrixFromRows([[1, 2], [1, 2], [1, 2]]), [1, 1, 1])).toBeNull()
    expect(invertWeightedCrossProduct(matrixFromRows([[1, 2, 4], [1, 3, 6], [1, 5, 10], [1, 1, 2]]), [1, 2, 1, 1])).toBeNull()
  })

  it("agrees with the Cholesky inverse of XᵀWX on well-conditioned designs", () => {
    const design = fc.array(fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true })), { minLength: 6, maxLength: 20 })
    fc.assert(
      fc.property(design, (rows) => {
        const x = matrixFromRows(rows.map(([a, b]) => [1, a, b]))
        const w = rows.map(([, , wi]) => wi)
        const qr = invertWeightedCrossProduct(x, w)
        const xtwx = matrixFromRows([0, 1, 2].map((a) => [0, 1, 2].map((b) => rows.reduce((s, r, i) => s + w[i]! * (a === 0 ? 1 : r[a - 1]!) * (b === 0 ? 1 : r[b - 1]!), 0))))
        const chol = invertSpd(xtwx)
        if (qr === null || chol === null) return true // a nearly singular draw: the thresholds differ
        return qr.inverse.data.every((v, i) => Math.abs(v - chol.inverse.data[i]!) <= 1e-6 * (1 + Math.abs(v))) && Math.abs(qr.logDeterminant - chol.logDeterminant) <= 1e-8 * (1 + Math.abs(chol.logDeterminant))
      }),
      { numRuns: 200, seed: 11 },
    )
  })
})

describe("invertSpd", () => {
  it("inverts a symmetric positive-definite matrix and declines an indefinite one", () => {
    const r = invertSpd(matrixFromRows([[4, 2], [2, 3]]))
    // inverse [3 −2; −2 4] / 8
    r!.inverse.data.forEach((x, i) => expect(x).toBeCloseTo([0.375, -0.25, -0.25, 0.5][i]!, 15))
    expect(invertSpd(matrixFromRows([[1, 2], [2, 1]]))).toBeNull()
  })
})

describe("products", () => {
  it("computes Xᵀ·diag(w)·y and A·v", () => {
    const x = matrixFromRows([[1, 0], [1, 1], [1, 2]])
    expect(Array.from(weightedCrossVector(x, [1, 2, 3], [1, 1, 1]))).toEqual([6, 8])
    expect(Array.from(multiplyVector(x, [2, 3]))).toEqual([2, 5, 8])
  })
})

describe("multiply and transpose", () => {
  it("multiply a 2 × 3 by a 3 × 2 matrix and transpose it (closed form)", () => {
    const a = matrixFromRows([[1, 2, 3], [4, 5, 6]])
    const b = matrixFromRows([[1, 0], [0, 1], [2, -1]])
    expect(Array.from(multiply(a, b).data)).toEqual([7, -1, 16, -1])
    expect(transpose(a)).toEqual(matrixFromRows([[1, 4], [2, 5], [3, 6]]))
    expect(() => multiply(a, a)).toThrow(RangeError)
  })
})

describe("cholesky", () => {
  it("factors [[4, 2], [2, 3]] as L = [[2, 0], [1, √2]] with ln det = ln 8, and declines an indefinite matrix", () => {
    const f = cholesky(matrixFromRows([[4, 2], [2, 3]]))!
    const expected = [2, 0, 1, Math.SQRT2]
    f.lower.data.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 15))
    expect(f.logDeterminant).toBeCloseTo(Math.log(8), 15)
    expect(cholesky(matrixFromRows([[1, 2], [2, 1]]))).toBeNull()
  })
})

describe("symmetricEigen and symmetricPower", () => {
  const product = (x: ArrayLike<number>, y: ArrayLike<number>) => multiply({ rows: 3, cols: 3, data: Float64Array.from(x) }, { rows: 3, cols: 3, data: Float64Array.from(y) }).data

  it("decompose a symmetric matrix (closed form for 2 × 2) and give A^(−1/2)·A·A^(−1/2) = I", () => {
    const { values } = symmetricEigen(matrixFromRows([[2, 1], [1, 2]]))
    expect([...values].sort()).toEqual([1, 3].map((v) => expect.closeTo(v, 12)))
    const b = matrixFromRows([[4, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 2]])
    const r = symmetricPower(b, -0.5).data
    product(product(r, b.data), r).forEach((v, k) => expect(v).toBeCloseTo(k % 4 === 0 ? 1 : 0, 12))
  })

  it("takes the power of the pseudo-inverse of a singular matrix, dropping eigenvalues at or below the floor", () => {
    // [[4, 0], [0, 0]]^(−1/2) → [[1/2, 0], [0, 0]]
    expect(Array.from(symmetricPower(matrixFromRows([[4, 0], [0, 0]]), -0.5).data)).toEqual([0.5, 0, 0, 0])
    // rank one: vvᵀ with |v|² = 3 has the single eigenvalue 3, so (vvᵀ)^(−1/2) = vvᵀ/3^(3/2)
    const v = [1, 1, 1]
    const r = symmetricPower(matrixFromRows(v.map((a) => v.map((b) => a * b))), -0.5).data
    r.forEach((x) => expect(x).toBeCloseTo(1 / Math.pow(3, 1.5), 12))
    // a power of 1 gives the matrix back
    const b = matrixFromRows([[2, 0.3], [0.3, 1]])
    symmetricPower(b, 1).data.forEach((x, i) => expect(x).toBeCloseTo(b.data[i]!, 14))
  })
})
