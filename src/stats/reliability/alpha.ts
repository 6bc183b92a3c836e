/**
 * Cronbach's α and the item analysis that goes with it, as `psych::alpha` reports them.
 *
 * From the items' covariance matrix C (k × k, n − 1 denominator) and correlation matrix R:
 *
 *   raw α          k/(k − 1) · (1 − tr C / ΣC)                              (Cronbach 1951)
 *   standardized α k/(k − 1) · (1 − k / ΣR)
 *   Guttman's λ6   1 − Σ(1 − smc_i) / ΣR, smc_i = 1 − 1/(R⁻¹)_ii             (Guttman 1945)
 *   average r      (ΣR − k) / (k(k − 1)); its variance and median over the k(k − 1)/2 pairs
 *   S/N            k·r̄ / (1 − r̄)
 *   SE of α        √(Q/n), Q = 2k²/((k − 1)²(ΣC)³) · (ΣC·(tr C² + (tr C)²) − 2·tr C·Σ(C²))
 *                  (Duhachek & Iacobucci 2004; psych's `ase`)
 *   Feldt interval 1 − (1 − α)·F_{1∓c/2}(n − 1, (n − 1)(k − 1)), c = 1 − level (Feldt 1965;
 *                  psych's `alpha.ci`)
 *
 * and per item: its correlation with the total (the mean of the items, psych's default), with the
 * standardized total (ΣR over its column / √ΣR), the same corrected for item overlap with smc on
 * the diagonal (r.cor), with the total of the other items (r.drop), its mean and SD, and every
 * statistic above with the item left out (from three items up).
 *
 * Rows must be complete (no missing values) and keyed already (reverse-keyed items reversed).
 * Reference: `psych::alpha` (Revelle); golden-tested in test/reference/reliability.R on the `bfi`
 * items of the psych package.
 */
import { quantileSorted, variance } from "../descriptives/summary.ts"
import { fisherFQuantile } from "../distributions/f.ts"
import { invertSpd } from "../numeric/matrix.ts"

/** The scale-level statistics of a set of items (file comment). */
export interface AlphaStatistics {
  readonly raw: number
  readonly standardized: number
  readonly guttmanLambda6: number
  readonly averageR: number
  readonly signalToNoise: number
  /** standard error of raw α (psych's `ase`) */
  readonly se: number
  readonly varianceR: number
  readonly medianR: number
}

export interface ItemStatistics {
  /** r(item, total), the total being the mean of the items */
  readonly rawR: number
  /** r(item, standardized total) */
  readonly stdR: number
  /** stdR corrected for item overlap and reliability (smc on the diagonal) */
  readonly rCor: number
  /** r(item, total of the other items) */
  readonly rDrop: number
  readonly mean: number
  readonly sd: number
  /** the scale's statistics without this item; null with fewer than 3 items */
  readonly ifDeleted: AlphaStatistics | null
}

export interface AlphaResult extends AlphaStatistics {
  readonly n: number
  readonly items: number
  /** Feldt interval of raw α at `level` */
  readonly feldt: readonly [number, number]
  /** mean and SD of the total (the mean of the items) */
  readonly totalMean: number
  readonly totalSd: number
  readonly itemStatistics: ReadonlyArray<ItemStatistics>
}

const sumAll = (m: Float64Array): number => m.reduce((s, v) => s + v, 0)

/** The k × k sub-matrix of `m` (size `size`) on the indices `keep`. */
const subMatrix = (m: Float64Array, size: number, keep: ReadonlyArray<number>): Float64Array => {
  const k = keep.length
  const out = new Float64Array(k * k)
  keep.forEach((a, i) => keep.forEach((b, j) => (out[i * k + j] = m[a * size + b]!)))
  return out
}

/** Squared multiple correlations of each variable with the others: 1 − 1/(R⁻¹)_ii. */
export const squaredMultipleCorrelations = (r: Float64Array, k: number): Float64Array => {
  const inverse = invertSpd({ rows: k, cols: k, data: r }, 0)
  if (inverse === null) return new Float64Array(k).fill(Number.NaN)
  return Float64Array.from({ length: k }, (_, i) => 1 - 1 / inverse.inverse.data[i * k + i]!)
}

/** The scale-level statistics from C and R of k items over n rows. */
const scaleStatistics = (c: Float64Array, r: Float64Array, k: number, n: number): AlphaStatistics => {
  let traceC = 0
  for (let i = 0; i < k; i++) traceC += c[i * k + i]!
  const sumC = sumAll(c)
  const sumR = sumAll(r)
  const smc = squaredMultipleCorrelations(r, k)
  const averageR = (sumR - k) / (k * (k - 1))
  const pairs: number[] = []
  for (let i = 1; i < k; i++) for (let j = 0; j < i; j++) pairs.push(r[i * k + j]!)
  const sortedPairs = Float64Array.from(pairs).sort()
  // tr C² = Σ C_ij² (C symmetric); Σ(C²) = Σ_j (Σ_i C_ij)², the squared column sums
  let traceC2 = 0
  let sumC2 = 0
  for (let j = 0; j < k; j++) {
    let column = 0
    for (let i = 0; i < k; i++) {
      traceC2 += c[i * k + j]! * c[i * k + j]!
      column += c[i * k + j]!
    }
    sumC2 += column * column
  }
  const q = ((2 * k * k) / ((k - 1) ** 2 * sumC ** 3)) * (sumC * (traceC2 + traceC * traceC) - 2 * traceC * sumC2)
  return {
    raw: (1 - traceC / sumC) * (k / (k - 1)),
    standardized: (1 - k / sumR) * (k / (k - 1)),
    guttmanLambda6: 1 - (k - sumAll(smc)) / sumR,
    averageR,
    signalToNoise: (k * averageR) / (1 - averageR),
    se: Math.sqrt(q / n),
    varianceR: pairs.length < 2 ? Number.NaN : variance(pairs),
    medianR: quantileSorted(sortedPairs, 0.5),
  }
}

/** Pearson r of two columns. */
const correlation = (x: ArrayLike<number>, y: ArrayLike<number>): number => {
  const n = x.length
  let mx = 0
  let my = 0
  for (let i = 0; i < n; i++) {
    mx += x[i]!
    my += y[i]!
  }
  mx /= n
  my /= n
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx
    const dy = y[i]! - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  return sxy / Math.sqrt(sxx * syy)
}

/** The items' means, covariance matrix (n − 1 denominator) and correlation matrix, k × k row-major. */
export const itemMatrices = (items: ReadonlyArray<ArrayLike<number>>): { readonly means: number[]; readonly c: Float64Array; readonly r: Float64Array } => {
  const k = items.length
  const n = items[0]?.length ?? 0
  const means = items.map((item) => {
    let s = 0
    for (let i = 0; i < n; i++) s += item[i]!
    return s / n
  })
  const c = new Float64Array(k * k)
  for (let a = 0; a < k; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0
      for (let i = 0; i < n; i++) s += (items[a]![i]! - means[a]!) * (items[b]![i]! - means[b]!)
      c[a * k + b] = c[b * k + a] = s / (n - 1)
    }
  }
  const r = Float64Array.from(c, (v, e) => v / Math.sqrt(c[Math.floor(e / k) * (k + 1)]! * c[(e % k) * (k + 1)]!))
  return { means, c, r }
}

/** Cronbach's α and the item analysis of `items` (k columns of n complete, keyed rows); `level` for the Feldt interval. */
export const cronbachAlpha = (items: ReadonlyArray<ArrayLike<number>>, level = 0.95): AlphaResult => {
  const k = items.length
  const n = items[0]?.length ?? 0
  if (k < 2) throw new RangeError(`alpha needs at least 2 items, got ${k}`)
  if (n < 2 || items.some((item) => item.length !== n)) throw new RangeError("alpha needs at least 2 rows, the same number for every item")
  const { means, c, r } = itemMatrices(items)
  const scale = scaleStatistics(c, r, k, n)
  const total = Float64Array.from({ length: n }, (_, i) => items.reduce((s, item) => s + item[i]!, 0) / k)
  const smc = squaredMultipleCorrelations(r, k)
  const sumR = sumAll(r)
  const sumRc = sumR - k + sumAll(smc)
  const sumC = sumAll(c)
  const itemStatistics = items.map((item, i): ItemStatistics => {
    let columnR = 0
    let columnC = 0
    for (let j = 0; j < k; j++) {
      columnR += r[j * k + i]!
      columnC += c[j * k + i]!
    }
    const cii = c[i * k + i]!
    const others = [...Array(k).keys()].filter((j) => j !== i)
    // ΣC without item i: all of ΣC less its row and column (the diagonal entry counted once)
    const sumWithout = sumC - 2 * columnC + cii
    return {
      rawR: correlation(item, total),
      stdR: columnR / Math.sqrt(sumR),
      rCor: (columnR - 1 + smc[i]!) / Math.sqrt(sumRc),
      rDrop: (columnC - cii) / Math.sqrt(cii * sumWithout),
      mean: means[i]!,
      sd: Math.sqrt(cii),
      ifDeleted: k < 3 ? null : scaleStatistics(subMatrix(c, k, others), subMatrix(r, k, others), k - 1, n),
    }
  })
  const tail = (1 - level) / 2
  const df2 = (n - 1) * (k - 1)
  return {
    ...scale,
    n,
    items: k,
    feldt: [1 - (1 - scale.raw) * fisherFQuantile(1 - tail, n - 1, df2), 1 - (1 - scale.raw) * fisherFQuantile(tail, n - 1, df2)],
    totalMean: total.reduce((s, v) => s + v, 0) / n,
    totalSd: Math.sqrt(variance(total)),
    itemStatistics,
  }
}
