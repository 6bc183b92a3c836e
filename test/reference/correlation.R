# Golden values for src/stats/correlation/ and src/stats/descriptives/ (cor.test Pearson and
# Spearman, psych::partial.r + psych::corr.p, resid(lm), rank, mean/sd/var/quantile type 7).
#
# Run from the repository root:   Rscript test/reference/correlation.R
# Writes:                          test/reference/fixtures/correlation.json
#
# The JSON is written by test/reference/json-writer.R (shared by all the scripts here): every
# number at sprintf("%.17g") (jsonlite caps at 15 significant digits), so the TypeScript tests can
# compare at 1e-10 and better; NA/NaN as null, +/-Inf as the strings "Infinity" / "-Infinity".
#
# Each dataset has x (alliance), y (post-treatment score) and z (baseline score), with NA where a
# value is missing. Datasets (all deterministic, set.seed below):
#   small5        n = 5, the smallest n with a partial-correlation interval
#   minimal4      n = 4, the smallest n with a cor.test interval
#   moderate50    n = 50, r around -0.3 (the typical alliance-outcome size, lower score = better)
#   large500      n = 500, r around 0.28
#   ties40        n = 40, Likert-type alliance and integer symptom scores: many ties
#   negative60    n = 60, r around -0.6
#   nearzero80    n = 80, y orthogonalised against x, plus a deliberate component: r = 0.001
#   strong30      n = 30, r around 0.98
#   strong500     n = 500, r around 0.95: p-values near 1e-250, far below 1e-16
#   missing25     n = 25 rows with NA scattered in x, y and z (complete pairs / triples differ)
#   offset50      n = 50, x = 1e6 + noise: sums that lose digits without centring

suppressPackageStartupMessages(library(psych))

# ---- JSON writer with full precision (shared; see json-writer.R) -------------------------------

source("test/reference/json-writer.R") # root-relative, like the fixture path below

# ---- datasets ---------------------------------------------------------------------------------

set.seed(20240612)

# alliance (about 1-5), baseline severity, and a post score that falls with alliance and rises
# with baseline (lower = better, as for PHQ-9)
simulate <- function(n, alliance_effect, noise = 4) {
  z <- rnorm(n, 15, 5)
  x <- rnorm(n, 4, 0.6)
  y <- 0.6 * z + alliance_effect * (x - 4) + rnorm(n, 0, noise)
  list(x = x, y = y, z = z)
}

datasets <- list()
datasets$small5 <- simulate(5, -3)
datasets$minimal4 <- simulate(4, -3)
datasets$moderate50 <- simulate(50, -2.5)
datasets$large500 <- local({
  d <- simulate(500, 0)
  d$y <- d$y + 4 * (d$x - 4) # positive direction for variety
  d
})
datasets$ties40 <- local({
  d <- simulate(40, -3)
  list(x = round(d$x * 2) / 2, y = round(d$y), z = round(d$z))
})
datasets$negative60 <- simulate(60, -12, noise = 3)
datasets$nearzero80 <- local({
  d <- simulate(80, 0)
  e <- resid(lm(d$y ~ d$x)) # exactly uncorrelated with x, up to rounding
  d$y <- mean(d$y) + e + 1e-3 * sd(e) / sd(d$x) * (d$x - mean(d$x))
  d
})
datasets$strong30 <- local({
  x <- rnorm(30, 4, 0.6)
  z <- rnorm(30, 15, 5)
  list(x = x, y = 10 * x + 0.2 * z + rnorm(30, 0, 1.2), z = z)
})
datasets$strong500 <- local({
  x <- rnorm(500, 4, 0.6)
  z <- rnorm(500, 15, 5)
  list(x = x, y = 10 * x + 0.1 * z + rnorm(500, 0, 2), z = z)
})
datasets$missing25 <- local({
  d <- simulate(25, -3)
  d$x[c(3, 11)] <- NA
  d$y[c(7, 11, 19)] <- NA
  d$z[c(2, 20)] <- NA
  d
})
datasets$offset50 <- local({
  d <- simulate(50, -3)
  list(x = 1e6 + d$x, y = d$y, z = d$z)
})

# ---- R results per dataset --------------------------------------------------------------------

pearson_result <- function(x, y, level = 0.95) {
  ct <- cor.test(x, y, conf.level = level)
  list(level = level, estimate = unname(ct$estimate), statistic = unname(ct$statistic),
       df = unname(ct$parameter), p = ct$p.value, ci = vec(ct$conf.int))
}

spearman_result <- function(x, y) {
  ct <- suppressWarnings(cor.test(x, y, method = "spearman", exact = FALSE))
  list(estimate = unname(ct$estimate), statistic = unname(ct$statistic), p = ct$p.value)
}

partial_result <- function(x, y, z) {
  ok <- complete.cases(x, y, z)
  d <- data.frame(x = x[ok], y = y[ok], z = z[ok])
  n <- nrow(d)
  pr <- partial.r(d, c("x", "y"), "z")
  cp <- corr.p(pr, n - 1)
  lm_t <- summary(lm(y ~ x + z, data = d))$coefficients["x", "t value"]
  # the closed form, for the record
  r <- cor(d)
  closed <- (r["x", "y"] - r["x", "z"] * r["y", "z"]) / sqrt((1 - r["x", "z"]^2) * (1 - r["y", "z"]^2))
  list(n = n, estimate = pr[1, 2], closed_form = closed, statistic = cp$t[1, 2], df = n - 3,
       p = cp$p[1, 2], ci = vec(c(cp$ci$lower, cp$ci$upper)), lm_t = lm_t)
}

describe <- function(v) {
  v <- v[!is.na(v)]
  list(n = length(v), mean = mean(v), var = var(v), sd = sd(v),
       probs = vec(c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1)),
       quantiles = vec(quantile(v, c(0, 0.1, 0.25, 0.5, 0.75, 0.9, 1), type = 7, names = FALSE)))
}

results <- lapply(names(datasets), function(name) {
  d <- datasets[[name]]
  pairs <- complete.cases(d$x, d$y)
  list(
    name = name,
    x = vec(d$x), y = vec(d$y), z = vec(d$z),
    pearson = pearson_result(d$x, d$y),
    pearson90 = pearson_result(d$x, d$y, 0.90),
    spearman = spearman_result(d$x, d$y),
    partial = if (sum(complete.cases(d$x, d$y, d$z)) >= 5) partial_result(d$x, d$y, d$z) else NULL,
    residual_y_on_z = vec(resid(lm(d$y ~ d$z, na.action = na.exclude))),
    rank_x = vec(rank(d$x[pairs])),
    rank_y = vec(rank(d$y[pairs])),
    describe_x = describe(d$x),
    describe_y = describe(d$y)
  )
})

# ---- write ------------------------------------------------------------------------------------

fixture <- list(
  provenance = list(
    script = "test/reference/correlation.R",
    R = R.version.string,
    packages = list(stats = as.character(packageVersion("stats")),
                    psych = as.character(packageVersion("psych")),
                    jsonlite = as.character(packageVersion("jsonlite"))),
    seed = 20240612
  ),
  calls = list(
    pearson = "cor.test(x, y, conf.level = level)  # level 0.95 and 0.90",
    spearman = "cor.test(x, y, method = \"spearman\", exact = FALSE)",
    partial = paste("d <- complete triples; pr <- psych::partial.r(d, c(\"x\", \"y\"), \"z\");",
                    "psych::corr.p(pr, n - 1)$t / $p / $ci; summary(lm(y ~ x + z, d))$coefficients[\"x\", \"t value\"]"),
    residual_y_on_z = "resid(lm(y ~ z, na.action = na.exclude))",
    rank = "rank(x[complete.cases(x, y)])  # ties.method = \"average\"",
    describe = "mean, var, sd, quantile(type = 7) of the non-missing values"
  ),
  datasets = results
)

write_json_fixture(fixture, "test/reference/fixtures/correlation.json")
