/**
 * The numbers of the common-factor breakdown (issue 6): dominance analysis of the families and of
 * the single predictors, hierarchical ΔR² in the families' order, commonality analysis of the
 * families, and bootstrap intervals for the families' general dominance weights — all from one
 * cross-product matrix of the design of families.ts (its controls partialled out first) and the
 * estimators of stats/dominance/. The sample's cross-products are those of a "replicate" that
 * draws every unit once, so they come from the same packed rows as the bootstrap's.
 */
import { bootstrapGeneralDominance, clusterResampler, replicateCrossProducts, rowResampler, type SparseRows } from "../../stats/dominance/bootstrap.ts"
import { type CommonalityPart, commonality } from "../../stats/dominance/commonality.ts"
import { type Dominance, dominance } from "../../stats/dominance/dominance.ts"
import { type HierarchicalStep, hierarchicalSteps } from "../../stats/dominance/hierarchical.ts"
import { allSubsetsRSquared, MAX_SETS, partialOut } from "../../stats/dominance/subsets.ts"
import type { FactorDesign } from "./families.ts"

export interface BootstrapSettings {
  readonly replicates: number
  readonly seed: number
  /** resample clients, or whole therapists with their clients */
  readonly resample: "clients" | "therapists"
  /** most units drawn per replicate (more: the m-out-of-n bootstrap) */
  readonly maxResampleSize: number
}

export interface Breakdown {
  readonly n: number
  readonly fullRSquared: number
  readonly families: Dominance
  /** null with more than MAX_SETS predictors (2^k sub-models) */
  readonly predictors: Dominance | null
  readonly hierarchical: ReadonlyArray<HierarchicalStep>
  readonly commonality: ReadonlyArray<CommonalityPart> | null
  readonly intervals: ReadonlyArray<readonly [number, number]>
  readonly bootstrap: BootstrapSettings & { readonly used: number; readonly skipped: number; readonly units: number; readonly size: number }
}

/** Commonality is shown for up to this many families (2^6 − 1 = 63 parts). */
export const MAX_COMMONALITY_FAMILIES = 6

/**
 * The breakdown of `design`; `therapist` codes every client (0..therapists − 1, −1 for none; only
 * the sample's are read). Null when the predictors (with the controls) are collinear.
 */
export const commonFactorBreakdown = (design: FactorDesign, therapist: Int32Array, therapists: number, bootstrap: BootstrapSettings, level: number): Breakdown | null => {
  const controls = design.controls.length
  const columns = [...design.controls, ...design.columns]
  // the rows of [controls | X | y], each category as the index of its dummy that is 1
  const shift = controls
  const rowsOf: SparseRows = {
    rows: design.rows.length,
    d: columns.length + 1,
    numeric: [
      ...design.controls.map((values, column) => ({ column, values })),
      ...design.numeric.map((column) => ({ column: column + shift, values: design.columns[column]! })),
      { column: columns.length, values: design.y },
    ],
    indicators: shift === 0 ? design.indicators : design.indicators.map((indicator) => indicator.map((column) => (column < 0 ? -1 : column + shift))),
  }
  // therapists numbered 0.. in order of appearance in the sample, so that every cluster drawn has clients
  const compact = new Int32Array(therapists).fill(-1)
  let clusters = 0
  const cluster = new Int32Array(design.rows.length)
  for (let r = 0; r < cluster.length; r++) {
    const t = therapist[design.rows[r]!]!
    if (compact[t] === -1) compact[t] = clusters++
    cluster[r] = compact[t]!
  }
  const resampler = bootstrap.resample === "therapists" ? clusterResampler(rowsOf, cluster, clusters) : rowResampler(rowsOf)
  // the sample's own cross-products: every unit once (one pass over the packed rows)
  const everyUnit = new Int32Array(resampler.units)
  for (let u = 0; u < everyUnit.length; u++) everyUnit[u] = u
  const cp = partialOut(replicateCrossProducts(resampler, everyUnit), controls)
  if (cp === null) return null
  const familySets = design.families.map((f) => f.columns)
  const familyR2 = allSubsetsRSquared(cp, familySets)
  if (familyR2.some((r) => !Number.isFinite(r))) return null
  const families = dominance(familyR2, familySets.length)
  const predictors = design.predictorColumns.length > MAX_SETS ? null : dominance(allSubsetsRSquared(cp, design.predictorColumns), design.predictorColumns.length)
  // the sets' column indices are those after the controls are partialled out
  const boot = bootstrapGeneralDominance(resampler, familySets, families.general, {
    replicates: bootstrap.replicates,
    seed: bootstrap.seed,
    level,
    size: bootstrap.maxResampleSize,
    controls,
  })
  return {
    n: design.rows.length,
    fullRSquared: families.fullRSquared,
    families,
    predictors,
    hierarchical: hierarchicalSteps(cp, familySets, familySets.map((_, i) => i)),
    commonality: familySets.length <= MAX_COMMONALITY_FAMILIES ? commonality(familyR2, familySets.length) : null,
    intervals: boot.intervals,
    bootstrap: { ...bootstrap, used: boot.replicates, skipped: boot.skipped, units: resampler.units, size: boot.size },
  }
}
