# Golden values for src/stats/meta-analysis/rma-reg.ts (meta-regression: rma.uni with mods).
#
# Run from the repository root:   Rscript test/reference/meta-regression.R
# Writes:                          test/reference/fixtures/meta-regression.json
#
# Models (public datasets from metadat, as metafor ships them):
#   mcdaniel-type     dat.mcdaniel1994, Fisher z of r, ~ factor(type) (3 interview types: a
#                     subgroup analysis; QM is the between-groups test)
#   mcdaniel-struct   dat.mcdaniel1994, ~ struct (structured or not)
#   bcg-ablat         dat.bcg, log risk ratios, ~ ablat (absolute latitude, continuous)
#   bcg-ablat-year    dat.bcg, ~ ablat + year (two continuous moderators; btt tests both)
#   bcg-alloc         dat.bcg, ~ factor(alloc) (3 allocation methods)
# (dat.mcdaniel1994 lacks struct for some studies: those are left out of mcdaniel-struct.)
# Each with every tau^2 method and both tests (z, knha). The design matrix X is written as
# model.matrix gives it, so the TypeScript tests use the same columns.

suppressPackageStartupMessages(library(metafor))
source("test/reference/json-writer.R")

mc <- escalc(measure = "ZCOR", ri = ri, ni = ni, data = dat.mcdaniel1994)
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)

models <- list(
  list(name = "mcdaniel-type", data = mc, mods = ~ factor(type)),
  list(name = "mcdaniel-struct", data = mc, mods = ~ struct),
  list(name = "bcg-ablat", data = bcg, mods = ~ ablat),
  list(name = "bcg-ablat-year", data = bcg, mods = ~ ablat + year),
  list(name = "bcg-alloc", data = bcg, mods = ~ factor(alloc))
)
methods <- c("REML", "ML", "DL", "HE", "HS", "SJ", "PM", "EB", "EE")

fit_one <- function(m, method, test) {
  fit <- suppressWarnings(rma(yi, vi, mods = m$mods, data = m$data, method = method, test = test))
  list(
    method = method, test = test,
    call = sprintf("metafor::rma.uni(yi, vi, mods = %s, data = %s, method = \"%s\", test = \"%s\")",
                   deparse(m$mods), m$name, method, test),
    estimate = vec(as.numeric(fit$beta)), se = vec(fit$se), statistic = vec(fit$zval), p = vec(fit$pval),
    ciLb = vec(fit$ci.lb), ciUb = vec(fit$ci.ub),
    vcov = vec(as.numeric(t(vcov(fit)))),
    df = if (test == "z") NA else fit$ddf,
    QM = fit$QM, QMdf = vec(fit$QMdf), QMp = fit$QMp,
    tau2 = fit$tau2, tau2Se = fit$se.tau2,
    QE = fit$QE, QEp = fit$QEp, I2 = fit$I2, H2 = fit$H2,
    R2 = if (is.null(fit$R2)) NA else fit$R2,
    s2w = fit$s2w
  )
}

# studies with a missing moderator are left out, as rma.uni leaves them out
models <- lapply(models, function(m) {
  keep <- complete.cases(model.frame(m$mods, data = m$data, na.action = na.pass))
  m$data <- m$data[keep, ]
  m
})

out <- lapply(models, function(m) {
  X <- model.matrix(m$mods, data = m$data)
  list(
    name = m$name, mods = deparse(m$mods), columns = colnames(X),
    yi = vec(as.numeric(m$data$yi)), vi = vec(as.numeric(m$data$vi)),
    X = lapply(seq_len(nrow(X)), function(i) vec(as.numeric(X[i, ]))),
    fits = unlist(lapply(methods, function(method) lapply(c("z", "knha"), function(test) fit_one(m, method, test))),
                  recursive = FALSE)
  )
})

fixture <- list(
  provenance = provenance_of("test/reference/meta-regression.R", c("metafor", "metadat", "jsonlite"),
    paste(
      "Per model: the design matrix X (model.matrix rows), yi, vi, and for every method and test",
      "rma.uni's coefficients, vcov (row-major), QM (F-scaled for knha), QE, I2, H2, R2 (NA for EE) and s2w.",
      "NA is written as null; numbers at %.17g.")),
  models = out
)

write_json_fixture(fixture, "test/reference/fixtures/meta-regression.json")
