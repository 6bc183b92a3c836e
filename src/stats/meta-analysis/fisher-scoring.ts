/**
 * Fisher scoring for τ² under ML or REML, exactly as `metafor::rma.uni` iterates it, and the
 * empirical Bayes (EB) iteration metafor runs in the same loop (internal).
 *
 * Algorithm (metafor 3.8, intercept-only model):
 *   start   τ²₀ = max(0, Hedges' estimate) = max(0, (Σ(yᵢ − ȳ)² − (1 − 1/k)·Σvᵢ) / (k − 1))
 *   repeat  wᵢ = 1/(vᵢ + τ²);  step = (YᵀPPY − tr P) / tr(PP)         (REML)
 *                               step = (YᵀPPY − Σw) / Σw²             (ML)
 *                               step = (YᵀPY · k/(k − 1) − k) / Σw    (EB)
 *           halve the step while τ² + step < 0;  τ² ← τ² + step
 *   until   |Δτ²| ≤ threshold (1e-5);  more than maxIterations (100) passes = not converged.
 * After convergence metafor compares the log-likelihood at τ² = 0 with that at the estimate and
 * resets τ² to 0 if the former is larger by more than .Machine$double.eps^0.25 (a local maximum);
 * this is reproduced (for ML and REML only: EB maximises no likelihood). References: Viechtbauer (2005) J Educ Behav Stat 30(3), 261–293; metafor
 * `rma.uni` source, control = list(threshold = 1e-5, maxiter = 100, stepadj = 1, ll0check = TRUE).
 */

import { kahanSum } from "../numeric/kahan.ts"
import { type NotEstimable, notEstimable } from "../types.ts"
import { type MetaInputs, readMetaInputs } from "./inputs.ts"
import type { Tau2Estimate } from "./tau2-estimate.ts"
import { weightedFit } from "./weighted-fit.ts"

/** Control values, with metafor's defaults. */
export interface FisherScoringOptions {
  /** stop when |τ²_new − τ²_old| ≤ threshold (metafor `threshold`, 1e-5) */
  readonly threshold?: number
  /** give up after this many iterations (metafor `maxiter`, 100) */
  readonly maxIterations?: number
  /** starting value; default: Hedges' estimator truncated at 0 (metafor `tau2.init`) */
  readonly initial?: number
}

export interface FisherScoringResult {
  readonly tau2: number
  readonly iterations: number
}

const LL0_TOLERANCE = Math.pow(2 ** -52, 0.25) // .Machine$double.eps^0.25

/** The iterations run by this loop: the two likelihoods, and empirical Bayes. */
export type ScoredMethod = "ML" | "REML" | "EB"

/**
 * Hedges' (HE) estimator of τ², untruncated: metafor's starting value for Fisher scoring.
 *
 * Formula: (Σ(yᵢ − ȳ)² − (1 − 1/k)·Σvᵢ) / (k − 1), ȳ the unweighted mean.
 * Reference: `metafor::rma.uni(yi, vi, method = "HE")` before truncation at 0; Hedges (1983).
 * Preconditions: k ≥ 2, finite inputs (validate with `readMetaInputs`). May be negative.
 * Example: hedgesTau2([0.1, 0.3, 0.5, 0.2], [0.01, 0.02, 0.015, 0.01]) → 0.015416666666667
 *   (R `rma(..., method = "HE")$tau2`: 0.015416666666666667)
 */
export const hedgesTau2 = (yi: Float64Array, vi: Float64Array): number => {
  const k = yi.length
  const mean = kahanSum(yi) / k
  const squares = Float64Array.from(yi, (y) => (y - mean) * (y - mean))
  return (kahanSum(squares) - (1 - 1 / k) * kahanSum(vi)) / (k - 1)
}

/** Log-likelihood (ML) or restricted log-likelihood (REML) at τ², as metafor's ll0 check computes it. */
const logLikelihood = (inputs: MetaInputs, tau2: number, likelihood: "ML" | "REML"): number => {
  const fit = weightedFit(inputs.yi, inputs.vi, tau2)
  const k = inputs.k
  return likelihood === "ML"
    ? -0.5 * k * Math.log(2 * Math.PI) - 0.5 * fit.sumLogV - 0.5 * fit.rss
    : -0.5 * (k - 1) * Math.log(2 * Math.PI) - 0.5 * fit.sumLogV - 0.5 * Math.log(fit.sumW) - 0.5 * fit.rss
}

/**
 * τ² by Fisher scoring under ML or REML (algorithm in the header comment), from validated inputs.
 * Returns the τ² estimate (≥ 0) and the number of iterations, or `NotEstimable` when it does not
 * converge within `maxIterations`. Public entry points: `tau2Reml`, `tau2Ml`, `rmaUni`.
 */
export const fisherScoringTau2 = (
  inputs: MetaInputs,
  likelihood: ScoredMethod,
  options: FisherScoringOptions = {},
): FisherScoringResult | NotEstimable => {
  const threshold = options.threshold ?? 1e-5
  const maxIterations = options.maxIterations ?? 100
  const { yi, vi, k } = inputs
  let tau2 = options.initial ?? Math.max(0, hedgesTau2(yi, vi))
  let change = threshold + 1
  let iterations = 0
  while (change > threshold) {
    iterations += 1
    const previous = tau2
    const fit = weightedFit(yi, vi, tau2)
    let step =
      likelihood === "REML"
        ? (fit.rssW2 - fit.traceP) / fit.tracePP
        : likelihood === "ML"
          ? (fit.rssW2 - fit.sumW) / fit.sumW2
          : ((fit.rss * k) / (k - 1) - k) / fit.sumW
    if (Number.isNaN(step)) step = 0
    while (tau2 + step < 0) step /= 2
    tau2 += step
    change = Math.abs(previous - tau2)
    if (iterations > maxIterations) {
      return notEstimable(
        k,
        `the ${likelihood} ${likelihood === "EB" ? "iteration" : "Fisher scoring algorithm"} for tau^2 did not converge within ${maxIterations} iterations`,
      )
    }
  }
  if (likelihood === "EB") return { tau2: Math.max(0, tau2), iterations }
  // metafor's ll0check: a boundary value τ² = 0 with a higher likelihood wins.
  const ll0 = logLikelihood(inputs, 0, likelihood)
  const ll = logLikelihood(inputs, tau2, likelihood)
  if (ll0 - ll > LL0_TOLERANCE && tau2 > threshold) tau2 = 0
  return { tau2: Math.max(0, tau2), iterations }
}

/**
 * The shared body of `tau2Ml` and `tau2Reml`: validate the inputs, score τ², and report it with
 * the standard error the likelihood's information gives (`se` from the weighted fit at τ̂²).
 */
export const scoredTau2Estimate = (
  yi: ArrayLike<number>,
  vi: ArrayLike<number>,
  likelihood: ScoredMethod,
  options: FisherScoringOptions,
  se: (fit: ReturnType<typeof weightedFit>) => number,
): Tau2Estimate | NotEstimable => {
  const inputs = readMetaInputs(yi, vi)
  if (inputs.status !== "ok") return inputs
  const scored = fisherScoringTau2(inputs, likelihood, options)
  if ("reason" in scored) return scored
  return {
    status: "estimated",
    method: likelihood,
    k: inputs.k,
    tau2: scored.tau2,
    se: se(weightedFit(inputs.yi, inputs.vi, scored.tau2)),
    iterations: scored.iterations,
    reference: `metafor::rma.uni(yi, vi, method = "${likelihood}")`,
  }
}
