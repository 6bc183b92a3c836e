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
import { mean, standardDeviation } from "../stats/descriptives/summary.ts"
import { studentTQuantile } from "../stats/distributions/students-t.ts"

export interface AllianceBin {
  readonly low: number
  readonly high: number
  readonly n: number
  readonly meanAlliance: number
  readonly meanImprovement: number
  readonly ci: readonly [number, number]
}

interface Accumulator {
  low: number
  high: number
  alliance: number[]
  improvement: number[]
}

export const allianceBins = (
  alliance: Float64Array,
  improvementValues: Float64Array,
  range: readonly [number, number],
  options: { readonly bins?: number; readonly minCell: number; readonly level: number },
): ReadonlyArray<AllianceBin> => {
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
    if (last === undefined) return [] // fewer than minCell clients in all
    merged.push({
      low: last.low,
      high: open.high,
      alliance: last.alliance.concat(open.alliance),
      improvement: last.improvement.concat(open.improvement),
    })
  }

  return merged.map((bin) => {
    const n = bin.alliance.length
    const meanImprovement = mean(bin.improvement)
    const half = studentTQuantile(1 - (1 - options.level) / 2, n - 1) * (standardDeviation(bin.improvement) / Math.sqrt(n))
    return {
      low: bin.low,
      high: bin.high,
      n,
      meanAlliance: mean(bin.alliance),
      meanImprovement,
      ci: [meanImprovement - half, meanImprovement + half] as const,
    }
  })
}
