/**
 * Bootstrap percentile intervals for the general dominance weights, resampling clusters — clients
 * (every row its own cluster) or therapists (all of a therapist's clients together) — with
 * replacement, B times, from a recorded seed (Efron & Tibshirani 1993, ch. 13; the cluster
 * bootstrap of Field & Welsh 2007 for clustered data).
 *
 * Each replicate needs only the cross-products of its resampled rows. Drawing unit u w_u times,
 * with the columns of [X | y] centred at the full-sample means first (so nothing cancels), they are
 * N = Σ w_u n_u, S = Σ w_u s_u, P = Σ w_u P_u and the centred cross-products P − SSᵀ/N, where n_u,
 * s_u and P_u are the unit's row count, column sums and raw products:
 * - resampling clusters (therapists), those are summed once per cluster (clusterResampler), and a
 *   replicate costs O(clusters · d²);
 * - resampling rows (clients), nothing is stored per row (rowResampler): a replicate is one
 *   weighted pass over the rows, O(n · d²), in constant memory.
 * Intervals are the type-7 quantiles (R's default) of the replicates at (1 ± level)/2.
 */
import { quantileSorted } from "../descriptives/summary.ts"
import { integerInRange } from "../random/distributions.ts"
import type { Rng } from "../random/xoshiro.ts"
import { dominance } from "./dominance.ts"
import { allSubsetsRSquared, centred, type CrossProducts } from "./subsets.ts"

/** The resampling units of a bootstrap and the cross-products of a replicate that draws unit u weights[u] times. */
export interface Resampler {
  readonly units: number
  readonly crossProducts: (weights: ArrayLike<number>) => CrossProducts
}

/** P − SSᵀ/N as CrossProducts. */
const finish = (n: number, d: number, sum: Float64Array, matrix: Float64Array): CrossProducts => {
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) matrix[a * d + b]! -= (sum[a]! * sum[b]!) / n
  return { n, p: d - 1, matrix }
}

/** Resampling clusters: `cluster[i]` in 0..clusters − 1; the per-cluster sums are read once from the rows. */
export const clusterResampler = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, cluster: Int32Array, clusters: number): Resampler => {
  const all = centred([...columns, y])
  const d = all.length
  const counts = new Float64Array(clusters)
  const sums = new Float64Array(clusters * d)
  const products = new Float64Array(clusters * d * d)
  for (let i = 0; i < y.length; i++) {
    const g = cluster[i]!
    counts[g]!++
    for (let a = 0; a < d; a++) {
      const wa = all[a]![i]!
      sums[g * d + a]! += wa
      for (let b = 0; b < d; b++) products[(g * d + a) * d + b]! += wa * all[b]![i]!
    }
  }
  return {
    units: clusters,
    crossProducts: (weights) => {
      let n = 0
      const sum = new Float64Array(d)
      const matrix = new Float64Array(d * d)
      for (let c = 0; c < clusters; c++) {
        const w = weights[c]!
        if (w === 0) continue
        n += w * counts[c]!
        for (let a = 0; a < d; a++) sum[a]! += w * sums[c * d + a]!
        for (let e = 0; e < d * d; e++) matrix[e]! += w * products[c * d * d + e]!
      }
      return finish(n, d, sum, matrix)
    },
  }
}

/** Resampling rows: nothing stored per row; each replicate is one weighted pass. */
export const rowResampler = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): Resampler => {
  const all = centred([...columns, y])
  const d = all.length
  const rows = y.length
  return {
    units: rows,
    crossProducts: (weights) => {
      let n = 0
      const sum = new Float64Array(d)
      const matrix = new Float64Array(d * d)
      for (let i = 0; i < rows; i++) n += weights[i]!
      for (let a = 0; a < d; a++) {
        const ca = all[a]!
        let s = 0
        for (let i = 0; i < rows; i++) s += weights[i]! * ca[i]!
        sum[a] = s
        for (let b = 0; b <= a; b++) {
          const cb = all[b]!
          let p = 0
          for (let i = 0; i < rows; i++) p += weights[i]! * ca[i]! * cb[i]!
          matrix[a * d + b] = p
          matrix[b * d + a] = p
        }
      }
      return finish(n, d, sum, matrix)
    },
  }
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
  resampler: Resampler,
  sets: ReadonlyArray<ReadonlyArray<number>>,
  options: { readonly replicates: number; readonly rng: Rng; readonly level: number },
): BootstrapIntervals => {
  const k = sets.length
  const draws: number[][] = sets.map(() => [])
  const weights = new Float64Array(resampler.units)
  let skipped = 0
  for (let r = 0; r < options.replicates; r++) {
    weights.fill(0)
    for (let u = 0; u < resampler.units; u++) weights[integerInRange(options.rng, 0, resampler.units - 1)]!++
    const general = dominance(allSubsetsRSquared(resampler.crossProducts(weights), sets), k).general
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
