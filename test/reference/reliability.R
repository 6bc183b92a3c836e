# Golden values for src/stats/reliability/: psych::alpha on the Big Five items of psych's `bfi`
# (2,800 people, items scored 1-6).
#
# Run from the repository root:   Rscript test/reference/reliability.R
# Writes:                          test/reference/fixtures/reliability.json
#
# For each scale (agreeableness, conscientiousness, extraversion, neuroticism, openness): its five
# items with the reverse-keyed ones reversed here (7 - x, the keys of psych's bfi.keys), complete
# cases only (na.omit), then psych::alpha(items, check.keys = FALSE), whose defaults score the total
# as the mean of the items (cumulative = FALSE). Recorded: the items as analysed, the scale's
# statistics ($total and $var.r), the Feldt interval ($feldt, p = .05), the item statistics
# ($item.stats) and the statistics with each item dropped ($alpha.drop).
#
# And McDonald's omega from one factor: psych::omega(items, nfactors = 1) ($omega.tot, $omega_h,
# and the minres loadings of fa(items, nfactors = 1)). psych's optimiser stops at its default
# tolerance, about 1e-7 from the optimum in the loadings, so the loadings are also refined here —
# BFGS on the minres objective sum over i < j of (r_ij - l_i l_j)^2, reltol 1e-16, then five
# Newton steps with the exact Hessian, which take the gradient to rounding — and omega
# recomputed from them with psych's formulas: omega.tot = 1 - sum(1 - l^2) / sum(R),
# omega_h = sum(l)^2 / sum(R).

suppressPackageStartupMessages({ library(psych); library(GPArotation) })
source("test/reference/json-writer.R")
source("test/reference/reliability-helpers.R")

scales <- list(
  agreeableness = list(items = paste0("A", 1:5), reversed = "A1"),
  conscientiousness = list(items = paste0("C", 1:5), reversed = c("C4", "C5")),
  extraversion = list(items = paste0("E", 1:5), reversed = c("E1", "E2")),
  neuroticism = list(items = paste0("N", 1:5), reversed = character(0)),
  openness = list(items = paste0("O", 1:5), reversed = c("O2", "O5"))
)


case_of <- function(spec) {
  d <- na.omit(psych::bfi[, spec$items])
  for (item in spec$reversed) d[[item]] <- 7 - d[[item]]
  c(list(items = lapply(spec$items, function(i) vec(d[[i]])), names = spec$items, reversed = spec$reversed),
    reliability_record(d))
}

out <- list(
  provenance = provenance_of("test/reference/reliability.R", c("psych", "jsonlite"),
    "psych::alpha on the bfi scales, reverse-keyed items reversed, complete cases (see the script's header)."),
  scales = lapply(scales, case_of)
)
writeLines(to_json(out), "test/reference/fixtures/reliability.json")
