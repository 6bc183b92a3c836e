# lme4 timing of the within/between session model (issue 5), for comparison with the pipeline's
# "estimating the within/between session model" phase in the benchmark.
#
#   Rscript bench/within-between.R CLIENTS_CSV SESSIONS_CSV
#
# Derives the session pairs as the pipeline does (test/reference/multilevel-example.R does the
# same on the example study): session t with alliance and symptom, session t + 1 of the same
# client with symptom; the client's mean alliance over their pairs and the deviation from it.
# Then fits symptom_next ~ symptom + alliance_client_mean + alliance_within + (1 | client_id) with
# lme4::lmer (REML, default optimizer) and lmerTest's Satterthwaite df for its summary.
# Prints one JSON line: seconds to read, to derive the pairs, to fit (lmer), to add the
# Satterthwaite df (summary of the lmerTest fit), the number of pairs and the within coefficient.

suppressPackageStartupMessages({ library(lme4); library(lmerTest) })
args <- commandArgs(trailingOnly = TRUE)
now <- function() proc.time()[["elapsed"]]
t0 <- now()
clients <- read.csv(args[1], na.strings = c("", "NA"), stringsAsFactors = FALSE)
sessions <- read.csv(args[2], na.strings = c("", "NA"), stringsAsFactors = FALSE)
t_read <- now()
s <- sessions[order(sessions$client_id, sessions$session), c("client_id", "session", "alliance", "symptom")]
nxt <- s[-1, ]
cur <- s[-nrow(s), ]
pair <- cur$client_id == nxt$client_id & nxt$session == cur$session + 1 & !is.na(cur$alliance) & !is.na(cur$symptom) & !is.na(nxt$symptom)
p <- data.frame(client_id = cur$client_id[pair], alliance = cur$alliance[pair], symptom = cur$symptom[pair], symptom_next = nxt$symptom[pair])
p$alliance_client_mean <- ave(p$alliance, p$client_id)
p$alliance_within <- p$alliance - p$alliance_client_mean
t_pairs <- now()
m <- lme4::lmer(symptom_next ~ symptom + alliance_client_mean + alliance_within + (1 | client_id), data = p, REML = TRUE)
t_fit <- now()
co <- summary(lmerTest::as_lmerModLmerTest(m))$coefficients
t_df <- now()
cat(sprintf('{"read_s":%.3f,"pairs_s":%.3f,"lmer_s":%.3f,"satterthwaite_s":%.3f,"pairs":%d,"within":%.10g,"within_df":%.6g}\n',
  t_read - t0, t_pairs - t_read, t_fit - t_pairs, t_df - t_fit, nrow(p), co["alliance_within", "Estimate"], co["alliance_within", "df"]))
