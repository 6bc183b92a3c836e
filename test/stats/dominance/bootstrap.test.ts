/**
 * The cluster bootstrap of the general dominance weights (src/stats/dominance/bootstrap.ts): a
 * replicate's cross-products equal those of its resampled rows written out, and a seed fixes the
 * intervals.
 */
import { describe, expect, it } from "vitest"
import { bootstrapGeneralDominance, clusterResampler, denseRows, replicateCrossProducts, rowResampler } from "../../../src/stats/dominance/bootstrap.ts"
import { dominance } from "../../../src/stats/dominance/dominance.ts"
import { allSubsetsRSquared, crossProducts } from "../../../src/stats/dominance/subsets.ts"
import { quantileSorted } from "../../../src/stats/descriptives/summary.ts"
import { integerInRange } from "../../../src/stats/random/distributions.ts"
import { createRng } from "../../../src/stats/random/xoshiro.ts"

// 12 clusters of 5 consecutive rows, with a shared part u_c in x1 and y
const n = 60
const cluster = Int32Array.from({ length: n }, (_, i) => Math.floor(i / 5))
const u = (i: number) => 2 * Math.sin(cluster[i]! * cluster[i]! * 0.9)
const x1 = Array.from({ length: n }, (_, i) => 0.3 * Math.sin(i * i * 0.7) + u(i) + 10)
const x2 = Array.from({ length: n }, (_, i) => Math.cos(i * i * 1.9) * 2)
const x3 = Array.from({ length: n }, (_, i) => ((i * 7919) % 13) / 5)
const y = Array.from({ length: n }, (_, i) => 0.8 * x1[i]! + 0.4 * x2[i]! + 0.2 * x3[i]! + 1.5 * u(i) + Math.sin(i * 3.1))
const sets = [[0], [1], [2]]

describe("a replicate's cross-products", () => {
  const written = (repeat: (i: number) => number) => {
    const rows: number[] = []
    for (let i = 0; i < n; i++) for (let w = 0; w < repeat(i); w++) rows.push(i)
    return crossProducts([x1, x2, x3].map((c) => rows.map((i) => c[i]!)), rows.map((i) => y[i]!))
  }
  const same = (actual: { n: number; matrix: Float64Array }, expected: { n: number; matrix: Float64Array }) => {
    expect(actual.n).toBe(expected.n)
    actual.matrix.forEach((v, e) => expect(Math.abs(v - expected.matrix[e]!)).toBeLessThan(1e-9 * (1 + Math.abs(expected.matrix[e]!))))
  }

  /** unit u repeated weights[u] times, in a scrambled order */
  const drawsOf = (weights: ArrayLike<number>) => {
    const draws: number[] = []
    for (let u = 0; u < weights.length; u++) for (let w = 0; w < weights[u]!; w++) draws.push(u)
    return Int32Array.from(draws.map((u, j) => [u, (j * 37) % 11] as const).sort((a, b) => a[1] - b[1]).map(([u]) => u))
  }

  it("equal those of the resampled rows written out, drawing clusters", () => {
    const weights = Float64Array.from({ length: 12 }, (_, c) => (c * 5) % 3) // clusters drawn 0, 2, 1, 0, 2, … times
    same(replicateCrossProducts(clusterResampler(denseRows([x1, x2, x3], y), cluster, 12), drawsOf(weights)), written((i) => weights[cluster[i]!]!))
  })

  it("are the same with a category given by its dummies or by the index of the dummy that is 1", () => {
    // a three-level category c (level 0 the reference): dummies in columns 3 and 4
    const level = Array.from({ length: n }, (_, i) => (i * 5) % 3)
    const dummies = [1, 2].map((l) => level.map((v) => (v === l ? 1 : 0)))
    const dense = denseRows([x1, x2, x3, ...dummies], y)
    const sparse = {
      rows: n,
      d: 6,
      numeric: [x1, x2, x3, y].map((values, k) => ({ column: k === 3 ? 5 : k, values })),
      indicators: [Int32Array.from(level, (v) => (v === 0 ? -1 : v + 2))],
    }
    const draws = drawsOf(Float64Array.from({ length: n }, (_, i) => (i * 7) % 4))
    same(replicateCrossProducts(rowResampler(sparse), draws), replicateCrossProducts(rowResampler(dense), draws))
    same(replicateCrossProducts(clusterResampler(sparse, cluster, 12), draws.subarray(0, 30).map((i) => i % 12)), replicateCrossProducts(clusterResampler(dense, cluster, 12), draws.subarray(0, 30).map((i) => i % 12)))
  })

  it("equal those of the resampled rows written out, drawing rows", () => {
    const weights = Float64Array.from({ length: n }, (_, i) => (i * 7) % 4)
    same(replicateCrossProducts(rowResampler(denseRows([x1, x2, x3], y)), drawsOf(weights)), written((i) => weights[i]!))
  })
})

describe("bootstrapGeneralDominance", () => {
  const point = dominance(allSubsetsRSquared(crossProducts([x1, x2, x3], y), sets), 3).general
  const run = (seed: number, byCluster: boolean, size?: number) =>
    bootstrapGeneralDominance(byCluster ? clusterResampler(denseRows([x1, x2, x3], y), cluster, 12) : rowResampler(denseRows([x1, x2, x3], y)), sets, point, {
      replicates: 200,
      seed,
      level: 0.95,
      ...(size === undefined ? {} : { size }),
    })

  it("gives the same intervals for the same seed, and other intervals for another", () => {
    expect(run(7, false)).toEqual(run(7, false))
    expect(run(7, false).intervals).not.toEqual(run(8, false).intervals)
  })

  it("brackets the point estimates", () => {
    for (const byCluster of [false, true]) {
      const r = run(7, byCluster)
      expect(r.replicates).toBe(200)
      r.intervals.forEach(([lo, hi], i) => {
        expect(lo).toBeLessThanOrEqual(point[i]!)
        expect(hi).toBeGreaterThanOrEqual(point[i]!)
      })
    }
  })

  it("draws whole clusters: 12 clusters of 5 identical rows resample exactly as the 12 distinct rows do", () => {
    const distinct = Array.from({ length: 12 }, (_, c) => c * 5) // the first row of each cluster
    const copies = Array.from({ length: n }, (_, i) => distinct[cluster[i]!]!)
    const column = (values: number[], rows: number[]) => rows.map((i) => values[i]!)
    const options = { replicates: 100, level: 0.9 }
    const byCluster = bootstrapGeneralDominance(clusterResampler(denseRows([x1, x2, x3].map((c) => column(c, copies)), column(y, copies)), cluster, 12), sets, point, { ...options, seed: 3 })
    const byRow = bootstrapGeneralDominance(rowResampler(denseRows([x1, x2, x3].map((c) => column(c, distinct)), column(y, distinct))), sets, point, { ...options, seed: 3 })
    byCluster.intervals.forEach(([lo, hi], i) => {
      expect(lo).toBeCloseTo(byRow.intervals[i]![0], 10)
      expect(hi).toBeCloseTo(byRow.intervals[i]![1], 10)
    })
  })

  it("m-out-of-n: draws m units per replicate and rescales the replicates' spread by √(m/N) around the estimate", () => {
    const full = run(11, false)
    const half = run(11, false, n / 4)
    expect(full.size).toBe(n)
    expect(half.size).toBe(n / 4)
    // by hand from the same draws: each replicate's 15 rows written out and analysed, the type-7
    // quantiles taken, and q ↦ θ̂ + √(15/60)(q − θ̂)
    const rng = createRng(11)
    const replicates = Array.from({ length: 200 }, () => {
      const rows = Array.from({ length: n / 4 }, () => integerInRange(rng, 0, n - 1))
      const cp = crossProducts([x1, x2, x3].map((c) => rows.map((i) => c[i]!)), rows.map((i) => y[i]!))
      return dominance(allSubsetsRSquared(cp, sets), 3).general
    })
    point.forEach((theta, i) => {
      const sorted = Float64Array.from(replicates, (g) => g[i]!).sort()
      const expected = [0.025, 0.975].map((q) => theta + 0.5 * (quantileSorted(sorted, q) - theta))
      expect(half.intervals[i]![0]).toBeCloseTo(expected[0]!, 10)
      expect(half.intervals[i]![1]).toBeCloseTo(expected[1]!, 10)
    })
    half.intervals.forEach(([lo, hi], i) => {
      expect(lo).toBeLessThanOrEqual(point[i]!)
      expect(hi).toBeGreaterThanOrEqual(point[i]!)
      // a quarter of the rows spreads about twice as far; rescaled by one half, the width is of the full bootstrap's order
      const ratio = (hi - lo) / (full.intervals[i]![1] - full.intervals[i]![0])
      expect(ratio).toBeGreaterThan(0.5)
      expect(ratio).toBeLessThan(2)
    })
  })

  it("keeps a replicate that misses a rare level, fitting its models without that level as lm does", () => {
    // a level held by 2 of the 60 rows: a replicate of 60 draws misses both with probability (58/60)^60 ≈ 13%
    const rare = Array.from({ length: n }, (_, i) => (i === 7 || i === 31 ? 1 : 0))
    const columns = [x1, x2, rare]
    const withRare = dominance(allSubsetsRSquared(crossProducts(columns, y), sets), 3).general
    const r = bootstrapGeneralDominance(rowResampler(denseRows(columns, y)), sets, withRare, { replicates: 200, seed: 5, level: 0.95 })
    expect(r.skipped).toBe(0)
    expect(r.replicates).toBe(200)
    // the rare level's own interval starts at 0: the replicates without it give it no share
    expect(r.intervals[2]![0]).toBe(0)
  })
})
