/**
 * Bootstrap percentile intervals for the general dominance weights, resampling units — clients
 * (every row its own unit) or therapists (all of a therapist's clients together) — with
 * replacement, B times, from a recorded seed (Efron & Tibshirani 1993, ch. 13; the cluster
 * bootstrap of Field & Welsh 2007 for clustered data).
 *
 * Each replicate needs only the cross-products of its resampled rows. Drawing units u₁ … u_m,
 * with the columns of [X | y] centred at the full-sample means (so nothing cancels), they are
 * N = Σ n_u, S = Σ s_u, P = Σ P_u and the centred cross-products P − SSᵀ/N, where n_u, s_u and
 * P_u are the unit's row count, column sums and raw products:
 * - drawing clusters (therapists), those are summed once per cluster (clusterResampler);
 * - drawing rows (clients), each draw reads its row (rowResampler), whose non-zero entries are
 *   packed together: numbers, and for each category the one dummy that is 1 (SparseRows).
 * Either way a replicate costs O(m · d²) at most, whatever the number of rows.
 *
 * Large samples: drawing m < N of the N units per replicate (the m-out-of-n bootstrap, Bickel,
 * Götze & van Zwet 1997), the spread of a replicate around the estimate θ̂ is √(N/m) times that of
 * a full-size one for smooth statistics such as these weights, so the interval is
 *
 *   θ̂ + √(m/N) · (q − θ̂)   for q each of the replicates' type-7 quantiles (R's default) at (1 ± level)/2,
 *
 * which is the ordinary percentile interval [q_lo, q_hi] when m = N.
 */
import { quantileSorted } from "../descriptives/summary.ts"
import { integerInRange } from "../random/distributions.ts"
import { createRng } from "../random/xoshiro.ts"
import { dominance } from "./dominance.ts"
import { allSubsetsRSquared, columnMeans, type CrossProducts, partialOut } from "./subsets.ts"

/**
 * The rows of [X | y] (d columns, y last) as the resamplers read them: numeric columns, and
 * categories as the index of the one dummy column that is 1 in each row (−1 for the reference
 * level) — a row of a design with three categories and six numbers has nine non-zero entries
 * where its dummy coding has eighteen columns, and costs a third of the products.
 */
export interface SparseRows {
  readonly rows: number
  /** columns of [X | y] */
  readonly d: number
  readonly numeric: ReadonlyArray<{ readonly column: number; readonly values: ArrayLike<number> }>
  /** per category, per row: the dummy column that is 1, or −1 */
  readonly indicators: ReadonlyArray<ArrayLike<number>>
}

/** Dense columns and y as SparseRows (every column numeric). */
export const denseRows = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): SparseRows => ({
  rows: y.length,
  d: columns.length + 1,
  numeric: [...columns, y].map((values, column) => ({ column, values })),
  indicators: [],
})

/** The resampling units of a bootstrap: how many, and how to add one to a replicate's sums. */
export interface Resampler {
  readonly units: number
  /** columns of [X | y] */
  readonly d: number
  /** adds unit u's raw column sums (at `sumAt`) and raw products (a packed lower triangle at `triangleAt`); returns its number of rows */
  readonly add: (unit: number, sum: Float64Array, sumAt: number, triangle: Float64Array, triangleAt: number) => number
}

/**
 * The rows packed row by row — a short run of memory per row: the numeric columns' values, centred
 * at their means (so nothing cancels), `width` per row; and per category the column of its dummy
 * that is 1 (−1: none), `categories` per row.
 */
interface PackedRows {
  readonly width: number
  readonly rows: Float64Array
  /** per row, per category: the column of its dummy that is 1 (−1: none) */
  readonly codes: Int32Array
  readonly categories: number
  /** design column of each numeric slot */
  readonly numericColumns: Int32Array
  /** position in the packed lower triangle of the product of numeric slots i ≥ j, in loop order */
  readonly numericPairs: Int32Array
}

/** Position of entry (a, b) in a packed lower triangle. */
const tri = (a: number, b: number): number => (a >= b ? ((a * (a + 1)) >> 1) + b : ((b * (b + 1)) >> 1) + a)

const packRows = (design: SparseRows): PackedRows => {
  const means = columnMeans(design.numeric.map((c) => c.values))
  const width = design.numeric.length
  const k = width
  const c = design.indicators.length
  const rows = new Float64Array(design.rows * width)
  const codes = new Int32Array(design.rows * c)
  design.numeric.forEach(({ values }, slot) => {
    for (let i = 0, at = slot; i < design.rows; i++, at += width) rows[at] = values[i]! - means[slot]!
  })
  design.indicators.forEach((indicator, j) => {
    for (let i = 0, at = j; i < design.rows; i++, at += c) codes[at] = indicator[i]!
  })
  const numericColumns = Int32Array.from(design.numeric, (c) => c.column)
  const numericPairs: number[] = []
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) numericPairs.push(tri(numericColumns[i]!, numericColumns[j]!))
  return { width, rows, codes, categories: c, numericColumns, numericPairs: Int32Array.from(numericPairs) }
}

/**
 * Adds row `row` to the raw sums (at `sumAt`) and the raw products, a packed lower triangle (at
 * `triangleAt`): numbers with numbers, each indicator with itself (a count), with the numbers and
 * with the other indicators.
 */
const addRow = (packed: PackedRows, row: number, sum: Float64Array, sumAt: number, triangle: Float64Array, triangleAt: number): void => {
  const { width, rows, codes, categories, numericColumns, numericPairs } = packed
  const k = numericColumns.length
  const base = row * width
  const codeBase = row * categories
  let pair = 0
  for (let i = 0; i < k; i++) {
    const vi = rows[base + i]!
    sum[sumAt + numericColumns[i]!]! += vi
    for (let j = 0; j <= i; j++) triangle[triangleAt + numericPairs[pair++]!]! += vi * rows[base + j]!
  }
  for (let c = 0; c < categories; c++) {
    const a = codes[codeBase + c]!
    if (a < 0) continue
    sum[sumAt + a]! += 1
    triangle[triangleAt + tri(a, a)]! += 1
    for (let i = 0; i < k; i++) triangle[triangleAt + tri(a, numericColumns[i]!)]! += rows[base + i]!
    for (let e = 0; e < c; e++) {
      const b = codes[codeBase + e]!
      if (b >= 0) triangle[triangleAt + tri(a, b)]! += 1
    }
  }
}

/** The replicate's raw sums and packed lower-triangle products as centred cross-products: P − SSᵀ/N. */
const finish = (n: number, d: number, sum: Float64Array, triangle: Float64Array): CrossProducts => {
  const matrix = new Float64Array(d * d)
  for (let a = 0, at = 0; a < d; a++) {
    for (let b = 0; b <= a; b++, at++) {
      const v = triangle[at]! - (sum[a]! * sum[b]!) / n
      matrix[a * d + b] = v
      matrix[b * d + a] = v
    }
  }
  return { n, p: d - 1, matrix, controls: 0 }
}

/** Resampling clusters: `cluster[i]` in 0..clusters − 1; each cluster's sums are read once from the rows. */
export const clusterResampler = (design: SparseRows, cluster: Int32Array, clusters: number): Resampler => {
  const { d } = design
  const size = (d * (d + 1)) / 2
  const packed = packRows(design)
  const counts = new Float64Array(clusters)
  const sums = new Float64Array(clusters * d)
  const products = new Float64Array(clusters * size)
  for (let i = 0; i < design.rows; i++) {
    const g = cluster[i]!
    counts[g]!++
    addRow(packed, i, sums, g * d, products, g * size)
  }
  return {
    units: clusters,
    d,
    add: (c, sum, sumAt, triangle, triangleAt) => {
      for (let a = 0; a < d; a++) sum[sumAt + a]! += sums[c * d + a]!
      for (let e = 0; e < size; e++) triangle[triangleAt + e]! += products[c * size + e]!
      return counts[c]!
    },
  }
}

/** Resampling rows: each draw reads its row's entries, packed together. */
export const rowResampler = (design: SparseRows): Resampler => {
  const packed = packRows(design)
  return {
    units: design.rows,
    d: design.d,
    add: (row, sum, sumAt, triangle, triangleAt) => {
      addRow(packed, row, sum, sumAt, triangle, triangleAt)
      return 1
    },
  }
}

/** The cross-products of one replicate that draws `draws` (unit indices, repeats allowed). */
export const replicateCrossProducts = (resampler: Resampler, draws: ArrayLike<number>): CrossProducts => {
  const { d } = resampler
  const sum = new Float64Array(d)
  const triangle = new Float64Array((d * (d + 1)) / 2)
  let n = 0
  for (let j = 0; j < draws.length; j++) n += resampler.add(draws[j]!, sum, 0, triangle, 0)
  return finish(n, d, sum, triangle)
}

export interface BootstrapOptions {
  readonly replicates: number
  /** seed of the draws (stats/random/xoshiro.ts) */
  readonly seed: number
  readonly level: number
  /** units drawn per replicate (m); at most, and by default, all of them */
  readonly size?: number
  /** leading predictor columns partialled out of each replicate (subsets.ts, partialOut) */
  readonly controls?: number
}

export interface BootstrapIntervals {
  /** interval per set */
  readonly intervals: ReadonlyArray<readonly [number, number]>
  /** replicates that gave weights (a replicate whose y, or controls, do not vary is skipped) */
  readonly replicates: number
  readonly skipped: number
  /** units drawn per replicate */
  readonly size: number
}

/** Intervals for the general dominance weights of `sets` around the estimates `point` (file comment). */
export const bootstrapGeneralDominance = (
  resampler: Resampler,
  sets: ReadonlyArray<ReadonlyArray<number>>,
  point: ReadonlyArray<number>,
  options: BootstrapOptions,
): BootstrapIntervals => {
  const k = sets.length
  const units = resampler.units
  const size = Math.min(options.size ?? units, units)
  const rng = createRng(options.seed)
  const draws: number[][] = sets.map(() => [])
  const drawn = new Int32Array(size)
  let skipped = 0
  for (let r = 0; r < options.replicates; r++) {
    for (let j = 0; j < size; j++) drawn[j] = integerInRange(rng, 0, units - 1)
    drawn.sort() // the same replicate, its rows read in memory order
    const cp = partialOut(replicateCrossProducts(resampler, drawn), options.controls ?? 0)
    // a level no row of the replicate has is left out of its models, as lm leaves out aliased columns
    const general = cp === null ? [Number.NaN] : dominance(allSubsetsRSquared(cp, sets, { aliased: "drop" }), k).general
    if (general.some((g) => !Number.isFinite(g))) {
      skipped++
      continue
    }
    general.forEach((g, i) => draws[i]!.push(g))
  }
  const alpha = (1 - options.level) / 2
  const shrink = Math.sqrt(size / units)
  const intervals = draws.map((values, i): readonly [number, number] => {
    const sorted = Float64Array.from(values).sort()
    const at = (q: number) => (size === units ? q : point[i]! + shrink * (q - point[i]!))
    return [at(quantileSorted(sorted, alpha)), at(quantileSorted(sorted, 1 - alpha))]
  })
  return { intervals, replicates: options.replicates - skipped, skipped, size }
}
