# Independent R reference for the common-factor breakdown (issue 6) on the bundled example study:
# the families' and the single predictors' dominance statistics, the hierarchical ΔR² F tests
# (extratherapeutic → expectancy → techniques → common) and the commonality parts, every sub-model
# fitted by lm.
#
# Run from the project root:   Rscript test/reference/common-factors-example.R
# Writes test/reference/fixtures/common-factors-example.json (full precision, json-writer.R).
#
# From the raw CSVs: early alliance = mean of the non-missing client-rated alliance in sessions
# 1–3; improvement = baseline − outcome; the sample = clients with improvement, baseline, age_band,
# gender, expectancy, modality, early alliance, empathy, positive_regard and congruence; categories
# dummy-coded against their first level in sorted order (R's factor default). Families:
#   extratherapeutic  baseline, age_band, gender
#   expectancy        expectancy
#   techniques        modality
#   common            early alliance, empathy, positive_regard, congruence
#
# Also:
#   therapist      lmer(improvement ~ every predictor column + (1 | therapist_id)) by REML on the same
#                  clients: ICC and its profile interval (icc-functions.R); share = (1 - R²) * ICC
#   baseline_adjusted  the same families without baseline, every model also holding baseline, R²s
#                  partial (1 - RSS(y ~ baseline + A) / RSS(y ~ baseline)), hierarchical anova() with
#                  baseline in both models; and its therapist ICC with baseline among the predictors
# Fits use bobyqa with rhoend = 2e-10 for a tight optimum.

suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
source("test/reference/json-writer.R")
source("test/reference/icc-functions.R")
source("test/reference/dominance-functions.R")

study_dir <- "examples/example-study"
clients <- read.csv(file.path(study_dir, "clients.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
sessions <- read.csv(file.path(study_dir, "sessions.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
early <- sessions[sessions$session >= 1 & sessions$session <= 3 & !is.na(sessions$alliance), ]
clients$early_alliance <- unname(tapply(early$alliance, early$client_id, mean)[clients$client_id])
clients$improvement <- clients$baseline - clients$outcome

needed <- c("improvement", "baseline", "age_band", "gender", "expectancy", "modality", "early_alliance", "empathy", "positive_regard", "congruence")
d <- clients[complete.cases(clients[, needed]), ]
dummies <- function(v) {
  f <- factor(v) # levels sorted, the first the reference
  m <- model.matrix(~ f)[, -1, drop = FALSE]
  colnames(m) <- levels(f)[-1]
  m
}
X <- cbind(baseline = d$baseline, dummies(d$age_band), dummies(d$gender), expectancy = d$expectancy, dummies(d$modality),
           early_alliance = d$early_alliance, empathy = d$empathy, positive_regard = d$positive_regard, congruence = d$congruence)
n_age <- length(unique(d$age_band)) - 1; n_gender <- length(unique(d$gender)) - 1; n_mod <- length(unique(d$modality)) - 1
at <- 0
take <- function(k) { idx <- at:(at + k - 1); at <<- at + k; idx }
p_baseline <- take(1); p_age <- take(n_age); p_gender <- take(n_gender); p_expectancy <- take(1); p_modality <- take(n_mod)
p_early <- take(1); p_empathy <- take(1); p_regard <- take(1); p_congruence <- take(1)
families <- list(c(p_baseline, p_age, p_gender), p_expectancy, p_modality, c(p_early, p_empathy, p_regard, p_congruence))
predictors <- list(p_baseline, p_age, p_gender, p_expectancy, p_modality, p_early, p_empathy, p_regard, p_congruence)

fam <- case_of(d$improvement, X, families)
pred <- case_of(d$improvement, X, predictors)
control <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 2e-4, rhoend = 2e-10))
therapist_of <- function(Xt, r2) {
  d$Xt <- Xt
  r <- icc_profile(improvement ~ Xt + (1 | therapist_id), d, control)
  vc <- as.data.frame(VarCorr(r$model))
  list(icc = r$icc, icc_ci = vec(r$icc_ci), share = (1 - r2) * r$icc, share_ci = vec((1 - r2) * r$icc_ci),
       variances = vec(vc$vcov), reml_criterion = REMLcrit(r$model), n_therapists = length(unique(d$therapist_id)))
}
full_r2 <- function(case) case$r2[length(case$r2)]

# baseline partialled out: the families without baseline (column 0), indices shifted by one
Xa <- X[, -1, drop = FALSE]
shift <- function(sets) lapply(sets, function(s) s[s != 0] - 1)
adj_families <- shift(families)
adj <- case_of(d$improvement, Xa, adj_families, C = matrix(d$baseline, ncol = 1))
adj_pred <- case_of(d$improvement, Xa, shift(predictors[-1]), C = matrix(d$baseline, ncol = 1))
out <- list(
  provenance = provenance_of("test/reference/common-factors-example.R", c("jsonlite"),
    "Common-factor breakdown of the example study recomputed from the raw CSVs with lm (see the script's header)."),
  n = nrow(d), columns = colnames(X),
  families = fam[c("sets", "r2", "conditional", "general", "complete", "conditional_dominance", "general_dominance", "hierarchical", "commonality")],
  predictors = pred[c("sets", "general", "conditional", "complete")],
  therapist = therapist_of(X, full_r2(fam)),
  baseline_adjusted = list(
    families = adj[c("sets", "r2", "conditional", "general", "complete", "conditional_dominance", "general_dominance", "hierarchical", "commonality")],
    predictors = adj_pred[c("sets", "general", "conditional", "complete")],
    therapist = therapist_of(X, full_r2(adj))
  )
)
writeLines(to_json(out), "test/reference/fixtures/common-factors-example.json")
