# Independent R reference for the multilevel analyses of the primary pipeline (issue 5) on the
# bundled example study: therapist ICCs, the Baldwin decomposition of early alliance and the lagged
# session-level within/between model, with lme4::lmer + lmerTest.
#
# Run from the project root:   Rscript test/reference/multilevel-example.R
# Writes test/reference/fixtures/multilevel-example.json (full precision, json-writer.R).
#
# Everything is recomputed from the raw CSVs here:
#   early alliance  mean of the non-missing client-rated alliance in sessions 1-3
#   improvement     baseline - outcome (PHQ-9: lower is better)
#   ICC models      clients with baseline and outcome; improvement ~ 1 + (1 | therapist_id),
#                   improvement ~ baseline + (1 | therapist_id), improvement ~ baseline +
#                   (1 | site_id/therapist_id); ICC = therapist variance / (therapist + residual);
#                   its interval: the theta where the REML criterion (lmer devFunOnly) exceeds its
#                   minimum by qchisq(.95, 1), found by uniroot, mapped by theta^2 / (1 + theta^2)
#   caterpillar     conditional modes of the baseline-adjusted model (ranef, condVar) +- qnorm(.975)
#                   * sqrt(postVar), for therapists with at least 10 clients (min_cell), ascending
#   decomposition   analysed clients (early alliance, baseline, outcome); therapist mean of early
#                   alliance over them and each client's deviation; improvement ~ baseline + mean +
#                   deviation + (1 | therapist_id); contest1D of mean - deviation; standardized
#                   coefficients beta * sd(x) / sd(improvement)
#   within/between  session t with alliance and symptom, and session t + 1 of the same client with
#                   symptom; client mean of alliance over these pairs and the deviation from it;
#                   symptom_next ~ symptom + mean + within + (1 | client_id), and the same with
#                   (1 | therapist_id/client_id); contest1D of within - mean; standardized by the
#                   SDs over the pairs
# Fits use bobyqa with rhoend = 2e-10 for a tight optimum.

suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
source("test/reference/json-writer.R")
source("test/reference/icc-functions.R")
source("test/reference/example-data.R")

coefs <- function(m) {
  co <- summary(m)$coefficients
  list(terms = rownames(co), estimate = vec(co[, "Estimate"]), se = vec(co[, "Std. Error"]), df = vec(co[, "df"]),
       statistic = vec(co[, "t value"]), p = vec(co[, "Pr(>|t|)"]))
}
components <- function(m) {
  vc <- as.data.frame(VarCorr(m))
  list(source = vc$grp, variance = vec(vc$vcov))
}
contrast <- function(m, L) {
  ct <- contest1D(m, L)
  list(estimate = ct$Estimate, se = ct$`Std. Error`, df = ct$df, statistic = ct$`t value`, p = ct$`Pr(>|t|)`)
}
summary_of <- function(m) c(coefs(m), list(components = components(m), reml_criterion = REMLcrit(m), singular = isSingular(m), n = nobs(m)))

# Therapist ICCs
icc_data <- clients[!is.na(clients$improvement), ]
icc_of <- function(formula) {
  r <- icc_profile(formula, icc_data, control)
  list(model = r$model, result = c(summary_of(r$model), list(icc = r$icc, icc_ci = vec(r$icc_ci))))
}
unadjusted <- icc_of(improvement ~ 1 + (1 | therapist_id))
adjusted <- icc_of(improvement ~ baseline + (1 | therapist_id))
site_adjusted <- fit(improvement ~ baseline + (1 | site_id/therapist_id), icc_data)

re <- ranef(adjusted$model, condVar = TRUE)$therapist_id
post <- attr(re, "postVar")[1, 1, ]
caseload <- table(icc_data$therapist_id)[rownames(re)]
shown <- caseload >= 10
z <- qnorm(0.975)
order_shown <- order(re[shown, 1])
caterpillar <- list(estimate = vec(re[shown, 1][order_shown]), lower = vec((re[shown, 1] - z * sqrt(post[shown]))[order_shown]),
                    upper = vec((re[shown, 1] + z * sqrt(post[shown]))[order_shown]), left_out = sum(!shown))

# Baldwin decomposition
d <- clients[!is.na(clients$early) & !is.na(clients$baseline) & !is.na(clients$outcome), ]
d$alliance_therapist_mean <- ave(d$early, d$therapist_id)
d$alliance_client_deviation <- d$early - d$alliance_therapist_mean
decomposition <- fit(improvement ~ baseline + alliance_therapist_mean + alliance_client_deviation + (1 | therapist_id), d)
sd_y <- sd(d$improvement)

# Lagged session pairs
p <- session_pairs()
wb_of <- function(formula) {
  m <- fit(formula, p)
  c(summary_of(m), list(difference = contrast(m, c(0, 0, -1, 1))))
}

out <- list(
  provenance = provenance_of("test/reference/multilevel-example.R", c("lme4", "lmerTest", "jsonlite"),
    "Multilevel analyses of examples/example-study recomputed from the raw CSVs (see the script's header)."),
  therapist_effects = list(
    n_clients = nrow(icc_data), n_therapists = length(unique(icc_data$therapist_id)),
    caseload = list(mean = mean(table(icc_data$therapist_id)), median = median(table(icc_data$therapist_id)),
                    min = min(table(icc_data$therapist_id)), max = max(table(icc_data$therapist_id))),
    unadjusted = unadjusted$result, adjusted = adjusted$result,
    site_adjusted = summary_of(site_adjusted),
    caterpillar = caterpillar),
  decomposition = c(summary_of(decomposition), list(
    difference = contrast(decomposition, c(0, 0, 1, -1)),
    standardized = vec(fixef(decomposition)[3:4] * c(sd(d$alliance_therapist_mean), sd(d$alliance_client_deviation)) / sd_y))),
  within_between = list(
    n = nrow(p), n_clients = length(unique(p$client_id)),
    standardized_scale = vec(c(sd(p$alliance_client_mean), sd(p$alliance_within)) / sd(p$symptom_next)),
    client = wb_of(symptom_next ~ symptom + alliance_client_mean + alliance_within + (1 | client_id)),
    therapist_client = wb_of(symptom_next ~ symptom + alliance_client_mean + alliance_within + (1 | therapist_id/client_id)))
)
writeLines(to_json(out), "test/reference/fixtures/multilevel-example.json")
