/**
 * The exact definition of every derived quantity, in words, as written into results.json and the
 * report's methods section. Generated from the settings so that they always say what was done.
 */
import type { AnalysisSettings } from "./settings.ts"

export const definitions = (s: AnalysisSettings): Record<string, string> => {
  const [w0, w1] = s.earlyWindow
  const lower = s.outcome.direction === "lower_is_better"
  const pct = `${Math.round(s.level * 1000) / 10}%`
  const test = s.poolingTest === "z" ? "z test (metafor's default)" : "Knapp–Hartung adjustment (t with k − 1 df)"
  return {
    early_alliance: `mean of the non-missing client-rated alliance values (${s.alliance.instrument}) in sessions ${w0}–${w1}; clients without any are excluded and counted`,
    improvement: lower
      ? `baseline − outcome on ${s.outcome.instrument} (lower is better), so positive = improvement`
      : `outcome − baseline on ${s.outcome.instrument} (higher is better), so positive = improvement`,
    sign_convention: "positive correlations mean that stronger alliance goes with more improvement, as in the alliance–outcome meta-analyses",
    analysed_sample: "complete cases on early alliance, baseline and outcome",
    pearson: `Pearson r(early alliance, improvement); ${pct} CI by the Fisher z transformation; two-sided p from t with n − 2 df (R: cor.test)`,
    spearman: "Spearman rank correlation of early alliance with improvement; p from the t approximation (R: cor.test(method = \"spearman\", exact = FALSE))",
    partial: `partial r(early alliance, outcome | baseline), reported with its raw sign (R: psych::partial.r); t with n − 3 df; ${pct} CI by Fisher z with SE 1/√(n − 4)`,
    residualized_gain: "Pearson r of early alliance with the residual of outcome regressed on baseline (OLS), signed so that positive = better than predicted",
    by_rater: "the Pearson r repeated with the early mean of each rater's alliance column (client, therapist, observer), on clients with that rating and an improvement score",
    by_subscale: "the Pearson r repeated with the early mean of each client-rated subscale (goal, task, bond)",
    site_pooling: `per-site Pearson r pooled by random-effects meta-analysis on Fisher z (yi = atanh(r), vi = 1/(n − 3)), τ² by ${s.poolingMethod === "EE" ? "none (equal-effects model)" : s.poolingMethod}, ${test}; ${pct} prediction interval for a new site; sites with fewer than ${s.minSiteN} analysed clients are not pooled (R: metafor::rma.uni(yi, vi, method = "${s.poolingMethod}", test = "${s.poolingTest}"))`,
    heterogeneity: "Cochran's Q with its χ² test (k − 1 df); I² = 100 · τ² / (τ² + s²) and H² = (τ² + s²) / s² with s² the typical within-site variance (metafor); τ² CI by the Q-profile method",
    therapist_icc: `share of the variance of improvement that lies between therapists, therapist variance / (therapist + residual variance), from improvement ~ 1 + (1 | therapist) and, adjusted for baseline (the same as the post score adjusted for baseline), improvement ~ baseline + (1 | therapist), on clients with baseline and outcome; REML; ${pct} profile-likelihood interval (R: lme4::lmer, the REML criterion's χ²₁ drop)`,
    therapist_caterpillar: `each therapist's conditional mode (BLUP) in the baseline-adjusted model with ± z · conditional SD (R: ranef(condVar = TRUE)); therapists with fewer than ${s.minCell} clients are not shown, and none is named`,
    alliance_decomposition: "Baldwin, Wampold & Imel (2007): each therapist's mean early alliance over their analysed clients, and each client's deviation from it, both predicting improvement, with baseline and a therapist random intercept: improvement ~ baseline + therapist mean + client deviation + (1 | therapist); REML, Satterthwaite df (R: lme4::lmer + lmerTest)",
    session_pairs: "a session with client-rated alliance and symptom score whose next session (numbered exactly one more) has a symptom score; the client's mean alliance over their pairs is the between-client part and the session's deviation from it the within-client part",
    within_between: `symptom at the next session ~ symptom now + the client's mean alliance + this session's deviation from it + ${s.withinBetweenTherapistIntercept ? "(1 | therapist/client)" : "(1 | client)"}; REML, Satterthwaite df; standardized coefficients β · SD(predictor) / SD(next-session symptom) over the session pairs`,
    common_factors: `${s.commonFactors.outcome === "improvement" ? "improvement" : "the post score adjusted for baseline (baseline partialled out of it and of every predictor, so each R² is a partial R²)"} regressed (OLS) on families of predictors, on clients with every predictor present; categories dummy-coded against their first level; each family's share is its general dominance weight — the mean R² it adds over every subset of the other families, its Shapley share of the R² (Budescu 1993; Azen & Budescu 2003) — with a ${pct} bootstrap percentile interval (${s.commonFactors.bootstrap.replicates} replicates resampling ${s.commonFactors.bootstrap.resample}, seed ${s.commonFactors.bootstrap.seed}; beyond ${s.commonFactors.bootstrap.max_resample_size} units the m-out-of-n bootstrap, rescaled by √(m/n)); hierarchical ΔR² with F tests in the families' order; commonality analysis; the therapist share is (1 − R²) × the ICC of the same model with a therapist random intercept (REML)`,
    binned_chart: `mean improvement (with a t-based ${pct} CI) in equal-width bins of early alliance over the measure's range, merged until each bin has at least ${s.minCell} clients; no individual clients are shown`,
  }
}
