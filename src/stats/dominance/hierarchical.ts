/**
 * Hierarchical regression: sets entered in a stated order, each step's ΔR² with its F test
 * against the step before — R's `anova(lm(y ~ previous), lm(y ~ previous + set))`:
 *
 *   F = (ΔR² / Δq) / ((1 − R²_step) / (n − q_step − 1)),   df = (Δq, n − q_step − 1),
 *
 * with q_step the number of predictor columns in the model after the step. With columns partialled
 * out first (subsets.ts, partialOut), the R²s are partial and each control takes one more residual
 * degree of freedom: `anova(lm(y ~ C + previous), lm(y ~ C + previous + set))`.
 */
import { fisherFCdf } from "../distributions/f.ts"
import { type CrossProducts, rSquaredOf } from "./subsets.ts"

export interface HierarchicalStep {
  /** index of the set entered at this step */
  readonly set: number
  readonly rSquared: number
  readonly deltaRSquared: number
  readonly f: number
  readonly df1: number
  readonly df2: number
  readonly p: number
}

/** The steps of entering `order` (set indices) one after another; `sets[i]` lists set i's columns. */
export const hierarchicalSteps = (cp: CrossProducts, sets: ReadonlyArray<ReadonlyArray<number>>, order: ReadonlyArray<number>): HierarchicalStep[] => {
  const columns: number[] = []
  let previous = 0
  return order.map((set) => {
    columns.push(...sets[set]!)
    const rSquared = rSquaredOf(cp, columns)
    const df1 = sets[set]!.length
    const df2 = cp.n - columns.length - cp.controls - 1
    const delta = rSquared - previous
    const f = delta / df1 / ((1 - rSquared) / df2)
    previous = rSquared
    return { set, rSquared, deltaRSquared: delta, f, df1, df2, p: fisherFCdf(f, df1, df2, false) }
  })
}
