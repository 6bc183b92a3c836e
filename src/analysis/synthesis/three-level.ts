/**
 * The three-level analyses of `synthesize`, for studies that report several effects: the model
 * (effects within studies) with its CR2 cluster-robust inference, the multilevel regression test
 * for small-study effects, and leave-one-study-out refits — as results.json records.
 *
 * Method: REML, or ML when the synthesis uses ML (the other τ² estimators have no three-level
 * form; REML is used and the report says so). Test: z, or t on k − p df when the synthesis uses
 * Knapp–Hartung (metafor rma.mv's test = "t").
 *
 * The multilevel regression test adds the standard error √vᵢ as a moderator of the three-level
 * model and tests its slope, model-based and with CR2 inference (Rodgers & Pustejovsky 2021;
 * Fernández-Castilla et al. 2021); its intercept is the limit estimate as the standard error goes
 * to 0. metafor offers neither this nor leave-one-cluster-out for rma.mv.
 */
import type { ThreeLevelRecord } from "../../../data-schemas/synthesis-results.ts"
import type { StudyEffect } from "../../ingest/read-studies.ts"
import { cr2ThreeLevel } from "../../stats/meta-analysis/cr2.ts"
import { rmaThreeLevel, type ThreeLevelMethod, type ThreeLevelTest } from "../../stats/meta-analysis/three-level.ts"
import { threeLevelEgger, threeLevelLeaveOneOut } from "../../stats/meta-analysis/three-level-sensitivity.ts"
import { rScale } from "./model.ts"
import type { SynthesisSettings } from "./settings.ts"

/** The three-level method and test used for a synthesis' settings. */
export const threeLevelSettings = (settings: SynthesisSettings): { method: ThreeLevelMethod; test: ThreeLevelTest } => ({
  method: settings.method === "ML" ? "ML" : "REML",
  test: settings.test === "knha" ? "t" : "z",
})

/** The three-level model, its multilevel Egger test and leave-one-study-out refits. */
export const threeLevelAnalyses = (effects: ReadonlyArray<StudyEffect>, settings: SynthesisSettings): ThreeLevelRecord => {
  const options = { ...threeLevelSettings(settings), level: settings.level }
  const yi = effects.map((e) => e.yi)
  const vi = effects.map((e) => e.vi)
  const study = effects.map((e) => e.study)
  const fit = rmaThreeLevel({ yi, vi, study }, options)

  let model: ThreeLevelRecord["model"]
  if (fit.status === "not_estimable") model = fit
  else {
    const c = fit.coefficients[0]!
    const robust = cr2ThreeLevel(fit).coefficients[0]!
    model = {
      status: "estimated",
      k: fit.k,
      studies: fit.studies,
      estimate: c.estimate,
      se: c.se,
      ci: [c.ci[0], c.ci[1]],
      pi: [fit.pi[0], fit.pi[1]],
      statistic: c.statistic,
      df: fit.df,
      p: c.p,
      sigma2_between: fit.sigma2[0],
      sigma2_within: fit.sigma2[1],
      i2_between: fit.i2[0],
      i2_within: fit.i2[1],
      i2_total: fit.i2[0] + fit.i2[1],
      q: fit.qe,
      q_df: fit.qeDf,
      q_p: fit.qeP,
      log_likelihood: fit.logLik,
      robust: { estimate: robust.estimate, se: robust.se, statistic: robust.statistic, df: robust.df, p: robust.p, ci: [robust.ci[0], robust.ci[1]], reference: "clubSandwich::coef_test(fit, vcov = \"CR2\", cluster = study, test = \"Satterthwaite\"); conf_int()" },
      r: rScale(settings.effect === "correlation", { estimate: c.estimate, ci: c.ci, pi: fit.pi }),
      method: fit.method,
      test: fit.test,
      reference: fit.reference,
    }
  }

  const eggerFit = threeLevelEgger({ yi, vi, study }, options)
  const egger: ThreeLevelRecord["egger"] =
    eggerFit.status === "not_estimable"
      ? eggerFit
      : {
          status: "estimated",
          slope: eggerFit.slope.estimate,
          se: eggerFit.slope.se,
          statistic: eggerFit.slope.statistic,
          df: eggerFit.df,
          p: eggerFit.slope.p,
          robust_se: eggerFit.robustSlope.se,
          robust_statistic: eggerFit.robustSlope.statistic,
          robust_df: eggerFit.robustSlope.df,
          robust_p: eggerFit.robustSlope.p,
          limit_estimate: eggerFit.limit.estimate,
          limit_ci: [eggerFit.limit.ci[0], eggerFit.limit.ci[1]],
          reference: eggerFit.reference,
        }

  const leaveOneStudyOut = threeLevelLeaveOneOut({ yi, vi, study }, options).map((refit) =>
    refit.status === "not_estimable"
      ? { study: refit.study, status: "not_estimable" as const, estimate: null, se: null, ci: null, p: null, sigma2_between: null, sigma2_within: null, reason: refit.reason }
      : {
          study: refit.study,
          status: "estimated" as const,
          estimate: refit.estimate,
          se: refit.se,
          ci: [refit.ci[0], refit.ci[1]] as [number, number],
          p: refit.p,
          sigma2_between: refit.sigma2[0],
          sigma2_within: refit.sigma2[1],
          reason: null,
        },
  )
  return { model, egger, leave_one_study_out: leaveOneStudyOut }
}
