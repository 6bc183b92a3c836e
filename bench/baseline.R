# R baseline for the benchmark (bench/run.ts runs it when Rscript has metafor, psych and lme4).
#
#   Rscript bench/baseline.R CLIENTS_CSV SESSIONS_CSV
#
# The kind of script a lab writes for this analysis in base R (issue 3's R baseline):
#   - read.csv of both files;
#   - early alliance = mean of the non-missing client-rated `alliance` in sessions 1-3;
#   - improvement = baseline - outcome (lower-is-better outcome, the generator's default);
#   - cor.test(early, improvement) on complete cases;
#   - psych::partial.r: r(early, outcome | baseline);
#   - per-site r, pooled with metafor::rma(escalc("ZCOR"), method = "REML");
#   - two lme4::lmer fits: improvement ~ early + (1 | therapist_id) on clients, and
#     symptom ~ alliance + (1 | client_id) on sessions;
#   - psych::alpha of the goal, task and bond subscales at session 1.
# Prints one JSON line: versions, seconds per step, r (with its 95% CI, t and p), n, partial r,
# pooled r, the two fixed effects, alpha.

t_start <- proc.time()[["elapsed"]]
suppressPackageStartupMessages({
  library(metafor)
  library(psych)
  library(lme4)
})
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) stop("usage: Rscript bench/baseline.R CLIENTS_CSV SESSIONS_CSV")
early_window <- c(1, 3)
min_site_n <- 4

now <- function() proc.time()[["elapsed"]]
t_loaded <- now()
clients <- read.csv(args[[1]], na.strings = c("", "NA"))
sessions <- read.csv(args[[2]], na.strings = c("", "NA"))
t_read <- now()

# derive: early alliance and improvement
window <- sessions[sessions$session >= early_window[1] & sessions$session <= early_window[2], ]
early <- tapply(window$alliance, window$client_id, function(a) if (all(is.na(a))) NA_real_ else mean(a, na.rm = TRUE))
clients$early <- unname(early[match(clients$client_id, names(early))])
clients$improvement <- clients$baseline - clients$outcome
d <- clients[complete.cases(clients[, c("early", "baseline", "outcome")]), ]
t_derived <- now()

# correlations
ct <- cor.test(d$early, d$improvement)
pr <- psych::partial.r(d[, c("early", "outcome", "baseline")], c("early", "outcome"), "baseline")
t_cor <- now()

# sites: per-site r, random-effects pooling on Fisher z
by_site <- split(d, d$site_id)
site_n <- vapply(by_site, nrow, numeric(1))
site_r <- vapply(by_site, function(g) if (nrow(g) >= 3) cor(g$early, g$improvement) else NA_real_, numeric(1))
keep <- site_n >= min_site_n & !is.na(site_r)
es <- metafor::escalc("ZCOR", ri = site_r[keep], ni = site_n[keep])
fit <- metafor::rma(yi, vi, data = es, method = "REML")
t_meta <- now()

# mixed models
m1 <- lme4::lmer(improvement ~ early + (1 | therapist_id), data = d, REML = TRUE)
m2 <- lme4::lmer(symptom ~ alliance + (1 | client_id), data = sessions, REML = TRUE)
t_lmer <- now()

# reliability of the subscales at session 1
s1 <- sessions[sessions$session == 1, c("alliance_goal", "alliance_task", "alliance_bond")]
al <- suppressMessages(suppressWarnings(psych::alpha(s1, warnings = FALSE)))
t_done <- now()

num <- function(x) sprintf("%.17g", x)
cat(sprintf(paste0(
  '{"tool":"R","versions":{"R":"%s","metafor":"%s","psych":"%s","lme4":"%s"},',
  '"import_s":%s,"read_s":%s,"derive_s":%s,"correlations_s":%s,"meta_s":%s,"lmer_s":%s,"alpha_s":%s,',
  '"compute_s":%s,"r":%s,"ci_lower":%s,"ci_upper":%s,"t":%s,"p":%s,"n":%d,"partial_r":%s,"sites":%d,"pooled_r":%s,',
  '"lmer_early":%s,"lmer_alliance":%s,"alpha":%s}\n'),
  paste(R.version$major, R.version$minor, sep = "."),
  packageVersion("metafor"), packageVersion("psych"), packageVersion("lme4"),
  num(t_loaded - t_start), num(t_read - t_loaded), num(t_derived - t_read), num(t_cor - t_derived),
  num(t_meta - t_cor), num(t_lmer - t_meta), num(t_done - t_lmer), num(t_done - t_read),
  num(unname(ct$estimate)), num(ct$conf.int[1]), num(ct$conf.int[2]), num(unname(ct$statistic)), num(ct$p.value),
  nrow(d), num(pr[1, 2]), sum(keep),
  num(tanh(as.numeric(fit$beta))),
  num(lme4::fixef(m1)[["early"]]), num(lme4::fixef(m2)[["alliance"]]), num(al$total$raw_alpha)
))
