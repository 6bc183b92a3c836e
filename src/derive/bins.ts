/**
 * Mean improvement by bin of early alliance, for the "alliance vs improvement" chart.
 *
 * Privacy: only aggregates leave this function. Bin edges come from the alliance measure's range
 * (never from the data, whose minimum and maximum belong to individual clients), and adjacent
 * bins are merged until each holds at least `minCell` clients; a last bin that stays too small
 * is merged into its left neighbour. With fewer than `minCell` clients in all, no bins are shown.
 *
 * Each bin: [low, high) edges (the last bin is closed), n, mean alliance, mean improvement and a
 * t-based confidence interval of the mean improvement (mean ± t(1 − α/2, n − 1) · sd / √n).
 */
import { mean, meanAndStandardDeviation } from "../stats/descriptives/summary.ts"
import { studentTQuantile } from "../stats/distributions/students-t.ts"

export interface AllianceBin {
  readonly low: number
  readonly high: number
  readonly n: number
  readonly meanAlliance: number
  readonly meanImprovement: number
  readonly ci: readonly [number, number]
}

/** Bins, or runs of merged bins, as [start, end) slices of the clients grouped by bin. */
interface Slice {
  readonly low: number
  readonly high: number
  readonly start: number
  readonly end: number
}

export const allianceBins = (
  alliance: Float64Array,
  improvementValues: Float64Array,
  range: readonly [number, number],
  options: { readonly bins?: number; readonly minCell: number; readonly level: number },
): ReadonlyArray<AllianceBin> => {
  const count = options.bins ?? 16
  const width = (range[1] - range[0]) / count
  const binOf = (a: number) => Math.min(count - 1, Math.max(0, Math.floor((a - range[0]) / width)))
  const grouped = groupByBin(alliance, improvementValues, binOf, count)
  const raw: Slice[] = Array.from({ length: count }, (_, b) => ({
    low: range[0] + b * width,
    high: b === count - 1 ? range[1] : range[0] + (b + 1) * width,
    start: grouped.starts[b]!,
    end: grouped.starts[b + 1]!,
  }))
  const size = (slice: Slice) => slice.end - slice.start

  // Bins are adjacent slices, so merging bins joins their slices.
  const merged: Slice[] = []
  let open: Slice | undefined
  for (const bin of raw) {
    if (size(bin) === 0 && open === undefined) continue
    open = open ? { low: open.low, high: bin.high, start: open.start, end: bin.end } : bin
    if (size(open) >= options.minCell) {
      merged.push(open)
      open = undefined
    }
  }
  if (open !== undefined && size(open) > 0) {
    const last = merged.pop()
    if (last === undefined) return [] // fewer than minCell clients in all
    merged.push({ low: last.low, high: open.high, start: last.start, end: open.end })
  }

  return merged.map((bin) => {
    const n = size(bin)
    const binAlliance = grouped.alliance.subarray(bin.start, bin.end)
    const binImprovement = grouped.improvement.subarray(bin.start, bin.end)
    const { mean: meanImprovement, sd } = meanAndStandardDeviation(binImprovement)
    const half = studentTQuantile(1 - (1 - options.level) / 2, n - 1) * (sd / Math.sqrt(n))
    return {
      low: bin.low,
      high: bin.high,
      n,
      meanAlliance: mean(binAlliance),
      meanImprovement,
      ci: [meanImprovement - half, meanImprovement + half] as const,
    }
  })
}

/**
 * The clients with both values, grouped by bin (a stable counting sort): bin b's clients, in input
 * order, are positions starts[b] to starts[b + 1] − 1 of `alliance` and `improvement`.
 */
const groupByBin = (
  alliance: Float64Array,
  improvementValues: Float64Array,
  binOf: (a: number) => number,
  count: number,
): { alliance: Float64Array; improvement: Float64Array; starts: Int32Array } => {
  const bins = new Int32Array(alliance.length)
  const starts = new Int32Array(count + 1)
  for (let i = 0; i < alliance.length; i++) {
    const a = alliance[i]!
    const complete = !Number.isNaN(a) && !Number.isNaN(improvementValues[i]!)
    bins[i] = complete ? binOf(a) : -1
    if (complete) starts[bins[i]! + 1]!++
  }
  for (let b = 0; b < count; b++) starts[b + 1]! += starts[b]!
  const next = starts.slice(0, count)
  const groupedAlliance = new Float64Array(starts[count]!)
  const groupedImprovement = new Float64Array(starts[count]!)
  for (let i = 0; i < alliance.length; i++) {
    const b = bins[i]!
    if (b < 0) continue
    const j = next[b]!++
    groupedAlliance[j] = alliance[i]!
    groupedImprovement[j] = improvementValues[i]!
  }
  return { alliance: groupedAlliance, improvement: groupedImprovement, starts }
}
