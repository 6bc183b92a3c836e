/**
 * Typed view of test/reference/fixtures/distributions.json (written by
 * test/reference/distributions.R). `lower` is R's lower.tail; `value` is R's result.
 */
import { type Provenance, readFixture } from "../../reference/read-fixture.ts"

interface Section<C> {
  readonly call: string
  readonly cases: readonly (C & { readonly value: number })[]
}

export interface DistributionsFixture {
  readonly provenance: Provenance
  readonly pnorm: Section<{ readonly x: number; readonly lower: boolean }>
  readonly qnorm: Section<{ readonly p: number; readonly lower: boolean }>
  readonly pt: Section<{ readonly t: number; readonly df: number; readonly lower: boolean }>
  readonly qt: Section<{ readonly p: number; readonly df: number; readonly lower: boolean }>
  readonly pchisq: Section<{ readonly x: number; readonly df: number; readonly lower: boolean }>
  readonly qchisq: Section<{ readonly p: number; readonly df: number; readonly lower: boolean }>
  readonly qf: Section<{ readonly p: number; readonly df1: number; readonly df2: number; readonly lower: boolean }>
  readonly lgamma: Section<{ readonly x: number }>
  readonly lbeta: Section<{ readonly a: number; readonly b: number }>
  readonly pbeta: Section<{ readonly x: number; readonly a: number; readonly b: number; readonly lower: boolean }>
  readonly pgamma: Section<{ readonly x: number; readonly a: number; readonly lower: boolean }>
}

export const fixture = readFixture<DistributionsFixture>("distributions")

/** fast-check settings shared by the distribution property tests: reproducible runs. */
export const propertyRuns = { numRuns: 300, seed: 20240612 } as const
