# Independent R reference ("R is the referee") for the `clinical` section of results.json (issue 7)
# on the bundled item-level example study (examples/item-level-study): item scoring with proration,
# Jacobson–Truax, early alliance by outcome category, the NHS Talking Therapies metrics, ruptures
# and repairs, sudden gains, and the chart aggregates (trajectories, pre/post bins).
#
# Run from the project root:   Rscript test/reference/clinical-example.R
# Writes test/reference/fixtures/clinical-example.json (full precision, json-writer.R).
# Compared with the pipeline by test/e2e/clinical-parity.test.ts.
#
# Everything is recomputed from the raw CSVs (clients.csv, sessions.csv) with base R and psych.
# The definitions (taken from the module comments of the TypeScript, implemented here on their own):
#
#   item scoring   registry rules (data-schemas/instruments/registry.ts): PHQ-9 9 items 0–3, sum,
#                  at most 1 missing; GAD-7 7 items 0–3, sum, at most 1 missing; WAI-SR 12 items
#                  1–5, mean, at most 2 missing, subscales task 1 2 10 12, bond 3 5 7 9, goal 4 6 8
#                  11, each allowing floor(2 * 4 / 12) = 0 missing items. A scale with m of its k
#                  items missing, 0 < m <= limit, is prorated: (sum of answered / answered), times
#                  k for sum scoring; beyond the limit it is missing and the row is "excluded",
#                  unless no item at all is answered (an occasion not assessed: neither prorated
#                  nor excluded). No item is reverse-keyed. The prorated total is computed as
#                  sum / answered * k, the order of operations of the definition ("the mean × k"),
#                  so that it is the same double as the pipeline's (every later threshold
#                  comparison then sees the same numbers).
#                  Blocks: phq9_baseline (phq9_pre_*), phq9_outcome (phq9_post_*), gad7_baseline,
#                  gad7_outcome (clients.csv), phq9_session (phq9_*), wai_sr_session (wai_*)
#                  (sessions.csv). Canonical columns: baseline, outcome, symptom (session PHQ-9),
#                  alliance (WAI-SR total), alliance_task / _bond / _goal.
#                  excluded_at: the first 20 exclusions, line = data row + 1 (the header is line 1).
#   Jacobson–Truax clients with both baseline and outcome totals; sd_pre = sd(baseline) over them;
#                  alpha = psych::alpha(raw_alpha) of the baseline items over every clients.csv row
#                  with all 9 items answered (not only the clients with an outcome: the TS takes the
#                  reliability row of the phq9_baseline block, whose rows are every complete row);
#                  S_diff = sqrt(2) * sd_pre * sqrt(1 - alpha); points = 1.96 * S_diff; the study
#                  file states no threshold, so the RCI rule applies. RCI = (post - pre) / S_diff;
#                  deteriorated when -RCI < -1.96, unchanged when -RCI <= 1.96, else recovered when
#                  pre >= 10 (at the cut-off counts as dysfunctional) and post < 10, else improved.
#   early alliance mean of the non-missing client-rated alliance (the WAI-SR total) in sessions 1–3,
#                  per client. The TS rounds it to 12 significant digits (derive/early-alliance.ts);
#                  signif(, 12) does the same here (below 5e-13 relative either way).
#   group tests    per group n, mean, sd over clients with a category and a value; groups with
#                  n >= min_cell (10) get mean and sd (smaller: n only) and enter oneway.test with
#                  var.equal = FALSE (Welch) and TRUE (classic).
#   Talking Therapies  every client row is a course; a course is finished with all four scores
#                  (PHQ-9 and GAD-7, baseline and outcome) and sessions_attended >= 2; a case:
#                  PHQ-9 >= 10 or GAD-7 >= 8; recovered: finished, a case at the start, not a case
#                  at the end; reliably improved: finished, a drop of at least 6 (PHQ-9) or 4
#                  (GAD-7) on one or both and no increase of at least that on the other; reliably
#                  deteriorated likewise upwards; reliably recovered = recovered and reliably
#                  improved. Recovery rates over finished cases, the other two over finished.
#   ruptures       pooled within-client SD of alliance: sqrt(sum (x - client mean)^2 / (N - C)) over
#                  every rated session (N ratings, C clients with a rating); threshold = 1 SD (the
#                  study file's default threshold_sd); rupture at t: alliance(t - 1) - alliance(t)
#                  >= threshold, both sessions rated; repaired when one of sessions t + 1 .. t + 3
#                  (repair_window 3, the default) is rated >= alliance(t - 1). "At least" is
#                  a >= b - 1e-9 * max(1, |b|), as the TS (derive/at-least.ts) states.
#                  Transitions: rated sessions t whose t - 1 is rated, by t; by_session keeps
#                  session numbers with >= min_cell transitions. Improvement groups over clients
#                  with at least one transition: no rupture / every rupture repaired / one unrepaired.
#   sudden gains   Tang & DeRubeis on the session PHQ-9 (symptom): N and N + 1 both scored, gain
#                  = symptom(N) - symptom(N + 1) >= the JT points (the TS takes the reliable change
#                  of the JT record, here 1.96 * S_diff), gain >= 0.25 * symptom(N) (best end 0),
#                  and mean(N-2..N) - mean(N+1..N+3) (scored sessions only, at least 2 each side)
#                  > qt(0.975, n1 + n2 - 2) * pooled SD. A client's first gain is its lowest N.
#                  Quartiles of the first-gain sessions by quantile type 7 (when >= min_cell);
#                  t.test(after, before, paired = TRUE) of alliance at N and N + 1 of each first gain
#                  rated at both; improvement compared between clients with a session symptom score
#                  and no gain and clients with a gain.
#   trajectories   session alliance by JT category x session number: median, q1, q3 (type 7),
#                  cells with >= min_cell ratings, in category order then by session.
#   pre_post_bins  width = max(1, round(27 / 9)) = 3; bin(x) = 3 * min(floor(x / 3), 8); cells with
#                  >= min_cell clients kept, the rest summed into `suppressed`.
#
# `margins` records how far the closest cases lie from each threshold (for the reader: a
# classification that hangs on the last bit of a double would be a fragile comparison).

suppressPackageStartupMessages(library(psych))
source("test/reference/json-writer.R")

study <- "examples/item-level-study"
clients <- read.csv(file.path(study, "clients.csv"), na.strings = "", colClasses = c(client_id = "character"))
sessions <- read.csv(file.path(study, "sessions.csv"), na.strings = "", colClasses = c(client_id = "character"))
stopifnot(!anyDuplicated(clients$client_id), !anyDuplicated(paste(sessions$client_id, sessions$session)),
          all(sessions$client_id %in% clients$client_id))

MIN_CELL <- 10
CATEGORIES <- c("recovered", "improved", "unchanged", "deteriorated")
at_least <- function(value, bound) value >= bound - 1e-9 * pmax(1, abs(bound))

# ---- item scoring --------------------------------------------------------------------------------

# One scale of `items` (a matrix, NA = missing): score, prorated, too many missing.
score_scale <- function(items, limit, scoring) {
  k <- ncol(items)
  answered <- rowSums(!is.na(items))
  missing <- k - answered
  sums <- rowSums(items, na.rm = TRUE)
  mean_answered <- sums / answered
  score <- if (scoring == "sum") mean_answered * k else mean_answered
  dropped <- missing > limit | answered == 0
  score[dropped] <- NA
  list(score = score, answered = answered, prorated = !dropped & missing > 0, dropped = dropped)
}

score_block <- function(data, prefix, k, range, limit, scoring, subscales = list()) {
  columns <- paste0(prefix, seq_len(k))
  items <- as.matrix(data[, columns])
  stopifnot(all(is.na(items) | (items >= range[1] & items <= range[2])))
  total <- score_scale(items, limit, scoring)
  excluded <- which(total$dropped & total$answered > 0)
  subs <- lapply(subscales, function(s) {
    sub_limit <- floor(limit * length(s) / k)
    r <- score_scale(items[, s, drop = FALSE], sub_limit, scoring)
    list(limit = sub_limit, score = r$score,
         counts = list(items = length(s), limit = sub_limit, prorated = sum(r$prorated),
                       excluded = sum(r$dropped & r$answered > 0), missing = sum(is.na(r$score))))
  })
  list(
    total = total$score,
    subscales = subs,
    complete = items[total$answered == k, , drop = FALSE],
    counts = list(
      rows = nrow(items), answered = sum(total$answered > 0), prorated = sum(total$prorated),
      excluded = length(excluded), missing = sum(is.na(total$score)),
      excluded_at = lapply(head(excluded, 20), function(i) list(line = i + 1, missing = vec(which(is.na(items[i, ]))))),
      subscales = lapply(subs, function(s) s$counts)))
}

WAI_SUBSCALES <- list(task = c(1, 2, 10, 12), bond = c(3, 5, 7, 9), goal = c(4, 6, 8, 11))
blocks <- list(
  phq9_baseline = score_block(clients, "phq9_pre_", 9, c(0, 3), 1, "sum"),
  phq9_outcome = score_block(clients, "phq9_post_", 9, c(0, 3), 1, "sum"),
  gad7_baseline = score_block(clients, "gad7_pre_", 7, c(0, 3), 1, "sum"),
  gad7_outcome = score_block(clients, "gad7_post_", 7, c(0, 3), 1, "sum"),
  phq9_session = score_block(sessions, "phq9_", 9, c(0, 3), 1, "sum"),
  wai_sr_session = score_block(sessions, "wai_", 12, c(1, 5), 2, "mean", WAI_SUBSCALES)
)

clients$baseline <- blocks$phq9_baseline$total
clients$outcome <- blocks$phq9_outcome$total
clients$gad7_baseline <- blocks$gad7_baseline$total
clients$gad7_outcome <- blocks$gad7_outcome$total
clients$improvement <- clients$baseline - clients$outcome
sessions$symptom <- blocks$phq9_session$total
sessions$alliance <- blocks$wai_sr_session$total
for (s in names(WAI_SUBSCALES)) sessions[[paste0("alliance_", s)]] <- blocks$wai_sr_session$subscales[[s]]$score
sessions$row <- match(sessions$client_id, clients$client_id)

# ---- shared helpers -------------------------------------------------------------------------------

# n, mean, sd per group (labels in order; group NA = in none), and the two F tests over the groups
# with at least MIN_CELL members.
compare_groups <- function(labels, group, values) {
  keep <- !is.na(group) & !is.na(values)
  g <- factor(labels[group[keep]], levels = labels)
  v <- values[keep]
  n <- as.vector(table(g))
  shown <- n >= MIN_CELL
  rows <- lapply(seq_along(labels), function(i) {
    x <- v[g == labels[i]]
    list(category = labels[i], n = n[i], mean = if (shown[i]) mean(x) else NA, sd = if (shown[i]) sd(x) else NA)
  })
  if (sum(shown) < 2) return(list(status = "not_estimable", groups = rows))
  d <- data.frame(v = v, g = droplevels(factor(as.character(g), levels = labels[shown])))
  d <- d[!is.na(d$g), ]
  f <- function(equal) {
    t <- oneway.test(v ~ g, data = d, var.equal = equal)
    list(statistic = unname(t$statistic), df1 = unname(t$parameter[1]), df2 = unname(t$parameter[2]), p = t$p.value)
  }
  list(status = "estimated", groups = rows, welch = f(FALSE), classic = f(TRUE))
}

# Value of `column` at (client row, session), NA where the session is absent or unrated.
lookup <- function(column, row, session) {
  s <- sessions[!is.na(sessions[[column]]), ]
  s[[column]][match(paste(row, session), paste(s$row, s$session))]
}

q7 <- function(x) unname(quantile(x, c(0.5, 0.25, 0.75), type = 7))

# ---- Jacobson–Truax ------------------------------------------------------------------------------

both <- !is.na(clients$baseline) & !is.na(clients$outcome)
sd_pre <- sd(clients$baseline[both])
alpha <- psych::alpha(as.data.frame(blocks$phq9_baseline$complete), check.keys = FALSE, warnings = FALSE)$total$raw_alpha
s_diff <- sqrt(2) * sd_pre * sqrt(1 - alpha)
CUT_OFF <- 10
rci <- (clients$outcome - clients$baseline) / s_diff
towards_better <- -rci
category <- ifelse(towards_better < -1.96, 4L,
             ifelse(towards_better <= 1.96, 3L,
               ifelse(clients$baseline >= CUT_OFF & clients$outcome < CUT_OFF, 1L, 2L)))
category[!both] <- NA
jt_points <- 1.96 * s_diff

early <- sessions[sessions$session >= 1 & sessions$session <= 3 & !is.na(sessions$alliance), ]
early_mean <- tapply(early$alliance, early$row, function(x) sum(x) / length(x))
clients$early_alliance <- NA_real_
clients$early_alliance[as.integer(names(early_mean))] <- signif(as.vector(early_mean), 12)

jacobson_truax <- list(
  n = sum(both), sd_pre = sd_pre, alpha = alpha, alpha_rows = nrow(blocks$phq9_baseline$complete),
  s_diff = s_diff, points = jt_points, cut_off = CUT_OFF,
  counts = setNames(as.list(as.vector(table(factor(category, levels = 1:4)))), CATEGORIES),
  early_alliance = compare_groups(CATEGORIES, category, clients$early_alliance))

# ---- NHS Talking Therapies -----------------------------------------------------------------------

p0 <- clients$baseline; p1 <- clients$outcome; g0 <- clients$gad7_baseline; g1 <- clients$gad7_outcome
scored <- !is.na(p0) & !is.na(p1) & !is.na(g0) & !is.na(g1)
attended <- clients$sessions_attended
finished <- scored & !is.na(attended) & attended >= 2
is_case <- function(p, g) !is.na(p) & !is.na(g) & (p >= 10 | g >= 8)
case_start <- scored & is_case(p0, g0)
recovered <- finished & case_start & !is_case(p1, g1)
dp <- p1 - p0; dg <- g1 - g0
improved_on <- scored & (dp <= -6 | dg <= -4)
worse_on <- scored & (dp >= 6 | dg >= 4)
reliably_improved <- finished & improved_on & !worse_on
reliably_deteriorated <- finished & worse_on & !improved_on
reliably_recovered <- recovered & reliably_improved
rate <- function(k, of) if (of == 0) NA else k / of
talking_therapies <- list(
  courses = nrow(clients), finished = sum(finished), finished_cases = sum(finished & case_start),
  recovered = sum(recovered), reliably_improved = sum(reliably_improved),
  reliably_deteriorated = sum(reliably_deteriorated), reliably_recovered = sum(reliably_recovered),
  recovery_rate = rate(sum(recovered), sum(finished & case_start)),
  reliable_improvement_rate = rate(sum(reliably_improved), sum(finished)),
  reliable_deterioration_rate = rate(sum(reliably_deteriorated), sum(finished)),
  reliable_recovery_rate = rate(sum(reliably_recovered), sum(finished & case_start)))

# ---- ruptures and repairs ------------------------------------------------------------------------

rated <- sessions[!is.na(sessions$alliance), c("row", "session", "alliance")]
client_mean <- ave(rated$alliance, rated$row)
within_sd <- sqrt(sum((rated$alliance - client_mean)^2) / (nrow(rated) - length(unique(rated$row))))
threshold <- 1 * within_sd
REPAIR_WINDOW <- 3
rated$before <- lookup("alliance", rated$row, rated$session - 1)
rated$transition <- !is.na(rated$before)
rated$rupture <- rated$transition & at_least(rated$before - rated$alliance, threshold)
later <- sapply(seq_len(REPAIR_WINDOW), function(w) lookup("alliance", rated$row, rated$session + w))
rated$repaired <- rated$rupture & apply(at_least(later, rated$before) & !is.na(later), 1, any)
per_client <- function(x) as.vector(tapply(x, factor(rated$row, levels = seq_len(nrow(clients))), sum, default = 0))
transitions_c <- per_client(rated$transition)
ruptures_c <- per_client(rated$rupture)
repaired_c <- per_client(rated$repaired)
rupture_group <- ifelse(transitions_c == 0, NA, ifelse(ruptures_c == 0, 1L, ifelse(repaired_c == ruptures_c, 2L, 3L)))
by_t <- table(rated$session[rated$transition])
by_r <- table(factor(rated$session[rated$rupture], levels = names(by_t)))
keep_t <- as.vector(by_t) >= MIN_CELL
ruptures <- list(
  within_client_sd = within_sd, threshold = threshold, threshold_sd = 1, repair_window = REPAIR_WINDOW,
  clients_rated = sum(transitions_c > 0), transitions = sum(rated$transition), ruptures = sum(rated$rupture),
  repaired = sum(rated$repaired), clients_with_rupture = sum(ruptures_c > 0),
  rupture_rate = sum(rated$rupture) / sum(rated$transition), repair_rate = sum(rated$repaired) / sum(rated$rupture),
  by_session = list(session = vec(as.integer(names(by_t))[keep_t]), transitions = vec(as.vector(by_t)[keep_t]),
                    ruptures = vec(as.vector(by_r)[keep_t])),
  improvement = compare_groups(c("no rupture", "every rupture repaired", "a rupture unrepaired"), rupture_group, clients$improvement))

# ---- sudden gains --------------------------------------------------------------------------------

sy <- sessions[!is.na(sessions$symptom), c("row", "session", "symptom")]
sy <- sy[order(sy$row, sy$session), ]
at_symptom <- function(offset) lookup("symptom", sy$row, sy$session + offset)
post <- at_symptom(1)
gain <- sy$symptom - post
around <- cbind(at_symptom(-2), at_symptom(-1), sy$symptom, post, at_symptom(2), at_symptom(3))
criterion3 <- t(apply(around, 1, function(x) {
  a <- x[1:3][!is.na(x[1:3])]; b <- x[4:6][!is.na(x[4:6])]
  if (length(a) < 2 || length(b) < 2) return(c(NA, NA))
  df <- length(a) + length(b) - 2
  pooled <- sqrt((sum((a - sum(a) / length(a))^2) + sum((b - sum(b) / length(b))^2)) / df)
  c(sum(a) / length(a) - sum(b) / length(b), qt(0.975, df) * pooled)
}))
sy$gain <- !is.na(post) & at_least(gain, jt_points) & at_least(gain, 0.25 * abs(sy$symptom - 0)) &
  !is.na(criterion3[, 1]) & criterion3[, 1] > criterion3[, 2]
gains <- sy[sy$gain, ]
first <- gains[!duplicated(gains$row), ]
with_series <- seq_len(nrow(clients)) %in% sy$row
gain_group <- ifelse(with_series, 1L, NA)
gain_group[first$row] <- 2L
first$before <- lookup("alliance", first$row, first$session)
first$after <- lookup("alliance", first$row, first$session + 1)
pairs <- first[!is.na(first$before) & !is.na(first$after), ]
tt <- t.test(pairs$after, pairs$before, paired = TRUE)
fq <- q7(first$session)
sudden_gains <- list(
  minimum = jt_points, clients_with_series = sum(with_series), gains = nrow(gains), clients_with_gain = nrow(first),
  first_gain_session = if (nrow(first) >= MIN_CELL) list(median = fq[1], q1 = fq[2], q3 = fq[3]) else NULL,
  alliance_around_gain = list(n = nrow(pairs), before = mean(pairs$before), after = mean(pairs$after),
                              difference = unname(tt$estimate), t = unname(tt$statistic), df = unname(tt$parameter), p = tt$p.value),
  improvement = compare_groups(c("no sudden gain", "sudden gain"), gain_group, clients$improvement))

# ---- trajectories and pre/post bins --------------------------------------------------------------

tr <- sessions[!is.na(sessions$alliance) & !is.na(category[sessions$row]), ]
tr$category <- category[tr$row]
cells <- split(tr$alliance, list(tr$category, tr$session), drop = TRUE)
keys <- do.call(rbind, lapply(strsplit(names(cells), ".", fixed = TRUE), as.integer))
n_cell <- lengths(cells)
ord <- order(keys[, 1], keys[, 2])
ord <- ord[n_cell[ord] >= MIN_CELL]
qs <- t(vapply(cells[ord], q7, numeric(3)))
trajectories <- list(category = CATEGORIES[keys[ord, 1]], session = vec(keys[ord, 2]), n = vec(n_cell[ord]),
                     median = vec(qs[, 1]), q1 = vec(qs[, 2]), q3 = vec(qs[, 3]))

WIDTH <- max(1, round((27 - 0) / 9))
bin <- function(x) 0 + WIDTH * pmin(floor((x - 0) / WIDTH), ceiling((27 - 0) / WIDTH) - 1)
bins <- table(factor(paste(bin(clients$baseline[both]), bin(clients$outcome[both]))))
bin_keys <- do.call(rbind, lapply(strsplit(names(bins), " ", fixed = TRUE), as.numeric))
bo <- order(bin_keys[, 1], bin_keys[, 2])
kept <- bo[as.vector(bins)[bo] >= MIN_CELL]
pre_post_bins <- list(width = WIDTH, pre = vec(bin_keys[kept, 1]), post = vec(bin_keys[kept, 2]), n = vec(as.vector(bins)[kept]),
                      suppressed = sum(as.vector(bins)[as.vector(bins) < MIN_CELL]))

# ---- margins: how close the nearest cases come to each threshold --------------------------------

margins <- list(
  jt_rci = min(abs(abs(rci[both]) - 1.96)),
  rupture_drop = min(abs((rated$before - rated$alliance)[rated$transition] - threshold)),
  gain_minimum = min(abs(gain[!is.na(gain)] - jt_points)),
  gain_criterion3 = min(abs(criterion3[, 1] - criterion3[, 2])[!is.na(post) & at_least(gain, jt_points) &
                                                                 at_least(gain, 0.25 * sy$symptom)], na.rm = TRUE))
print(margins)

cat(sprintf("JT: n = %d, alpha = %.4f, S_diff = %.4f; %s\n", jacobson_truax$n, alpha, s_diff,
            paste(names(jacobson_truax$counts), unlist(jacobson_truax$counts), collapse = ", ")))
cat(sprintf("ruptures %d of %d transitions, repaired %d; sudden gains %d in %d clients\n",
            ruptures$ruptures, ruptures$transitions, ruptures$repaired, sudden_gains$gains, sudden_gains$clients_with_gain))

fixture <- list(
  provenance = provenance_of("test/reference/clinical-example.R", c("psych", "jsonlite"),
    "The clinical section of results.json on examples/item-level-study recomputed from the raw CSVs with base R and psych (see the script's header)."),
  study = study,
  min_cell = MIN_CELL,
  scoring = lapply(blocks, function(b) b$counts),
  missing = list(baseline = sum(is.na(clients$baseline)), outcome = sum(is.na(clients$outcome)),
                 symptom = sum(is.na(sessions$symptom)), alliance = sum(is.na(sessions$alliance)),
                 alliance_task = sum(is.na(sessions$alliance_task)), alliance_bond = sum(is.na(sessions$alliance_bond)),
                 alliance_goal = sum(is.na(sessions$alliance_goal))),
  jacobson_truax = jacobson_truax,
  talking_therapies = talking_therapies,
  ruptures = ruptures,
  sudden_gains = sudden_gains,
  trajectories = trajectories,
  pre_post_bins = pre_post_bins,
  margins = margins
)
write_json_fixture(fixture, "test/reference/fixtures/clinical-example.json")
