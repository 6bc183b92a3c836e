# Golden values for src/stats/distributions/ (pnorm, qnorm, pt, qt, pchisq, qchisq, qf, and the
# special functions lgamma, lbeta, pbeta, pgamma behind them).
#
# Run from the repository root:   Rscript test/reference/distributions.R
# Writes:                          test/reference/fixtures/distributions.json
#
# The JSON is written by test/reference/json-writer.R (shared by all the scripts here): every
# number at sprintf("%.17g") (jsonlite caps at 15 significant digits), so the TypeScript tests can
# compare at 1e-10 and better; NA/NaN as null, +/-Inf as the strings "Infinity" / "-Infinity".
#
# Grids (deterministic; no random numbers are needed here) cover both tails, extreme tails down
# to ~1e-300, fractional df, and each algorithm's internal branch points (pnorm's 0.674 / sqrt(32)
# / 37.5 cut-offs, qnorm's 0.075 / exp(-25) cut-offs, pt's t^2 = df switch, large df).

# ---- JSON writer with full precision (shared; see json-writer.R) -------------------------------

source("test/reference/json-writer.R") # root-relative, like the fixture path below

# one table per function: every combination of the arguments, then the value R returns
grid <- function(...) expand.grid(..., KEEP.OUT.ATTRS = FALSE, stringsAsFactors = FALSE)
section <- function(call, table) list(call = call, cases = table)

# ---- grids ------------------------------------------------------------------------------------

tails <- c(TRUE, FALSE)

z_values <- c(-40, -37.6, -37.5, -37, -30, -20, -10, -8.3, -8.29, -6, -5.66, -5.65, -5, -3, -1.96, -1,
              -0.6745, -0.674, -0.5, -1e-10, 0, 1e-20, 1e-10, 0.3, 0.674, 0.6745, 0.7, 1, 1.6448536269514722,
              2, 3, 5, 5.65, 5.66, 6, 8, 8.29, 8.3, 10, 20, 30, 37, 37.5, 37.6)
pnorm_cases <- grid(x = z_values, lower = tails)
pnorm_cases$value <- mapply(function(x, lower) pnorm(x, lower.tail = lower), pnorm_cases$x, pnorm_cases$lower)

p_values <- c(1e-300, 1e-200, 1e-100, 1e-50, 1e-20, 1.4e-11, 1.3e-11, 1e-10, 1e-5, 1e-3, 0.01, 0.025,
              0.05, 0.074, 0.075, 0.076, 0.1, 0.25, 0.3, 0.4, 0.5, 0.6, 0.75, 0.9, 0.924, 0.925, 0.926,
              0.95, 0.975, 0.99, 0.999, 1 - 1e-10, 0, 1)
qnorm_cases <- grid(p = p_values, lower = tails)
qnorm_cases$value <- mapply(function(p, lower) qnorm(p, lower.tail = lower), qnorm_cases$p, qnorm_cases$lower)

t_values <- c(-1e60, -1e10, -1000, -50, -10, -4, -2.5, -1.96, -1, -0.5, -0.01, 0, 1e-8, 0.01, 0.5, 1,
              1.96, 2.5, 4, 10, 50, 1000, 1e10, 1e60)
t_df <- c(0.5, 1, 1.5, 2, 2.5, 3, 4.7, 5, 10, 29.3, 30, 100, 1000, 1e5, 1e7, Inf)
pt_cases <- grid(t = t_values, df = t_df, lower = tails)
pt_cases$value <- mapply(function(t, df, lower) pt(t, df, lower.tail = lower), pt_cases$t, pt_cases$df, pt_cases$lower)

qt_p <- c(1e-100, 1e-20, 1e-10, 1e-5, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.45, 0.5,
          0.55, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.999, 0, 1)
qt_df <- c(1, 1.5, 2, 2.5, 3, 4.7, 10, 29.3, 100, 1000, 1e5, Inf)
qt_cases <- grid(p = qt_p, df = qt_df, lower = tails)
# (df >= 1 here: for df = 0.5 a p of 1e-100 would put the quantile beyond double precision);
# p = 0 and 1 check the infinite boundaries
qt_cases$value <- mapply(function(p, df, lower) qt(p, df, lower.tail = lower), qt_cases$p, qt_cases$df, qt_cases$lower)

x_values <- c(1e-10, 1e-3, 0.01, 0.1, 0.5, 1, 2, 3.84, 5, 10, 20, 50, 100, 200, 500, 1000, 1500)
chi_df <- c(0.5, 1, 1.5, 2, 2.5, 3, 5, 10, 17.3, 50, 100, 1000)
pchisq_cases <- grid(x = x_values, df = chi_df, lower = tails)
pchisq_cases$value <- mapply(function(x, df, lower) pchisq(x, df, lower.tail = lower),
                             pchisq_cases$x, pchisq_cases$df, pchisq_cases$lower)

qchisq_p <- c(1e-200, 1e-50, 1e-10, 1e-5, 1e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95,
              0.975, 0.99, 0.999, 0, 1)
qchisq_cases <- grid(p = qchisq_p, df = chi_df, lower = tails)
qchisq_cases$value <- mapply(function(p, df, lower) qchisq(p, df, lower.tail = lower),
                             qchisq_cases$p, qchisq_cases$df, qchisq_cases$lower)

# qf: the Feldt interval of Cronbach's alpha asks for df1 = n - 1, df2 = (n - 1)(k - 1), from a few
# clients to tens of thousands. Not in the grid: far tails with df1 <= 2 (e.g. qf(1e-4, 1, 1) is off
# by 4e-9 and qf(1e-10, 2, 17) by 9e-6, from qbeta), which f.test.ts checks against closed forms.
qf_cases <- grid(p = c(1e-6, 1e-4, 0.005, 0.025, 0.05, 0.5, 0.95, 0.975, 0.995, 0.9999, 0, 1),
                 df = c("3,3", "5.5,12.25", "9,36", "99,1089", "2799,11196", "30000,5"), lower = tails)
qf_cases$df1 <- as.numeric(sub(",.*", "", qf_cases$df))
qf_cases$df2 <- as.numeric(sub(".*,", "", qf_cases$df))
qf_cases$df <- NULL
qf_cases$value <- mapply(function(p, df1, df2, lower) qf(p, df1, df2, lower.tail = lower),
                         qf_cases$p, qf_cases$df1, qf_cases$df2, qf_cases$lower)

lgamma_cases <- data.frame(x = c(1e-8, 0.01, 0.1, 0.5, 0.9, 1, 1.5, 2, 2.5, 3.7, 7, 10, 14.9, 15, 15.1,
                                 35, 100, 1234.5, 1e5, 1e10))
lgamma_cases$value <- lgamma(lgamma_cases$x)

lbeta_cases <- grid(a = c(0.5, 1, 2.5, 10, 250, 5e5), b = c(0.5, 3, 40, 1e4))
lbeta_cases$value <- mapply(lbeta, lbeta_cases$a, lbeta_cases$b)

pbeta_cases <- grid(x = c(1e-12, 1e-4, 0.01, 0.2, 0.5, 0.8, 0.99, 0.9999), a = c(0.5, 2, 15.5, 500),
                    b = c(0.5, 3, 40, 5e4), lower = tails)
pbeta_cases$value <- mapply(function(x, a, b, lower) pbeta(x, a, b, lower.tail = lower),
                            pbeta_cases$x, pbeta_cases$a, pbeta_cases$b, pbeta_cases$lower)

pgamma_cases <- grid(x = c(1e-6, 0.1, 1, 2.5, 9, 30, 100, 700), a = c(0.25, 0.5, 1, 3.5, 10, 80, 1e4),
                     lower = tails)
pgamma_cases$value <- mapply(function(x, a, lower) pgamma(x, a, lower.tail = lower),
                             pgamma_cases$x, pgamma_cases$a, pgamma_cases$lower)

# ---- write ------------------------------------------------------------------------------------

fixture <- list(
  provenance = list(
    script = "test/reference/distributions.R",
    R = R.version.string,
    packages = list(stats = as.character(packageVersion("stats")),
                    jsonlite = as.character(packageVersion("jsonlite"))),
    note = "lower = the lower.tail argument; value = R's result, at %.17g"
  ),
  pnorm = section("pnorm(x, lower.tail = lower)", pnorm_cases),
  qnorm = section("qnorm(p, lower.tail = lower)", qnorm_cases),
  pt = section("pt(t, df, lower.tail = lower)", pt_cases),
  qt = section("qt(p, df, lower.tail = lower)", qt_cases),
  pchisq = section("pchisq(x, df, lower.tail = lower)", pchisq_cases),
  qchisq = section("qchisq(p, df, lower.tail = lower)", qchisq_cases),
  qf = section("qf(p, df1, df2, lower.tail = lower)", qf_cases),
  lgamma = section("lgamma(x)", lgamma_cases),
  lbeta = section("lbeta(a, b)", lbeta_cases),
  pbeta = section("pbeta(x, a, b, lower.tail = lower)", pbeta_cases),
  pgamma = section("pgamma(x, shape = a, lower.tail = lower)", pgamma_cases)
)

write_json_fixture(fixture, "test/reference/fixtures/distributions.json", inline_flat = TRUE)
