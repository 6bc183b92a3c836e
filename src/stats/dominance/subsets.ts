/**
 * R² of every sub-model of a linear regression, from one cross-product matrix.
 *
 * The predictors come in k *sets* (a set is one or more columns: a family of factors, or a
 * dummy-coded category). For each of the 2^k subsets A of sets, with S the centred cross-product
 * matrix of [X | y] (computed once from the rows),
 *
 *   R²(A) = s_yAᵀ S_AA⁻¹ s_Ay / s_yy,
 *
 * the R² of the OLS regression of y on the columns of A with an intercept (R's
 * `summary(lm(y ~ A))$r.squared`). Each sub-model is a Cholesky solve of at most p × p, so the
 * rows are read once however many sub-models there are.
 *
 * Reference: Cohen, Cohen, West & Aiken (2003), §3.5; golden-tested
 * against `lm` in test/reference/dominance.R.
 */
import { cholesky } from "../numeric/matrix.ts"

export interface CrossProducts {
  /** rows used */
  readonly n: number
  /** predictor columns */
  readonly p: number
  /** (p + 1) × (p + 1) centred cross-products of [X | y], row-major; y last */
  readonly matrix: Float64Array
}

/** The columns, each less its mean. */
export const centred = (columns: ReadonlyArray<ArrayLike<number>>): Float64Array[] =>
  columns.map((c) => {
    let s = 0
    for (let i = 0; i < c.length; i++) s += c[i]!
    const mean = s / c.length
    return Float64Array.from(c, (v) => v - mean)
  })

/** Centred cross-products of the predictor columns and y. Rows must be complete. */
export const crossProducts = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): CrossProducts => {
  const all = centred([...columns, y])
  const d = all.length
  const n = y.length
  const matrix = new Float64Array(d * d)
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const ca = all[a]!
      const cb = all[b]!
      let s = 0
      for (let i = 0; i < n; i++) s += ca[i]! * cb[i]!
      matrix[a * d + b] = s
      matrix[b * d + a] = s
    }
  }
  return { n, p: columns.length, matrix }
}

/** R² of the regression of y on the given predictor columns (empty: 0); NaN when those columns are collinear. */
export const rSquaredOf = (cp: CrossProducts, columns: ReadonlyArray<number>): number => {
  const m = columns.length
  if (m === 0) return 0
  const d = cp.p + 1
  const y = cp.p
  const syy = cp.matrix[y * d + y]!
  const a = new Float64Array(m * m)
  const b = new Float64Array(m)
  columns.forEach((ci, i) => {
    b[i] = cp.matrix[ci * d + y]!
    columns.forEach((cj, j) => (a[i * m + j] = cp.matrix[ci * d + cj]!))
  })
  const factor = cholesky({ rows: m, cols: m, data: a }, 1e-10)
  if (factor === null) return Number.NaN
  // ‖L⁻¹b‖² = bᵀS⁻¹b
  const l = factor.lower.data
  const z = new Float64Array(m)
  let explained = 0
  for (let i = 0; i < m; i++) {
    let s = b[i]!
    for (let j = 0; j < i; j++) s -= l[i * m + j]! * z[j]!
    z[i] = s / l[i * m + i]!
    explained += z[i]! * z[i]!
  }
  return explained / syy
}

/** Most sets an all-subsets analysis takes: 2^15 = 32,768 sub-models. */
export const MAX_SETS = 15

/**
 * R² of every subset of the k sets, indexed by bit mask (bit i set: set i in the model); entry 0
 * is the empty model (0). `sets[i]` lists the predictor columns of set i.
 */
export const allSubsetsRSquared = (cp: CrossProducts, sets: ReadonlyArray<ReadonlyArray<number>>): Float64Array => {
  const k = sets.length
  if (k > MAX_SETS) throw new RangeError(`${k} predictor sets need 2^${k} sub-models; at most ${MAX_SETS} sets are analysed`)
  const out = new Float64Array(2 ** k)
  for (let mask = 1; mask < out.length; mask++) {
    const columns: number[] = []
    for (let i = 0; i < k; i++) if (mask & (1 << i)) columns.push(...sets[i]!)
    out[mask] = rSquaredOf(cp, columns)
  }
  return out
}
