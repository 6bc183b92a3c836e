/**
 * Typed view of test/reference/fixtures/correlation.json (written by test/reference/correlation.R).
 * Missing values (R's NA) arrive as NaN.
 */
import { type Provenance, readFixture } from "../../reference/read-fixture.ts"

export interface PearsonReference {
  readonly level: number
  readonly estimate: number
  readonly statistic: number
  readonly df: number
  readonly p: number
  readonly ci: readonly [number, number]
}

export interface PartialReference {
  readonly n: number
  readonly estimate: number
  readonly closed_form: number
  readonly statistic: number
  readonly df: number
  readonly p: number
  readonly ci: readonly [number, number]
  readonly lm_t: number
}

export interface DescribeReference {
  readonly n: number
  readonly mean: number
  readonly var: number
  readonly sd: number
  readonly probs: readonly number[]
  readonly quantiles: readonly number[]
}

export interface Dataset {
  readonly name: string
  readonly x: readonly number[]
  readonly y: readonly number[]
  readonly z: readonly number[]
  readonly pearson: PearsonReference
  readonly pearson90: PearsonReference
  readonly spearman: { readonly estimate: number; readonly statistic: number; readonly p: number }
  /** NaN (R's NULL written as null) when fewer than 5 complete triples exist */
  readonly partial: PartialReference | number
  readonly residual_y_on_z: readonly number[]
  readonly rank_x: readonly number[]
  readonly rank_y: readonly number[]
  readonly describe_x: DescribeReference
  readonly describe_y: DescribeReference
}

export interface CorrelationFixture {
  readonly provenance: Provenance
  readonly calls: Readonly<Record<string, string>>
  readonly datasets: readonly Dataset[]
}

export const fixture = readFixture<CorrelationFixture>("correlation")

export const partialOf = (d: Dataset): PartialReference | undefined =>
  typeof d.partial === "number" ? undefined : d.partial

/** fast-check settings shared by the correlation property tests: reproducible runs. */
export const propertyRuns = { numRuns: 200, seed: 20240612 } as const
