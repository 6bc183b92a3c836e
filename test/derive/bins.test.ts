import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { allianceBins } from "../../src/derive/bins.ts"
import { studentTQuantile } from "../../src/stats/distributions/students-t.ts"
import { previousMean, previousVariance } from "../stats/previous.ts"
import { relativeError, tolerance } from "../tolerances.ts"

const f64 = (xs: ReadonlyArray<number>) => Float64Array.from(xs)

/** `count` clients with early alliance `a` and improvement 1, 2, ..., count (so the bin has variance). */
const clientsAt = (a: number, count: number) => ({
  alliance: Array.from({ length: count }, () => a),
  improvement: Array.from({ length: count }, (_, i) => i + 1),
})

/** Concatenates groups of clients into the two aligned columns allianceBins takes. */
const study = (...groups: ReadonlyArray<{ alliance: number[]; improvement: number[] }>) => ({
  alliance: f64(groups.flatMap((g) => g.alliance)),
  improvement: f64(groups.flatMap((g) => g.improvement)),
})

const edges = (bins: ReturnType<typeof allianceBins>) => bins.map((b) => [b.low, b.high, b.n])

describe("allianceBins", () => {
  it("takes its edges from the measure's range, not from the smallest and largest client values", () => {
    const { alliance, improvement } = study(clientsAt(2.1, 2), clientsAt(2.3, 2), clientsAt(2.9, 1))
    const bins = allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 5, level: 0.95 })
    expect(edges(bins)).toEqual([[2, 3, 5]])
  })

  it("uses 16 equal-width bins over the range by default", () => {
    // width (5 − 1) / 16 = 0.25: a client at 1.3 falls in [1.25, 1.5)
    const { alliance, improvement } = study(clientsAt(1.3, 5))
    const bins = allianceBins(alliance, improvement, [1, 5], { minCell: 5, level: 0.95 })
    expect(edges(bins)).toEqual([[1.25, 1.5, 5]])
  })

  it("merges adjacent bins from the left until each holds at least minCell clients", () => {
    const { alliance, improvement } = study(
      clientsAt(0.5, 2), // [0, 1): 2, too few alone
      clientsAt(1.5, 2), // [1, 2): 2, together with the first 4
      clientsAt(2.5, 3), // [2, 3): 3
      clientsAt(3.5, 3), // [3, 4]: 3
    )
    const bins = allianceBins(alliance, improvement, [0, 4], { bins: 4, minCell: 3, level: 0.95 })
    expect(edges(bins)).toEqual([
      [0, 2, 4],
      [2, 3, 3],
      [3, 4, 3],
    ])
    expect(bins.every((b) => b.n >= 3)).toBe(true)
  })

  it("skips empty bins before a bin opens, and carries empty bins inside an open one", () => {
    const { alliance, improvement } = study(clientsAt(1.5, 2), clientsAt(3.5, 1))
    // [0, 1) empty and skipped; [1, 2) opens with 2, [2, 3) is empty, [3, 4] brings it to 3
    const bins = allianceBins(alliance, improvement, [0, 4], { bins: 4, minCell: 3, level: 0.95 })
    expect(edges(bins)).toEqual([[1, 4, 3]])
  })

  it("merges a last bin that stays below minCell into its left neighbour", () => {
    const { alliance, improvement } = study(clientsAt(0.5, 3), clientsAt(1.5, 3), clientsAt(3.5, 1))
    const bins = allianceBins(alliance, improvement, [0, 4], { bins: 4, minCell: 3, level: 0.95 })
    expect(edges(bins)).toEqual([
      [0, 1, 3],
      [1, 4, 4],
    ])
  })

  it("returns no bins when there are fewer than minCell clients in all", () => {
    const { alliance, improvement } = study(clientsAt(1.5, 2), clientsAt(3.5, 2))
    expect(allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 5, level: 0.95 })).toEqual([])
    expect(allianceBins(f64([]), f64([]), [1, 5], { minCell: 5, level: 0.95 })).toEqual([])
  })

  it("returns one bin, ending where the last client's bin ends, when exactly minCell clients span several bins", () => {
    const { alliance, improvement } = study(clientsAt(1.5, 2), clientsAt(3.5, 3))
    const bins = allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 5, level: 0.95 })
    // [1, 2) opens with 2, [2, 3) is empty, [3, 4) closes it at 5; the empty [4, 5] is not shown
    expect(edges(bins)).toEqual([[1, 4, 5]])
  })

  it("skips clients whose alliance or improvement is missing", () => {
    const alliance = f64([1.5, 1.5, 1.5, Number.NaN, 1.5, 4.5])
    const improvement = f64([1, 2, 3, 100, Number.NaN, 6])
    const bins = allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 3, level: 0.95 })
    // 3 complete clients at 1.5 and 1 at 4.5 (merged leftward); the NaN pairs count nowhere
    expect(edges(bins)).toEqual([[1, 5, 4]])
    expect(bins[0]!.meanImprovement).toBe(3)
    expect(bins[0]!.meanAlliance).toBe(2.25)
  })

  it("puts a client at the top of the range in the last bin, which is closed", () => {
    const { alliance, improvement } = study(clientsAt(5, 3))
    const bins = allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 3, level: 0.95 })
    expect(edges(bins)).toEqual([[4, 5, 3]])
  })

  it("reports the mean alliance and mean improvement of the clients in each bin", () => {
    const alliance = f64([1.1, 1.2, 1.6, 2.1, 2.2, 2.4])
    const improvement = f64([3, 5, 10, -2, 0, 8])
    const bins = allianceBins(alliance, improvement, [1, 3], { bins: 2, minCell: 3, level: 0.95 })
    expect(edges(bins)).toEqual([
      [1, 2, 3],
      [2, 3, 3],
    ])
    expect(bins[0]!.meanAlliance).toBeCloseTo(1.3, 14)
    expect(bins[0]!.meanImprovement).toBe(6)
    expect(bins[1]!.meanAlliance).toBeCloseTo(2.2333333333333334, 14)
    expect(bins[1]!.meanImprovement).toBe(2)
  })

  it("gives the t interval mean ± qt(0.975, n − 1) · sd / √n for a bin of ten clients", () => {
    // improvement 1..10: mean 5.5, Σ(y − ȳ)² = 82.5, sample sd = √(82.5 / 9) = √(55 / 6)
    const { alliance, improvement } = study({
      alliance: Array.from({ length: 10 }, () => 3.2),
      improvement: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    })
    const bins = allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 10, level: 0.95 })
    expect(bins).toHaveLength(1)
    const bin = bins[0]!
    // R: sprintf("%.17g", qt(0.975, 9))
    const qt975df9 = 2.2621571627982049
    const half = (qt975df9 * Math.sqrt(55 / 6)) / Math.sqrt(10)
    expect(bin.meanImprovement).toBe(5.5)
    expect(relativeError(bin.ci[0], 5.5 - half)).toBeLessThan(tolerance.distribution)
    expect(relativeError(bin.ci[1], 5.5 + half)).toBeLessThan(tolerance.distribution)
  })

  it("uses the requested confidence level for the t quantile", () => {
    // improvement 1..5: mean 3, Σ(y − ȳ)² = 10, sample sd = √(10 / 4) = √2.5
    const { alliance, improvement } = study(clientsAt(2.5, 5))
    const bins = allianceBins(alliance, improvement, [1, 5], { bins: 4, minCell: 5, level: 0.9 })
    const bin = bins[0]!
    // R: sprintf("%.17g", qt(0.95, 4))
    const qt95df4 = 2.131846786326649
    const half = (qt95df4 * Math.sqrt(2.5)) / Math.sqrt(5)
    expect(relativeError(bin.ci[0], 3 - half)).toBeLessThan(tolerance.distribution)
    expect(relativeError(bin.ci[1], 3 + half)).toBeLessThan(tolerance.distribution)
  })
})

/** The previous allianceBins: arrays of objects, values pushed per bin and concatenated on merging. */
const previousAllianceBins = (
  alliance: Float64Array,
  improvementValues: Float64Array,
  range: readonly [number, number],
  options: { readonly bins?: number; readonly minCell: number; readonly level: number },
) => {
  interface Accumulator {
    low: number
    high: number
    alliance: number[]
    improvement: number[]
  }
  const count = options.bins ?? 16
  const width = (range[1] - range[0]) / count
  const raw: Accumulator[] = Array.from({ length: count }, (_, b) => ({
    low: range[0] + b * width,
    high: b === count - 1 ? range[1] : range[0] + (b + 1) * width,
    alliance: [],
    improvement: [],
  }))
  for (let i = 0; i < alliance.length; i++) {
    const a = alliance[i]!
    const y = improvementValues[i]!
    if (Number.isNaN(a) || Number.isNaN(y)) continue
    const b = Math.min(count - 1, Math.max(0, Math.floor((a - range[0]) / width)))
    raw[b]!.alliance.push(a)
    raw[b]!.improvement.push(y)
  }
  const merged: Accumulator[] = []
  let open: Accumulator | undefined
  for (const bin of raw) {
    if (bin.alliance.length === 0 && open === undefined) continue
    open = open
      ? { low: open.low, high: bin.high, alliance: open.alliance.concat(bin.alliance), improvement: open.improvement.concat(bin.improvement) }
      : { ...bin }
    if (open.alliance.length >= options.minCell) {
      merged.push(open)
      open = undefined
    }
  }
  if (open !== undefined && open.alliance.length > 0) {
    const last = merged.pop()
    if (last === undefined) return []
    merged.push({ low: last.low, high: open.high, alliance: last.alliance.concat(open.alliance), improvement: last.improvement.concat(open.improvement) })
  }
  return merged.map((bin) => {
    const n = bin.alliance.length
    const meanImprovement = previousMean(bin.improvement)
    const half = studentTQuantile(1 - (1 - options.level) / 2, n - 1) * (Math.sqrt(previousVariance(bin.improvement)) / Math.sqrt(n))
    return { low: bin.low, high: bin.high, n, meanAlliance: previousMean(bin.alliance), meanImprovement, ci: [meanImprovement - half, meanImprovement + half] as const }
  })
}

describe("allianceBins against the previous implementation", () => {
  it("gives the same bins, bit for bit, on random studies with missing values and values outside the range", () => {
    const a = fc.oneof(fc.integer({ min: 50, max: 550 }).map((r) => r / 100), fc.constant(Number.NaN))
    const y = fc.oneof(fc.integer({ min: -27, max: 27 }), fc.double({ min: -30, max: 30, noNaN: true }), fc.constant(Number.NaN))
    fc.assert(
      fc.property(fc.array(fc.tuple(a, y), { maxLength: 300 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 40 }), (pairs, bins, minCell) => {
        const alliance = f64(pairs.map((p) => p[0]))
        const improvement = f64(pairs.map((p) => p[1]))
        const options = { bins, minCell, level: 0.95 }
        expect(allianceBins(alliance, improvement, [1, 5], options)).toEqual(previousAllianceBins(alliance, improvement, [1, 5], options))
      }),
      { numRuns: 300, seed: 20240612 },
    )
  })
})
