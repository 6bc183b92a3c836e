"""pandas + scipy baseline for the benchmark (bench/run.ts runs it when pandas and scipy import).

    python3 bench/baseline.py CLIENTS_CSV SESSIONS_CSV

Computes only the correlations, as a researcher would in pandas (issue 3's "pandas script that
computes only the correlations"):
  - reads both CSV files whole with pandas.read_csv (default C engine, every column);
  - early alliance = mean of the non-missing client-rated `alliance` in sessions 1-3;
  - improvement = baseline - outcome (a lower-is-better outcome, the generator's default);
  - Pearson r(early alliance, improvement) with scipy.stats.pearsonr on complete cases;
  - Pearson r within each site (sites with at least 4 complete cases).
Prints one JSON line: versions, seconds spent reading and computing, r, n, per-site r.
"""
import json
import sys
import time

t_start = time.perf_counter()
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
from scipy import stats  # noqa: E402

EARLY_FIRST, EARLY_LAST, MIN_SITE_N = 1, 3, 4


def main(clients_csv: str, sessions_csv: str) -> None:
    t_imported = time.perf_counter()
    clients = pd.read_csv(clients_csv)
    sessions = pd.read_csv(sessions_csv)
    t_read = time.perf_counter()

    window = sessions[(sessions["session"] >= EARLY_FIRST) & (sessions["session"] <= EARLY_LAST)]
    early = window.groupby("client_id")["alliance"].mean().rename("early")  # NaN-skipping mean
    data = clients.set_index("client_id")[["site_id", "baseline", "outcome"]].join(early)
    data["improvement"] = data["baseline"] - data["outcome"]
    complete = data.dropna(subset=["early", "baseline", "outcome"])
    r, p = stats.pearsonr(complete["early"], complete["improvement"])

    sites = []
    for site, group in complete.groupby("site_id"):
        if len(group) >= MIN_SITE_N:
            site_r, _ = stats.pearsonr(group["early"], group["improvement"])
            sites.append({"site": str(site), "r": float(site_r), "n": int(len(group))})
    t_done = time.perf_counter()

    print(json.dumps({
        "tool": "pandas",
        "versions": {"python": sys.version.split()[0], "pandas": pd.__version__, "scipy": scipy.__version__},
        "import_s": t_imported - t_start,
        "read_s": t_read - t_imported,
        "compute_s": t_done - t_read,
        "r": float(r),
        "p": float(p),
        "n": int(len(complete)),
        "sites": sites,
    }))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python3 bench/baseline.py CLIENTS_CSV SESSIONS_CSV")
    main(sys.argv[1], sys.argv[2])
