# Golden values for the small-study and sensitivity analyses in src/stats/meta-analysis/:
# regtest.ts, fail-safe-n.ts, leave-one-out.ts (and, as they land, ranktest and trimfill).
#
# Run from the repository root:   Rscript test/reference/small-study.R
# Writes:                          test/reference/fixtures/small-study.json
#
# Datasets: dat.molloy2014 and dat.mcdaniel1994 (correlations, Fisher z via escalc "ZCOR"),
# dat.bcg (log risk ratios), and a five-study toy set.

suppressPackageStartupMessages(library(metafor))
source("test/reference/json-writer.R")

zcor <- function(d) escalc(measure = "ZCOR", ri = ri, ni = ni, data = d)
bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
datasets <- list(
  molloy2014 = zcor(dat.molloy2014),
  mcdaniel1994 = zcor(dat.mcdaniel1994),
  bcg = bcg,
  toy = data.frame(yi = c(0.1, 0.3, 0.5, 0.2, 0.4), vi = c(0.01, 0.02, 0.015, 0.01, 0.04))
)

regtests <- function(d) {
  one <- function(model, method, test) {
    fit <- rma(yi, vi, data = d, method = method, test = test)
    rt <- if (model == "lm") regtest(fit, model = "lm") else regtest(fit)
    list(model = model, method = method, test = test,
         call = if (model == "lm") "regtest(fit, model = \"lm\")" else sprintf("regtest(rma(yi, vi, method = \"%s\", test = \"%s\"))", method, test),
         zval = rt$zval, pval = rt$pval, df = if (is.null(rt$ddf) || is.na(rt$ddf)) NA else rt$ddf,
         est = rt$est, ciLb = rt$ci.lb, ciUb = rt$ci.ub)
  }
  list(one("rma", "REML", "z"), one("rma", "REML", "knha"), one("rma", "DL", "z"), one("rma", "PM", "z"), one("lm", "REML", "z"))
}

failsafe <- function(d) lapply(c("Rosenthal", "Orwin", "Rosenberg"), function(type) {
  f <- fsn(yi, vi, data = d, type = type)
  list(type = type, call = sprintf("fsn(yi, vi, type = \"%s\")", type), fsnum = f$fsnum,
       pval = if (is.null(f$pval)) NA else f$pval, target = if (is.null(f$target) || is.na(f$target)) NA else f$target)
})

leave1 <- function(d) lapply(list(c("REML", "z"), c("DL", "knha")), function(mt) {
  l <- leave1out(rma(yi, vi, data = d, method = mt[1], test = mt[2]))
  list(method = mt[1], test = mt[2], call = sprintf("leave1out(rma(yi, vi, method = \"%s\", test = \"%s\"))", mt[1], mt[2]),
       estimate = vec(l$estimate), se = vec(l$se), zval = vec(if (is.null(l$zval)) l$tval else l$zval), pval = vec(l$pval),
       ciLb = vec(l$ci.lb), ciUb = vec(l$ci.ub), Q = vec(l$Q), Qp = vec(l$Qp),
       tau2 = vec(l$tau2), I2 = vec(l$I2), H2 = vec(l$H2))
})

rank1 <- function(d) {
  r <- suppressWarnings(ranktest(yi, vi, data = d))
  list(call = "ranktest(yi, vi)", tau = as.numeric(r$tau), pval = r$pval)
}

trimfills <- function(d) lapply(list(c("REML", "L0", ""), c("REML", "R0", ""), c("DL", "L0", ""), c("EE", "L0", ""),
                                      c("REML", "L0", "right"), c("REML", "L0", "left")), function(spec) {
  fit <- rma(yi, vi, data = d, method = spec[1])
  tf <- if (spec[3] == "") trimfill(fit, estimator = spec[2]) else trimfill(fit, estimator = spec[2], side = spec[3])
  filled <- tf$fill
  list(method = spec[1], estimator = spec[2], side = if (spec[3] == "") NA else spec[3],
       call = sprintf("trimfill(rma(yi, vi, method = \"%s\"), estimator = \"%s\"%s)", spec[1], spec[2],
                      if (spec[3] == "") "" else sprintf(", side = \"%s\"", spec[3])),
       k0 = tf$k0, se.k0 = tf$se.k0, p.k0 = if (is.null(tf$p.k0)) NA else tf$p.k0, sideUsed = tf$side,
       filledYi = vec(as.numeric(tf$yi[filled])), filledVi = vec(as.numeric(tf$vi[filled])),
       estimate = as.numeric(tf$beta), se = tf$se, ciLb = tf$ci.lb, ciUb = tf$ci.ub, tau2 = tf$tau2, k = tf$k)
})

influences <- function(d) lapply(list(c("REML", "z"), c("DL", "knha")), function(mt) {
  inf <- influence(rma(yi, vi, data = d, method = mt[1], test = mt[2]))
  list(method = mt[1], test = mt[2], call = sprintf("influence(rma(yi, vi, method = \"%s\", test = \"%s\"))", mt[1], mt[2]),
       rstudent = vec(inf$inf$rstudent), dffits = vec(inf$inf$dffits), cookD = vec(inf$inf$cook.d),
       covRatio = vec(inf$inf$cov.r), tau2Del = vec(inf$inf$tau2.del), QEdel = vec(inf$inf$QE.del),
       hat = vec(inf$inf$hat), weight = vec(inf$inf$weight), dfbetas = vec(inf$dfbs$intrcpt),
       influential = vec(as.numeric(inf$is.infl)))
})

out <- lapply(names(datasets), function(name) {
  d <- datasets[[name]]
  list(name = name, yi = vec(as.numeric(d$yi)), vi = vec(as.numeric(d$vi)),
       regtest = regtests(d), fsn = failsafe(d), leave1out = leave1(d), ranktest = rank1(d),
       trimfill = trimfills(d), influence = influences(d))
})
names(out) <- names(datasets)

# Kendall's test as cor.test runs it: exact without ties (p not so small that R's 1 - P(T <= q - 1)
# loses it), and the normal approximation with ties
set.seed(20261122)
kendall <- lapply(list(c(10, 0), c(30, 0), c(60, 0), c(40, 1), c(25, 2)), function(spec) {
  n <- spec[1]
  x <- rnorm(n)
  y <- 0.5 * x + rnorm(n)
  if (spec[2] >= 1) x <- round(x, 1)       # ties in x
  if (spec[2] >= 2) y <- round(y)          # and in y
  exact <- spec[2] == 0
  r <- cor.test(x, y, method = "kendall", exact = exact)
  list(call = sprintf("cor.test(x, y, method = \"kendall\", exact = %s)", exact), exact = exact,
       x = vec(x), y = vec(y), tau = as.numeric(r$estimate), statistic = as.numeric(r$statistic), pval = r$p.value)
})

fixture <- list(
  provenance = provenance_of("test/reference/small-study.R", c("metafor", "metadat", "jsonlite"),
    "regtest (predictor sei), fsn (alpha .05), leave1out per dataset. NA as null; numbers at %.17g."),
  datasets = out,
  kendall = kendall
)
write_json_fixture(fixture, "test/reference/fixtures/small-study.json")
