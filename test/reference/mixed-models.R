# Golden values for the linear mixed model (src/stats/mixed-models/): lme4::lmer fits with
# lmerTest's Satterthwaite degrees of freedom.
#
# Run from the repository root:   Rscript test/reference/mixed-models.R
# Writes:                          test/reference/fixtures/mixed-models.json
#
# Cases:
#   sleepstudy   Reaction ~ Days + (1 | Subject) and + (Days | Subject), REML and ML (lme4)
#   unbalanced   sleepstudy without every row whose position is a multiple of 7 or 11, with a
#                second covariate Days²: random intercept (REML, ML) and random slope (REML)
#   dyestuff2    Yield ~ 1 + (1 | Batch): a singular fit (batch variance 0)
#   pastes       strength ~ 1 + (1 | batch/cask): two nested factors (lme4's Pastes)
#   nested3      y ~ x1 + x2 + (1 | site/therapist/client): three nested factors, unbalanced, on
#                data simulated here (seed 20261122; 4 sites, 3–6 therapists each, 2–7 clients
#                each, 1–6 sessions each), and the same with (1 | therapist/client) only
#
# Per case: the data (y; x columns without the intercept; for every random-effect level, the
# group label of each row as lme4 names it, e.g. "a:A" for cask:batch) and fits[]: fixed effects with
# lmerTest Satterthwaite df and p, the contrast `contrast` (contest1D), variance components per
# level (variances, intercept–slope correlation), sigma², theta, REML criterion or deviance,
# logLik/AIC/BIC, isSingular, ranef() conditional modes per level keyed by label, and condVar of the
# outermost level. Fits use bobyqa with rhoend = 2e-10 for a tight optimum.

suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
source("test/reference/json-writer.R")

control <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 2e-4, rhoend = 2e-10))

named <- function(values, labels) { out <- as.list(as.numeric(values)); names(out) <- labels; out }

fit_of <- function(formula, d, reml, levels, contrast) {
  m <- lmerTest::lmer(formula, data = d, REML = reml, control = control)
  co <- summary(m)$coefficients
  vc <- VarCorr(m)
  re <- ranef(m, condVar = TRUE)
  outer <- levels[[1]]$name
  post <- attr(re[[outer]], "postVar")
  ct <- contest1D(m, contrast)
  list(reml = reml, formula = paste(deparse(formula), collapse = ""),
       estimate = vec(co[, "Estimate"]), se = vec(co[, "Std. Error"]),
       df = vec(co[, "df"]), statistic = vec(co[, "t value"]), p = vec(co[, "Pr(>|t|)"]),
       contrast = list(weights = vec(contrast), estimate = ct$Estimate, se = ct$`Std. Error`, df = ct$df, statistic = ct$`t value`, p = ct$`Pr(>|t|)`),
       components = lapply(levels, function(l) {
         s <- vc[[l$name]]
         list(name = l$name, variances = vec(diag(s)), correlation = if (nrow(s) == 2) attr(s, "correlation")[1, 2] else NULL)
       }),
       residualVariance = sigma(m)^2, theta = vec(getME(m, "theta")),
       criterion = if (reml) REMLcrit(m) else deviance(m),
       logLik = as.numeric(logLik(m)), aic = AIC(m), bic = BIC(m), singular = isSingular(m),
       modes = lapply(levels, function(l) { r <- re[[l$name]]; lapply(seq_len(ncol(r)), function(j) named(r[, j], rownames(r))) }),
       outerVariance = named(apply(post, 3, function(v) v[1, 1]), rownames(re[[outer]])))
}

# levels: outermost first, each list(name = lme4's name for the term's factor, labels = per row, terms = columns of X with a random coefficient)
case_of <- function(d, y, x, levels, fits) list(
  y = vec(d[[y]]), x = lapply(x, function(v) vec(d[[v]])),
  levels = lapply(levels, function(l) list(name = l$name, labels = l$labels, terms = vec(l$terms))), fits = fits)

sleep <- lme4::sleepstudy
s_levels <- list(list(name = "Subject", labels = as.character(sleep$Subject), terms = 0))
s_slope <- list(list(name = "Subject", labels = as.character(sleep$Subject), terms = c(0, 1)))

unbalanced <- sleep[!(seq_len(nrow(sleep)) %% 7 == 0 | seq_len(nrow(sleep)) %% 11 == 0), ]
unbalanced$Days2 <- unbalanced$Days^2
u_levels <- list(list(name = "Subject", labels = as.character(unbalanced$Subject), terms = 0))
u_slope <- list(list(name = "Subject", labels = as.character(unbalanced$Subject), terms = c(0, 1)))

dye <- lme4::Dyestuff2
d_levels <- list(list(name = "Batch", labels = as.character(dye$Batch), terms = 0))

pastes <- lme4::Pastes
p_levels <- list(list(name = "batch", labels = as.character(pastes$batch), terms = 0),
                 list(name = "cask:batch", labels = paste(pastes$cask, pastes$batch, sep = ":"), terms = 0))

set.seed(20261122)
rows <- list()
for (s in 1:4) for (t in seq_len(sample(3:6, 1))) for (c in seq_len(sample(2:7, 1))) {
  k <- sample(1:6, 1)
  rows[[length(rows) + 1]] <- data.frame(site = paste0("S", s), therapist = paste0("T", t), client = paste0("C", c), session = seq_len(k))
}
nest <- do.call(rbind, rows)
u_site <- rnorm(4, 0, 0.6); names(u_site) <- paste0("S", 1:4)
tkey <- paste(nest$therapist, nest$site, sep = ":"); ckey <- paste(nest$client, nest$therapist, nest$site, sep = ":")
u_ther <- rnorm(length(unique(tkey)), 0, 0.8); names(u_ther) <- unique(tkey)
u_cli <- rnorm(length(unique(ckey)), 0, 1); names(u_cli) <- unique(ckey)
nest$x1 <- round(rnorm(nrow(nest), 3, 1), 2)
nest$x2 <- round(nest$session + rnorm(nrow(nest), 0, 0.5), 2)
nest$y <- round(2 + 0.4 * nest$x1 - 0.3 * nest$x2 + u_site[nest$site] + u_ther[tkey] + u_cli[ckey] + rnorm(nrow(nest), 0, 1.2), 3)
n3_levels <- list(list(name = "site", labels = nest$site, terms = 0),
                  list(name = "therapist:site", labels = tkey, terms = 0),
                  list(name = "client:(therapist:site)", labels = ckey, terms = 0))
n2_levels <- list(list(name = "therapist:site", labels = tkey, terms = 0),
                  list(name = "client:(therapist:site)", labels = ckey, terms = 0))
nest$ts <- factor(tkey)
n2_formula <- y ~ x1 + x2 + (1 | ts/client)
n2_levels[[1]]$name <- "ts"; n2_levels[[2]]$name <- "client:ts"

out <- list(
  provenance = provenance_of("test/reference/mixed-models.R", c("lme4", "lmerTest", "jsonlite"),
    "Per case: the data (y, x columns without the intercept, per random-effect level its name, the group label of each row and its random terms) and fits[] (see the script's header)."),
  cases = list(
    sleepstudy = case_of(sleep, "Reaction", c("Days"), s_levels, list(
      fit_of(Reaction ~ Days + (1 | Subject), sleep, TRUE, s_levels, c(1, 1)),
      fit_of(Reaction ~ Days + (1 | Subject), sleep, FALSE, s_levels, c(1, 1)))),
    sleepstudy_slope = case_of(sleep, "Reaction", c("Days"), s_slope, list(
      fit_of(Reaction ~ Days + (Days | Subject), sleep, TRUE, s_slope, c(1, 1)),
      fit_of(Reaction ~ Days + (Days | Subject), sleep, FALSE, s_slope, c(1, 1)))),
    unbalanced = case_of(unbalanced, "Reaction", c("Days", "Days2"), u_levels, list(
      fit_of(Reaction ~ Days + Days2 + (1 | Subject), unbalanced, TRUE, u_levels, c(0, 1, -1)),
      fit_of(Reaction ~ Days + Days2 + (1 | Subject), unbalanced, FALSE, u_levels, c(0, 1, -1)))),
    unbalanced_slope = case_of(unbalanced, "Reaction", c("Days", "Days2"), u_slope, list(
      fit_of(Reaction ~ Days + Days2 + (Days | Subject), unbalanced, TRUE, u_slope, c(0, 1, -1)))),
    dyestuff2 = case_of(dye, "Yield", character(0), d_levels, list(
      fit_of(Yield ~ 1 + (1 | Batch), dye, TRUE, d_levels, c(1)))),
    pastes = case_of(pastes, "strength", character(0), p_levels, list(
      fit_of(strength ~ 1 + (1 | batch/cask), pastes, TRUE, p_levels, c(1)),
      fit_of(strength ~ 1 + (1 | batch/cask), pastes, FALSE, p_levels, c(1)))),
    nested3 = case_of(nest, "y", c("x1", "x2"), n3_levels, list(
      fit_of(y ~ x1 + x2 + (1 | site/therapist/client), nest, TRUE, n3_levels, c(0, 1, -1)))),
    nested2 = case_of(nest, "y", c("x1", "x2"), n2_levels, list(
      fit_of(n2_formula, nest, TRUE, n2_levels, c(0, 1, -1)),
      fit_of(n2_formula, nest, FALSE, n2_levels, c(0, 1, -1))))
  )
)
writeLines(to_json(out), "test/reference/fixtures/mixed-models.json")
