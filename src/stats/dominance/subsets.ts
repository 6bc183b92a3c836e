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
  /** columns partialled out of X and y before (partialOut); they take residual degrees of freedom */
  readonly controls: number
}

/** The mean of each column. */
export const columnMeans = (columns: ReadonlyArray<ArrayLike<number>>): Float64Array =>
  Float64Array.from(columns, (c) => {
    let s = 0
    for (let i = 0; i < c.length; i++) s += c[i]!
    return s / c.length
  })

/**
 * Centred cross-products of the predictor columns and y, Σ (a − ā)(b − b̄) with the means
 * subtracted as the rows are read (the columns are not copied). Rows must be complete.
 */
export const crossProducts = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): CrossProducts => {
  const all = [...columns, y]
  const means = columnMeans(all)
  const d = all.length
  const n = y.length
  const matrix = new Float64Array(d * d)
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const ca = all[a]!
      const cb = all[b]!
      const ma = means[a]!
      const mb = means[b]!
      let s = 0
      for (let i = 0; i < n; i++) s += (ca[i]! - ma) * (cb[i]! - mb)
      matrix[a * d + b] = s
      matrix[b * d + a] = s
    }
  }
  return { n, p: columns.length, matrix, controls: 0 }
}

/**
 * The first `controls` predictor columns partialled out of the others and of y: the Schur
 * complement S_rr − S_rc S_cc⁻¹ S_cr, the cross-products of the residuals of every other column
 * (and y) on the controls. Its R²s are partial R²s, 1 − RSS(y ~ C + A) / RSS(y ~ C): the share
 * of the variance left after the controls that A explains (Cohen et al. 2003, §5.4). Null when
 * the controls are collinear.
 */
export const partialOut = (cp: CrossProducts, controls: number): CrossProducts | null => {
  if (controls === 0) return cp
  const d = cp.p + 1
  const r = d - controls
  const factor = cholesky({ rows: controls, cols: controls, data: Float64Array.from({ length: controls * controls }, (_, e) => cp.matrix[Math.floor(e / controls) * d + (e % controls)]!) }, 1e-10)
  if (factor === null) return null
  const l = factor.lower.data
  // W = L⁻¹ S_cr, column by column; then S_rr − WᵀW
  const w = new Float64Array(controls * r)
  for (let j = 0; j < r; j++) {
    for (let i = 0; i < controls; i++) {
      let s = cp.matrix[i * d + controls + j]!
      for (let k = 0; k < i; k++) s -= l[i * controls + k]! * w[k * r + j]!
      w[i * r + j] = s / l[i * controls + i]!
    }
  }
  const matrix = new Float64Array(r * r)
  for (let a = 0; a < r; a++) {
    for (let b = 0; b < r; b++) {
      let s = cp.matrix[(controls + a) * d + controls + b]!
      for (let k = 0; k < controls; k++) s -= w[k * r + a]! * w[k * r + b]!
      matrix[a * r + b] = s
    }
  }
  return { n: cp.n, p: r - 1, matrix, controls: cp.controls + controls }
}

/** What to do with a column that is a combination of the others (or constant): make the R² NaN, or leave the column out, as `lm` does. */
export type Aliased = "nan" | "drop"

/**
 * R² of the regression of y on the given predictor columns (empty: 0), by the Cholesky factor of
 * their cross-products: R² = ‖L⁻¹b‖² / s_yy. A pivot at most 1e-10 times the largest diagonal
 * entry marks a column in the span of those before it (or constant): NaN, or with `aliased:
 * "drop"` that column left out.
 */
export const rSquaredOf = (cp: CrossProducts, columns: ReadonlyArray<number>, aliased: Aliased = "nan"): number => {
  const m = columns.length
  if (m === 0) return 0
  const d = cp.p + 1
  const y = cp.p
  const at = (i: number, j: number) => cp.matrix[columns[i]! * d + columns[j]!]!
  let largest = 0
  for (let i = 0; i < m; i++) largest = Math.max(largest, Math.abs(at(i, i)))
  const l = new Float64Array(m * m) // rows of left-out columns stay 0
  const z = new Float64Array(m)
  let explained = 0
  for (let i = 0; i < m; i++) {
    let pivot = at(i, i)
    for (let k = 0; k < i; k++) pivot -= l[i * m + k]! * l[i * m + k]!
    if (!(pivot > 1e-10 * largest)) {
      if (aliased === "nan") return Number.NaN
      continue
    }
    const root = Math.sqrt(pivot)
    l[i * m + i] = root
    for (let r = i + 1; r < m; r++) {
      let v = at(r, i)
      for (let k = 0; k < i; k++) v -= l[r * m + k]! * l[i * m + k]!
      l[r * m + i] = v / root
    }
    // z = L⁻¹b, so that ‖z‖² = bᵀS⁻¹b
    let v = cp.matrix[columns[i]! * d + y]!
    for (let k = 0; k < i; k++) v -= l[i * m + k]! * z[k]!
    z[i] = v / root
    explained += z[i]! * z[i]!
  }
  return explained / cp.matrix[y * d + y]!
}

/** Most sets an all-subsets analysis takes: 2^15 = 32,768 sub-models. */
export const MAX_SETS = 15

/**
 * R² of every subset of the k sets, indexed by bit mask (bit i set: set i in the model); entry 0
 * is the empty model (0). `sets[i]` lists the predictor columns of set i; `aliased` as rSquaredOf.
 */
export const allSubsetsRSquared = (cp: CrossProducts, sets: ReadonlyArray<ReadonlyArray<number>>, options: { readonly aliased?: Aliased } = {}): Float64Array => {
  const k = sets.length
  if (k > MAX_SETS) throw new RangeError(`${k} predictor sets need 2^${k} sub-models; at most ${MAX_SETS} sets are analysed`)
  const out = new Float64Array(2 ** k)
  for (let mask = 1; mask < out.length; mask++) {
    const columns: number[] = []
    for (let i = 0; i < k; i++) if (mask & (1 << i)) columns.push(...sets[i]!)
    out[mask] = rSquaredOf(cp, columns, options.aliased)
  }
  return out
}
