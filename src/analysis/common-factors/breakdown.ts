/**
 * The common-factor breakdown of improvement (issue 6): dominance analysis of the families and of
 * the single predictors, hierarchical ΔR² in the families' order, commonality analysis of the
 * families, and bootstrap intervals for the families' general dominance weights — all from the
 * design of families.ts and the estimators of stats/dominance/.
 */
import { bootstrapGeneralDominance, clusterResampler, rowResampler } from "../../stats/dominance/bootstrap.ts"
import { type CommonalityPart, commonality } from "../../stats/dominance/commonality.ts"
import { type Dominance, dominance } from "../../stats/dominance/dominance.ts"
import { type HierarchicalStep, hierarchicalSteps } from "../../stats/dominance/hierarchical.ts"
import { allSubsetsRSquared, crossProducts } from "../../stats/dominance/subsets.ts"
import { createRng } from "../../stats/random/xoshiro.ts"
import type { FactorDesign } from "./families.ts"

export interface BootstrapSettings {
  readonly replicates: number
  readonly seed: number
  /** resample clients, or whole therapists with their clients */
  readonly resample: "clients" | "therapists"
}

export interface Breakdown {
  readonly n: number
  readonly fullRSquared: number
  readonly families: Dominance
  readonly predictors: Dominance
  readonly hierarchical: ReadonlyArray<HierarchicalStep>
  readonly commonality: ReadonlyArray<CommonalityPart>
  readonly intervals: ReadonlyArray<readonly [number, number]>
  readonly bootstrap: BootstrapSettings & { readonly used: number; readonly skipped: number }
}

/** Commonality is shown for up to this many families (2^6 − 1 = 63 parts). */
export const MAX_COMMONALITY_FAMILIES = 6

export const commonFactorBreakdown = (design: FactorDesign, therapist: Int32Array, therapists: number, bootstrap: BootstrapSettings, level: number): Breakdown => {
  const cp = crossProducts(design.columns, design.y)
  const familySets = design.families.map((f) => f.columns)
  const familyR2 = allSubsetsRSquared(cp, familySets)
  const families = dominance(familyR2, familySets.length)
  const predictors = dominance(allSubsetsRSquared(cp, design.predictorColumns), design.predictorColumns.length)
  // therapists numbered 0.. in order of appearance in the sample, so that every cluster drawn has clients
  const compact = new Int32Array(therapists).fill(-1)
  let clusters = 0
  const cluster = Int32Array.from(design.rows, (i) => (compact[therapist[i]!] === -1 ? (compact[therapist[i]!] = clusters++) : compact[therapist[i]!]!))
  const resampler = bootstrap.resample === "therapists" ? clusterResampler(design.columns, design.y, cluster, clusters) : rowResampler(design.columns, design.y)
  const boot = bootstrapGeneralDominance(resampler, familySets, { replicates: bootstrap.replicates, rng: createRng(bootstrap.seed), level })
  return {
    n: design.rows.length,
    fullRSquared: families.fullRSquared,
    families,
    predictors,
    hierarchical: hierarchicalSteps(cp, familySets, familySets.map((_, i) => i)),
    commonality: familySets.length <= MAX_COMMONALITY_FAMILIES ? commonality(familyR2, familySets.length) : [],
    intervals: boot.intervals,
    bootstrap: { ...bootstrap, used: boot.replicates, skipped: boot.skipped },
  }
}
