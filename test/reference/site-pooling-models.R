# Independent R reference for the multilevel and common-factor parts of two-stage pooling across
# sites (issue 10) on the bundled example study, split by site_id as each site would hold it.
#
# Run from the project root:   Rscript test/reference/site-pooling-models.R
# Writes test/reference/fixtures/site-pooling-models.json (full precision, json-writer.R).
#
# Everything is recomputed from the raw CSVs here, site by site:
#   early alliance  mean of the non-missing client-rated alliance in sessions 1-3
#   improvement     baseline - outcome (PHQ-9: lower is better)
#   within/between  session t with alliance and symptom and session t + 1 of the same client with
#                   symptom; client mean of alliance over these pairs and the deviation from it;
#                   symptom_next ~ symptom + mean + within + (1 | therapist_id/client_id) (the
#                   example's within_between_therapist_intercept is true), lme4 + lmerTest
#   decomposition   analysed clients (early alliance, baseline, outcome); therapist mean of early
#                   alliance over the site's analysed clients and each client's deviation;
#                   improvement ~ baseline + mean + deviation + (1 | therapist_id)
#   ICC             clients with improvement; improvement ~ 1 + (1 | therapist_id) and
#                   improvement ~ baseline + (1 | therapist_id), with the profile interval
#                   (icc-functions.R)
#   common factors  clients with improvement, baseline, expectancy, early alliance, empathy,
#                   positive_regard and congruence; cor(factor, improvement) per site
# Stage 2, over the 8 sites: metafor::rma(yi, sei = se, method = "REML", test = "knha") for each
# coefficient; rma(atanh(r), 1 / (n - 3), method = "REML", test = "knha") for each factor's r;
# and lm(improvement ~ baseline + expectancy + early + empathy + positive_regard + congruence) on
# every site's complete cases: the one-stage regression the summed cross-products must reproduce.

suppressPackageStartupMessages({ library(lme4); library(lmerTest); library(metafor) })
source("test/reference/json-writer.R")
source("test/reference/icc-functions.R")
source("test/reference/example-data.R")

coefficient <- function(m, term) {
  co <- summary(m)$coefficients
  list(estimate = co[term, "Estimate"], se = co[term, "Std. Error"], df = co[term, "df"])
}

pairs <- session_pairs()

factors <- c("baseline", "expectancy", "early", "empathy", "positive_regard", "congruence")
complete <- clients[!is.na(clients$improvement) & complete.cases(clients[, factors]), ]

sites <- sort(unique(clients$site_id))
per_site <- lapply(sites, function(site) {
  p <- pairs[pairs$site_id == site, ]
  wb <- fit(symptom_next ~ symptom + alliance_client_mean + alliance_within + (1 | therapist_id/client_id), p)
  d <- clients[clients$site_id == site & !is.na(clients$early) & !is.na(clients$baseline) & !is.na(clients$outcome), ]
  d$alliance_therapist_mean <- ave(d$early, d$therapist_id)
  d$alliance_client_deviation <- d$early - d$alliance_therapist_mean
  dec <- fit(improvement ~ baseline + alliance_therapist_mean + alliance_client_deviation + (1 | therapist_id), d)
  icc_data <- clients[clients$site_id == site & !is.na(clients$improvement), ]
  icc <- function(formula) {
    r <- icc_profile(formula, icc_data, control)
    vc <- as.data.frame(VarCorr(r$model))
    list(n = nobs(r$model), therapists = length(unique(icc_data$therapist_id)), therapist_variance = vc$vcov[1],
         residual_variance = vc$vcov[2], icc = r$icc, icc_ci = vec(r$icc_ci))
  }
  cf <- complete[complete$site_id == site, ]
  list(
    site = site,
    within_between = list(n = nrow(p), clients = length(unique(p$client_id)), therapists = length(unique(p$therapist_id)),
                          within = coefficient(wb, "alliance_within"), between = coefficient(wb, "alliance_client_mean")),
    decomposition = list(n = nrow(d), therapists = length(unique(d$therapist_id)),
                         within = coefficient(dec, "alliance_client_deviation"), between = coefficient(dec, "alliance_therapist_mean")),
    unadjusted = icc(improvement ~ 1 + (1 | therapist_id)),
    adjusted = icc(improvement ~ baseline + (1 | therapist_id)),
    common_factors = list(n = nrow(cf), r = vec(sapply(factors, function(f) cor(cf[[f]], cf$improvement))))
  )
})

pool <- function(yi, vi) {
  m <- rma(yi = yi, vi = vi, method = "REML", test = "knha")
  pr <- predict(m)
  list(estimate = as.numeric(m$beta), se = m$se, ci = vec(c(m$ci.lb, m$ci.ub)), pi = vec(c(pr$pi.lb, pr$pi.ub)),
       tau2 = m$tau2, i2 = m$I2, q = m$QE, statistic = m$zval, p = m$pval, weights = vec(weights(m)))
}
coef_pool <- function(part, term) {
  est <- sapply(per_site, function(x) x[[part]][[term]]$estimate)
  se <- sapply(per_site, function(x) x[[part]][[term]]$se)
  pool(est, se^2)
}
factor_pool <- lapply(seq_along(factors), function(j) {
  r <- sapply(per_site, function(x) x$common_factors$r[j])
  n <- sapply(per_site, function(x) x$common_factors$n)
  c(list(predictor = if (factors[j] == "early") "early_alliance" else factors[j]), pool(atanh(r), 1 / (n - 3)))
})

m <- lm(improvement ~ baseline + expectancy + early + empathy + positive_regard + congruence, data = complete)
co <- summary(m)$coefficients
ci <- confint(m, level = 0.95)

write_json_fixture(
  list(
    provenance = provenance_of("test/reference/site-pooling-models.R", c("lme4", "lmerTest", "metafor", "jsonlite"),
      "per site: lmer within/between, decomposition and ICC models, cor of each numeric common factor; stage 2: rma(REML, knha); one stage: lm on complete cases"),
    factors = factors,
    per_site = per_site,
    pooled = list(
      within_client = coef_pool("within_between", "within"),
      between_client = coef_pool("within_between", "between"),
      within_therapist = coef_pool("decomposition", "within"),
      between_therapist = coef_pool("decomposition", "between")
    ),
    factor_pooled = factor_pool,
    one_stage = list(
      terms = rownames(co),
      estimate = vec(co[, "Estimate"]), se = vec(co[, "Std. Error"]), statistic = vec(co[, "t value"]),
      p = vec(co[, "Pr(>|t|)"]), ci_lower = vec(ci[, 1]), ci_upper = vec(ci[, 2]),
      df = m$df.residual, sigma = summary(m)$sigma, r_squared = summary(m)$r.squared, n = nobs(m)
    )
  ),
  "test/reference/fixtures/site-pooling-models.json"
)
