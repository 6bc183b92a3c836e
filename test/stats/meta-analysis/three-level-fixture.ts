/**
 * Typed view of test/reference/fixtures/three-level.json (written by test/reference/three-level.R),
 * and the comparison the three-level tests share. NA arrives as NaN (see read-fixture.ts).
 */
import { expect } from "vitest"
import type { ThreeLevelMethod, ThreeLevelTest } from "../../../src/stats/meta-analysis/three-level.ts"
import { type Matrix, matrixFromRows } from "../../../src/stats/numeric/matrix.ts"
import { type Provenance, readFixture } from "../../reference/read-fixture.ts"
import { relativeError } from "../../tolerances.ts"

/** clubSandwich's coef_test + conf_int (+ vcovCR), or metafor's robust(clubSandwich = TRUE). */
export interface RobustReference {
  readonly se: readonly number[]
  readonly statistic: readonly number[]
  readonly df: readonly number[]
  readonly p: readonly number[]
  readonly ciLb: readonly number[]
  readonly ciUb: readonly number[]
  readonly vcov?: readonly number[]
  readonly QM?: number
  readonly QMdf?: readonly number[]
  readonly QMp?: number
}

export interface FitReference {
  readonly design: string
  readonly method: ThreeLevelMethod
  readonly test: ThreeLevelTest
  readonly call: string
  readonly estimate: readonly number[]
  readonly se: readonly number[]
  readonly statistic: readonly number[]
  readonly p: readonly number[]
  readonly ciLb: readonly number[]
  readonly ciUb: readonly number[]
  /** symmetric, so row- and column-major agree */
  readonly vcov: readonly number[]
  readonly df: number
  readonly sigma2: readonly number[]
  readonly logLik: number
  readonly deviance: number
  readonly AIC: number
  readonly BIC: number
  readonly AICc: number
  readonly QE: number
  readonly QEp: number
  readonly QM: number
  readonly QMdf: readonly number[]
  readonly QMp: number
  readonly I2: readonly number[]
  readonly predict: { readonly pred: readonly number[]; readonly se: readonly number[]; readonly ciLb: readonly number[]; readonly ciUb: readonly number[]; readonly piLb: readonly number[]; readonly piUb: readonly number[] }
  readonly cr2: RobustReference
  readonly robust: RobustReference | number // NaN (JSON null) when not recorded
}

export interface LeftOutReference {
  readonly study: string
  readonly k: number
  readonly estimate: number
  readonly se: number
  readonly statistic: number
  readonly p: number
  readonly ciLb: number
  readonly ciUb: number
  readonly piLb: number
  readonly piUb: number
  readonly sigma2: readonly number[]
}

export interface DatasetReference {
  readonly study: readonly string[]
  readonly es: readonly string[]
  readonly yi: readonly number[]
  readonly vi: readonly number[]
  readonly designs: ReadonlyArray<{ readonly name: string; readonly columns: readonly string[]; readonly X: ReadonlyArray<readonly number[]> }>
  readonly fits: readonly FitReference[]
  readonly leaveOneStudyOut: ReadonlyArray<{ readonly method: ThreeLevelMethod; readonly test: ThreeLevelTest; readonly call: string; readonly rows: readonly LeftOutReference[] }>
}

export interface LimitReference {
  readonly name: "single-effect" | "boundary-between" | "boundary-within"
  readonly method: ThreeLevelMethod
  readonly call: string
  readonly study: readonly string[]
  readonly yi: readonly number[]
  readonly vi: readonly number[]
  readonly mvSigma2: readonly number[]
  readonly mvEstimate: number
  readonly mvLogLik: number
  readonly uniTau2: number
  readonly uniEstimate: number
  readonly uniSe: number
}

export const fixture = readFixture<{
  readonly provenance: Provenance
  readonly datasets: Readonly<Record<string, DatasetReference>>
  readonly limits: readonly LimitReference[]
}>("three-level")

/** The design matrix and column names of a fit. */
export const designOf = (d: DatasetReference, name: string): { readonly x: Matrix; readonly names: readonly string[] } => {
  const design = d.designs.find((g) => g.name === name)
  if (design === undefined) throw new Error(`no design ${name}`)
  return { x: matrixFromRows(design.X), names: design.columns }
}

/**
 * Each actual[i] within `tol` of expected[i], relative; `floor` (a number or one per entry) is the
 * absolute scale below which an error counts as relative to it instead — the standard error for
 * interval bounds, which can lie near 0.
 */
export const expectAllClose = (actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string, floor: number | ArrayLike<number> = 1e-300) => {
  expect(actual.length, `${what}: length`).toBe(expected.length)
  for (let i = 0; i < expected.length; i++) {
    const f = typeof floor === "number" ? floor : floor[i]!
    expect(relativeError(actual[i]!, expected[i]!, f), `${what}[${i}]: ${actual[i]} vs R ${expected[i]}`).toBeLessThanOrEqual(tol)
  }
}

/** The columns of a coefficient table that R reports (df for robust tests). */
interface TableReference {
  readonly se: readonly number[]
  readonly statistic: readonly number[]
  readonly p: readonly number[]
  readonly ciLb: readonly number[]
  readonly ciUb: readonly number[]
  readonly df?: readonly number[]
}

/** se, statistic, p, CI bounds (on the se's scale) and, when R gives them, df of every coefficient. */
export const expectTable = (rows: ReadonlyArray<{ readonly se: number; readonly statistic: number; readonly p: number; readonly ci: readonly [number, number]; readonly df?: number }>, ref: TableReference, tol: number) => {
  expectAllClose(rows.map((c) => c.se), ref.se, tol, "se")
  expectAllClose(rows.map((c) => c.statistic), ref.statistic, tol, "statistic")
  expectAllClose(rows.map((c) => c.p), ref.p, tol, "p")
  expectAllClose(rows.map((c) => c.ci[0]), ref.ciLb, tol, "CI lower", ref.se)
  expectAllClose(rows.map((c) => c.ci[1]), ref.ciUb, tol, "CI upper", ref.se)
  if (ref.df !== undefined) expectAllClose(rows.map((c) => c.df ?? Number.NaN), ref.df, tol, "df")
}
