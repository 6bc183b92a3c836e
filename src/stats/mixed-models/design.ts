/**
 * The data of a linear mixed model, reduced to per-group sufficient statistics in one pass.
 *
 *   y = Xβ + Σ_levels Z_k b_k + ε,   ε ~ N(0, σ²I),   b_kg ~ N(0, σ²Λ_kΛ_kᵀ) independently,
 *
 * with the grouping factors nested (each group of an inner factor lies within one group of the
 * factor outside it: clients within therapists within sites), and each factor's random part one
 * or more columns of X (the intercept, or the intercept and one slope), as in
 * `lmer(y ~ x + (1 | site/therapist))` or `lmer(y ~ days + (days | subject))`.
 *
 * Everything the likelihood needs is the cross-product W_gᵀW_g of W = [X | y] within each group
 * of the innermost factor (d = p + 1 columns; kept as the packed lower triangle, d(d+1)/2
 * numbers per group), plus which outer group each group belongs to. The rows are read once; a
 * 9-million-row session table becomes a million small triangles. See criterion.ts for how the
 * likelihood is evaluated from them.
 */

/** One grouping factor of the random part. */
export interface GroupingFactor {
  /** as the report names it, e.g. "therapist" */
  readonly name: string
  /** group code per row, 0 ≤ code < levels */
  readonly codes: Int32Array
  readonly levels: number
  /**
   * The columns of X with a random coefficient for this factor: [0] a random intercept, [0, j]
   * a random intercept and slope of column j (correlated, as `(x | g)`). Default [0].
   */
  readonly terms?: ReadonlyArray<number>
}

/** A model's rows: y, the fixed-effects columns (the intercept is added as column 0), the factors outermost first. */
export interface MixedModelData {
  readonly y: ArrayLike<number>
  /** the fixed-effect columns other than the intercept, each of length n */
  readonly columns: ReadonlyArray<ArrayLike<number>>
  /** names of the fixed effects: "(Intercept)" and one per column */
  readonly names: ReadonlyArray<string>
  readonly factors: ReadonlyArray<GroupingFactor>
}

/** One level of the (compacted) grouping structure. */
export interface Level {
  readonly name: string
  /** groups with at least one row */
  readonly groups: number
  /** the original code of each compact group */
  readonly codes: Int32Array
  /** columns of X with a random coefficient */
  readonly terms: ReadonlyArray<number>
  /** compact group of the enclosing level, per group (null for the outermost level) */
  readonly parent: Int32Array | null
}

export interface MixedModelSummary {
  readonly n: number
  /** fixed effects, including the intercept */
  readonly p: number
  /** columns of W = [X | y] */
  readonly d: number
  /** d(d+1)/2: numbers per packed triangle */
  readonly size: number
  readonly names: ReadonlyArray<string>
  /** outermost first */
  readonly levels: ReadonlyArray<Level>
  /** packed lower triangle of W_gᵀW_g per innermost group, group after group */
  readonly crossProducts: Float64Array
  /**
   * The means subtracted before the cross-products were formed (see {@link summarise}): y's, and
   * each fixed-effect column's that is not a random term (0 for the intercept and random terms).
   */
  readonly centre: { readonly y: number; readonly columns: Float64Array }
}

/** Index of entry (a, b) of a packed lower triangle. */
export const packed = (a: number, b: number): number => (a >= b ? (a * (a + 1)) / 2 + b : (b * (b + 1)) / 2 + a)

/**
 * Sample variance (n − 1) of column `a` of W (0 the intercept, 1..p − 1 the fixed-effect columns,
 * p the response) from the cross-products: (Σ w_a² − (Σ w_a)²/n)/(n − 1) over all groups. The
 * columns were centred at their means, so the sums are of deviations and nothing cancels.
 */
export const columnVariance = (summary: MixedModelSummary, a: number): number => {
  const { size, crossProducts, n } = summary
  let squares = 0
  let sum = 0
  for (let at = 0; at < crossProducts.length; at += size) {
    squares += crossProducts[at + packed(a, a)]!
    sum += crossProducts[at + packed(a, 0)]!
  }
  return (squares - (sum * sum) / n) / (n - 1)
}

/** Why the rows cannot be summarised as a nested model. */
export class DesignError extends Error {}

const compactCodes = (codes: Int32Array, levels: number, n: number): { readonly compact: Int32Array; readonly original: Int32Array } => {
  const compact = new Int32Array(levels).fill(-1)
  const original: number[] = []
  for (let i = 0; i < n; i++) {
    const c = codes[i]!
    if (c < 0 || c >= levels) throw new DesignError(`row ${i + 1} has group code ${c}, outside 0..${levels - 1}`)
    if (compact[c] === -1) {
      compact[c] = original.length
      original.push(c)
    }
  }
  return { compact, original: Int32Array.from(original) }
}

/**
 * Reads the rows once into per-group cross-products (see the file comment). y and every
 * fixed-effect column that is not a random term are centred at their means first: the model is
 * the same (the intercept absorbs the shifts; fit() maps β and Var(β̂) back), and the sums that
 * the likelihood subtracts from one another stay of the size of the variances, not of the squared
 * means — which keeps the criterion accurate to near rounding, as its numerical derivatives need.
 * Throws DesignError
 * when a code is out of range, a factor is not nested in the one before it, a term names a column
 * that does not exist, or the lengths disagree. Rows must be complete (no NaN): callers select them.
 */
export const summarise = (data: MixedModelData): MixedModelSummary => {
  const n = data.y.length
  const p = data.columns.length + 1
  const d = p + 1
  const size = (d * (d + 1)) / 2
  if (data.names.length !== p) throw new DesignError(`${data.names.length} names for ${p} fixed effects`)
  if (data.factors.length === 0) throw new DesignError("a mixed model needs at least one grouping factor")
  for (const column of data.columns) if (column.length !== n) throw new DesignError("every column must have one value per row")
  const compacted = data.factors.map((f) => {
    if (f.codes.length !== n) throw new DesignError(`factor ${f.name} must have one code per row`)
    const terms = f.terms ?? [0]
    if (terms[0] !== 0 || terms.some((t) => !Number.isInteger(t) || t < 0 || t >= p)) {
      throw new DesignError(`the random terms of ${f.name} must start with the intercept (0) and name columns of X`)
    }
    return { factor: f, terms, ...compactCodes(f.codes, f.levels, n) }
  })
  const levels: Level[] = compacted.map((c, k) => {
    const groups = c.original.length
    if (k === 0) return { name: c.factor.name, groups, codes: c.original, terms: c.terms, parent: null }
    const outer = compacted[k - 1]!
    const parent = new Int32Array(groups).fill(-1)
    for (let i = 0; i < n; i++) {
      const g = c.compact[c.factor.codes[i]!]!
      const up = outer.compact[outer.factor.codes[i]!]!
      if (parent[g] === -1) parent[g] = up
      else if (parent[g] !== up) {
        throw new DesignError(`${c.factor.name} is not nested in ${outer.factor.name}: one ${c.factor.name} appears under two ${outer.factor.name} groups (row ${i + 1})`)
      }
    }
    return { name: c.factor.name, groups, codes: c.original, terms: c.terms, parent }
  })

  const random = new Set(compacted.flatMap((c) => c.terms))
  const mean = (values: ArrayLike<number>) => {
    let sum = 0
    for (let i = 0; i < n; i++) sum += values[i]!
    return n > 0 ? sum / n : 0
  }
  const centre = { y: mean(data.y), columns: Float64Array.from({ length: p }, (_, c) => (c === 0 || random.has(c) ? 0 : mean(data.columns[c - 1]!))) }
  const innermost = compacted[compacted.length - 1]!
  const crossProducts = new Float64Array(levels[levels.length - 1]!.groups * size)
  const w = new Float64Array(d)
  const { columns, y } = data
  const codes = innermost.factor.codes
  const compact = innermost.compact
  for (let i = 0; i < n; i++) {
    w[0] = 1
    for (let c = 1; c < p; c++) w[c] = columns[c - 1]![i]! - centre.columns[c]!
    w[p] = y[i]! - centre.y
    let at = compact[codes[i]!]! * size
    for (let a = 0; a < d; a++) {
      const wa = w[a]!
      for (let b = 0; b <= a; b++) crossProducts[at++]! += wa * w[b]!
    }
  }
  return { n, p, d, size, names: data.names, levels, crossProducts, centre }
}
