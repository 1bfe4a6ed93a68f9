"""Plot of the search-quality benchmark: hypervolume gap to the true front against evaluations.

Usage:  /usr/bin/python3 bench/quality/plot_search_quality.py CURVES.csv OUT_DIR [NAME [TITLE]]

CURVES.csv is what `search_quality --curves` writes (algorithm, seed, evaluations, hv_ratio).
Writes OUT_DIR/NAME.png and .svg (NAME: search_quality): per algorithm, the median over seeds of 1 - HV ratio (log
scale), with the min-max band over seeds.
"""

import csv
import os
import statistics
import sys
from collections import defaultdict

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
import plot_style  # noqa: E402

plot_style.apply_fixed_style("search_quality")
plt = plot_style.plt

rows = defaultdict(lambda: defaultdict(list))
with open(sys.argv[1], newline="") as f:
    for row in csv.DictReader(f):
        rows[row["algorithm"]][int(row["evaluations"])].append(float(row["hv_ratio"]))

fig, ax = plt.subplots(figsize=(6.4, 4.0))
for algorithm, by_evals in rows.items():
    evals = sorted(by_evals)
    gap = [max(1e-5, 1 - statistics.median(by_evals[e])) for e in evals]
    low = [max(1e-5, 1 - max(by_evals[e])) for e in evals]
    high = [max(1e-5, 1 - min(by_evals[e])) for e in evals]
    (line,) = ax.plot(evals, gap, label=algorithm)
    ax.fill_between(evals, low, high, color=line.get_color(), alpha=0.15, linewidth=0)
ax.set_yscale("log")
ax.set_xlabel("evaluations")
ax.set_ylabel("1 - HV / reference front HV (median, min-max band)")
name = sys.argv[3] if len(sys.argv) > 3 else "search_quality"
ax.set_title(sys.argv[4] if len(sys.argv) > 4 else "Search quality on configs/spaces/quality.toml (73 728 genomes)")
ax.legend()
ax.grid(True, which="both", alpha=0.3)
fig.tight_layout()
plot_style.save_figure(fig, sys.argv[2], name)
