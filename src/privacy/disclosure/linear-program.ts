/**
 * A small linear program, for the disclosure audit: how small and how large can a suppressed cell
 * be, given every count the report shows and the sums that tie them together? That is the
 * attacker's question in Statistical Disclosure Control (Hundepool et al. 2012, *Statistical
 * Disclosure Control*, Wiley, §4.4 and §5.4, "audit"; τ-ARGUS and R's sdcTable answer it the
 * same way), and it is a pair of linear programs per cell.
 *
 *     minimise c·x   subject to   A x = b,  x ≥ 0
 *
 * by the two-phase simplex method on a dense tableau, with Bland's smallest-index rule, which
 * cannot cycle (Bland 1977, Math. Oper. Res. 2(2), 103–107). The programs here are a few dozen
 * counts with integer data, so a dense tableau is simple and quick enough.
 */

export type LpOutcome =
  | { readonly status: "optimal"; readonly value: number }
  | { readonly status: "unbounded" }
  | { readonly status: "infeasible" }

const EPS = 1e-9

/** −x without a negative zero */
const negate = (x: number): number => (x === 0 ? 0 : -x)

/**
 * The smallest c·x over {x ≥ 0 : A x = b}. `A` is m rows of n coefficients; an empty `A` means
 * x is unconstrained above, so the minimum is 0 when c ≥ 0 and unbounded otherwise.
 */
export const minimise = (A: ReadonlyArray<ReadonlyArray<number>>, b: ReadonlyArray<number>, c: ReadonlyArray<number>): LpOutcome => {
  const m = A.length
  const n = c.length
  const width = n + m + 1 // variables, one artificial per row, right-hand side
  const rhs = width - 1
  // phase 1 tableau: each row made to have b ≥ 0, with its artificial variable in the basis
  const T = A.map((row, i) => {
    const sign = b[i]! < 0 ? -1 : 1
    const t = new Float64Array(width)
    for (let j = 0; j < n; j++) t[j] = sign * (row[j] ?? 0)
    t[n + i] = 1
    t[rhs] = sign * b[i]!
    return t
  })
  const basis = Array.from({ length: m }, (_, i) => n + i)

  const pivot = (z: Float64Array, r: number, s: number): void => {
    const row = T[r]!
    const p = row[s]!
    for (let j = 0; j < width; j++) row[j]! /= p
    for (let i = 0; i < m; i++) {
      if (i === r) continue
      const f = T[i]![s]!
      if (f !== 0) for (let j = 0; j < width; j++) T[i]![j]! -= f * row[j]!
    }
    const f = z[s]!
    if (f !== 0) for (let j = 0; j < width; j++) z[j]! -= f * row[j]!
    basis[r] = s
  }

  /** Runs the simplex on reduced costs `z` (z[rhs] = −objective); columns ≥ `columns` never enter. */
  const run = (z: Float64Array, columns: number): "optimal" | "unbounded" => {
    for (;;) {
      let s = -1
      for (let j = 0; j < columns; j++) {
        if (z[j]! < -EPS) {
          s = j
          break
        }
      }
      if (s < 0) return "optimal"
      let r = -1
      let best = Infinity
      for (let i = 0; i < m; i++) {
        const a = T[i]![s]!
        if (a <= EPS) continue
        const ratio = T[i]![rhs]! / a
        if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[i]! < basis[r]!)) {
          best = ratio
          r = i
        }
      }
      if (r < 0) return "unbounded"
      pivot(z, r, s)
    }
  }

  // phase 1: minimise the sum of the artificial variables
  const z1 = new Float64Array(width)
  for (const t of T) for (let j = 0; j < width; j++) if (j < n || j === rhs) z1[j]! -= t[j]!
  run(z1, n + m)
  if (-z1[rhs]! > EPS * Math.max(1, ...T.map((t) => Math.abs(t[rhs]!)))) return { status: "infeasible" }
  // drive artificial variables (at zero) out of the basis; a row with no way out is redundant
  for (let i = 0; i < m; i++) {
    if (basis[i]! < n) continue
    const s = T[i]!.findIndex((a, j) => j < n && Math.abs(a) > EPS)
    if (s >= 0) pivot(new Float64Array(width), i, s)
  }

  // phase 2: reduced costs of c in the feasible basis
  const z2 = new Float64Array(width)
  for (let j = 0; j < n; j++) z2[j] = c[j]!
  for (let i = 0; i < m; i++) {
    const cb = basis[i]! < n ? c[basis[i]!]! : 0
    if (cb !== 0) for (let j = 0; j < width; j++) z2[j]! -= cb * T[i]![j]!
  }
  if (run(z2, n) === "unbounded") return { status: "unbounded" }
  return { status: "optimal", value: negate(z2[rhs]!) }
}

/** The range of x[j] over {x ≥ 0 : A x = b}: [min, max], max Infinity when unbounded; null when infeasible. */
export const variableRange = (A: ReadonlyArray<ReadonlyArray<number>>, b: ReadonlyArray<number>, j: number, n: number): readonly [number, number] | null => {
  const unit = (sign: number) => Array.from({ length: n }, (_, i) => (i === j ? sign : 0))
  const low = minimise(A, b, unit(1))
  if (low.status === "infeasible") return null
  const high = minimise(A, b, unit(-1))
  return [low.status === "optimal" ? low.value : -Infinity, high.status === "optimal" ? negate(high.value) : Infinity]
}
