# Golden values for the three-level model (src/stats/meta-analysis/three-level.ts), its CR2
# cluster-robust inference (cr2.ts), and the multilevel Egger test and leave-one-study-out refits
# (three-level-sensitivity.ts).
#
# Run from the repository root:   Rscript test/reference/three-level.R
# Writes:                          test/reference/fixtures/three-level.json
#
# Datasets (metadat):
#   konstantopoulos2011  56 schools in 11 districts (study = district, es = school); designs:
#                        intercept, ~ year (raw publication year), ~ sqrt(vi) (multilevel Egger)
#   assink2016           100 effects in 17 studies (study, es = esid); designs: intercept,
#                        ~ year (centred), ~ deltype (3 levels; "covert" occurs in study 16 only,
#                        so that study's CR2 adjustment matrix is singular), ~ sqrt(vi)
# Per design, REML and ML, each with test = "z" and "t": rma.mv(yi, vi, mods, random = ~ 1 | study/es)
# with coefficients, vcov, sigma2, fit statistics (logLik, deviance, AIC, BIC, AICc as
# fitstats()), QE, QM (btt = 2:p, or the intercept when it is alone), predict() (every row for a
# moderator model), the I² split by level, and clubSandwich's CR2 coef_test()/conf_int()/vcovCR()
# with cluster = study; for REML/z also robust(fit, cluster = study, clubSandwich = TRUE).
# Per dataset, leave-one-study-out: the intercept-only fit refitted without each study (REML/z,
# REML/t, ML/z).
#
# Two small cases check limits:
#   single-effect  dat.bcg (log risk ratios, one effect per trial): sigma2 are not separately
#                  identified, but their sum is rma.uni's tau^2 (rma(), threshold 1e-14, is the
#                  referee: rma.mv's optimiser stops 1e-7 short on this ridge)
#   boundary-*     synthetic data written out below whose REML between-study (or within-study)
#                  variance is 0: the other component is then rma.uni's tau^2 (the model at the
#                  boundary is the two-level one). rma.mv works on log(sigma2) and stops near, not
#                  at, 0 (about 1e-10); its values are kept for comparison with an absolute floor.
#
# I² by level (Cheung 2014; metafor's website, "I^2 for multilevel models"):
#   W = diag(1/vi), P = W - W X (X'WX)^-1 X'W, s² = (k - p)/tr(P), I²_l = 100 sigma2_l/(sum sigma2 + s²).

suppressPackageStartupMessages({ library(metafor); library(clubSandwich) })
source("test/reference/json-writer.R")

# rma.mv's default optimiser (nlminb) stops before the optimum at 1e-7 relative in some fits
# (dat.assink2016, mods = ~ deltype: sigma2[1] 0.18989056565 where 0.18989057839 has a higher
# logLik), so every rma.mv fit here is refined with BFGS on a tight relative tolerance.
tight <- list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-15)

i2_by_level <- function(f, vi) {
  W <- diag(1 / vi)
  X <- model.matrix(f)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  s2 <- (f$k - f$p) / sum(diag(P))
  vec(100 * f$sigma2 / (sum(f$sigma2) + s2))
}

fit_mv <- function(d, mods, method, test) {
  if (is.null(mods)) rma.mv(yi, vi, random = ~ 1 | study/es, data = d, method = method, test = test, control = tight)
  else rma.mv(yi, vi, mods = mods, random = ~ 1 | study/es, data = d, method = method, test = test, control = tight)
}

cr2_of <- function(f, cluster) {
  ct <- coef_test(f, vcov = "CR2", cluster = cluster, test = "Satterthwaite")
  ci <- conf_int(f, vcov = "CR2", cluster = cluster)
  list(se = vec(ct$SE), statistic = vec(ct$tstat), df = vec(ct$df_Satt), p = vec(ct$p_Satt),
       ciLb = vec(ci$CI_L), ciUb = vec(ci$CI_U),
       vcov = vec(as.matrix(vcovCR(f, cluster = cluster, type = "CR2"))))
}

robust_of <- function(f, cluster) {
  r <- robust(f, cluster = cluster, clubSandwich = TRUE)
  list(se = vec(r$se), statistic = vec(r$zval), df = vec(r$ddf), p = vec(r$pval),
       ciLb = vec(r$ci.lb), ciUb = vec(r$ci.ub), QM = r$QM, QMdf = vec(r$QMdf), QMp = r$QMp)
}

fit_record <- function(d, design, method, test) {
  f <- fit_mv(d, design$mods, method, test)
  fs <- fitstats(f)[, 1]
  pr <- predict(f)
  list(
    design = design$name, method = method, test = test,
    call = sprintf("metafor::rma.mv(yi, vi%s, random = ~ 1 | study/es, method = \"%s\", test = \"%s\", control = tight)",
                   if (is.null(design$mods)) "" else paste0(", mods = ", deparse(design$mods)), method, test),
    estimate = vec(f$b), se = vec(f$se), statistic = vec(f$zval), p = vec(f$pval),
    ciLb = vec(f$ci.lb), ciUb = vec(f$ci.ub), vcov = vec(f$vb), df = if (test == "t") f$ddf[1] else NA,
    sigma2 = vec(f$sigma2),
    logLik = fs[["logLik:"]], deviance = fs[["deviance:"]], AIC = fs[["AIC:"]], BIC = fs[["BIC:"]], AICc = fs[["AICc:"]],
    QE = f$QE, QEp = f$QEp,
    QM = f$QM, QMdf = vec(f$QMdf), QMp = f$QMp,
    I2 = i2_by_level(f, d$vi),
    predict = list(pred = vec(pr$pred), se = vec(pr$se), ciLb = vec(pr$ci.lb), ciUb = vec(pr$ci.ub),
                   piLb = vec(pr$pi.lb), piUb = vec(pr$pi.ub)),
    cr2 = cr2_of(f, d$study),
    robust = if (method == "REML" && test == "z") robust_of(f, d$study) else NULL
  )
}

loco_record <- function(d, method, test) {
  studies <- unique(d$study)
  rows <- lapply(studies, function(s) {
    f <- fit_mv(d[d$study != s, ], NULL, method, test)
    pr <- predict(f)
    list(study = as.character(s), k = f$k, estimate = as.numeric(f$b), se = f$se, statistic = f$zval, p = f$pval,
         ciLb = f$ci.lb, ciUb = f$ci.ub, piLb = pr$pi.lb, piUb = pr$pi.ub, sigma2 = vec(f$sigma2))
  })
  list(method = method, test = test,
       call = sprintf("for each study s: rma.mv(yi, vi, random = ~ 1 | study/es, data = d[d$study != s, ], method = \"%s\", test = \"%s\", control = tight)", method, test),
       rows = rows)
}

dataset_record <- function(d, designs) {
  grid <- expand.grid(test = c("z", "t"), method = c("REML", "ML"), stringsAsFactors = FALSE)
  list(
    study = as.character(d$study), es = as.character(d$es), yi = vec(d$yi), vi = vec(d$vi),
    designs = lapply(designs, function(g) {
      X <- if (is.null(g$mods)) matrix(1, nrow(d), 1, dimnames = list(NULL, "intrcpt")) else model.matrix(g$mods, data = d)
      colnames(X)[colnames(X) == "(Intercept)"] <- "intrcpt"
      list(name = g$name, columns = as.list(colnames(X)), X = lapply(seq_len(nrow(X)), function(i) vec(X[i, ])))
    }),
    fits = unlist(lapply(designs, function(g) lapply(seq_len(nrow(grid)), function(r) fit_record(d, g, grid$method[r], grid$test[r]))), recursive = FALSE),
    leaveOneStudyOut = list(loco_record(d, "REML", "z"), loco_record(d, "REML", "t"), loco_record(d, "ML", "z"))
  )
}

k2011 <- dat.konstantopoulos2011
k2011$study <- k2011$district
k2011$es <- k2011$school
assink <- dat.assink2016
assink$es <- assink$esid

# limits: one effect per study; a variance component at its bound
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
bcg$study <- bcg$trial
bcg$es <- 1
boundary_between <- data.frame(study = rep(1:6, each = 3), es = rep(1:3, 6),
  yi = c(0.1, 0.5, 0.3, 0.3, 0.1, 0.5, 0.5, 0.3, 0.1, 0.12, 0.48, 0.3, 0.28, 0.52, 0.1, 0.45, 0.35, 0.1),
  vi = rep(c(0.01, 0.02, 0.015), 6) * rep(c(1, 1.5, 0.8, 1.2, 1, 2), each = 3))
boundary_within <- data.frame(study = rep(1:5, times = c(3, 2, 4, 3, 2)), es = c(1:3, 1:2, 1:4, 1:3, 1:2),
  yi = c(0.10, 0.12, 0.09, 0.45, 0.43, 0.30, 0.31, 0.29, 0.30, -0.05, -0.02, -0.04, 0.62, 0.60),
  vi = c(0.02, 0.03, 0.025, 0.01, 0.015, 0.02, 0.02, 0.03, 0.025, 0.04, 0.03, 0.035, 0.02, 0.025))

# `uni`: the two-level data whose rma.uni fit the three-level model reduces to at this limit (the
# effects themselves; or, with the within-study variance at 0, each study's inverse-variance mean
# with variance 1/sum(1/vi): the likelihood then factorises into those means and within-study
# contrasts free of sigma2 and mu)
study_means <- function(d) {
  w <- 1 / d$vi
  data.frame(yi = as.vector(tapply(w * d$yi, d$study, sum) / tapply(w, d$study, sum)), vi = as.vector(1 / tapply(w, d$study, sum)))
}

limit_record <- function(name, d, method, uni, uni_call) {
  f <- fit_mv(d, NULL, method, "z")
  u <- rma(yi, vi, data = uni, method = method, control = list(threshold = 1e-14, maxiter = 1000))
  list(name = name, method = method, study = as.character(d$study), yi = vec(d$yi), vi = vec(d$vi),
       call = sprintf("rma.mv(yi, vi, random = ~ 1 | study/es, method = \"%s\", control = tight); rma(yi, vi, data = %s, method = \"%s\", control = list(threshold = 1e-14))", method, uni_call, method),
       mvSigma2 = vec(f$sigma2), mvEstimate = as.numeric(f$b), mvLogLik = as.numeric(logLik(f)),
       uniTau2 = u$tau2, uniEstimate = as.numeric(u$b), uniSe = u$se)
}

out <- list(
  provenance = provenance_of("test/reference/three-level.R", c("metafor", "metadat", "clubSandwich", "jsonlite"),
    paste("Per dataset: study and es labels, yi, vi, the design matrices (model.matrix, row per effect), fits[] per (design, method, test):",
          "rma.mv(random = ~ 1 | study/es) with coefficients, vcov (symmetric), sigma2 [study, es], fitstats() for the method,",
          "QE, QM (of the intercept in an intercept-only model, as metafor), predict() rows, I2 by level, clubSandwich CR2 coef_test/conf_int/vcovCR",
          "(cluster = study) and, for REML/z, robust(clubSandwich = TRUE); leaveOneStudyOut[] per (method, test).",
          "limits[]: rma.mv beside rma.uni where sigma2 are not identified or one is at its bound 0.")),
  datasets = list(
    konstantopoulos2011 = dataset_record(k2011, list(list(name = "intercept", mods = NULL), list(name = "year", mods = ~ year),
                                                     list(name = "sei", mods = ~ sqrt(vi)))),
    assink2016 = dataset_record(assink, list(list(name = "intercept", mods = NULL), list(name = "year", mods = ~ year),
                                             list(name = "deltype", mods = ~ deltype), list(name = "sei", mods = ~ sqrt(vi))))
  ),
  limits = list(
    limit_record("single-effect", bcg, "REML", bcg, "d"),
    limit_record("single-effect", bcg, "ML", bcg, "d"),
    limit_record("boundary-between", boundary_between, "REML", boundary_between, "d"),
    limit_record("boundary-within", boundary_within, "REML", study_means(boundary_within), "study_means(d)"),
    limit_record("boundary-within", boundary_within, "ML", study_means(boundary_within), "study_means(d)")
  )
)
write_json_fixture(out, "test/reference/fixtures/three-level.json")
