# Dominance statistics from lm fits of every sub-model, shared by dominance.R and
# common-factors-example.R (see dominance.R's header for what each field holds).
#
# case_of(y, X, sets): X the predictor columns (no intercept), sets a list of 0-based column
# index vectors; returns the data, every sub-model's R², conditional and general dominance, the
# pairwise verdicts, the hierarchical anova() steps in set order, and the commonality parts.
# With control columns C, every model also holds C and its "R²" is the partial R²
# 1 − RSS(y ~ C + A) / RSS(y ~ C): the share of the variance left after C that A explains.

case_of <- function(y, X, sets, C = NULL) {
  k <- length(sets)
  masks <- 0:(2^k - 1)
  cols_of <- function(mask) unlist(lapply(seq_len(k), function(i) if (bitwAnd(mask, 2^(i - 1)) > 0) sets[[i]] else integer(0)))
  fit <- function(cols) {
    if (is.null(C)) {
      if (length(cols) == 0) lm(y ~ 1) else lm(y ~ X[, cols + 1, drop = FALSE])
    } else {
      if (length(cols) == 0) lm(y ~ C) else lm(y ~ C + X[, cols + 1, drop = FALSE])
    }
  }
  base_rss <- deviance(fit(integer(0)))
  r2_of <- function(mask) {
    cols <- cols_of(mask)
    if (length(cols) == 0) return(0)
    if (is.null(C)) summary(fit(cols))$r.squared else 1 - deviance(fit(cols)) / base_rss
  }
  r2 <- vapply(masks, r2_of, numeric(1))
  R2 <- function(mask) r2[mask + 1]
  bit <- function(i) 2^(i - 1)
  others <- function(i) setdiff(seq_len(k), i)
  conditional <- t(vapply(seq_len(k), function(i) vapply(0:(k - 1), function(s) {
    subsets <- if (s == 0) list(integer(0)) else combn(others(i), s, simplify = FALSE)
    mean(vapply(subsets, function(S) { m <- sum(bit(S)); R2(m + bit(i)) - R2(m) }, numeric(1)))
  }, numeric(1)), numeric(k)))
  general <- rowMeans(conditional)
  verdict <- function(d) if (all(d > 0)) 1 else if (all(d < 0)) 0 else 0.5
  pairwise <- function(f) { m <- matrix(NA_real_, k, k); for (i in seq_len(k)) for (j in seq_len(k)) if (i != j) m[i, j] <- verdict(f(i, j)); m }
  complete <- pairwise(function(i, j) {
    rest <- setdiff(seq_len(k), c(i, j))
    subsets <- c(list(integer(0)), unlist(lapply(seq_along(rest), function(s) combn(rest, s, simplify = FALSE)), recursive = FALSE))
    if (length(rest) == 1) subsets <- list(integer(0), rest)
    vapply(subsets, function(S) { m <- sum(bit(S)); R2(m + bit(i)) - R2(m + bit(j)) }, numeric(1))
  })
  cond_dom <- pairwise(function(i, j) conditional[i, ] - conditional[j, ])
  gen_dom <- pairwise(function(i, j) general[i] - general[j])
  hier <- list(); prev <- NULL; prev_cols <- integer(0)
  for (i in seq_len(k)) {
    cols <- c(prev_cols, sets[[i]])
    m_next <- fit(cols)
    m_prev <- fit(prev_cols)
    a <- anova(m_prev, m_next)
    r2_of_fit <- function(m, cols) if (length(cols) == 0) 0 else if (is.null(C)) summary(m)$r.squared else 1 - deviance(m) / base_rss
    r2_next <- r2_of_fit(m_next, cols)
    r2_prev <- r2_of_fit(m_prev, prev_cols)
    hier[[i]] <- list(set = i - 1, r2 = r2_next, delta = r2_next - r2_prev,
                      f = a$F[2], df1 = a$Df[2], df2 = a$Res.Df[2], p = a$`Pr(>F)`[2])
    prev_cols <- cols
  }
  full <- 2^k - 1
  commonality <- vapply(1:full, function(t) {
    sub <- Filter(function(s) bitwAnd(s, t) == s, 0:t)
    sign_t <- if (sum(as.integer(intToBits(t))) %% 2 == 1) 1 else -1
    sign_t * sum(vapply(sub, function(s) (-1)^sum(as.integer(intToBits(s))) * R2(bitwAnd(full, bitwNot(s))), numeric(1)))
  }, numeric(1))
  list(y = vec(y), x = lapply(seq_len(ncol(X)), function(j) vec(X[, j])), columns = colnames(X),
       sets = lapply(sets, vec), r2 = vec(r2), conditional = lapply(seq_len(k), function(i) vec(conditional[i, ])),
       general = vec(general), complete = lapply(seq_len(k), function(i) vec(complete[i, ])),
       conditional_dominance = lapply(seq_len(k), function(i) vec(cond_dom[i, ])),
       general_dominance = lapply(seq_len(k), function(i) vec(gen_dom[i, ])),
       hierarchical = hier, commonality = vec(commonality))
}
