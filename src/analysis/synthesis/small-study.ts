/**
 * Small-study and sensitivity analyses of the two-level model, as records of
 * data-schemas/synthesis-results.ts: the Egger-type regression test (metafor's `regtest` default,
 * the mixed-effects model with the standard error as predictor, and the classical weighted
 * regression), Begg's rank correlation, trim-and-fill (L0 and R0, side chosen from the data),
 * fail-safe N (Rosenthal, Orwin, Rosenberg), leave-one-out and influence diagnostics. Every
 * estimator is in src/stats/meta-analysis/ with its reference and golden tests.
 */
import type { SmallStudyRecord } from "../../../data-schemas/synthesis-results.ts"
import { failSafeN, type FailSafeType } from "../../stats/meta-analysis/fail-safe-n.ts"
import { influence } from "../../stats/meta-analysis/influence.ts"
import { leaveOneOut } from "../../stats/meta-analysis/leave-one-out.ts"
import { ranktest } from "../../stats/meta-analysis/ranktest.ts"
import { regtest } from "../../stats/meta-analysis/regtest.ts"
import { trimAndFill, type TrimFillEstimator } from "../../stats/meta-analysis/trim-and-fill.ts"
import type { StudyEffect } from "../../ingest/read-studies.ts"
import { modelRecord, type ModelEstimateRecord } from "./model.ts"
import type { SynthesisSettings } from "./settings.ts"

export type { SmallStudyRecord }

const regtestRecord = (yi: number[], vi: number[], model: "rma" | "lm", settings: SynthesisSettings): SmallStudyRecord["egger"] => {
  const fit = regtest(yi, vi, { model, method: settings.method, test: settings.test, level: settings.level })
  return fit.status === "not_estimable"
    ? fit
    : {
        status: "estimated",
        model: fit.model,
        k: fit.k,
        statistic: fit.statistic,
        df: fit.df,
        p: fit.p,
        limit_estimate: fit.limitEstimate,
        limit_ci: [fit.limitCi[0], fit.limitCi[1]],
        reference: fit.reference,
      }
}

const trimFillRecord = (yi: number[], vi: number[], estimator: TrimFillEstimator, settings: SynthesisSettings): SmallStudyRecord["trim_and_fill"][number] => {
  // z tests for the filled-in model, as metafor's trimfill (it refits with the method but not the test)
  const fit = trimAndFill(yi, vi, { estimator, method: settings.method, level: settings.level })
  if (fit.status === "not_estimable") return { ...fit, estimator }
  return {
    status: "estimated",
    estimator,
    side: fit.side,
    side_from_data: fit.sideFromData,
    k0: fit.k0,
    k0_se: fit.k0Se,
    k0_p: fit.k0P,
    filled: fit.filled.yi.map((y, i) => ({ yi: y, vi: fit.filled.vi[i]! })),
    model: modelRecord(fit.fit, settings.effect === "correlation") as ModelEstimateRecord,
    reference: fit.reference,
  }
}

const failSafeRecord = (yi: number[], vi: number[], type: FailSafeType): SmallStudyRecord["fail_safe_n"][number] => {
  const fit = failSafeN(yi, vi, { type })
  return fit.status === "not_estimable"
    ? { ...fit, type }
    : { status: "estimated", type, n: fit.n, p: fit.p, target: fit.target, reference: fit.reference }
}

/** Every small-study and sensitivity analysis of the two-level model of `effects`. */
export const smallStudyAnalyses = (effects: ReadonlyArray<StudyEffect>, settings: SynthesisSettings): SmallStudyRecord => {
  const yi = effects.map((e) => e.yi)
  const vi = effects.map((e) => e.vi)
  const options = { method: settings.method, test: settings.test, level: settings.level }
  const correlation = settings.effect === "correlation"
  const rank = ranktest(yi, vi)
  const diagnostics = influence(yi, vi, options)
  return {
    egger: regtestRecord(yi, vi, "rma", settings),
    egger_classical: regtestRecord(yi, vi, "lm", settings),
    rank: rank.status === "not_estimable" ? rank : { status: "estimated", k: rank.k, tau: rank.tau, p: rank.p, kind: rank.kind, reference: rank.reference },
    trim_and_fill: (["L0", "R0"] as const).map((estimator) => trimFillRecord(yi, vi, estimator, settings)),
    fail_safe_n: (["Rosenthal", "Orwin", "Rosenberg"] as const).map((type) => failSafeRecord(yi, vi, type)),
    leave_one_out: leaveOneOut(yi, vi, options).map((row) => ({
      study: effects[row.omitted]!.study,
      effect: effects[row.omitted]!.effect,
      model: modelRecord(row.fit, correlation),
    })),
    influence:
      diagnostics.status === "not_estimable"
        ? diagnostics
        : {
            status: "estimated",
            rows: diagnostics.studies.map((d, i) => ({
              study: effects[i]!.study,
              effect: effects[i]!.effect,
              rstudent: d.rstudent,
              dffits: d.dffits,
              cook_d: d.cookD,
              cov_ratio: d.covRatio,
              tau2_deleted: d.tau2Deleted,
              q_deleted: d.qDeleted,
              hat: d.hat,
              weight: d.weight,
              dfbetas: d.dfbetas,
              influential: d.influential,
            })),
            reference: diagnostics.reference,
          },
  }
}
