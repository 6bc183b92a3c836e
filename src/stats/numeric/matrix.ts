/**
 * Small dense matrices for the estimators that need them (meta-regression, the three-level model
 * and its CR2 inference): row-major `Float64Array`s, sizes up to a few thousand rows and a handful
 * of columns. Only what those estimators use: products (plain and with a diagonal weight),
 * (XᵀWX)⁻¹ by a QR decomposition of √W·X (as metafor computes it: forming XᵀWX first would square
 * the condition number, and moderators such as a publication year are badly conditioned), the
 * Cholesky factor and inverse of a small symmetric positive-definite matrix, and powers of a
 * symmetric matrix by its eigen-decomposition.
 */

/** A rows × cols matrix; entry (i, j) is data[i * cols + j]. */
export interface Matrix {
  readonly rows: number
  readonly cols: number
  readonly data: Float64Array
}

/** A matrix from its rows (all of one length). */
export const matrixFromRows = (rows: ReadonlyArray<ArrayLike<number>>): Matrix => {
  const cols = rows[0]?.length ?? 0
  const data = new Float64Array(rows.length * cols)
  rows.forEach((row, i) => {
    if (row.length !== cols) throw new RangeError(`row ${i + 1} has ${row.length} entries; the first has ${cols}`)
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j]!
  })
  return { rows: rows.length, cols, data }
}

/** Xᵀ·diag(w)·y (a vector of length cols). */
export const weightedCrossVector = (x: Matrix, w: ArrayLike<number>, y: ArrayLike<number>): Float64Array => {
  const { rows: k, cols: p, data } = x
  const out = new Float64Array(p)
  for (let a = 0; a < p; a++) {
    let sum = 0
    for (let i = 0; i < k; i++) sum += w[i]! * data[i * p + a]! * y[i]!
    out[a] = sum
  }
  return out
}

/** A·v for a square or rectangular A and a vector v of length A.cols. */
export const multiplyVector = (a: Matrix, v: ArrayLike<number>): Float64Array => {
  const out = new Float64Array(a.rows)
  for (let i = 0; i < a.rows; i++) {
    let sum = 0
    for (let j = 0; j < a.cols; j++) sum += a.data[i * a.cols + j]! * v[j]!
    out[i] = sum
  }
  return out
}

/** The product A·B (A.cols = B.rows). */
export const multiply = (a: Matrix, b: Matrix): Matrix => {
  if (a.cols !== b.rows) throw new RangeError(`cannot multiply ${a.rows} × ${a.cols} by ${b.rows} × ${b.cols}`)
  const { rows: n, cols: m } = a
  const q = b.cols
  const out = new Float64Array(n * q)
  for (let i = 0; i < n; i++) for (let l = 0; l < m; l++) {
    const ail = a.data[i * m + l]!
    if (ail === 0) continue
    for (let j = 0; j < q; j++) out[i * q + j]! += ail * b.data[l * q + j]!
  }
  return { rows: n, cols: q, data: out }
}

/** Aᵀ. */
export const transpose = (a: Matrix): Matrix => {
  const out = new Float64Array(a.rows * a.cols)
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < a.cols; j++) out[j * a.rows + i] = a.data[i * a.cols + j]!
  return { rows: a.cols, cols: a.rows, data: out }
}

/** The inverse of a symmetric positive-definite matrix and the log of its determinant. */
export interface SpdInverse {
  readonly inverse: Matrix
  /** ln det(A) */
  readonly logDeterminant: number
}

/**
 * The Cholesky factor of a symmetric positive-definite matrix: lower-triangular L with A = LLᵀ
 * (R's `chol(A)` is the upper factor Lᵀ), and ln det(A) = 2·Σ ln Lⱼⱼ; null when A is not positive
 * definite (a pivot ≤ `tolerance` times the largest diagonal entry).
 * Example: cholesky([[4, 2], [2, 3]]) → L = [[2, 0], [1, √2]], ln det = ln 8.
 */
export const cholesky = (a: Matrix, tolerance = 1e-12): { readonly lower: Matrix; readonly logDeterminant: number } | null => {
  const n = a.rows
  if (a.cols !== n) throw new RangeError(`a ${a.rows} × ${a.cols} matrix is not square`)
  const l = new Float64Array(n * n)
  let largest = 0
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(a.data[i * n + i]!))
  let logDeterminant = 0
  for (let j = 0; j < n; j++) {
    let pivot = a.data[j * n + j]!
    for (let m = 0; m < j; m++) pivot -= l[j * n + m]! * l[j * n + m]!
    if (!(pivot > tolerance * largest)) return null
    const root = Math.sqrt(pivot)
    l[j * n + j] = root
    logDeterminant += 2 * Math.log(root)
    for (let i = j + 1; i < n; i++) {
      let sum = a.data[i * n + j]!
      for (let m = 0; m < j; m++) sum -= l[i * n + m]! * l[j * n + m]!
      l[i * n + j] = sum / root
    }
  }
  return { lower: { rows: n, cols: n, data: l }, logDeterminant }
}

/**
 * Inverse of a symmetric positive-definite matrix by Cholesky decomposition A = LLᵀ (as R's
 * `chol2inv(chol(A))`); null when A is not positive definite (a pivot ≤ `tolerance` times the
 * largest diagonal entry: the design has redundant columns).
 */
export const invertSpd = (a: Matrix, tolerance = 1e-12): SpdInverse | null => {
  const factor = cholesky(a, tolerance)
  if (factor === null) return null
  const n = a.rows
  const l = factor.lower.data
  const logDeterminant = factor.logDeterminant
  // L⁻¹ by forward substitution, then A⁻¹ = L⁻ᵀ L⁻¹
  const li = new Float64Array(n * n)
  for (let c = 0; c < n; c++) {
    for (let i = c; i < n; i++) {
      let sum = i === c ? 1 : 0
      for (let m = c; m < i; m++) sum -= l[i * n + m]! * li[m * n + c]!
      li[i * n + c] = sum / l[i * n + i]!
    }
  }
  const inverse = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0
      for (let m = j; m < n; m++) sum += li[m * n + i]! * li[m * n + j]!
      inverse[i * n + j] = sum
      inverse[j * n + i] = sum
    }
  }
  return { inverse: { rows: n, cols: n, data: inverse }, logDeterminant }
}

/**
 * (XᵀWX)⁻¹ and ln det(XᵀWX) from the Householder QR decomposition √W·X = QR: (XᵀWX)⁻¹ = R⁻¹R⁻ᵀ
 * and det = Π Rⱼⱼ². As metafor's `.invcalc` (`qr.solve` of √W·X); null when X·√W is not of full
 * column rank (|Rⱼⱼ| ≤ `tolerance` times the largest |Rᵢᵢ|).
 */
export const invertWeightedCrossProduct = (x: Matrix, w: ArrayLike<number>, tolerance = 1e-7): SpdInverse | null => {
  const { rows: k, cols: p } = x
  if (k < p) return null
  const a = new Float64Array(k * p)
  for (let i = 0; i < k; i++) {
    const root = Math.sqrt(w[i]!)
    for (let c = 0; c < p; c++) a[i * p + c] = root * x.data[i * p + c]!
  }
  // Householder reflections, column by column; R ends in the upper triangle of a
  for (let j = 0; j < p; j++) {
    let norm = 0
    for (let i = j; i < k; i++) norm = Math.hypot(norm, a[i * p + j]!)
    if (norm === 0) continue
    const alpha = a[j * p + j]! > 0 ? -norm : norm
    const v = new Float64Array(k - j)
    for (let i = j; i < k; i++) v[i - j] = a[i * p + j]!
    v[0] = v[0]! - alpha
    let vv = 0
    for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!
    if (vv === 0) continue
    for (let c = j; c < p; c++) {
      let dot = 0
      for (let i = j; i < k; i++) dot += v[i - j]! * a[i * p + c]!
      const f = (2 * dot) / vv
      for (let i = j; i < k; i++) a[i * p + c] = a[i * p + c]! - f * v[i - j]!
    }
  }
  let largest = 0
  for (let j = 0; j < p; j++) largest = Math.max(largest, Math.abs(a[j * p + j]!))
  let logDeterminant = 0
  for (let j = 0; j < p; j++) {
    const d = Math.abs(a[j * p + j]!)
    if (!(d > tolerance * largest)) return null
    logDeterminant += 2 * Math.log(d)
  }
  // R⁻¹ (upper triangular) by back substitution, then R⁻¹R⁻ᵀ
  const ri = new Float64Array(p * p)
  for (let c = 0; c < p; c++) {
    for (let i = c; i >= 0; i--) {
      let sum = i === c ? 1 : 0
      for (let m = i + 1; m <= c; m++) sum -= a[i * p + m]! * ri[m * p + c]!
      ri[i * p + c] = sum / a[i * p + i]!
    }
  }
  const inverse = new Float64Array(p * p)
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let sum = 0
      for (let m = Math.max(i, j); m < p; m++) sum += ri[i * p + m]! * ri[j * p + m]!
      inverse[i * p + j] = sum
      inverse[j * p + i] = sum
    }
  }
  return { inverse: { rows: p, cols: p, data: inverse }, logDeterminant }
}

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (Golub & Van Loan,
 * §8.5): A = Q·diag(values)·Qᵀ, eigenvectors in the columns of Q. Accurate to rounding for the
 * sizes used here (a study's effects, a handful to a few dozen).
 */
export const symmetricEigen = (a: Matrix): { readonly values: Float64Array; readonly vectors: Matrix } => {
  const n = a.rows
  if (a.cols !== n) throw new RangeError(`a ${a.rows} × ${a.cols} matrix is not square`)
  const m = Float64Array.from(a.data)
  const q = new Float64Array(n * n)
  for (let i = 0; i < n; i++) q[i * n + i] = 1
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0
    let scale = 0
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) (i === j ? (scale += m[i * n + j]! ** 2) : (off += m[i * n + j]! ** 2))
    if (off <= 1e-30 * scale || off === 0) break
    for (let p = 0; p < n - 1; p++) for (let r = p + 1; r < n; r++) {
      const apr = m[p * n + r]!
      if (apr === 0) continue
      const theta = (m[r * n + r]! - m[p * n + p]!) / (2 * apr)
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1))
      const c = 1 / Math.sqrt(t * t + 1)
      const s = t * c
      for (let k = 0; k < n; k++) {
        const akp = m[k * n + p]!
        const akr = m[k * n + r]!
        m[k * n + p] = c * akp - s * akr
        m[k * n + r] = s * akp + c * akr
      }
      for (let k = 0; k < n; k++) {
        const apk = m[p * n + k]!
        const ark = m[r * n + k]!
        m[p * n + k] = c * apk - s * ark
        m[r * n + k] = s * apk + c * ark
      }
      for (let k = 0; k < n; k++) {
        const qkp = q[k * n + p]!
        const qkr = q[k * n + r]!
        q[k * n + p] = c * qkp - s * qkr
        q[k * n + r] = s * qkp + c * qkr
      }
    }
  }
  return { values: Float64Array.from({ length: n }, (_, i) => m[i * n + i]!), vectors: { rows: n, cols: n, data: q } }
}

/**
 * A real power of a symmetric positive-semidefinite matrix through its eigen-decomposition,
 * Q·diag(φ(λ))·Qᵀ with φ(λ) = λ^power for λ > `floor` and 0 otherwise — clubSandwich's
 * `matrix_power(A, power)` (tol = 1e-12, absolute): with a negative power and a singular A this is
 * the power of the Moore–Penrose pseudo-inverse, as the CR2 adjustment needs when one cluster
 * alone determines a coefficient.
 * Example: symmetricPower([[4, 0], [0, 0]], −0.5) → [[0.5, 0], [0, 0]].
 */
export const symmetricPower = (a: Matrix, power: number, floor = 1e-12): Matrix => {
  const { values, vectors } = symmetricEigen(a)
  const n = a.rows
  const scaled = Float64Array.from(values, (v) => (v > floor ? Math.pow(v, power) : 0))
  const out = new Float64Array(n * n)
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    let s = 0
    for (let e = 0; e < n; e++) s += vectors.data[i * n + e]! * scaled[e]! * vectors.data[j * n + e]!
    out[i * n + j] = s
    out[j * n + i] = s
  }
  return { rows: n, cols: n, data: out }
}
