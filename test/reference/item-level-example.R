# Golden values for src/stats/reliability/ on the item-level example study
# (examples/item-level-study, written by `npx tsx scripts/itemise-study.ts --from examples/example-study
# --out examples/item-level-study --seed 7`): psych::alpha and psych::omega on its PHQ-9, GAD-7 and
# WAI-SR items.
#
# Run from the repository root:   Rscript test/reference/item-level-example.R
# Writes:                          test/reference/fixtures/item-level-example.json
#
# Item sets (no item is reverse-keyed; every set uses complete cases only, i.e. rows where every
# item of the set that selects the rows is present):
#   phq9_baseline, phq9_outcome   clients.csv phq9_pre_1..9 / phq9_post_1..9, client rows in file order
#   gad7_baseline, gad7_outcome   clients.csv gad7_pre_1..7 / gad7_post_1..7, likewise
#   wai_sr                        sessions.csv wai_1..12: per client, the row of its lowest-numbered
#                                 session among those with all 12 items present; one row per client,
#                                 clients in order of first appearance in clients.csv
#   wai_sr_goal / _task / _bond   the same rows as wai_sr (selected by all 12 items being present),
#                                 subscale items only: goal 4, 6, 8, 11; task 1, 2, 10, 12; bond 3, 5, 7, 9
#   phq9_session                  sessions.csv phq9_1..9, per client the lowest-numbered session with
#                                 all 9 present, same client order
# Each set records that rule as text (`rule`), its rows (`client_id`, and `session` for the session
# sets), and the same fields as test/reference/fixtures/reliability.json: the items as analysed,
# psych::alpha(items, check.keys = FALSE) ($total, $var.r, $feldt, $item.stats, $alpha.drop; psych
# scores the total as the mean of the items), and omega from one factor: psych::omega(items,
# nfactors = 1) with the minres loadings of fa(items, nfactors = 1), plus the loadings refined to
# the minres optimum and omega recomputed from them (the refinement of test/reference/reliability.R,
# duplicated below: BFGS on sum over i < j of (r_ij - l_i l_j)^2, reltol 1e-16, then five Newton
# steps; omega.tot = 1 - sum(1 - l^2) / sum(R), omega_h = sum(l)^2 / sum(R)).

suppressPackageStartupMessages({ library(psych); library(GPArotation) })
source("test/reference/json-writer.R")
source("test/reference/reliability-helpers.R")

study <- "examples/item-level-study"
clients <- read.csv(file.path(study, "clients.csv"), na.strings = "", colClasses = c(client_id = "character"))
sessions <- read.csv(file.path(study, "sessions.csv"), na.strings = "", colClasses = c(client_id = "character"))

items_of <- function(prefix, numbers) paste0(prefix, numbers)
wai_all <- items_of("wai_", 1:12)
phq9_session <- items_of("phq9_", 1:9)

# Client-level sets: every client row in file order whose items are all present.
client_rows <- function(columns) {
  keep <- complete.cases(clients[, columns])
  list(data = clients[keep, columns], client_id = clients$client_id[keep], session = NULL)
}

# Session-level sets: per client, the lowest-numbered session with every item of `select` present;
# clients in order of first appearance in clients.csv.
session_rows <- function(select, columns) {
  s <- sessions[complete.cases(sessions[, select]), ]
  s <- s[order(match(s$client_id, clients$client_id), s$session), ]
  s <- s[!duplicated(s$client_id), ]
  list(data = s[, columns], client_id = s$client_id, session = s$session)
}

CLIENT_RULE <- "clients.csv, every client row in file order with all items of the set present (complete cases)"
session_rule <- function(what) paste0(
  "sessions.csv, per client the row of its lowest-numbered session with all ", what,
  " present (one row per client, clients in order of first appearance in clients.csv); complete cases")

sets <- list(
  phq9_baseline = list(columns = items_of("phq9_pre_", 1:9), rule = CLIENT_RULE, rows = function(cols) client_rows(cols)),
  phq9_outcome = list(columns = items_of("phq9_post_", 1:9), rule = CLIENT_RULE, rows = function(cols) client_rows(cols)),
  gad7_baseline = list(columns = items_of("gad7_pre_", 1:7), rule = CLIENT_RULE, rows = function(cols) client_rows(cols)),
  gad7_outcome = list(columns = items_of("gad7_post_", 1:7), rule = CLIENT_RULE, rows = function(cols) client_rows(cols)),
  wai_sr = list(columns = wai_all, rule = session_rule("12 WAI-SR items wai_1..wai_12"),
                rows = function(cols) session_rows(wai_all, cols)),
  wai_sr_goal = list(columns = items_of("wai_", c(4, 6, 8, 11)),
                     rule = paste(session_rule("12 WAI-SR items wai_1..wai_12"), "(the rows of wai_sr); goal items 4, 6, 8, 11"),
                     rows = function(cols) session_rows(wai_all, cols)),
  wai_sr_task = list(columns = items_of("wai_", c(1, 2, 10, 12)),
                     rule = paste(session_rule("12 WAI-SR items wai_1..wai_12"), "(the rows of wai_sr); task items 1, 2, 10, 12"),
                     rows = function(cols) session_rows(wai_all, cols)),
  wai_sr_bond = list(columns = items_of("wai_", c(3, 5, 7, 9)),
                     rule = paste(session_rule("12 WAI-SR items wai_1..wai_12"), "(the rows of wai_sr); bond items 3, 5, 7, 9"),
                     rows = function(cols) session_rows(wai_all, cols)),
  phq9_session = list(columns = phq9_session, rule = session_rule("9 PHQ-9 items phq9_1..phq9_9"),
                      rows = function(cols) session_rows(phq9_session, cols))
)


case_of <- function(spec) {
  rows <- spec$rows(spec$columns)
  d <- rows$data
  stopifnot(!anyNA(d))
  out <- c(list(
    rule = spec$rule,
    client_id = rows$client_id,
    session = if (is.null(rows$session)) NULL else vec(rows$session),
    items = lapply(spec$columns, function(i) vec(d[[i]])),
    names = spec$columns,
    reversed = character(0)
  ), reliability_record(d))
  if (is.null(rows$session)) out$session <- NULL
  out
}

scales <- lapply(sets, case_of)
for (name in names(scales)) {
  s <- scales[[name]]
  cat(sprintf("%-14s n = %4d  alpha = %.3f  omega = %.3f\n", name, s$n, s$total$raw_alpha, s$omega$refined$omega_tot))
}

fixture <- list(
  provenance = provenance_of("test/reference/item-level-example.R", c("psych", "GPArotation", "jsonlite"),
    "psych::alpha and psych::omega(nfactors = 1) on the item sets of examples/item-level-study, complete cases (see the script's header)."),
  study = study,
  scales = scales
)
write_json_fixture(fixture, "test/reference/fixtures/item-level-example.json")
