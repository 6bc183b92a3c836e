/**
 * Fitted models as results.json records: the field names of data-schemas/synthesis-results.ts,
 * with the point estimate and intervals back-transformed to r when the effects are correlations.
 */
import type { ModelEstimateRecord, ModelRecord } from "../../../data-schemas/synthesis-results.ts"
import type { RmaUniResult } from "../../stats/meta-analysis/rma-uni.ts"
import type { Interval, NotEstimable } from "../../stats/types.ts"

export type { ModelEstimateRecord, ModelRecord }

/** An interval on the Fisher z scale as an interval of r. */
export const tanhInterval = (i: Interval): [number, number] => [Math.tanh(i[0]), Math.tanh(i[1])]

/** The r-scale block of a model on Fisher z; null for generic effects. */
export const rScale = (
  correlation: boolean,
  fit: { readonly estimate: number; readonly ci: Interval; readonly pi: Interval | null },
) =>
  correlation
    ? { estimate: Math.tanh(fit.estimate), ci: tanhInterval(fit.ci), pi: fit.pi === null ? null : tanhInterval(fit.pi) }
    : null

const interval = (i: Interval | null): [number, number] | null => (i === null ? null : [i[0], i[1]])

/** An rmaUni fit as a results.json model record. */
export const modelRecord = (fit: RmaUniResult | NotEstimable, correlation: boolean): ModelRecord =>
  fit.status === "not_estimable"
    ? { status: "not_estimable", n: fit.n, reason: fit.reason }
    : {
        status: "estimated",
        k: fit.k,
        estimate: fit.estimate,
        se: fit.se,
        ci: [fit.ci[0], fit.ci[1]],
        pi: [fit.pi[0], fit.pi[1]],
        statistic: fit.statistic,
        df: fit.df,
        p: fit.p,
        tau2: fit.tau2,
        tau2_se: fit.tau2Se,
        tau: fit.tau,
        tau2_ci: interval(fit.tau2Ci),
        tau2_ci_note: fit.tau2CiNote,
        i2: fit.i2,
        i2_ci: interval(fit.i2Ci),
        h2: fit.h2,
        h2_ci: interval(fit.h2Ci),
        q: fit.q,
        q_df: fit.qDf,
        q_p: fit.qP,
        r: rScale(correlation, fit),
        method: fit.method,
        test: fit.test,
        iterations: fit.iterations,
        reference: fit.reference,
      }
