# Golden values for src/stats/group-comparison/one-way.ts: oneway.test(y ~ g) (Welch) and
# oneway.test(y ~ g, var.equal = TRUE) on datasets::InsectSprays (count ~ spray, 6 groups of 12),
# datasets::PlantGrowth (weight ~ group, 3 of 10) and a small unbalanced case (groups of 5, 4 and 6).
#
# Run from the repository root:   Rscript test/reference/one-way.R
# Writes:                          test/reference/fixtures/one-way.json

source("test/reference/json-writer.R")

case_of <- function(y, g) {
  g <- factor(g)
  welch <- oneway.test(y ~ g)
  classic <- oneway.test(y ~ g, var.equal = TRUE)
  test <- function(r) list(statistic = unname(r$statistic), df1 = unname(r$parameter[1]), df2 = unname(r$parameter[2]), p = r$p.value)
  list(groups = lapply(levels(g), function(l) vec(y[g == l])), welch = test(welch), classic = test(classic))
}

out <- list(
  provenance = provenance_of("test/reference/one-way.R", c("jsonlite"), "oneway.test, Welch and equal-variance, on three datasets (see the script's header)."),
  cases = list(
    insect_sprays = case_of(InsectSprays$count, InsectSprays$spray),
    plant_growth = case_of(PlantGrowth$weight, PlantGrowth$group),
    small = case_of(c(3.1, 3.5, 4.0, 2.8, 3.9, 4.2, 4.4, 3.8, 4.6, 3.0, 3.3, 2.9, 3.6, 3.1, 2.7), rep(c("a", "b", "c"), c(5, 4, 6)))
  )
)
writeLines(to_json(out), "test/reference/fixtures/one-way.json")
