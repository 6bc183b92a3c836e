# Independent R reference for two-stage pooling across sites (issue 10) on the bundled example
# study: each site's r(early alliance, improvement) with its Fisher z and variance, and the
# one-stage regression of improvement on early alliance and baseline over all sites' clients.
#
# Run from the project root:   Rscript test/reference/site-pooling-example.R
# Writes test/reference/fixtures/site-pooling-example.json (full precision, json-writer.R).
#
# Everything is recomputed from the raw CSVs here:
#   early alliance  mean of the non-missing client-rated alliance in sessions 1-3
#   improvement     baseline - outcome (PHQ-9: lower is better)
#   analysed        clients with early alliance, baseline and outcome
#   per site        cor(early, improvement); yi = atanh(r), vi = 1 / (n - 3) (metafor escalc "ZCOR")
#   one stage       lm(improvement ~ early + baseline) on every analysed client: the regression that
#                   the sites' summed cross-products must reproduce exactly

source("test/reference/json-writer.R")

study_dir <- "examples/example-study"
clients <- read.csv(file.path(study_dir, "clients.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
sessions <- read.csv(file.path(study_dir, "sessions.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)

early <- sessions[sessions$session >= 1 & sessions$session <= 3 & !is.na(sessions$alliance), ]
early_mean <- tapply(early$alliance, early$client_id, mean)
clients$early <- unname(early_mean[clients$client_id])
clients$improvement <- clients$baseline - clients$outcome
analysed <- clients[!is.na(clients$early) & !is.na(clients$baseline) & !is.na(clients$outcome), ]

sites <- sort(unique(analysed$site_id))
per_site <- lapply(sites, function(s) {
  d <- analysed[analysed$site_id == s, ]
  r <- cor(d$early, d$improvement)
  list(site = s, n = nrow(d), r = r, yi = atanh(r), vi = 1 / (nrow(d) - 3))
})

m <- lm(improvement ~ early + baseline, data = analysed)
co <- summary(m)$coefficients
ci <- confint(m, level = 0.95)
one_stage <- list(
  terms = c("intercept", "early_alliance", "baseline"),
  estimate = vec(co[, "Estimate"]), se = vec(co[, "Std. Error"]), statistic = vec(co[, "t value"]),
  p = vec(co[, "Pr(>|t|)"]), ci_lower = vec(ci[, 1]), ci_upper = vec(ci[, 2]),
  df = m$df.residual, sigma = summary(m)$sigma, r_squared = summary(m)$r.squared, n = nobs(m)
)

write_json_fixture(
  list(
    provenance = provenance_of("test/reference/site-pooling-example.R", c("jsonlite"),
      "per site: cor(early, improvement), atanh, 1/(n - 3); one stage: lm(improvement ~ early + baseline)"),
    per_site = per_site,
    one_stage = one_stage
  ),
  "test/reference/fixtures/site-pooling-example.json"
)
