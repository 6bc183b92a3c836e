# Golden values for the random-intercept linear mixed model (src/stats/mixed-models/random-intercept.ts):
# lme4::lmer fits with lmerTest's Satterthwaite degrees of freedom.
#
# Run from the repository root:   Rscript test/reference/mixed-models.R
# Writes:                          test/reference/fixtures/mixed-models.json
#
# Datasets (lme4): sleepstudy (Reaction ~ Days + (1 | Subject)), an unbalanced version of it (every
# row whose position in the data is a multiple of 7 or 11 dropped; a second covariate Days²), and
# Dyestuff2 (Yield ~ 1 + (1 | Batch); a singular fit: the batch variance is estimated at 0).

suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
source("test/reference/json-writer.R")

fit_of <- function(formula, d, reml) {
  m <- lmerTest::lmer(formula, data = d, REML = reml, control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 2e-4, rhoend = 2e-10)))
  co <- summary(m)$coefficients
  vc <- as.data.frame(VarCorr(m))
  list(reml = reml, formula = deparse(formula),
       estimate = vec(co[, "Estimate"]), se = vec(co[, "Std. Error"]),
       df = vec(co[, "df"]), statistic = vec(co[, "t value"]), p = vec(co[, "Pr(>|t|)"]),
       groupVariance = vc$vcov[1], residualVariance = vc$vcov[2],
       logLik = as.numeric(logLik(m)), aic = AIC(m), bic = BIC(m),
       singular = isSingular(m), conditionalModes = vec(ranef(m)[[1]][, 1]))
}

data_of <- function(d, y, x, group) list(y = vec(d[[y]]), x = lapply(x, function(v) vec(d[[v]])), group = as.character(d[[group]]))

sleep <- lme4::sleepstudy
unbalanced <- sleep[!(seq_len(nrow(sleep)) %% 7 == 0 | seq_len(nrow(sleep)) %% 11 == 0), ]
unbalanced$Days2 <- unbalanced$Days^2
dye <- lme4::Dyestuff2

out <- list(
  provenance = provenance_of("test/reference/mixed-models.R", c("lme4", "lmerTest", "jsonlite"),
    "Per case: the data (y, x columns without the intercept, group labels in order of the rows) and fits[] for REML and ML: fixed effects with lmerTest Satterthwaite df and p, variance components, logLik/AIC/BIC, isSingular, and ranef() conditional modes in the order of levels(group). Fits use bobyqa with rhoend = 2e-10 for a tight optimum."),
  cases = list(
    sleepstudy = c(data_of(sleep, "Reaction", c("Days"), "Subject"), list(fits = list(fit_of(Reaction ~ Days + (1 | Subject), sleep, TRUE), fit_of(Reaction ~ Days + (1 | Subject), sleep, FALSE)))),
    unbalanced = c(data_of(unbalanced, "Reaction", c("Days", "Days2"), "Subject"), list(fits = list(fit_of(Reaction ~ Days + Days2 + (1 | Subject), unbalanced, TRUE), fit_of(Reaction ~ Days + Days2 + (1 | Subject), unbalanced, FALSE)))),
    dyestuff2 = c(data_of(dye, "Yield", character(0), "Batch"), list(fits = list(fit_of(Yield ~ 1 + (1 | Batch), dye, TRUE))))
  )
)
writeLines(to_json(out), "test/reference/fixtures/mixed-models.json")
