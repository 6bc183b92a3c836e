/**
 * Typed view of test/reference/fixtures/meta-analysis.json (written by test/reference/meta-analysis.R).
 * NA values arrive as NaN (see read-fixture.ts).
 */
import { expect } from "vitest"
import { type Provenance, readFixture } from "../../reference/read-fixture.ts"
import { relativeError } from "../../tolerances.ts"
import type { RmaMethod, RmaTest } from "../../../src/stats/meta-analysis/rma-uni.ts"

/** confint() random-effects block: triplets are [estimate, ci.lb, ci.ub]. */
export interface ConfintReference {
  readonly call: string
  readonly tau2: readonly [number, number, number]
  readonly tau: readonly [number, number, number]
  readonly I2: readonly [number, number, number]
  readonly H2: readonly [number, number, number]
  readonly ciNull: boolean
  readonly lbSign: "" | "<" | ">"
  readonly ubSign: "" | "<" | ">"
  readonly tau2Min: number
  readonly tau2Max: number
}

export interface FitReference {
  readonly call: string
  readonly method: RmaMethod
  readonly test: RmaTest
  readonly k: number
  readonly estimate: number
  readonly se: number
  readonly statistic: number
  readonly p: number
  readonly ciLb: number
  readonly ciUb: number
  readonly df: number
  readonly tau2: number
  readonly tau2Se: number
  readonly I2: number
  readonly H2: number
  readonly vt: number
  readonly QE: number
  readonly QEp: number
  readonly s2w: number
  readonly piLb: number
  readonly piUb: number
  readonly weights: readonly number[]
  readonly iterations: number
  readonly confint?: ConfintReference
  readonly confintTight?: ConfintReference
}

export interface DatasetReference {
  readonly kind: "ZCOR" | "RR" | "generic"
  readonly r?: readonly number[]
  readonly n?: readonly number[]
  readonly yi: readonly number[]
  readonly vi: readonly number[]
  readonly escalc?: string
  readonly fits: readonly FitReference[]
}

/** A fit at a confidence level other than 95%. */
export interface LevelReference {
  readonly dataset: string
  readonly method: RmaMethod
  readonly test: RmaTest
  /** as a proportion */
  readonly level: number
  readonly call: string
  readonly estimate: number
  readonly se: number
  readonly p: number
  readonly ciLb: number
  readonly ciUb: number
  readonly piLb: number
  readonly piUb: number
  readonly tau2: number
  readonly tau2Ci: readonly [number, number]
  readonly I2Ci: readonly [number, number]
  readonly H2Ci: readonly [number, number]
}

/** `predict(fit, transf = transf.ztor)` of a REML fit. */
export interface BackTransformReference {
  readonly dataset: string
  readonly test: RmaTest
  readonly call: string
  readonly estimate: number
  readonly ciLb: number
  readonly ciUb: number
  readonly piLb: number
  readonly piUb: number
}

export interface MetaAnalysisFixture {
  readonly provenance: Provenance
  readonly datasets: Readonly<Record<string, DatasetReference>>
  readonly levels: readonly LevelReference[]
  readonly backTransform: readonly BackTransformReference[]
  readonly nonconvergence: {
    readonly dataset: string
    readonly call: string
    readonly errored: boolean
    readonly message: string
  }
}

export const fixture = readFixture<MetaAnalysisFixture>("meta-analysis")

/** Every (dataset name, dataset, fit) triple whose fit matches the filter. */
export const fitsWhere = (
  keep: (fit: FitReference) => boolean,
): ReadonlyArray<readonly [string, DatasetReference, FitReference]> =>
  Object.entries(fixture.datasets).flatMap(([name, d]) =>
    d.fits.filter(keep).map((fit) => [name, d, fit] as const),
  )

/** A dataset by name (throws if the fixture lacks it). */
export const dataset = (name: string): DatasetReference => {
  const d = fixture.datasets[name]
  if (d === undefined) throw new Error(`fixture has no dataset ${name}`)
  return d
}

/**
 * Asserts |actual − expected| / |expected| ≤ tol (see test/tolerances.ts), naming the quantity on
 * failure. An expected NaN (R's NA) requires an actual null or NaN.
 */
export const expectClose = (actual: number | null, expected: number, tol: number, label: string): void => {
  if (Number.isNaN(expected)) {
    expect(actual === null || Number.isNaN(actual), `${label}: R gives NA, got ${actual}`).toBe(true)
    return
  }
  expect(actual, `${label}: R gives ${expected}`).not.toBeNull()
  expect(relativeError(actual ?? Number.NaN, expected), `${label}: ${actual} vs R ${expected}`).toBeLessThanOrEqual(tol)
}
