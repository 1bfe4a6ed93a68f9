"""Bar plot of an `elaa validate` output directory.

Usage:  /usr/bin/python3 scripts/plot_validation.py DIR

Reads DIR/validation.csv (case, metric, unit, measured, modelled, error_pct, source) and writes
DIR/plots/validation.{png,svg}: for every case, the modelled value of each published metric as a
ratio to the measured one (log axis; 1 = exact, the shaded band is +-15 %). Metrics without a
measurement are left out. Prints nothing on success; on a missing or malformed input it prints one
line naming the file and line to stderr, exits with status 2 and writes no plot.
elaa writes this script and plot_style.py into a temporary directory and runs it from there.
"""

import csv
import math
import os
import sys

from plot_style import apply_fixed_style, save_figure  # first: it selects the Agg backend
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator  # noqa: E402

PROGRAM = "plot_validation.py"
COLUMNS = ["case", "metric", "unit", "measured", "modelled", "error_pct", "source"]


class InputError(Exception):
    """A missing or malformed input file; the message names the file and the line."""


def read_rows(path):
    try:
        with open(path, newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = next(reader, None)
            if header != COLUMNS:
                raise InputError(f"{path}:1: expected the columns {','.join(COLUMNS)}")
            rows = []
            for line, row in enumerate(reader, start=2):
                if len(row) != len(COLUMNS):
                    raise InputError(f"{path}:{line}: expected {len(COLUMNS)} fields, got {len(row)}")
                record = dict(zip(COLUMNS, row))
                if record["measured"] == "-":
                    continue
                try:
                    measured, modelled = float(record["measured"]), float(record["modelled"])
                except ValueError:
                    raise InputError(f"{path}:{line}: measured and modelled must be numbers") from None
                if not (measured > 0 and modelled > 0 and math.isfinite(measured) and math.isfinite(modelled)):
                    raise InputError(f"{path}:{line}: measured and modelled must be positive")
                rows.append((record["case"], record["metric"], modelled / measured))
            return rows
    except OSError as e:
        raise InputError(f"{path}: {e.strerror}") from None


def plot(rows, directory):
    apply_fixed_style("elaa-validation")
    cases = list(dict.fromkeys(case for case, _, _ in rows))
    metrics = list(dict.fromkeys(metric for _, metric, _ in rows))
    width = 0.8 / max(1, len(cases))
    figure, axes = plt.subplots(figsize=(8, 4.2))
    axes.axhspan(0.85, 1.15, color="0.85", zorder=0, label="within 15 %")
    axes.axhline(1.0, color="0.3", linewidth=0.8, zorder=1)
    for i, case in enumerate(cases):
        ratios = {metric: ratio for c, metric, ratio in rows if c == case}
        xs = [m + (i - (len(cases) - 1) / 2) * width for m in range(len(metrics)) if metrics[m] in ratios]
        ys = [ratios[metric] for metric in metrics if metric in ratios]
        axes.bar(xs, ys, width=width * 0.9, label=case, zorder=2)
    axes.set_yscale("log")
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10) if 0.5 * min(r for *_, r in rows) <= t <= 2.2 * max(r for *_, r in rows)]
    axes.yaxis.set_major_locator(FixedLocator(ticks))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}x"))
    axes.yaxis.set_minor_locator(NullLocator())
    axes.set_xticks(range(len(metrics)))
    axes.set_xticklabels(metrics, rotation=20, ha="right")
    axes.set_ylabel("modelled / measured (log)")
    axes.set_title("elaa against measured Eyeriss v1 silicon")
    # Headroom above the tallest bar for a one-row legend that covers no bar.
    low, high = min(r for *_, r in rows), max(r for *_, r in rows)
    axes.set_ylim(min(0.85, low) / 1.3, max(1.15, high) * 2.2)
    axes.legend(loc="upper center", ncol=len(cases) + 1, frameon=False)
    figure.tight_layout()
    os.makedirs(os.path.join(directory, "plots"), exist_ok=True)
    save_figure(figure, os.path.join(directory, "plots"), "validation")


def main(argv):
    if len(argv) != 2:
        print(f"{PROGRAM}: usage: {PROGRAM} DIR", file=sys.stderr)
        return 2
    try:
        rows = read_rows(os.path.join(argv[1], "validation.csv"))
        if not rows:
            raise InputError(f"{os.path.join(argv[1], 'validation.csv')}: no metric has a measurement")
        plot(rows, argv[1])
    except InputError as e:
        print(f"{PROGRAM}: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
