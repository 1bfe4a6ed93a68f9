"""Plots of an `elaa optimise` run directory.

Usage:  /usr/bin/python3 scripts/plot_optimise.py DIR

Reads DIR/pareto.csv, DIR/history.csv and, when present, DIR/pareto.json (for the problem name and
the list of objectives), and writes DIR/plots/pareto_matrix.{png,svg} and
DIR/plots/hypervolume.{png,svg}. Prints nothing on success; on a missing or malformed input it
prints one line naming the file and line to stderr, exits with status 2 and writes no plot.

The output is deterministic: a fixed style (the user's matplotlibrc is ignored), a fixed SVG hash
salt, and no date or software version in the file metadata, so reruns are byte-identical.
elaa writes this script and plot_style.py into a temporary directory and runs it from there.
"""

import csv
import json
import math
import os
import statistics
import sys
import textwrap

from plot_style import apply_fixed_style, save_figure  # first: it selects the Agg backend
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator  # noqa: E402

PROGRAM = "plot_optimise.py"


class InputError(Exception):
    """A missing or malformed input file; the message names the file and the line."""


# ----------------------------------------------------------------------------------------------
# Objectives
# ----------------------------------------------------------------------------------------------

class Objective:
    """One pareto.csv objective column and how to draw it."""

    def __init__(self, column, name, unit, percentage=False):
        self.column = column
        self.name = name
        self.unit = unit
        self.percentage = percentage  # 0 to 100 on a linear axis; other objectives are > 0
        self.log = False  # decided from the data: log when the values span LOG_SPAN or more

    def label(self):
        return f"{self.name} ({self.unit}{', log' if self.log else ''})"


# The objective columns pareto.csv can hold, in plotting order, keyed by the names pareto.json
# gives the optimiser's objectives (SI units; accuracy negated so that all are minimised).
KNOWN_OBJECTIVES = {
    "energy_j": ("energy_uj", "energy", "µJ"),
    "geomean_energy_j": ("geomean_energy_uj", "geomean energy", "µJ"),
    "latency_s": ("latency_ms", "latency", "ms"),
    "geomean_latency_s": ("geomean_latency_ms", "geomean latency", "ms"),
    "area_mm2": ("area_mm2", "area", "mm²"),
    "neg_top1": ("top1", "top-1 accuracy", "%", True),
}
LOG_SPAN = 10.0  # max/min ratio from which an axis is logarithmic


def objectives_for(header, json_names, csv_path, json_path):
    """The objectives to plot: those pareto.json lists, else every known column pareto.csv has."""
    if json_names is None:
        specs = [spec for spec in KNOWN_OBJECTIVES.values() if spec[0] in header]
    else:
        specs = []
        for name in json_names:
            if name not in KNOWN_OBJECTIVES:
                raise InputError(f"{json_path}: objective '{name}' is unknown to {PROGRAM}")
            spec = KNOWN_OBJECTIVES[name]
            if spec[0] not in header:
                raise InputError(f"{csv_path}: missing column '{spec[0]}' "
                                 f"(objective '{name}' of {json_path})")
            specs.append(spec)
    return [Objective(*spec) for spec in specs]


# ----------------------------------------------------------------------------------------------
# Input
# ----------------------------------------------------------------------------------------------

def parse_number(text, path, line, column, minimum_exclusive=None, minimum=None, maximum=None,
                 integer=False):
    """Parses one numeric cell, or raises InputError saying where the bad value is."""
    stripped = text.strip()
    try:
        value = int(stripped) if integer else float(stripped)
    except ValueError:
        kind = "an integer" if integer else "a number"
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not {kind}") from None
    if not math.isfinite(value):
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not finite")
    if minimum_exclusive is not None and value <= minimum_exclusive:
        raise InputError(f"{path}:{line}: column '{column}': {text} must be > {minimum_exclusive}")
    if minimum is not None and value < minimum:
        raise InputError(f"{path}:{line}: column '{column}': {text} must be >= {minimum}")
    if maximum is not None and value > maximum:
        raise InputError(f"{path}:{line}: column '{column}': {text} must be <= {maximum}")
    return value


def read_csv(path, hint):
    """(header, [(line, row dict)]) of a CSV whose rows all have the header's length."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: file not found ({hint})")
    rows = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        try:
            header = reader.fieldnames or []
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    raise InputError(f"{path}:{reader.line_num}: expected {len(header)} cells")
                rows.append((reader.line_num, row))
        except csv.Error as error:
            raise InputError(f"{path}:{reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text") from None
    if not rows:
        raise InputError(f"{path}: no data rows")
    return header, rows


def require_columns(path, header, columns):
    for column in columns:
        if column not in header:
            raise InputError(f"{path}: missing column '{column}' (header: {','.join(header)})")


def read_run_description(path):
    """(problem, objective names) from pareto.json; None for whatever it does not say.

    pareto.json is optional: `elaa export --format csv` writes pareto.csv without it."""
    if not os.path.isfile(path):
        return None, None
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}:{error.lineno}: not valid JSON: {error.msg}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not UTF-8 text") from None
    if not isinstance(document, dict):
        raise InputError(f"{path}:1: expected a JSON object")
    problem = document.get("problem")
    if problem is not None and not isinstance(problem, str):
        raise InputError(f"{path}: 'problem' must be a string")
    names = document.get("objectives")
    if names is not None and not (isinstance(names, list) and names
                                  and all(isinstance(name, str) for name in names)):
        raise InputError(f"{path}: 'objectives' must be a non-empty list of names")
    return problem, names


class Run:
    """The Pareto designs and the per-generation history of one optimisation run."""

    def __init__(self, directory):
        self.pareto_path = os.path.join(directory, "pareto.csv")
        self.history_path = os.path.join(directory, "history.csv")
        self.json_path = os.path.join(directory, "pareto.json")
        hint = "run `elaa optimise` or `elaa export DIR` first"
        self.problem, json_names = read_run_description(self.json_path)
        self.objectives_known = json_names is not None
        header, rows = read_csv(self.pareto_path, hint)
        self.objectives = objectives_for(header, json_names, self.pareto_path, self.json_path)
        if len(self.objectives) < 2:
            raise InputError(f"{self.pareto_path}: needs at least two objective columns "
                             f"(header: {','.join(header)})")
        self.values = {objective.column: [] for objective in self.objectives}
        for line, row in rows:
            for objective in self.objectives:
                limits = (dict(minimum=0, maximum=100) if objective.percentage
                          else dict(minimum_exclusive=0))
                self.values[objective.column].append(parse_number(
                    row[objective.column], self.pareto_path, line, objective.column, **limits))
        self.category_column = next((c for c in ("network", "dataflow") if c in header), None)
        self.categories = [row[self.category_column].strip() or "(none)" if self.category_column
                           else "all designs" for _, row in rows]
        self.constant = self._drop_constant_objectives()
        for objective in self.objectives:
            values = self.values[objective.column]
            objective.log = not objective.percentage and max(values) / min(values) >= LOG_SPAN
        self.history = self._read_history(hint)

    def _drop_constant_objectives(self):
        """Without pareto.json, every known column was taken for an objective; one with the same
        value on every design (network_for_hardware's fixed area) is not one and is dropped.
        Returns [(objective, value)] of the dropped columns."""
        constant = [objective for objective in self.objectives
                    if len(set(self.values[objective.column])) == 1]
        if self.objectives_known or len(self.objectives) - len(constant) < 2:
            return []
        self.objectives = [o for o in self.objectives if o not in constant]
        return [(objective, self.values[objective.column][0]) for objective in constant]

    def _read_history(self, hint):
        header, rows = read_csv(self.history_path, hint)
        require_columns(self.history_path, header, ["generation", "hypervolume", "archive_size"])
        history = []
        for line, row in rows:
            generation = parse_number(row["generation"], self.history_path, line, "generation",
                                      minimum=0, integer=True)
            if history and generation <= history[-1][0]:
                raise InputError(f"{self.history_path}:{line}: column 'generation': {generation} "
                                 f"does not follow {history[-1][0]}")
            history.append((generation,
                            parse_number(row["hypervolume"], self.history_path, line,
                                         "hypervolume", minimum=0),
                            parse_number(row["archive_size"], self.history_path, line,
                                         "archive_size", minimum=0, integer=True)))
        return history


# ----------------------------------------------------------------------------------------------
# Captions and axes
# ----------------------------------------------------------------------------------------------

def add_caption(figure, left, text, fontsize=8):
    """Grey explanatory text at the bottom of the figure, wrapped to the figure's width
    (matplotlib's own wrapping ignores the figure edge in saved files)."""
    characters = int(figure.get_figwidth() * (0.98 - left) * 72 / (0.6 * fontsize))
    lines = [textwrap.fill(paragraph, characters) for paragraph in text.split("\n")]
    figure.text(left, 0.012, "\n".join(lines), fontsize=fontsize, color="0.3", va="bottom")


def problem_phrase(run):
    return f" (problem: {run.problem})" if run.problem else ""


# ----------------------------------------------------------------------------------------------
# Pareto scatter matrix
# ----------------------------------------------------------------------------------------------

MAX_CATEGORIES = 20  # distinguishable colours in tab20; the rest are merged into one grey group
MARKERS = ["o", "s", "^", "D", "v"]
OTHER_COLOUR = "0.6"


def category_groups(run):
    """[(legend label, colour, marker, [design indices])], ordered by median of the first
    objective so the legend reads from the cheapest group to the most expensive one."""
    members = {}
    for index, category in enumerate(run.categories):
        members.setdefault(category, []).append(index)
    first = run.values[run.objectives[0].column]
    ordered = sorted(members, key=lambda c: (statistics.median(first[i] for i in members[c]), c))
    kept, merged = ordered, []
    if len(ordered) > MAX_CATEGORIES:
        largest = set(sorted(ordered, key=lambda c: (-len(members[c]), c))[:MAX_CATEGORIES - 1])
        kept = [c for c in ordered if c in largest]
        merged = [c for c in ordered if c not in largest]
    colours = plt.get_cmap("tab10" if len(kept) <= 10 else "tab20").colors
    groups = [(f"{category} ({len(members[category])})", colours[index % len(colours)],
               MARKERS[index % len(MARKERS)], members[category])
              for index, category in enumerate(kept)]
    if merged:
        indices = sorted(i for category in merged for i in members[category])
        groups.append((f"{len(merged)} others ({len(indices)})", OTHER_COLOUR, "o", indices))
    return groups


def padded_limits(values, log, pad_fraction=0.05):
    low, high = min(values), max(values)
    if log:
        span = math.log10(high / low)
        return low / 10 ** (span * pad_fraction), high * 10 ** (span * pad_fraction)
    span = (high - low) or max(abs(high), 1.0)  # a single value still gets a visible range
    return low - span * pad_fraction, high + span * pad_fraction


def tick_text(value, _position=None):
    """Plain numbers where they are short, powers of ten elsewhere."""
    if 1e-3 <= value < 1e6:
        return f"{value:g}"
    exponent = round(math.log10(value))
    return f"$10^{{{exponent}}}$" if math.isclose(value, 10.0 ** exponent) else f"{value:.0e}"


def set_log_ticks(axis, limits):
    """Decades, plus 2 and 5 within each decade: labelled when the axis spans less than two
    decades (too few decades to read values from), otherwise as unlabelled minor ticks. Few
    explicit ticks also keep the matrix fast: matplotlib's default 8 minor ticks per decade on
    every panel take most of the rendering time."""
    few_decades = math.log10(limits[1] / limits[0]) < 2
    axis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0) if few_decades else (1.0,),
                                      numticks=100))
    axis.set_minor_locator(NullLocator() if few_decades else LogLocator(subs=(2.0, 5.0),
                                                                        numticks=100))
    axis.set_major_formatter(FuncFormatter(tick_text))


def histogram_bins(limits, log, count=24):
    low, high = limits
    if log:
        step = math.log10(high / low) / count
        return [low * 10 ** (step * k) for k in range(count + 1)]
    return [low + (high - low) * k / count for k in range(count + 1)]


def draw_diagonal(axes, objective, run, groups, limits):
    """The objective's histogram, stacked by group, on its own (hidden) count axis: the panel's
    own y axis belongs to the row and must keep the row's objective scale for the tick labels."""
    counts = axes.twinx()
    counts.hist([[run.values[objective.column][i] for i in indices]
                 for _, _, _, indices in groups],
                bins=histogram_bins(limits, objective.log), stacked=True,
                # One outline per group rather than one rectangle per bin: much faster to draw.
                histtype="stepfilled", color=[colour for _, colour, _, _ in groups],
                edgecolor="white", linewidth=0.4)
    counts.set_ylim(0, counts.get_ylim()[1] * 1.3)  # headroom for the name
    counts.set_yticks([])
    counts.grid(False)
    axes.grid(False)
    axes.tick_params(axis="y", which="both", length=0)
    counts.text(0.5, 0.96, f"{objective.name}\n({objective.unit})", transform=counts.transAxes,
                ha="center", va="top", fontsize=9, fontweight="bold",
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.8, pad=1))


def draw_scatter(axes, x_values, y_values, groups):
    # Largest groups first, so that small groups stay visible on top of them.
    for _, colour, marker, indices in sorted(groups, key=lambda group: -len(group[3])):
        axes.scatter([x_values[i] for i in indices], [y_values[i] for i in indices], s=10,
                     color=colour, marker=marker, alpha=0.75, linewidths=0, zorder=2)


def matrix_caption(run, groups):
    grouping = {"network": "network", "dataflow": "dataflow (no network column)"}.get(
        run.category_column, "")
    exception = ", except top-1" if any(o.column == "top1" for o in run.objectives) else ""
    designs = f"{len(run.categories)} Pareto design{'s' if len(run.categories) != 1 else ''}"
    text = (f"{designs}. Off-diagonal: one objective against another "
            f"(lower is better{exception}). Diagonal: number of designs per bin"
            f"{', stacked by ' + grouping if grouping else ''}. Log axes where an objective "
            f"spans {LOG_SPAN:g}x or more.")
    for objective, value in run.constant:
        text += f"\nNot shown: {objective.name} is {value:.4g} {objective.unit} on every design."
    return text


# Matrix layout in inches: fixed margins around square panels, the legend in a right margin.
PANEL_INCHES = {2: 3.0, 3: 2.6}  # more objectives: 2.3
LEFT_INCHES, RIGHT_INCHES, TOP_INCHES, BOTTOM_INCHES = 0.75, 3.4, 0.6, 1.25


def matrix_layout(count):
    """(figure, panels, legend anchor in figure coordinates) for count x count square panels."""
    grid = PANEL_INCHES.get(count, 2.3) * count
    width, height = grid + LEFT_INCHES + RIGHT_INCHES, grid + TOP_INCHES + BOTTOM_INCHES
    figure, panels = plt.subplots(count, count, sharex="col", sharey="row", squeeze=False,
                                  figsize=(width, height))
    figure.subplots_adjust(left=LEFT_INCHES / width, right=1 - RIGHT_INCHES / width,
                           bottom=BOTTOM_INCHES / height, top=1 - TOP_INCHES / height,
                           wspace=0.08, hspace=0.08)
    legend_anchor = (1 - (RIGHT_INCHES - 0.15) / width, 1 - TOP_INCHES / height)
    return figure, panels, legend_anchor


def set_objective_scales(panels, run):
    """Limits and scale of each objective on its column's x axis and its row's y axis; the
    panels of a column (row) share one x (y) axis, so setting the first panel sets them all."""
    limits = {}
    for index, objective in enumerate(run.objectives):
        limits[objective.column] = padded_limits(run.values[objective.column], objective.log)
        if objective.log:
            panels[0][index].set_xscale("log")
            panels[index][0].set_yscale("log")
            set_log_ticks(panels[0][index].xaxis, limits[objective.column])
            set_log_ticks(panels[index][0].yaxis, limits[objective.column])
        panels[0][index].set_xlim(*limits[objective.column])
        panels[index][0].set_ylim(*limits[objective.column])
    return limits


def plot_pareto_matrix(run):
    objectives = run.objectives
    groups = category_groups(run)
    figure, panels, legend_anchor = matrix_layout(len(objectives))
    limits = set_objective_scales(panels, run)
    for row, y_objective in enumerate(objectives):
        for column, x_objective in enumerate(objectives):
            if row == column:
                draw_diagonal(panels[row][column], x_objective, run, groups,
                              limits[x_objective.column])
            else:
                draw_scatter(panels[row][column], run.values[x_objective.column],
                             run.values[y_objective.column], groups)
        panels[row][0].set_ylabel(y_objective.label())
        panels[-1][row].set_xlabel(y_objective.label())
    handles = [Line2D([], [], linestyle="none", marker=marker, color=colour, markersize=6,
                      label=label) for label, colour, marker, _ in groups]
    figure.legend(handles=handles, loc="upper left", bbox_to_anchor=legend_anchor,
                  title=f"{run.category_column} (designs)" if run.category_column else "designs",
                  title_fontsize=9, fontsize=8, borderaxespad=0, frameon=False, alignment="left")
    figure.suptitle(f"Pareto designs of the optimisation run{problem_phrase(run)}: "
                    f"every pair of objectives", fontsize=12)
    add_caption(figure, LEFT_INCHES / figure.get_figwidth(), matrix_caption(run, groups))
    return figure


# ----------------------------------------------------------------------------------------------
# Hypervolume history
# ----------------------------------------------------------------------------------------------

HYPERVOLUME_COLOUR = "#1f4e99"
ARCHIVE_COLOUR = "#d9771c"


def hypervolume_summary(generations, volumes, sizes):
    archive = f"final archive: {sizes[-1]} design{'s' if sizes[-1] != 1 else ''}"
    if len(generations) == 1:
        return f"generation {generations[0]}: {volumes[0]:#.4g};  {archive}"
    change = f" ({(volumes[-1] / volumes[0] - 1) * 100:+.1f} %)" if volumes[0] > 0 else ""
    return (f"generation {generations[0]}: {volumes[0]:#.4g},  generation {generations[-1]}: "
            f"{volumes[-1]:#.4g}{change},  best {max(volumes):#.4g};  {archive}")


def plot_hypervolume(run):
    generations = [generation for generation, _, _ in run.history]
    volumes = [volume for _, volume, _ in run.history]
    sizes = [size for _, _, size in run.history]
    figure, axes = plt.subplots(figsize=(9, 5.4))
    # Fixed margins rather than a layout engine, which would leave no room for the caption.
    figure.subplots_adjust(left=0.09, right=0.91, bottom=0.19, top=0.84)
    few = len(generations) <= 30  # markers only while they do not merge into a thick line
    axes.plot(generations, volumes, color=HYPERVOLUME_COLOUR, linewidth=1.6,
              marker="o" if few else None, markersize=3, label="hypervolume (left axis)")
    sizes_axes = axes.twinx()
    # Steps: the archive size is a count that holds until the next generation changes it.
    sizes_axes.plot(generations, sizes, color=ARCHIVE_COLOUR, linewidth=1.2,
                    marker="s" if few else None, markersize=3,
                    drawstyle="steps-post", label="archive size (right axis)")
    sizes_axes.grid(False)
    sizes_axes.set_ylim(0, max(max(sizes), 1) * 1.08)
    sizes_axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, min_n_ticks=1))
    # A single generation gets half a generation either side, so its markers are not clipped.
    single = len(generations) == 1
    axes.set_xlim(generations[0] - 0.5 * single, generations[-1] + 0.5 * single)
    axes.set_xlabel("generation")
    axes.set_ylabel("hypervolume of the population's front", color=HYPERVOLUME_COLOUR)
    axes.tick_params(axis="y", colors=HYPERVOLUME_COLOUR)
    sizes_axes.set_ylabel("archive size (non-dominated designs)", color=ARCHIVE_COLOUR)
    sizes_axes.tick_params(axis="y", colors=ARCHIVE_COLOUR)
    # The hypervolume axes above the archive's, so that its line is drawn over the steps.
    axes.set_zorder(sizes_axes.get_zorder() + 1)
    axes.patch.set_visible(False)
    # Above the axes, where it cannot hide either line whatever their shape.
    lines = axes.get_lines() + sizes_axes.get_lines()
    axes.legend(lines, [line.get_label() for line in lines], loc="lower center",
                bbox_to_anchor=(0.5, 1.0), ncols=2, frameon=False, fontsize=8,
                title=hypervolume_summary(generations, volumes, sizes), title_fontsize=8)
    figure.suptitle(f"Convergence of the optimisation run{problem_phrase(run)}", fontsize=11)
    add_caption(figure, 0.09, f"Hypervolume of the population's non-dominated front in the "
                f"{len(run.objectives)} objectives, each normalised by "
                "generation 0's ideal and nadir; reference point 1.1 per objective. "
                "It can dip between generations: the population may lose a front point that "
                "the archive (every non-dominated design found so far) keeps.")
    return figure


PLOTS = [
    ("pareto_matrix", plot_pareto_matrix),
    ("hypervolume", plot_hypervolume),
]


def main(arguments):
    if len(arguments) != 1:
        print(f"usage: {PROGRAM} DIR   (DIR holds pareto.csv, history.csv, pareto.json)",
              file=sys.stderr)
        return 2
    directory = arguments[0]
    try:
        run = Run(directory)
    except InputError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    # A fixed title height: automatic placement measures every axes' ticks on each draw, a fifth
    # of the matrix's rendering time, and no axes here has a title anyway.
    apply_fixed_style("elaa-plot-optimise", axes_titley=1.0)
    output = os.path.join(directory, "plots")
    os.makedirs(output, exist_ok=True)
    for name, draw in PLOTS:
        save_figure(draw(run), output, name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
