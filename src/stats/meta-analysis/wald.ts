/**
 * The test of a coefficient shared by the meta-analytic models (rma-uni.ts, rma-reg.ts): the
 * normal ("z", metafor's default) or, with Knapp–Hartung, Student's t on `df` degrees of freedom.
 */
import { normalCdf, normalQuantile } from "../distributions/normal.ts"
import { studentTCdf, studentTQuantile } from "../distributions/students-t.ts"
import type { RmaTest } from "./rma-uni.ts"

/** The two-sided critical value at `level`: z_{1−α/2} or t_{1−α/2}(df). */
export const criticalValue = (test: RmaTest, df: number, level: number): number =>
  test === "knha" ? studentTQuantile((1 - level) / 2, df, false) : normalQuantile((1 - level) / 2, false)

/** The two-sided p-value of a z or t(df) statistic. */
export const twoSidedP = (statistic: number, test: RmaTest, df: number): number =>
  2 * (test === "knha" ? studentTCdf(Math.abs(statistic), df, false) : normalCdf(Math.abs(statistic), false))
