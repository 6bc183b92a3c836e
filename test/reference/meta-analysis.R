# Golden values for src/stats/meta-analysis/ (escalc ZCOR, rma.uni, predict, confint, weights).
#
# Run from the repository root:   Rscript test/reference/meta-analysis.R
# Writes:                          test/reference/fixtures/meta-analysis.json
#
# The JSON is written by test/reference/json-writer.R (shared by all the scripts here): every
# number at sprintf("%.17g") (jsonlite caps at 15 significant digits), so the TypeScript tests can
# compare at 1e-10 and better; NA/NaN as null, +/-Inf as the strings "Infinity" / "-Infinity".
#
# Datasets (all deterministic):
#   sites8          8 simulated sites of correlations, n 20-400 (the primary pipeline's use case)
#   homogeneous     REML tau^2 = 0 at the boundary; Q-profile lower bound truncated at 0
#   null-set        Q below the lower chi-squared quantile: the whole tau^2 CI lies below 0
#   identical       all yi equal: Q = 0, tau^2 = 0, Knapp-Hartung factor 0
#   heterogeneous   12 sites, large between-site spread
#   k2, k2-wide     two sites (k2-wide: the Q-profile upper bound is beyond the search limit)
#   k3              three sites
#   wide-scale      tau^2 far above 10, so the confint search limit is 10 * tau^2
#   bcg             dat.bcg, log risk ratios via escalc("RR")
#   molloy2014      dat.molloy2014, correlations via escalc("ZCOR")
#   mcdaniel1994    dat.mcdaniel1994 (160 validity coefficients of employment interviews), via
#                   escalc("ZCOR")

suppressPackageStartupMessages(library(metafor))

# ---- JSON writer with full precision (shared; see json-writer.R) -------------------------------

source("test/reference/json-writer.R") # root-relative, like the fixture path below

# ---- datasets --------------------------------------------------------------------------------

set.seed(20240611)
simulate_r <- function(n, rho) {
  x <- rnorm(n)
  y <- rho * x + sqrt(1 - rho^2) * rnorm(n)
  cor(x, y)
}
simulate_sites <- function(k, nmin, nmax, mu, tau) {
  n <- sample(nmin:nmax, k, replace = TRUE)
  rho <- tanh(rnorm(k, atanh(mu), tau))
  r <- mapply(simulate_r, n, rho)
  list(r = r, n = n)
}

zcor <- function(r, n) {
  es <- escalc(measure = "ZCOR", ri = r, ni = n)
  list(kind = "ZCOR", r = vec(r), n = vec(n), yi = vec(es$yi), vi = vec(es$vi),
       escalc = "metafor::escalc(measure = \"ZCOR\", ri = r, ni = n)")
}

datasets <- list()
datasets[["sites8"]] <- do.call(zcor, simulate_sites(8, 20, 400, 0.28, 0.12))

# homogeneous: keep drawing until REML tau^2 = 0 and Q lies between the chi-squared quantiles
repeat {
  s <- simulate_sites(10, 50, 300, 0.25, 0)
  d <- zcor(s$r, s$n)
  fit <- rma(d$yi, d$vi, method = "REML")
  if (fit$tau2 == 0 && fit$QE > qchisq(0.025, 9) && fit$QE < 8) break
}
datasets[["homogeneous"]] <- d

repeat {
  s <- simulate_sites(10, 50, 300, 0.25, 0)
  d <- zcor(s$r, s$n)
  fit <- rma(d$yi, d$vi, method = "REML")
  if (fit$QE < qchisq(0.025, 9)) break
}
datasets[["null-set"]] <- d

datasets[["identical"]] <- list(kind = "generic", yi = vec(rep(0.3, 5)), vi = vec(c(0.01, 0.02, 0.005, 0.04, 0.0125)))
datasets[["heterogeneous"]] <- do.call(zcor, simulate_sites(12, 100, 500, 0.3, 0.4))
datasets[["k2"]] <- do.call(zcor, simulate_sites(2, 20, 400, 0.28, 0.15))
datasets[["k2-wide"]] <- zcor(c(-0.2, 0.5), c(150, 220))
datasets[["k3"]] <- do.call(zcor, simulate_sites(3, 20, 400, 0.28, 0.15))
datasets[["wide-scale"]] <- list(kind = "generic", yi = vec(c(-10, 0, 5, 12, 3)), vi = vec(c(1, 2, 0.5, 1.5, 1)))

bcg <- escalc(measure = "RR", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)
datasets[["bcg"]] <- list(kind = "RR", yi = vec(bcg$yi), vi = vec(bcg$vi),
                          escalc = "metafor::escalc(measure = \"RR\", ai = tpos, bi = tneg, ci = cpos, di = cneg, data = dat.bcg)")
datasets[["molloy2014"]] <- zcor(dat.molloy2014$ri, dat.molloy2014$ni)
datasets[["mcdaniel1994"]] <- zcor(dat.mcdaniel1994$ri, dat.mcdaniel1994$ni)

# ---- fits ------------------------------------------------------------------------------------

iterations_of <- function(yi, vi, method) {
  if (method == "PM") return(NA) # uniroot's iterations are not reported
  if (!is.element(method, c("ML", "REML", "EB"))) return(0)
  out <- capture.output(rma(yi, vi, method = method, verbose = TRUE))
  line <- grep("converged after", out, value = TRUE)
  as.numeric(sub(".*converged after ([0-9]+) iterations.*", "\\1", line))
}

qprofile <- function(fit, tol) {
  ci <- if (is.null(tol)) confint(fit) else confint(fit, control = list(tol = tol))
  rnd <- ci$random
  list(
    call = if (is.null(tol)) "confint(fit)" else sprintf("confint(fit, control = list(tol = %g))", tol),
    tau2 = vec(rnd["tau^2", ]), tau = vec(rnd["tau", ]), I2 = vec(rnd["I^2(%)", ]), H2 = vec(rnd["H^2", ]),
    ciNull = ci$ci.null, lbSign = ci$lb.sign, ubSign = ci$ub.sign, tau2Min = ci$tau2.min,
    tau2Max = max(100, 10 * fit$tau2)
  )
}

fit_one <- function(yi, vi, method, test) {
  fit <- suppressWarnings(rma(yi, vi, method = method, test = test))
  pred <- predict(fit)
  out <- list(
    call = sprintf("metafor::rma.uni(yi, vi, method = \"%s\", test = \"%s\")", method, test),
    method = method, test = test, k = fit$k,
    estimate = as.numeric(fit$beta), se = fit$se, statistic = fit$zval, p = fit$pval,
    ciLb = fit$ci.lb, ciUb = fit$ci.ub, df = if (test == "z") NA else fit$ddf,
    tau2 = fit$tau2, tau2Se = fit$se.tau2, I2 = fit$I2, H2 = fit$H2, vt = fit$vt,
    QE = fit$QE, QEp = fit$QEp, s2w = fit$s2w,
    piLb = pred$pi.lb, piUb = pred$pi.ub,
    weights = vec(weights(fit)),
    iterations = iterations_of(yi, vi, method)
  )
  if (method != "EE") {
    out$confint <- qprofile(fit, NULL)
    out$confintTight <- qprofile(fit, 1e-13)
  }
  out
}

combos <- list(c("REML", "z"), c("REML", "knha"), c("ML", "z"), c("ML", "knha"),
               c("DL", "z"), c("DL", "knha"), c("HE", "z"), c("HS", "z"), c("SJ", "z"), c("SJ", "knha"),
               c("PM", "z"), c("PM", "knha"), c("EB", "z"), c("EE", "z"))

for (name in names(datasets)) {
  d <- datasets[[name]]
  d$fits <- lapply(combos, function(cm) fit_one(d$yi, d$vi, cm[1], cm[2]))
  datasets[[name]] <- d
}

# ---- other confidence levels and the back-transformation to r ----------------------------------

level_case <- function(name, method, test, level) {
  d <- datasets[[name]]
  fit <- rma(d$yi, d$vi, method = method, test = test, level = level)
  pred <- predict(fit)
  ci <- confint(fit, control = list(tol = 1e-13))$random
  list(dataset = name, method = method, test = test, level = level / 100,
       call = sprintf("metafor::rma.uni(yi, vi, method = \"%s\", test = \"%s\", level = %g)", method, test, level),
       estimate = as.numeric(fit$beta), se = fit$se, p = fit$pval, ciLb = fit$ci.lb, ciUb = fit$ci.ub,
       piLb = pred$pi.lb, piUb = pred$pi.ub, tau2 = fit$tau2,
       tau2Ci = vec(ci["tau^2", 2:3]), I2Ci = vec(ci["I^2(%)", 2:3]), H2Ci = vec(ci["H^2", 2:3]))
}
levels <- list(level_case("sites8", "REML", "z", 90), level_case("sites8", "REML", "knha", 80),
               level_case("bcg", "REML", "z", 99), level_case("molloy2014", "DL", "knha", 90))

back_case <- function(name, test) {
  d <- datasets[[name]]
  fit <- rma(d$yi, d$vi, method = "REML", test = test)
  pred <- predict(fit, transf = transf.ztor)
  list(dataset = name, test = test,
       call = sprintf("predict(metafor::rma.uni(yi, vi, test = \"%s\"), transf = transf.ztor)", test),
       estimate = pred$pred, ciLb = pred$ci.lb, ciUb = pred$ci.ub, piLb = pred$pi.lb, piUb = pred$pi.ub)
}
backTransform <- list(back_case("sites8", "z"), back_case("sites8", "knha"), back_case("molloy2014", "z"),
                      back_case("heterogeneous", "knha"))

# ---- non-convergence: Fisher scoring capped at 2 iterations -----------------------------------

nc <- datasets[["k3"]]
nc_fit <- try(rma(nc$yi, nc$vi, method = "REML", control = list(maxiter = 3)), silent = TRUE)
nonconvergence <- list(
  dataset = "k3",
  call = "metafor::rma.uni(yi, vi, method = \"REML\", control = list(maxiter = 3))",
  errored = inherits(nc_fit, "try-error"),
  message = if (inherits(nc_fit, "try-error")) trimws(as.character(nc_fit)) else NA_character_
)

fixture <- list(
  provenance = list(
    script = "test/reference/meta-analysis.R",
    R = R.version.string,
    packages = list(metafor = as.character(packageVersion("metafor")),
                    metadat = as.character(packageVersion("metadat")),
                    jsonlite = as.character(packageVersion("jsonlite"))),
    note = paste(
      "Per dataset, fits[] holds rma.uni for each (method, test) with predict() (pi), weights() and,",
      "for random-effects fits, confint() Q-profile triplets [estimate, ci.lb, ci.ub]:",
      "confint = metafor defaults (uniroot tol = .Machine$double.eps^0.25);",
      "confintTight = control = list(tol = 1e-13); tau2Max is the search limit max(100, 10 * tau2).",
      "iterations = Fisher scoring iterations reported by rma(..., verbose = TRUE) (ML, REML, EB),",
      "0 for closed-form methods, NA for PM (uniroot's count is not reported).",
      "NA is written as null, +/-Inf as \"Infinity\"/\"-Infinity\"; numbers at %.17g.")
  ),
  datasets = datasets,
  levels = levels,
  backTransform = backTransform,
  nonconvergence = nonconvergence
)

write_json_fixture(fixture, "test/reference/fixtures/meta-analysis.json")
