# Golden values for the three-level model (src/stats/meta-analysis/three-level.ts) and its CR2
# cluster-robust inference (src/stats/meta-analysis/cr2.ts).
#
# Run from the repository root:   Rscript test/reference/three-level.R
# Writes:                          test/reference/fixtures/three-level.json
#
# Datasets (metadat): dat.konstantopoulos2011 (56 schools in 11 districts; study = district) and
# dat.assink2016 (100 effects in 17 studies). Per dataset: the data, then fits of
# rma.mv(yi, vi, [mods], random = ~ 1 | study/es, method, test) for REML/ML, z/t, without and with
# a moderator (year; and the standard error sqrt(vi), the multilevel Egger test), each with
# predict() (intercept-only), logLik(), QE, I² by level (Cheung 2014: s² = (k − p)/tr(P₀)) and
# clubSandwich::coef_test(vcov = "CR2", cluster = study, test = "Satterthwaite") + conf_int().

suppressPackageStartupMessages({ library(metafor); library(clubSandwich) })

# rma.mv's default optimiser (nlminb) stops before the optimum at 1e-6 relative in some fits
# (dat.konstantopoulos2011, mods = ~ year: sigma2[2] 0.03265023768 at logLik -7.24046677679890,
# where 0.03265019545 reaches -7.24046677678637), so every rma.mv fit here is refined with BFGS.
tight <- list(optimizer = "optim", optmethod = "BFGS", reltol = 1e-15)
source("test/reference/json-writer.R")

fit_of <- function(d, mods, method, test) {
  f <- if (is.null(mods)) rma.mv(yi, vi, random = ~ 1 | study/es, data = d, method = method, test = test, control = tight)
       else rma.mv(yi, vi, mods = mods, random = ~ 1 | study/es, data = d, method = method, test = test, control = tight)
  W <- diag(1 / d$vi)
  X <- model.matrix(f)
  P <- W - W %*% X %*% solve(t(X) %*% W %*% X) %*% t(X) %*% W
  s2 <- (f$k - f$p) / sum(diag(P))
  rob <- coef_test(f, vcov = "CR2", cluster = d$study, test = "Satterthwaite")
  rci <- conf_int(f, vcov = "CR2", cluster = d$study)
  pr <- if (is.null(mods)) predict(f) else NULL
  list(method = method, test = test, mods = if (is.null(mods)) "none" else deparse(mods),
       estimate = vec(f$b), se = vec(f$se), statistic = vec(f$zval), p = vec(f$pval),
       ciLb = vec(f$ci.lb), ciUb = vec(f$ci.ub), vcov = vec(f$vb), sigma2 = vec(f$sigma2),
       logLik = as.numeric(logLik(f)), QE = f$QE, QEp = f$QEp,
       I2 = vec(100 * f$sigma2 / (sum(f$sigma2) + s2)),
       pi = if (is.null(pr)) NULL else vec(c(pr$pi.lb, pr$pi.ub)),
       cr2 = list(se = vec(rob$SE), statistic = vec(rob$tstat), df = vec(rob$df_Satt), p = vec(rob$p_Satt),
                  ciLb = vec(rci$CI_L), ciUb = vec(rci$CI_U), vcov = vec(as.matrix(vcovCR(f, cluster = d$study, type = "CR2")))))
}

dataset_of <- function(d, moderator) {
  list(study = as.character(d$study), yi = vec(d$yi), vi = vec(d$vi), moderator = vec(d[[moderator]]),
       fits = list(fit_of(d, NULL, "REML", "z"), fit_of(d, NULL, "REML", "t"), fit_of(d, NULL, "ML", "z"),
                   fit_of(d, as.formula(paste("~", moderator)), "REML", "z"),
                   fit_of(d, as.formula(paste("~", moderator)), "ML", "t"),
                   fit_of(d, ~ sqrt(vi), "REML", "z")))
}

k2011 <- dat.konstantopoulos2011
k2011$study <- k2011$district
k2011$es <- k2011$school
assink <- dat.assink2016
assink$es <- assink$esid

out <- list(
  provenance = provenance_of("test/reference/three-level.R", c("metafor", "metadat", "clubSandwich", "jsonlite"),
    "Per dataset: study labels, yi, vi, the moderator column, and fits[]: rma.mv(random = ~ 1 | study/es) per (mods, method, test) with coefficients, vcov (column-major), sigma2 [study, es], logLik, QE, I2 by level, predict() PI (intercept-only fits), and clubSandwich CR2 coef_test/conf_int/vcovCR. mods '~sqrt(vi)' is the multilevel Egger test."),
  datasets = list(konstantopoulos2011 = dataset_of(k2011, "year"), assink2016 = dataset_of(assink, "year"))
)
writeLines(to_json(out), "test/reference/fixtures/three-level.json")
