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
 * - drawing rows (clients), nothing is stored per row (rowResampler) and each draw reads its row.
 * Either way a replicate costs O(m · d²), whatever the number of rows.
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
import type { Rng } from "../random/xoshiro.ts"
import { dominance } from "./dominance.ts"
import { allSubsetsRSquared, columnMeans, type CrossProducts, partialOut } from "./subsets.ts"

/** The resampling units of a bootstrap and the cross-products of a replicate that draws `draws` (unit indices, repeats allowed). */
export interface Resampler {
  readonly units: number
  readonly crossProducts: (draws: Int32Array) => CrossProducts
}

/** The replicate's raw sums as centred cross-products: P − SSᵀ/N. */
const finish = (n: number, d: number, sum: Float64Array, matrix: Float64Array): CrossProducts => {
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = matrix[a * d + b]! - (sum[a]! * sum[b]!) / n
      matrix[a * d + b] = v
      matrix[b * d + a] = v
    }
  }
  return { n, p: d - 1, matrix, controls: 0 }
}

/** Resampling clusters: `cluster[i]` in 0..clusters − 1; the per-cluster sums are read once from the rows. */
export const clusterResampler = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, cluster: Int32Array, clusters: number): Resampler => {
  const all = [...columns, y]
  const means = columnMeans(all)
  const d = all.length
  const counts = new Float64Array(clusters)
  const sums = new Float64Array(clusters * d)
  const products = new Float64Array(clusters * d * d) // lower triangles
  const row = new Float64Array(d)
  for (let i = 0; i < y.length; i++) {
    const g = cluster[i]!
    counts[g]!++
    for (let a = 0; a < d; a++) row[a] = all[a]![i]! - means[a]!
    for (let a = 0; a < d; a++) {
      sums[g * d + a]! += row[a]!
      for (let b = 0; b <= a; b++) products[(g * d + a) * d + b]! += row[a]! * row[b]!
    }
  }
  return {
    units: clusters,
    crossProducts: (draws) => {
      let n = 0
      const sum = new Float64Array(d)
      const matrix = new Float64Array(d * d)
      for (const c of draws) {
        n += counts[c]!
        for (let a = 0; a < d; a++) {
          sum[a]! += sums[c * d + a]!
          for (let b = 0; b <= a; b++) matrix[a * d + b]! += products[(c * d + a) * d + b]!
        }
      }
      return finish(n, d, sum, matrix)
    },
  }
}

/** Resampling rows: nothing stored per row; each draw reads its row. */
export const rowResampler = (columns: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>): Resampler => {
  const all = [...columns, y]
  const means = columnMeans(all)
  const d = all.length
  const row = new Float64Array(d)
  return {
    units: y.length,
    crossProducts: (draws) => {
      const sum = new Float64Array(d)
      const matrix = new Float64Array(d * d)
      for (const i of draws) {
        for (let a = 0; a < d; a++) row[a] = all[a]![i]! - means[a]!
        for (let a = 0; a < d; a++) {
          const ra = row[a]!
          sum[a]! += ra
          for (let b = 0; b <= a; b++) matrix[a * d + b]! += ra * row[b]!
        }
      }
      return finish(draws.length, d, sum, matrix)
    },
  }
}

export interface BootstrapOptions {
  readonly replicates: number
  readonly rng: Rng
  readonly level: number
  /** units drawn per replicate (m); at most, and by default, all of them */
  readonly size?: number
  /** leading predictor columns partialled out of each replicate (subsets.ts, partialOut) */
  readonly controls?: number
}

export interface BootstrapIntervals {
  /** interval per set */
  readonly intervals: ReadonlyArray<readonly [number, number]>
  /** replicates that gave weights (a replicate whose sub-models are collinear is skipped) */
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
  const draws: number[][] = sets.map(() => [])
  const drawn = new Int32Array(size)
  let skipped = 0
  for (let r = 0; r < options.replicates; r++) {
    for (let j = 0; j < size; j++) drawn[j] = integerInRange(options.rng, 0, units - 1)
    const cp = partialOut(resampler.crossProducts(drawn), options.controls ?? 0)
    const general = cp === null ? [Number.NaN] : dominance(allSubsetsRSquared(cp, sets), k).general
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
