# Golden values for `synthesize` end to end (test/e2e/synthesize.test.ts): every number the
# synthesis report rests on, recomputed independently with metafor and clubSandwich from the raw
# studies files — the bundled synthetic example and dat.mcdaniel1994 written as a studies.csv.
#
# Run from the repository root:   Rscript test/reference/synthesis.R
# Writes:                          test/reference/fixtures/synthesis-mcdaniel1994.csv
#                                  test/reference/fixtures/synthesis.json
#
# Conventions that the pipeline documents and this script therefore repeats:
# - categorical moderator levels in C-locale order (sort(method = "radix")), first = reference;
# - rows with a missing moderator are left out of that moderator's model (metafor's na.omit);
# - trim-and-fill refits with the method and z tests (metafor's trimfill does not pass `test` on);
# - subgroup test: rma per level (same method and test), then rma(estimates, sei = se, method = "FE")$QE;
# - three-level I² by level: W = diag(1/vi), P = W - W X (X'W X)^-1 X'W, s2 = (k - p)/tr(P),
#   I²_l = 100 sigma2_l / (sum(sigma2) + s2) (Cheung 2014; the metafor website's formula);
# - multilevel Egger test: rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | study/es), model-based
#   and CR2 (clubSandwich::coef_test, Satterthwaite) inference on the slope.

suppressPackageStartupMessages({ library(metafor); library(clubSandwich) })

# rma.mv's default optimiser (nlminb) stops before the optimum at 1e-6 relative in some fits
# (dat.konstantopoulos2011, mods = ~ year: sigma2[2] 0.03265023768 at logLik -7.24046677679890,
# where 0.03265019545 reaches -7.24046677678637), so every rma.mv fit here is refined with BFGS.
tight <- list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-15)
source("test/reference/json-writer.R")

radix_factor <- function(x) factor(x, levels = sort(unique(x[!is.na(x)]), method = "radix"))

# dat.mcdaniel1994 as a studies file: one correlation per study, two categorical moderators.
mc <- dat.mcdaniel1994
mc_csv <- data.frame(study_id = sprintf("M%03d", mc$study), r = mc$ri, n = mc$ni, type = mc$type, struct = mc$struct)
write.csv(mc_csv, "test/reference/fixtures/synthesis-mcdaniel1994.csv", row.names = FALSE, quote = FALSE)

model_of <- function(fit) {
  pr <- predict(fit)
  # tight root finding (metafor's default uniroot tolerance is .Machine$double.eps^0.25)
  ci <- if (fit$method == "FE" || fit$method == "EE") NULL else confint(fit, control = list(tol = 1e-13))$random
  list(estimate = as.numeric(fit$b), se = fit$se, statistic = fit$zval, p = fit$pval,
       ci = vec(c(fit$ci.lb, fit$ci.ub)),
       pi = if (is.null(pr$pi.lb)) vec(c(pr$ci.lb, pr$ci.ub)) else vec(c(pr$pi.lb, pr$pi.ub)),
       tau2 = fit$tau2, i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_p = fit$QEp,
       tau2_ci = if (is.null(ci)) NULL else vec(ci["tau^2", c("ci.lb", "ci.ub")]),
       i2_ci = if (is.null(ci)) NULL else vec(ci["I^2(%)", c("ci.lb", "ci.ub")]))
}

moderator_of <- function(d, column, type, method, test) {
  keep <- !is.na(d[[column]])
  dd <- d[keep, ]
  x <- if (type == "continuous") as.numeric(dd[[column]]) else radix_factor(dd[[column]])
  fit <- rma(yi, vi, mods = ~ x, data = dd, method = method, test = test)
  out <- list(column = column, k = fit$k, coefficients = as.numeric(fit$b), se = fit$se, p = fit$pval,
              qm = fit$QM, qm_p = fit$QMp, qe = fit$QE, qe_p = fit$QEp, tau2 = fit$tau2,
              r2 = if (is.null(fit$R2)) NA else fit$R2)
  if (type == "categorical") {
    fits <- lapply(levels(x), function(l) rma(yi, vi, data = dd[x == l, ], method = method, test = test))
    est <- vapply(fits, function(f) as.numeric(f$b), 0)
    se <- vapply(fits, function(f) f$se, 0)
    between <- rma(est, sei = se, method = "FE")
    out$subgroups <- lapply(seq_along(fits), function(i) list(level = levels(x)[i], k = fits[[i]]$k, estimate = est[i], se = se[i], tau2 = fits[[i]]$tau2))
    out$q_between <- between$QE
    out$q_between_p <- between$QEp
  }
  out
}

small_study_of <- function(d, method, test) {
  fit <- rma(yi, vi, data = d, method = method, test = test)
  eg <- regtest(fit)
  egl <- regtest(fit, model = "lm")
  rk <- suppressWarnings(ranktest(fit))
  tf <- lapply(c("L0", "R0"), function(e) {
    t <- trimfill(fit, estimator = e)
    list(estimator = e, k0 = t$k0, side = t$side, estimate = as.numeric(t$b), ci = vec(c(t$ci.lb, t$ci.ub)))
  })
  l1 <- leave1out(fit)
  inf <- influence(fit)
  list(egger = list(statistic = eg$zval, p = eg$pval, limit_estimate = eg$est, limit_ci = vec(c(eg$ci.lb, eg$ci.ub))),
       egger_classical = list(statistic = egl$zval, p = egl$pval, limit_estimate = egl$est),
       rank = list(tau = as.numeric(rk$tau), p = rk$pval),
       trim_and_fill = tf,
       fail_safe_n = lapply(c("Rosenthal", "Orwin", "Rosenberg"), function(t) list(type = t, n = fsn(yi, vi, data = d, type = t)$fsnum)),
       leave_one_out = list(estimate = vec(l1$estimate), tau2 = vec(l1$tau2)),
       influence = list(rstudent = vec(inf$inf$rstudent), cook_d = vec(inf$inf$cook.d), hat = vec(inf$inf$hat)))
}

three_level_of <- function(d, method, test) {
  ml_test <- if (test == "knha") "t" else "z"
  fit <- rma.mv(yi, vi, random = ~ 1 | study_id/es_id, data = d, method = method, test = ml_test, control = tight)
  pr <- predict(fit)
  W <- diag(1 / d$vi)
  X <- model.matrix(fit)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  s2 <- (fit$k - fit$p) / sum(diag(P))
  i2 <- 100 * fit$sigma2 / (sum(fit$sigma2) + s2)
  rob <- coef_test(fit, vcov = "CR2", cluster = d$study_id, test = "Satterthwaite")
  rci <- conf_int(fit, vcov = "CR2", cluster = d$study_id)
  eg <- rma.mv(yi, vi, mods = ~ sqrt(vi), random = ~ 1 | study_id/es_id, data = d, method = method, test = ml_test, control = tight)
  egr <- coef_test(eg, vcov = "CR2", cluster = d$study_id, test = "Satterthwaite")
  studies <- unique(d$study_id)
  loso <- lapply(studies, function(s) {
    f <- rma.mv(yi, vi, random = ~ 1 | study_id/es_id, data = d[d$study_id != s, ], method = method, test = ml_test, control = tight)
    list(study = s, estimate = as.numeric(f$b), se = f$se, sigma2 = vec(f$sigma2))
  })
  list(estimate = as.numeric(fit$b), se = fit$se, statistic = fit$zval, p = fit$pval,
       ci = vec(c(fit$ci.lb, fit$ci.ub)), pi = vec(c(pr$pi.lb, pr$pi.ub)), sigma2 = vec(fit$sigma2),
       i2 = vec(i2), q = fit$QE, q_p = fit$QEp, log_likelihood = as.numeric(logLik(fit)),
       robust = list(se = rob$SE, statistic = rob$tstat, df = rob$df_Satt, p = rob$p_Satt, ci = vec(c(rci$CI_L, rci$CI_U))),
       egger = list(slope = as.numeric(eg$b[2]), se = eg$se[2], statistic = eg$zval[2], p = eg$pval[2],
                    robust_se = egr$SE[2], robust_statistic = egr$tstat[2], robust_df = egr$df_Satt[2], robust_p = egr$p_Satt[2],
                    limit_estimate = as.numeric(eg$b[1])),
       leave_one_study_out = loso)
}

synthesis_of <- function(file, method, test, moderators) {
  raw <- read.csv(file, na.strings = c("", "NA"), stringsAsFactors = FALSE)
  d <- escalc(measure = "ZCOR", ri = r, ni = n, data = raw)
  fit <- rma(yi, vi, data = d, method = method, test = test)
  estimators <- lapply(c("REML", "ML", "DL", "HE", "HS", "SJ", "PM", "EB", "EE"), function(m) {
    f <- rma(yi, vi, data = d, method = m, test = test)
    list(method = m, estimate = as.numeric(f$b), se = f$se, tau2 = f$tau2, i2 = f$I2)
  })
  several <- "es_id" %in% names(raw) && any(duplicated(raw$study_id))
  list(file = file, method = method, test = test,
       model = model_of(fit), weights = vec(weights(fit)),
       estimators = estimators,
       moderators = lapply(moderators, function(m) moderator_of(d, m[1], m[2], method, test)),
       small_study = small_study_of(d, method, test),
       three_level = if (several) three_level_of(d, method, test) else NULL)
}

cases <- list(
  example = synthesis_of("examples/example-synthesis/studies.csv", "REML", "z",
                         list(c("year", "continuous"), c("rater", "categorical"), c("measure", "categorical"), c("timing", "categorical"))),
  mcdaniel_dl_knha = synthesis_of("test/reference/fixtures/synthesis-mcdaniel1994.csv", "DL", "knha",
                                  list(c("type", "categorical"), c("struct", "categorical")))
)

out <- list(
  provenance = provenance_of("test/reference/synthesis.R", c("metafor", "metadat", "clubSandwich", "jsonlite"),
    "Per case, what `synthesize` reports: rma.uni (predict, confint Q-profile, weights), the model under every tau^2 method, one moderator at a time with subgroups, regtest/ranktest/trimfill/fsn/leave1out/influence, and for several effects per study rma.mv(random = ~ 1 | study_id/es_id) with per-level I^2, clubSandwich CR2 coef_test/conf_int, the multilevel Egger test and leave-one-study-out. Conventions in the script header."),
  cases = cases
)
writeLines(to_json(out), "test/reference/fixtures/synthesis.json")
