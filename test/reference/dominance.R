# Golden values for dominance analysis, hierarchical ΔR² and commonality analysis
# (src/stats/dominance/), from `lm` fits of every sub-model.
#
# Run from the repository root:   Rscript test/reference/dominance.R
# Writes:                          test/reference/fixtures/dominance.json
#
# Cases: datasets::swiss (Fertility on 4 sets: Agriculture; Examination + Education; Catholic;
# Infant.Mortality) and datasets::mtcars (mpg on 5 sets: wt; hp; factor(cyl) as two dummies; qsec;
# am), and mtcars again with wt and hp as controls in every model (mpg on 3 sets: factor(cyl); qsec;
# am — partial R²s, see dominance-functions.R). For each: the predictor columns (lm's model matrix without the intercept), the sets as
# 0-based column lists, and
#   r2[mask + 1]   summary(lm(y ~ columns of the sets in mask))$r.squared, for every mask 0..2^k − 1
#                  (bit i: set i), each fitted by lm on the rows;
#   conditional    k × k: mean over the sub-models of s other sets of the R² gained by adding set i
#                  (s = 0..k − 1), from those lm R² values with combn();
#   general        row means of conditional;
#   complete, conditional_dominance, general_dominance   k × k verdicts 1 / 0 / 0.5 (row vs column),
#                  the `dominanceanalysis` package's coding;
#   hierarchical   sets entered in order 0, 1, …: R², ΔR², and anova(previous, next)'s F, df, p;
#   commonality    for every non-empty mask T: (−1)^(|T|+1) Σ_{S ⊆ T} (−1)^|S| R²(all ∖ S).

source("test/reference/json-writer.R")

source("test/reference/dominance-functions.R")

swiss <- datasets::swiss
Xs <- as.matrix(swiss[, c("Agriculture", "Examination", "Education", "Catholic", "Infant.Mortality")])
mt <- datasets::mtcars
Xm <- model.matrix(~ wt + hp + factor(cyl) + qsec + am, data = mt)[, -1]

out <- list(
  provenance = provenance_of("test/reference/dominance.R", c("jsonlite"),
    "All-subsets R² by lm, dominance statistics computed from them, hierarchical anova() F tests and commonality parts (see the script's header)."),
  cases = list(
    swiss = case_of(swiss$Fertility, Xs, list(0L, c(1L, 2L), 3L, 4L)),
    mtcars = case_of(mt$mpg, Xm, list(0L, 1L, c(2L, 3L), 4L, 5L)),
    mtcars_controls = c(case_of(mt$mpg, Xm[, 3:6], list(c(0L, 1L), 2L, 3L), C = Xm[, 1:2]),
                        list(controls = lapply(1:2, function(j) vec(Xm[, j]))))
  )
)
writeLines(to_json(out), "test/reference/fixtures/dominance.json")
