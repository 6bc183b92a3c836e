# McDonald's omega from one factor, as psych reports it and at the refined optimum; shared by
# reliability.R and item-level-example.R (run from the project root; needs psych and GPArotation,
# and json-writer.R sourced first for vec()).
#
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
