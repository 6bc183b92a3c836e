# The bundled example study as the multilevel references read it, shared by multilevel-example.R
# and site-pooling-models.R (run from the project root; see json-writer.R on paths).
#
# clients        clients.csv with early (mean of the non-missing client-rated alliance in sessions
#                1-3) and improvement (baseline - outcome; PHQ-9: lower is better)
# sessions       sessions.csv
# control, fit   lmerTest::lmer by REML with bobyqa, rhoend = 2e-10, for a tight optimum
# session_pairs  session t with alliance and symptom, and session t + 1 of the same client with
#                symptom; the client's therapist and site; the client mean of alliance over these
#                pairs and the deviation from it

study_dir <- "examples/example-study"
clients <- read.csv(file.path(study_dir, "clients.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
sessions <- read.csv(file.path(study_dir, "sessions.csv"), na.strings = c("", "NA"), stringsAsFactors = FALSE)
control <- lmerControl(optimizer = "bobyqa", optCtrl = list(rhobeg = 2e-4, rhoend = 2e-10))

early <- sessions[sessions$session >= 1 & sessions$session <= 3 & !is.na(sessions$alliance), ]
early_mean <- tapply(early$alliance, early$client_id, mean)
clients$early <- unname(early_mean[clients$client_id])
clients$improvement <- clients$baseline - clients$outcome

fit <- function(formula, d) lmerTest::lmer(formula, data = d, REML = TRUE, control = control)

session_pairs <- function() {
  s <- sessions[order(sessions$client_id, sessions$session), ]
  nxt <- s[-1, ]
  cur <- s[-nrow(s), ]
  pair <- cur$client_id == nxt$client_id & nxt$session == cur$session + 1 & !is.na(cur$alliance) & !is.na(cur$symptom) & !is.na(nxt$symptom)
  p <- data.frame(client_id = cur$client_id[pair], alliance = cur$alliance[pair], symptom = cur$symptom[pair], symptom_next = nxt$symptom[pair])
  p$therapist_id <- clients$therapist_id[match(p$client_id, clients$client_id)]
  p$site_id <- clients$site_id[match(p$client_id, clients$client_id)]
  p$alliance_client_mean <- ave(p$alliance, p$client_id)
  p$alliance_within <- p$alliance - p$alliance_client_mean
  p
}
