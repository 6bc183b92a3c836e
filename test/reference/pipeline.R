# Independent R reference for the primary alliance-outcome pipeline on the bundled example study.
#
# Recomputes, from the raw CSVs and with R's own functions, every number the acceptance criteria
# compare: the primary Pearson r (cor.test), Spearman rho, partial r (psych::partial.r +
# psych::corr.p), the residualized-gain r, the by-rater and by-subscale r, per-site r, and the
# random-effects pooling of sites (metafor::escalc "ZCOR" + rma.uni REML with z and Knapp-Hartung,
# predict() for the prediction interval, confint() for the Q-profile tau^2 / I^2 / H^2 intervals).
#
# Run from the project root:   Rscript test/reference/pipeline.R
# Writes test/reference/fixtures/pipeline-example.json (through the shared full-precision writer,
# test/reference/json-writer.R: numbers at %.17g, NA as null). The test suite reads that JSON; it
# does not need R.
suppressPackageStartupMessages({
  library(metafor)
  library(psych)
})

study_dir <- "examples/example-study"
out_file <- "test/reference/fixtures/pipeline-example.json"

clients <- read.csv(file.path(study_dir, "clients.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
sessions <- read.csv(file.path(study_dir, "sessions.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)

# Early alliance: mean of the non-missing ratings in sessions 1-3, per client, for each column.
early_mean <- function(column) {
  s <- sessions[sessions$session >= 1 & sessions$session <= 3 & !is.na(sessions[[column]]), ]
  # Rounded to 12 significant digits, as the pipeline does, so that equal means tie exactly
  # whatever the summation order (this matters for Spearman's ranks, not for Pearson's r).
  m <- signif(tapply(s[[column]], s$client_id, mean), 12)
  unname(m[clients$client_id]) # NA for clients without any rating in the window
}
clients$early <- early_mean("alliance")
clients$improvement <- clients$baseline - clients$outcome # PHQ-9: lower is better

ok <- !is.na(clients$early) & !is.na(clients$baseline) & !is.na(clients$outcome)
d <- clients[ok, ]
n <- nrow(d)

ct <- cor.test(d$early, d$improvement)
sp <- suppressWarnings(cor.test(d$early, d$improvement, method = "spearman", exact = FALSE))
pr_matrix <- matrix(as.numeric(psych::partial.r(d[, c("early", "outcome", "baseline")], c(1, 2), 3)), 2, 2)
pr <- pr_matrix[1, 2]
pr_test <- psych::corr.p(pr_matrix, n = n - 1) # one variable partialled out: n - 1
pr_test$t <- pr_test$t[1, 2]
pr_test$p <- pr_test$p[1, 2]
resid_gain <- -resid(lm(outcome ~ baseline, data = d))
rg <- cor.test(d$early, resid_gain)

by_column <- function(column) {
  e <- early_mean(column)
  keep <- !is.na(e) & !is.na(clients$improvement)
  t <- cor.test(e[keep], clients$improvement[keep])
  list(column = column, n = sum(keep), r = t$estimate[[1]], ci = as.numeric(t$conf.int), t = t$statistic[[1]], p = t$p.value)
}
columns <- intersect(c("alliance_therapist", "alliance_goal", "alliance_task", "alliance_bond"), names(sessions))

# Sites: per-site r on the analysed clients, pooled on Fisher z.
site_ids <- sort(unique(clients$site_id)) # sorted, as the pipeline reports them
per_site <- lapply(site_ids, function(s) {
  x <- d[d$site_id == s, ]
  t <- cor.test(x$early, x$improvement)
  list(site = s, n = nrow(x), r = t$estimate[[1]], ci = as.numeric(t$conf.int))
})
site_r <- sapply(per_site, function(s) s$r)
site_n <- sapply(per_site, function(s) s$n)
es <- escalc(measure = "ZCOR", ri = site_r, ni = site_n)

pool <- function(test) {
  fit <- rma.uni(yi, vi, data = es, method = "REML", test = test)
  pred <- predict(fit)
  ci <- confint(fit, control = list(tol = 1e-13)) # exact Q-profile roots (the default stops at ~1e-4)
  list(
    call = sprintf('metafor::rma.uni(yi, vi, data = escalc("ZCOR", ri, ni), method = "REML", test = "%s")', test),
    z_estimate = fit$b[[1]], z_se = fit$se, z_ci = c(fit$ci.lb, fit$ci.ub), z_pi = c(pred$pi.lb, pred$pi.ub),
    r_estimate = tanh(fit$b[[1]]), r_ci = tanh(c(fit$ci.lb, fit$ci.ub)), r_pi = tanh(c(pred$pi.lb, pred$pi.ub)),
    statistic = fit$zval, p = fit$pval, tau2 = fit$tau2, tau2_se = fit$se.tau2,
    i2 = fit$I2, h2 = fit$H2, q = fit$QE, q_p = fit$QEp, k = fit$k,
    tau2_ci = ci$random["tau^2", c("ci.lb", "ci.ub")], i2_ci = ci$random["I^2(%)", c("ci.lb", "ci.ub")],
    weights = as.numeric(weights(fit))
  )
}

# ---- write (full-precision JSON via the shared writer; see json-writer.R) -----------------------

source("test/reference/json-writer.R") # root-relative, like study_dir and out_file above

# Every vector that is an array in the JSON goes through vec(), so it stays an array even at length 1.
pooled_json <- function(p) {
  list(call = p$call, z_estimate = p$z_estimate, z_se = p$z_se, z_ci = vec(p$z_ci), z_pi = vec(p$z_pi),
       r_estimate = p$r_estimate, r_ci = vec(p$r_ci), r_pi = vec(p$r_pi), statistic = p$statistic, p = p$p,
       tau2 = p$tau2, tau2_se = p$tau2_se, i2 = p$i2, h2 = p$h2, q = p$q, q_p = p$q_p,
       k = p$k, tau2_ci = vec(unlist(p$tau2_ci)), i2_ci = vec(unlist(p$i2_ci)), weights = vec(p$weights))
}

fixture <- list(
  provenance = list(
    script = "test/reference/pipeline.R",
    data = study_dir,
    clients_md5 = unname(tools::md5sum(file.path(study_dir, "clients.csv"))),
    sessions_md5 = unname(tools::md5sum(file.path(study_dir, "sessions.csv"))),
    r_version = R.version.string,
    metafor = as.character(packageVersion("metafor")),
    psych = as.character(packageVersion("psych")),
    calls = "cor.test(early, improvement); cor.test(..., method = 'spearman', exact = FALSE); psych::partial.r + psych::corr.p(r, n - 1); cor.test(early, -resid(lm(outcome ~ baseline))); metafor::escalc('ZCOR') + rma.uni(method = 'REML') + predict + confint"
  ),
  n_clients = nrow(clients),
  n_analysed = n,
  pearson = list(r = ct$estimate[[1]], ci = vec(ct$conf.int), t = ct$statistic[[1]], df = ct$parameter[[1]], p = ct$p.value),
  spearman = list(rho = sp$estimate[[1]], S = sp$statistic[[1]], p = sp$p.value),
  partial = list(r = pr, t = pr_test$t[[1]], p = pr_test$p[[1]], ci = vec(c(pr_test$ci$lower, pr_test$ci$upper))),
  residualized_gain = list(r = rg$estimate[[1]], ci = vec(rg$conf.int), t = rg$statistic[[1]], p = rg$p.value),
  by_column = unname(lapply(columns, function(cn) {
    b <- by_column(cn)
    list(column = b$column, n = b$n, r = b$r, ci = vec(b$ci), t = b$t, p = b$p)
  })),
  per_site = lapply(per_site, function(s) list(site = s$site, n = s$n, r = s$r, ci = vec(s$ci))),
  pooled_z = pooled_json(pool("z")),
  pooled_knha = pooled_json(pool("knha"))
)
write_json_fixture(fixture, out_file)
