/**
 * The profiled likelihood of a nested linear mixed model at given relative covariance factors,
 * from the per-group cross-products of design.ts.
 *
 * Work in units of σ²: a group's data covariance is V = V₀ + ZΛΛᵀZᵀ, where V₀ is the covariance
 * its subgroups (or, innermost, its rows) already carry and Z the group's random-effect columns.
 * By Woodbury and the determinant lemma, with C = WᵀV₀⁻¹W for W = [X | y] and M = I + ΛᵀC_ZZΛ,
 *
 *   WᵀV⁻¹W = C − C_{·Z}Λ M⁻¹ ΛᵀC_{Z·},    log|V| = log|V₀| + log|M|.
 *
 * Starting from the raw cross-products (V₀ = I) of each innermost group, one such update per group,
 * summed into the enclosing group, then that group's update, and so on outwards, gives at the root
 * A = XᵀV⁻¹X, b = XᵀV⁻¹y, c = yᵀV⁻¹y and log|V| — the quantities of lme4's penalised least squares
 * (Bates, Mächler, Bolker & Walker 2015, *J Stat Softw* 67(1), eqs. 28–36: log|L_θ|² = log|V|,
 * |R_X|² = |A|, the penalised residual sum of squares r² = c − bᵀA⁻¹b). Then β̂ = A⁻¹b and
 *
 *   REML criterion  log|V| + log|A| + (N − p)(1 + log(2πr²/(N − p)))
 *   deviance (ML)   log|V| + N(1 + log(2πr²/N)),
 *
 * exactly lme4's `devfun`. Cost per evaluation: O(groups · d² · q), nothing proportional to rows.
 *
 * Conditional modes (BLUPs) follow top-down: E[b | y] = ΛM⁻¹Λᵀ C_Z·(y-part − X-part·β̂ − the
 * ancestors' Z-parts · their modes), each group's C taken before its own update.
 */
import { invertSpd } from "../numeric/matrix.ts"
import { packed, type MixedModelSummary } from "./design.ts"

/** Number of θ parameters of a level with q random terms: the lower triangle of Λ (q(q+1)/2). */
export const thetaCount = (q: number): number => (q * (q + 1)) / 2

/** Λ (q × q, row-major, lower triangular) of one level from its slice of θ, column by column as lme4. */
export const lambdaOf = (theta: ArrayLike<number>, offset: number, q: number): Float64Array => {
  const lambda = new Float64Array(q * q)
  let at = offset
  for (let c = 0; c < q; c++) for (let r = c; r < q; r++) lambda[r * q + c] = theta[at++]!
  return lambda
}

export interface Evaluation {
  readonly logDetV: number
  /** log|XᵀV⁻¹X| */
  readonly logDetA: number
  /** penalised residual sum of squares (in units where σ² = 1) */
  readonly r2: number
  readonly beta: Float64Array
  /** (XᵀV⁻¹X)⁻¹, p × p row-major */
  readonly aInverse: Float64Array
}

/** Small dense helpers for the q × q blocks (q is 1 or 2 in practice). */
const invertSmall = (m: Float64Array, q: number): { readonly inverse: Float64Array; readonly logDet: number } => {
  if (q === 1) return { inverse: Float64Array.of(1 / m[0]!), logDet: Math.log(m[0]!) }
  const inv = invertSpd({ rows: q, cols: q, data: m }, 0)
  if (inv === null) return { inverse: new Float64Array(q * q).fill(Number.NaN), logDet: Number.NaN }
  return { inverse: inv.inverse.data, logDet: inv.logDeterminant }
}

/**
 * One group's update (file comment): writes C − C_{·Z}ΛM⁻¹ΛᵀC_{Z·} (packed) into `out` at
 * `outAt` — added to what is there when `accumulate` — and returns log|M|. `f` is scratch of d·q.
 */
const update = (
  source: Float64Array,
  at: number,
  d: number,
  terms: ReadonlyArray<number>,
  lambda: Float64Array,
  out: Float64Array,
  outAt: number,
  f: Float64Array,
): number => {
  const q = terms.length
  if (q === 1) {
    const z = terms[0]!
    const l = lambda[0]!
    const l2 = l * l
    const m = 1 + l2 * source[at + packed(z, z)]!
    const k = l2 / m
    for (let a = 0; a < d; a++) f[a] = source[at + packed(a, z)]!
    let o = outAt
    let s = at
    for (let a = 0; a < d; a++) {
      const fa = k * f[a]!
      for (let b = 0; b <= a; b++) out[o++]! += source[s++]! - fa * f[b]!
    }
    return Math.log(m)
  }
  // F = C_{·Z}Λ (d × q), M = I + ΛᵀC_ZZΛ = I + Λᵀ·F_Z
  for (let a = 0; a < d; a++) {
    for (let c = 0; c < q; c++) {
      let sum = 0
      for (let r = c; r < q; r++) sum += source[at + packed(a, terms[r]!)]! * lambda[r * q + c]!
      f[a * q + c] = sum
    }
  }
  const m = new Float64Array(q * q)
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      let sum = i === j ? 1 : 0
      for (let r = i; r < q; r++) sum += lambda[r * q + i]! * f[terms[r]! * q + j]!
      m[i * q + j] = sum
    }
  }
  const { inverse, logDet } = invertSmall(m, q)
  let o = outAt
  let s = at
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      let sum = 0
      for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) sum += f[a * q + i]! * inverse[i * q + j]! * f[b * q + j]!
      out[o++]! += source[s++]! - sum
    }
  }
  return logDet
}

/**
 * For an innermost level with a random intercept alone, the update of its groups into their
 * parents is Σ_g C_g − Σ_g k_g·f_g·f_gᵀ with f_g = C_g[·, z] and k_g = θ²/(1 + θ²C_g[z, z]): the
 * first sum does not depend on θ, so it is added up once, and an evaluation reads only the d
 * numbers of f_g per group rather than the whole triangle. The f's are stored column by column,
 * with the groups ordered by parent, so that each entry of each parent's triangle is one running
 * sum over a contiguous stretch — the loop that a fit over a million clients runs a hundred times.
 */
interface InterceptShortcut {
  /** f_g: d columns of one number per group, groups ordered by parent */
  readonly columns: ReadonlyArray<Float64Array>
  /** the groups of parent t are positions start[t] .. start[t + 1] − 1 */
  readonly start: Int32Array
  /** Σ_g C_g per parent group (or the one root), packed */
  readonly base: Float64Array
  /** scratch for k_g */
  readonly k: Float64Array
  /**
   * With no enclosing level, k_g depends on the group only through its size n_g, so
   * Σ_g k_g·f_g·f_gᵀ = Σ_n k(n)·Σ_{g: n_g = n} f_g·f_gᵀ: the inner sums (packed, one per distinct
   * size, ascending) are added up once, and an evaluation costs a few dozen triangles however many
   * groups there are — a therapist model over 85,000 therapists with caseloads of 1 to 40 reads 40.
   */
  readonly bySize: { readonly sizes: Float64Array; readonly counts: Float64Array; readonly products: Float64Array } | null
}

const shortcuts = new WeakMap<MixedModelSummary, InterceptShortcut>()

const shortcutOf = (summary: MixedModelSummary): InterceptShortcut => {
  const known = shortcuts.get(summary)
  if (known !== undefined) return known
  const { levels, d, size, crossProducts } = summary
  const level = levels[levels.length - 1]!
  const z = level.terms[0]!
  const parents = level.parent === null ? 1 : levels[levels.length - 2]!.groups
  const parentOf = (g: number) => (level.parent === null ? 0 : level.parent[g]!)
  // counting sort of the groups by parent
  const start = new Int32Array(parents + 1)
  for (let g = 0; g < level.groups; g++) start[parentOf(g) + 1]!++
  for (let t = 0; t < parents; t++) start[t + 1]! += start[t]!
  const next = start.slice(0, parents)
  const columns = Array.from({ length: d }, () => new Float64Array(level.groups))
  const base = new Float64Array(parents * size)
  for (let g = 0; g < level.groups; g++) {
    const t = parentOf(g)
    const position = next[t]!++
    for (let a = 0; a < d; a++) columns[a]![position] = crossProducts[g * size + packed(a, z)]!
    for (let e = 0; e < size; e++) base[t * size + e]! += crossProducts[g * size + e]!
  }
  const made = { columns, start, base, k: new Float64Array(level.groups), bySize: level.parent === null ? groupsBySize(columns, columns[z]!, size) : null }
  shortcuts.set(summary, made)
  return made
}

/** Σ_{g: n_g = n} f_g·f_gᵀ (packed) for each distinct group size n (see InterceptShortcut). */
const groupsBySize = (columns: ReadonlyArray<Float64Array>, sizesOfGroups: Float64Array, size: number) => {
  const sizes = Float64Array.from(new Set(sizesOfGroups)).sort()
  const index = new Map<number, number>()
  sizes.forEach((n, i) => index.set(n, i))
  const counts = new Float64Array(sizes.length)
  const products = new Float64Array(sizes.length * size)
  const d = columns.length
  for (let g = 0; g < sizesOfGroups.length; g++) {
    const i = index.get(sizesOfGroups[g]!)!
    counts[i]!++
    let at = i * size
    for (let a = 0; a < d; a++) {
      const fa = columns[a]![g]!
      for (let b = 0; b <= a; b++) products[at++]! += fa * columns[b]![g]!
    }
  }
  return { sizes, counts, products }
}

/** {@link InterceptShortcut}: writes the parents' cross-products into `out`; returns Σ log|M|. */
const innermostInterceptUpdates = (summary: MixedModelSummary, theta: number, out: Float64Array): number => {
  const { columns, start, base, k, bySize } = shortcutOf(summary)
  const { d, size, levels } = summary
  const nz = columns[levels[levels.length - 1]!.terms[0]!]!
  const l2 = theta * theta
  if (bySize !== null) {
    out.set(base)
    let logDet = 0
    for (let i = 0; i < bySize.sizes.length; i++) {
      const m = 1 + l2 * bySize.sizes[i]!
      logDet += bySize.counts[i]! * Math.log(m)
      const kn = l2 / m
      for (let e = 0; e < size; e++) out[e]! -= kn * bySize.products[i * size + e]!
    }
    return logDet
  }
  let logDet = 0
  let product = 1
  for (let g = 0; g < k.length; g++) {
    const m = 1 + l2 * nz[g]!
    product *= m
    if (product > 1e280) {
      logDet += Math.log(product)
      product = 1
    }
    k[g] = l2 / m
  }
  out.set(base)
  const parents = start.length - 1
  // entries (a, b), (a, b + 1), (a, b + 2) in one pass: three running sums in registers
  const none = columns[0]!
  for (let a = 0; a < d; a++) {
    const fa = columns[a]!
    for (let b = 0; b <= a; b += 3) {
      const e = (a * (a + 1)) / 2 + b
      const width = Math.min(3, a + 1 - b)
      const f0 = columns[b]!
      const f1 = width > 1 ? columns[b + 1]! : none
      const f2 = width > 2 ? columns[b + 2]! : none
      for (let t = 0; t < parents; t++) {
        let s0 = 0
        let s1 = 0
        let s2 = 0
        for (let g = start[t]!, end = start[t + 1]!; g < end; g++) {
          const kf = k[g]! * fa[g]!
          s0 += kf * f0[g]!
          s1 += kf * f1[g]!
          s2 += kf * f2[g]!
        }
        const at = t * size + e
        out[at]! -= s0
        if (width > 1) out[at + 1]! -= s1
        if (width > 2) out[at + 2]! -= s2
      }
    }
  }
  return logDet + Math.log(product)
}

/** The θ slices of the levels, outermost first. */
export const thetaOffsets = (summary: MixedModelSummary): number[] => {
  const offsets: number[] = []
  let at = 0
  for (const level of summary.levels) {
    offsets.push(at)
    at += thetaCount(level.terms.length)
  }
  return offsets
}

/**
 * Aggregates the groups bottom-up at θ. Returns the root cross-product (packed), log|V| and, when
 * `keep`, each outer level's per-group cross-products before its own update (for the modes).
 */
const aggregate = (summary: MixedModelSummary, theta: ArrayLike<number>, keep: boolean) => {
  const { levels, size, d } = summary
  const offsets = thetaOffsets(summary)
  const f = new Float64Array(d * Math.max(...levels.map((l) => l.terms.length)))
  let source = summary.crossProducts
  let logDetV = 0
  const kept: Float64Array[] = new Array<Float64Array>(levels.length)
  kept[levels.length - 1] = summary.crossProducts
  for (let k = levels.length - 1; k >= 0; k--) {
    const level = levels[k]!
    const lambda = lambdaOf(theta, offsets[k]!, level.terms.length)
    const outer = k === 0 ? new Float64Array(size) : new Float64Array(levels[k - 1]!.groups * size)
    const parent = level.parent
    if (level.terms.length === 1 && k === levels.length - 1) logDetV += innermostInterceptUpdates(summary, lambda[0]!, outer)
    else {
      for (let g = 0; g < level.groups; g++) {
        logDetV += update(source, g * size, d, level.terms, lambda, outer, parent === null ? 0 : parent[g]! * size, f)
      }
    }
    if (k > 0 && keep) kept[k - 1] = outer
    source = outer
  }
  return { root: source, logDetV, kept }
}

/** The profiled quantities at θ (file comment); null when XᵀV⁻¹X is not positive definite. */
export const evaluate = (summary: MixedModelSummary, theta: ArrayLike<number>): Evaluation | null => {
  const { root, logDetV } = aggregate(summary, theta, false)
  const { p } = summary
  const a = new Float64Array(p * p)
  const b = new Float64Array(p)
  for (let i = 0; i < p; i++) {
    b[i] = root[packed(p, i)]!
    for (let j = 0; j < p; j++) a[i * p + j] = root[packed(i, j)]!
  }
  const inv = invertSpd({ rows: p, cols: p, data: a })
  if (inv === null || !Number.isFinite(logDetV)) return null
  const beta = new Float64Array(p)
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) beta[i]! += inv.inverse.data[i * p + j]! * b[j]!
  let fitted = 0
  for (let i = 0; i < p; i++) fitted += b[i]! * beta[i]!
  return { logDetV, logDetA: inv.logDeterminant, r2: root[packed(p, p)]! - fitted, beta, aInverse: inv.inverse.data }
}

/** lme4's REML criterion or ML deviance from an evaluation (file comment). */
export const criterionOf = (e: Evaluation, n: number, p: number, reml: boolean): number => {
  const m = reml ? n - p : n
  return e.logDetV + (reml ? e.logDetA : 0) + m * (1 + Math.log((2 * Math.PI * e.r2) / m))
}

/** Conditional modes and, for the outermost level, conditional variances of one level's groups. */
export interface LevelModes {
  /** groups × q, row-major: the predicted random effects (BLUPs) */
  readonly modes: Float64Array
  /** groups × q × q: Var(b_g | y) at θ̂, β̂ (lme4's condVar); outermost level only, else null */
  readonly variances: Float64Array | null
}

/** Conditional modes of every level, outermost first (file comment); σ² scales the variances. */
export const conditionalModes = (summary: MixedModelSummary, theta: ArrayLike<number>, beta: ArrayLike<number>, sigma2: number): LevelModes[] => {
  const { levels, size, p } = summary
  const { kept } = aggregate(summary, theta, true)
  const offsets = thetaOffsets(summary)
  const result: LevelModes[] = []
  for (let k = 0; k < levels.length; k++) {
    const level = levels[k]!
    const q = level.terms.length
    const lambda = lambdaOf(theta, offsets[k]!, q)
    const c = kept[k]!
    const modes = new Float64Array(level.groups * q)
    const variances = k === 0 ? new Float64Array(level.groups * q * q) : null
    for (let g = 0; g < level.groups; g++) {
      const at = g * size
      // s = C_Z,y − C_Z,X β − Σ_ancestors C_Z,Z_anc b_anc
      const s = new Float64Array(q)
      for (let i = 0; i < q; i++) {
        const z = level.terms[i]!
        let v = c[at + packed(z, p)]!
        for (let j = 0; j < p; j++) v -= c[at + packed(z, j)]! * beta[j]!
        let node = g
        for (let up = k - 1; up >= 0; up--) {
          node = levels[up + 1]!.parent![node]!
          const ancestor = levels[up]!
          const qa = ancestor.terms.length
          for (let j = 0; j < qa; j++) v -= c[at + packed(z, ancestor.terms[j]!)]! * result[up]!.modes[node * qa + j]!
        }
        s[i] = v
      }
      // M = I + ΛᵀC_ZZΛ;  b = ΛM⁻¹Λᵀs
      const czz = new Float64Array(q * q)
      for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) czz[i * q + j] = c[at + packed(level.terms[i]!, level.terms[j]!)]!
      const m = new Float64Array(q * q)
      for (let i = 0; i < q; i++) {
        for (let j = 0; j < q; j++) {
          let sum = i === j ? 1 : 0
          for (let r = 0; r < q; r++) for (let t = 0; t < q; t++) sum += lambda[r * q + i]! * czz[r * q + t]! * lambda[t * q + j]!
          m[i * q + j] = sum
        }
      }
      const mi = invertSmall(m, q).inverse
      // K = ΛM⁻¹Λᵀ
      const kk = new Float64Array(q * q)
      for (let i = 0; i < q; i++) {
        for (let j = 0; j < q; j++) {
          let sum = 0
          for (let r = 0; r < q; r++) for (let t = 0; t < q; t++) sum += lambda[i * q + r]! * mi[r * q + t]! * lambda[j * q + t]!
          kk[i * q + j] = sum
        }
      }
      for (let i = 0; i < q; i++) {
        let sum = 0
        for (let j = 0; j < q; j++) sum += kk[i * q + j]! * s[j]!
        modes[g * q + i] = sum
        if (variances !== null) for (let j = 0; j < q; j++) variances[(g * q + i) * q + j] = sigma2 * kk[i * q + j]!
      }
    }
    result.push({ modes, variances })
  }
  return result
}
