# What reliability.R and item-level-example.R record of a set of items (run from the project root;
# needs psych and GPArotation, and json-writer.R sourced first for vec()):
#
# reliability_record(d): psych::alpha(d, check.keys = FALSE) — its $total and $var.r, the Feldt
# interval ($feldt, p = .05), the item statistics ($item.stats) and the statistics with each item
# dropped ($alpha.drop) — and omega_of(d).
#
# omega_of(d): McDonald's omega from one factor, as psych reports it and at the refined optimum.
# psych's optimiser stops at its default tolerance, about 1e-7 from the optimum in the loadings,
# so the minres loadings are also refined: BFGS on the minres objective sum over i < j of
# (r_ij - l_i l_j)^2, reltol 1e-16, then five Newton steps with the exact Hessian, which take the
# gradient to rounding; omega is recomputed from them with psych's formulas:
# omega.tot = 1 - sum(1 - l^2) / sum(R), omega_h = sum(l)^2 / sum(R).
omega_of <- function(d) {
  o <- suppressWarnings(suppressMessages(psych::omega(d, nfactors = 1, plot = FALSE)))
  R <- cor(d)
  l0 <- psych::fa(d, nfactors = 1, fm = "minres")$loadings[, 1]
  objective <- function(l) { M <- R - tcrossprod(l); sum(M[lower.tri(M)]^2) }
  gradient <- function(l) { M <- R - tcrossprod(l); diag(M) <- 0; -2 * as.vector(M %*% l) }
  l <- optim(l0, objective, gradient, method = "BFGS", control = list(reltol = 1e-16, maxit = 10000))$par
  hessian <- function(l) { M <- R - tcrossprod(l); H <- -2 * M + 2 * tcrossprod(l); diag(H) <- 2 * (sum(l^2) - l^2); H }
  for (step in 1:5) l <- l - solve(hessian(l), gradient(l)) # Newton polish: the gradient to rounding
  list(psych = list(omega_tot = o$omega.tot, omega_h = o$omega_h, loadings = vec(unname(l0))),
       refined = list(omega_tot = 1 - sum(1 - l^2) / sum(R), omega_h = sum(l)^2 / sum(R), loadings = vec(unname(l))))
}

reliability_record <- function(d) {
  a <- psych::alpha(d, check.keys = FALSE, warnings = FALSE)
  t <- a$total
  drop <- a$alpha.drop
  s <- a$item.stats
  list(
    n = nrow(d),
    total = list(raw_alpha = t$raw_alpha, std_alpha = t$std.alpha, G6 = t[["G6(smc)"]], average_r = t$average_r,
                 sn = t[["S/N"]], ase = t$ase, mean = t$mean, sd = t$sd, median_r = t$median_r, var_r = a$var.r),
    feldt = vec(c(a$feldt$lower.ci, a$feldt$upper.ci)),
    item_stats = list(raw_r = vec(s$raw.r), std_r = vec(s$std.r), r_cor = vec(s$r.cor), r_drop = vec(s$r.drop),
                      mean = vec(s$mean), sd = vec(s$sd)),
    omega = omega_of(d),
    alpha_drop = list(raw_alpha = vec(drop$raw_alpha), std_alpha = vec(drop$std.alpha), G6 = vec(drop[["G6(smc)"]]),
                      average_r = vec(drop$average_r), sn = vec(drop[["S/N"]]), se = vec(drop[["alpha se"]]),
                      var_r = vec(drop$var.r), median_r = vec(drop$med.r))
  )
}
