# The therapist ICC of an lmer model and its profile-likelihood interval, shared by
# multilevel-example.R and common-factors-example.R.
#
# icc_profile(formula, data, control): fits formula (one random intercept) by REML with lmerTest;
# ICC = its variance / (its variance + residual); the interval is where the REML criterion (lmer
# devFunOnly) exceeds its minimum by qchisq(.95, 1), the two theta roots found by uniroot and
# mapped by theta^2 / (1 + theta^2). Returns the model, the ICC and the interval.

icc_profile <- function(formula, data, control) {
  m <- lmerTest::lmer(formula, data = data, REML = TRUE, control = control)
  vc <- as.data.frame(VarCorr(m))
  icc <- vc$vcov[1] / sum(vc$vcov)
  dev <- lmer(formula, data = data, REML = TRUE, devFunOnly = TRUE)
  theta <- getME(m, "theta")
  bound <- REMLcrit(m) + qchisq(0.95, 1)
  f <- function(t) dev(t) - bound
  lower <- if (f(0) <= 0) 0 else uniroot(f, c(0, theta), tol = 1e-13)$root
  hi <- max(theta, 0.05) * 2
  while (f(hi) < 0) hi <- hi * 2
  upper <- uniroot(f, c(theta, hi), tol = 1e-13)$root
  list(model = m, icc = icc, icc_ci = c(lower, upper)^2 / (1 + c(lower, upper)^2))
}
