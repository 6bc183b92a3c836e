/**
 * Bootstrap percentile intervals for the general dominance weights, resampling clusters — clients
 * (every row its own cluster) or therapists (all of a therapist's clients together) — with
 * replacement, B times, from a recorded seed (Efron & Tibshirani 1993, ch. 13; the cluster
 * bootstrap of Field & Welsh 2007 for clustered data).
 *
 * Each replicate needs only the cross-products of its resampled rows, and those are sums over
 * clusters: with every cluster's count n_c, column sums s_c and raw products P_c of [X | y]
 * (columns centred at the full-sample means first, so nothing cancels), a replicate drawing
 * cluster c w_c times has N = Σ w_c n_c, S = Σ w_c s_c, P = Σ w_c P_c and centred cross-products
 * P − SSᵀ/N. The rows are read once; a replicate costs O(clusters · d²) plus its 2^k sub-models.
 * Intervals are the type-7 quantiles (R's default) of the replicates at (1 ± level)/2.
 */
import { quantileSorted } from "../descriptives/summary.ts"
import { integerInRange } from "../random/distributions.ts"
import type { Rng } from "../random/xoshiro.ts"
import { dominance } from "./dominance.ts"
import { allSubsetsRSquared, type CrossProducts } from "./subsets.ts"

/** Per-cluster sufficient statistics of [X | y]. */
export interface ClusterSums {
  readonly clusters: number
  /** columns of [X | y] */
  readonly d: number
  readonly counts: Float64Array
  /** clusters × d */
  readonly sums: Float64Array
  /** clusters × d × d raw products of the centred columns */
  readonly products: Float64Array
}

/** Reads the rows once into per-cluster sums; `cluster[i]` in 0..clusters − 1, or null for one cluster per row. */
export const clusterSums = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, cluster: Int32Array | null, clusters: number): ClusterSums => {
  const all = [...columns, y]
  const d = all.length
  const n = y.length
  const groups = cluster === null ? n : clusters
  const means = all.map((c) => {
    let s = 0
    for (let i = 0; i < n; i++) s += c[i]!
    return s / n
  })
  const counts = new Float64Array(groups)
  const sums = new Float64Array(groups * d)
  const products = new Float64Array(groups * d * d)
  const w = new Float64Array(d)
  for (let i = 0; i < n; i++) {
    const g = cluster === null ? i : cluster[i]!
    counts[g]!++
    for (let a = 0; a < d; a++) w[a] = all[a]![i]! - means[a]!
    for (let a = 0; a < d; a++) {
      sums[g * d + a]! += w[a]!
      for (let b = 0; b < d; b++) products[(g * d + a) * d + b]! += w[a]! * w[b]!
    }
  }
  return { clusters: groups, d, counts, sums, products }
}

/** Centred cross-products of the rows of clusters drawn `weights[c]` times each. */
export const weightedCrossProducts = (s: ClusterSums, weights: ArrayLike<number>): CrossProducts => {
  const { d } = s
  let n = 0
  const sum = new Float64Array(d)
  const matrix = new Float64Array(d * d)
  for (let c = 0; c < s.clusters; c++) {
    const w = weights[c]!
    if (w === 0) continue
    n += w * s.counts[c]!
    for (let a = 0; a < d; a++) sum[a]! += w * s.sums[c * d + a]!
    for (let e = 0; e < d * d; e++) matrix[e]! += w * s.products[c * d * d + e]!
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) matrix[a * d + b]! -= (sum[a]! * sum[b]!) / n
  return { n, p: d - 1, matrix }
}

export interface BootstrapIntervals {
  /** percentile interval per set */
  readonly intervals: ReadonlyArray<readonly [number, number]>
  /** replicates that gave weights (a replicate whose sub-models are collinear is skipped) */
  readonly replicates: number
  readonly skipped: number
}

/** Percentile intervals for the general dominance weights of `sets` (file comment). */
export const bootstrapGeneralDominance = (
  sums: ClusterSums,
  sets: ReadonlyArray<ReadonlyArray<number>>,
  options: { readonly replicates: number; readonly rng: Rng; readonly level: number },
): BootstrapIntervals => {
  const k = sets.length
  const draws: number[][] = sets.map(() => [])
  const weights = new Float64Array(sums.clusters)
  let skipped = 0
  for (let r = 0; r < options.replicates; r++) {
    weights.fill(0)
    for (let c = 0; c < sums.clusters; c++) weights[integerInRange(options.rng, 0, sums.clusters - 1)]!++
    const general = dominance(allSubsetsRSquared(weightedCrossProducts(sums, weights), sets), k).general
    if (general.some((g) => !Number.isFinite(g))) {
      skipped++
      continue
    }
    general.forEach((g, i) => draws[i]!.push(g))
  }
  const alpha = (1 - options.level) / 2
  const intervals = draws.map((values): readonly [number, number] => {
    const sorted = Float64Array.from(values).sort()
    return [quantileSorted(sorted, alpha), quantileSorted(sorted, 1 - alpha)]
  })
  return { intervals, replicates: options.replicates - skipped, skipped }
}
