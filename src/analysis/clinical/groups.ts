/**
 * A numeric measure compared across groups of clients, as the clinical section reports it: n, mean
 * and SD per group, groups below min_cell shown by their n only (privacy, and too small to say
 * much), and Welch's and the equal-variance one-way F test over the groups shown
 * (stats/group-comparison/one-way.ts).
 */
import { mean, standardDeviation } from "../../stats/descriptives/summary.ts"
import { classicOneWay, welchOneWay, type OneWayTest } from "../../stats/group-comparison/one-way.ts"

export interface GroupRow {
  readonly category: string
  readonly n: number
  readonly mean: number | null
  readonly sd: number | null
}

export type GroupComparison =
  | { readonly status: "estimated"; readonly groups: GroupRow[]; readonly welch: FTest; readonly classic: FTest }
  | { readonly status: "not_estimable"; readonly reason: string; readonly groups: GroupRow[] }

export interface FTest {
  readonly statistic: number
  readonly df1: number
  readonly df2: number
  readonly p: number
}

const asTest = (t: OneWayTest): FTest => ({ statistic: t.statistic, df1: t.df1, df2: t.df2, p: t.p })

/**
 * `values[i]` of client i in group `group[i]` (an index into `labels`, −1 for none); NaN values
 * are left out.
 */
export const compareGroups = (labels: ReadonlyArray<string>, group: ArrayLike<number>, values: ArrayLike<number>, minCell: number): GroupComparison => {
  const members: number[][] = labels.map(() => [])
  for (let i = 0; i < values.length; i++) {
    const g = group[i]!
    if (g >= 0 && !Number.isNaN(values[i]!)) members[g]!.push(values[i]!)
  }
  const shown = members.map((m) => m.length >= minCell)
  const groups: GroupRow[] = labels.map((category, g) => {
    const m = members[g]!
    return shown[g] ? { category, n: m.length, mean: mean(m), sd: standardDeviation(m) } : { category, n: m.length, mean: null, sd: null }
  })
  const tested = members.filter((_, g) => shown[g])
  if (tested.length < 2) {
    return { status: "not_estimable", reason: `fewer than two groups of at least ${minCell} clients (min_cell)`, groups }
  }
  if (tested.some((m) => m.every((v) => v === m[0]))) {
    return { status: "not_estimable", reason: "a group has no variance", groups }
  }
  return { status: "estimated", groups, welch: asTest(welchOneWay(tested)), classic: asTest(classicOneWay(tested)) }
}
