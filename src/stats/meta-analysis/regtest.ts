/**
 * Egger-type regression test for funnel-plot asymmetry (small-study effects).
 */

import { matrixFromRows } from "../numeric/matrix.ts"
import type { Interval, NotEstimable } from "../types.ts"
import { readMetaInputs } from "./inputs.ts"
import { type RmaRegResult, rmaReg } from "./rma-reg.ts"
import type { RmaMethod, RmaTest } from "./rma-uni.ts"

export interface RegtestOptions {
  /**
   * "rma" (metafor's default): a mixed-effects meta-regression with the standard error as the
   * moderator, τ² by `method`, tested with `test`; "lm": Egger's classical weighted regression
   * (weights 1/vᵢ, residual variance estimated, t on k − 2 df)
   */
  readonly model?: "rma" | "lm"
  /** τ² method for model "rma" (default REML) */
  readonly method?: RmaMethod
  /** test for model "rma" (default z) */
  readonly test?: RmaTest
  /** confidence level for the limit estimate (default 0.95) */
  readonly level?: number
}

export interface RegtestResult {
  readonly status: "estimated"
  readonly model: "rma" | "lm"
  readonly k: number
  /** the test of the standard error's coefficient: z, or t on `df` degrees of freedom */
  readonly statistic: number
  readonly df: number | null
  /** two-sided p-value: small values suggest funnel-plot asymmetry */
  readonly p: number
  /** the intercept: the estimate as the standard error goes to 0 (the "limit estimate") */
  readonly limitEstimate: number
  readonly limitCi: Interval
  /** the fitted regression */
  readonly fit: RmaRegResult
  readonly reference: string
}

/**
 * Regression test for funnel-plot asymmetry: the effect sizes regressed on their standard errors;
 * a slope different from 0 means smaller studies report different effects.
 *
 * Formula: yᵢ = β₀ + β₁·√vᵢ + uᵢ + εᵢ; the test is β̂₁/se(β̂₁). Model "rma": `rmaReg` with τ² by
 * `method` and `test`; model "lm": weights 1/vᵢ, no τ², and the residual variance Σwᵢeᵢ²/(k − 2)
 * scaling (XᵀWX)⁻¹ with t(k − 2) — exactly `rmaReg(method "EE", test "knha")`. β̂₀ is the limit
 * estimate, with its CI.
 *
 * Reference: `metafor::regtest(yi, vi, model = "rma" | "lm")` (metafor 3.8, predictor "sei");
 * Egger et al. (1997), BMJ 315, 629–634; Sterne & Egger (2005).
 *
 * Preconditions: at least 3 studies, finite yi, vi > 0 (otherwise `NotEstimable`), and standard
 * errors that are not all equal (the slope is then not identified: `NotEstimable`). With fewer
 * than 10 studies the test has little power (Sterne et al. 2011): say so where it is reported.
 *
 * Fields: see {@link RegtestResult}.
 *
 * Example (R: `regtest(c(0.1, 0.3, 0.5, 0.2, 0.4), c(0.01, 0.02, 0.015, 0.01, 0.04))`):
 *   regtest(yi, vi) → statistic 1.1721528414489…, p 0.2411356979912…, limit estimate −0.0565394303…
 *   (R: 1.1721528414489477, 0.24113569799124074, −0.05653943030754518)
 */
export const regtest = (yi: ArrayLike<number>, vi: ArrayLike<number>, options: RegtestOptions = {}): RegtestResult | NotEstimable => {
  const model = options.model ?? "rma"
  const inputs = readMetaInputs(yi, vi, 3)
  if (inputs.status !== "ok") return inputs
  const x = matrixFromRows(Array.from(inputs.vi, (v) => [1, Math.sqrt(v)]))
  const fit = rmaReg(inputs.yi, inputs.vi, x, {
    method: model === "lm" ? "EE" : (options.method ?? "REML"),
    test: model === "lm" ? "knha" : (options.test ?? "z"),
    level: options.level ?? 0.95,
    names: ["intrcpt", "sei"],
  })
  if (fit.status !== "estimated") return fit
  const [intercept, slope] = fit.coefficients as [RmaRegResult["coefficients"][number], RmaRegResult["coefficients"][number]]
  return {
    status: "estimated",
    model,
    k: fit.k,
    statistic: slope.statistic,
    df: fit.df,
    p: slope.p,
    limitEstimate: intercept.estimate,
    limitCi: intercept.ci,
    fit,
    reference:
      model === "lm"
        ? 'metafor::regtest(yi, vi, model = "lm")'
        : `metafor::regtest(metafor::rma.uni(yi, vi, method = "${fit.method}", test = "${fit.test}"))`,
  }
}
