"""Plots of an `elaa assess` output directory.

Usage:  /usr/bin/python3 scripts/plot_assessment.py DIR

Reads DIR/results.csv, DIR/layers.csv and DIR/pareto.csv and writes DIR/plots/<name>.png and .svg
for every plot in PLOTS. Prints nothing on success; on a missing or malformed input it prints one
line naming the file, line and column to stderr and exits with status 2.

The output is deterministic: a fixed style (the user's matplotlibrc is ignored), a fixed SVG hash
salt, and no date or software version in the file metadata, so reruns are byte-identical.
elaa writes this script and plot_style.py into a temporary directory and runs it from there.
"""

import csv
import math
import os
import statistics
import sys
from collections import defaultdict

from plot_style import apply_fixed_style, save_figure  # first: it selects the Agg backend
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LogNorm  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

PROGRAM = "plot_assessment.py"

ACCELERATOR_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "h"]
BREAKDOWN_PARTS = [("energy_mac_uj", "MAC"), ("energy_onchip_uj", "on-chip memory"),
                   ("energy_dram_uj", "DRAM")]
BREAKDOWN_COLOURS = ["#4c72b0", "#55a868", "#c44e52"]
# Layer kinds in loop-nest order; only kinds that carry MACs can have a MAC-weighted utilisation.
LAYER_KIND_ORDER = ["conv", "gconv", "dwconv", "gemm", "matmul",
                    "maxpool", "avgpool", "add", "mul"]


LINE_KEY = " line"  # where a row came from, for messages; the space keeps it apart from columns


class InputError(Exception):
    """A missing or malformed input file; the message names the file and the column."""


# ----------------------------------------------------------------------------------------------
# Input
# ----------------------------------------------------------------------------------------------

RESULTS_TEXT = ["network", "accelerator"]
RESULTS_POSITIVE = ["energy_uj", "latency_ms", "area_mm2", "tops_per_w", "macs"]  # log axes
RESULTS_NON_NEGATIVE = ["energy_mac_uj", "energy_onchip_uj", "energy_dram_uj"]
RESULTS_OPTIONAL = ["top1"]  # a network without published accuracy has an empty cell
LAYERS_TEXT = ["network", "accelerator", "layer", "kind"]
LAYERS_NON_NEGATIVE = ["macs", "spatial_utilisation"]
PARETO_TEXT = ["front", "network", "accelerator"]
PARETO_POSITIVE = ["energy_uj", "latency_ms"]
PARETO_OPTIONAL = []


def parse_number(text, path, line, column, allow_empty, minimum_exclusive=None, minimum=None):
    """Parses one numeric cell, or raises InputError saying where the bad value is."""
    stripped = text.strip()
    if allow_empty and stripped.lower() in ("", "nan"):
        return math.nan
    try:
        value = float(stripped)
    except ValueError:
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not a number") from None
    if not math.isfinite(value):
        raise InputError(f"{path}:{line}: column '{column}': '{text}' is not finite")
    if minimum_exclusive is not None and value <= minimum_exclusive:
        raise InputError(f"{path}:{line}: column '{column}': {text} must be > {minimum_exclusive}")
    if minimum is not None and value < minimum:
        raise InputError(f"{path}:{line}: column '{column}': {text} must be >= {minimum}")
    return value


def read_table(path, text_columns, positive=(), non_negative=(), optional=()):
    """Reads a CSV into a list of dicts, converting and checking the named numeric columns.

    Columns the plots do not use are kept as text and not checked, so the tool can add columns
    without breaking the plots."""
    if not os.path.isfile(path):
        raise InputError(f"{path}: file not found (run `elaa assess --out DIR` first)")
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for column in list(text_columns) + list(positive) + list(non_negative) + list(optional):
            if column not in header:
                raise InputError(f"{path}: missing column '{column}' (header: {','.join(header)})")
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row or any(value is None for value in row.values()):
                raise InputError(f"{path}:{line}: expected {len(header)} cells")
            for column in text_columns:
                if not row[column].strip():
                    raise InputError(f"{path}:{line}: column '{column}' is empty")
            for column in positive:
                row[column] = parse_number(row[column], path, line, column, False,
                                           minimum_exclusive=0)
            for column in non_negative:
                row[column] = parse_number(row[column], path, line, column, False, minimum=0)
            for column in optional:
                row[column] = parse_number(row[column], path, line, column, True)
            row[LINE_KEY] = line
            rows.append(row)
    if not rows:
        raise InputError(f"{path}: no data rows")
    return rows


class Assessment:
    """The three CSVs of one assessment, checked for consistency with each other."""

    def __init__(self, directory):
        self.results_path = os.path.join(directory, "results.csv")
        self.layers_path = os.path.join(directory, "layers.csv")
        self.pareto_path = os.path.join(directory, "pareto.csv")
        self.results = read_table(self.results_path, RESULTS_TEXT, RESULTS_POSITIVE,
                                  RESULTS_NON_NEGATIVE, RESULTS_OPTIONAL)
        self.layers = read_table(self.layers_path, LAYERS_TEXT, non_negative=LAYERS_NON_NEGATIVE)
        self.pareto = read_table(self.pareto_path, PARETO_TEXT, PARETO_POSITIVE,
                                 optional=PARETO_OPTIONAL)
        self.accelerators = sorted({row["accelerator"] for row in self.results})
        self.by_key = {}
        for row in self.results:
            key = (row["network"], row["accelerator"])
            if key in self.by_key:
                raise InputError(f"{self.results_path}: duplicate row for {key[0]} on {key[1]}")
            self.by_key[key] = row
        # One order for every per-network axis: by MACs, so bars and rows grow left to right.
        macs = {row["network"]: row["macs"] for row in self.results}
        self.networks = sorted(macs, key=lambda network: (macs[network], network))
        self._check_references()

    def _check_references(self):
        """Pareto and layer rows must name a (network, accelerator) pair that results.csv has."""
        for path, rows in ((self.pareto_path, self.pareto), (self.layers_path, self.layers)):
            for row in rows:
                if (row["network"], row["accelerator"]) not in self.by_key:
                    raise InputError(f"{path}:{row[LINE_KEY]}: columns 'network','accelerator': "
                                     f"{row['network']} on {row['accelerator']} "
                                     f"is not in {self.results_path}")

    def front_rows(self, prefix, accelerator):
        """The (network, accelerator) result rows on pareto front '<prefix>:<accelerator>'."""
        name = f"{prefix}:{accelerator}"
        return [self.by_key[(row["network"], row["accelerator"])]
                for row in self.pareto if row["front"] == name]


# ----------------------------------------------------------------------------------------------
# Names and styles
# ----------------------------------------------------------------------------------------------

def short_name(network):
    """'suite/ResNet50' -> 'ResNet50': the suite prefix is the same on every label."""
    return network.split("/", 1)[1] if network.startswith("suite/") else network


def accelerator_styles(accelerators):
    """One colour and marker per accelerator, the same in every plot."""
    colours = plt.get_cmap("tab10").colors
    return {name: (colours[index % len(colours)],
                   ACCELERATOR_MARKERS[index % len(ACCELERATOR_MARKERS)])
            for index, name in enumerate(accelerators)}


# ----------------------------------------------------------------------------------------------
# Label placement without overlaps
# ----------------------------------------------------------------------------------------------

# Candidate text offsets from the anchor, in points, nearest first; each direction also fixes the
# text alignment so that the text grows away from the anchor.
LABEL_DIRECTIONS = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
LABEL_DISTANCES = [5, 11, 18, 28, 40]
LEADER_LINE_FROM = 11  # points; farther labels get a thin line back to their point


def _rectangles_overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _overlap_area(a, b):
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return width * height if width > 0 and height > 0 else 0.0


def _candidate_box(anchor, direction, distance_px, size):
    """Pixel box (x0, y0, x1, y1) of a label of `size` offset from `anchor` along `direction`."""
    width, height = size
    x = anchor[0] + direction[0] * distance_px
    y = anchor[1] + direction[1] * distance_px
    x0 = x if direction[0] > 0 else (x - width if direction[0] < 0 else x - width / 2)
    y0 = y if direction[1] > 0 else (y - height if direction[1] < 0 else y - height / 2)
    return (x0, y0, x0 + width, y0 + height)


def place_labels(axes, labels, obstacles, fontsize=7):
    """Annotates each label at the free spot nearest to one of its anchors.

    labels: list of (text, [(x, y), ...]) in data coordinates; the label may go next to any of its
    anchors (a network on several accelerators' fronts needs only one name).
    obstacles: data points that labels should not cover (every marker in the plot).
    Axis limits and axes position must be final, because placement is done in pixels."""
    figure = axes.figure
    renderer = figure.canvas.get_renderer()
    to_pixels = axes.transData.transform
    points_to_px = figure.dpi / 72.0
    axes_box = axes.get_window_extent(renderer)
    marker_boxes = [(x - 4, y - 4, x + 4, y + 4) for x, y in to_pixels(obstacles)]
    placed = []
    for text, anchors in labels:
        probe = axes.text(0, 0, text, fontsize=fontsize)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        size = (extent.width + 2, extent.height + 2)
        best = None
        for distance in LABEL_DISTANCES:
            for direction in LABEL_DIRECTIONS:
                for anchor in to_pixels(anchors):
                    box = _candidate_box(anchor, direction, distance * points_to_px, size)
                    inside = (box[0] >= axes_box.x0 and box[2] <= axes_box.x1
                              and box[1] >= axes_box.y0 and box[3] <= axes_box.y1)
                    cost = (0 if inside else 1e9) + distance
                    cost += 100 * sum(_overlap_area(box, other) for other in placed)
                    cost += 200 * sum(_rectangles_overlap(box, m) for m in marker_boxes)
                    if best is None or cost < best[0]:
                        best = (cost, box, anchor, direction, distance)
        _, box, anchor, direction, distance = best
        placed.append(box)
        horizontal = {1: "left", -1: "right", 0: "center"}[direction[0]]
        vertical = {1: "bottom", -1: "top", 0: "center"}[direction[1]]
        leader = dict(arrowstyle="-", color="0.4", lw=0.5, shrinkA=0, shrinkB=2)
        axes.annotate(text, xy=axes.transData.inverted().transform(anchor),
                      xytext=(direction[0] * distance, direction[1] * distance),
                      textcoords="offset points", ha=horizontal, va=vertical,
                      fontsize=fontsize, color="0.1",
                      arrowprops=leader if distance >= LEADER_LINE_FROM else None)


def freeze_limits(axes, pad_fraction=0.04, log_x=True, log_y=False):
    """Fixes the autoscaled limits (with a margin) so that later annotations cannot move them."""
    def padded(low, high, log):
        if log:
            span = math.log10(high) - math.log10(low)
            return low / 10 ** (span * pad_fraction), high * 10 ** (span * pad_fraction)
        span = high - low
        return low - span * pad_fraction, high + span * pad_fraction
    axes.autoscale_view()
    axes.set_xlim(*padded(*axes.dataLim.intervalx, log_x))
    axes.set_ylim(*padded(*axes.dataLim.intervaly, log_y))


# ----------------------------------------------------------------------------------------------
# Plots
# ----------------------------------------------------------------------------------------------

def plot_cost_vs_top1(assessment, styles, cost_column, front_prefix, cost_label, title):
    """Top-1 against a per-inference cost: all points, each accelerator's front as a step line,
    and the names of the networks on any front (once each: a network's points share one top-1)."""
    figure = plt.figure(figsize=(12, 8))
    # Fixed margins instead of a layout engine: labels are placed in pixels after the layout.
    figure.subplots_adjust(left=0.07, right=0.78, bottom=0.08, top=0.95)
    axes = figure.add_subplot()
    rated = [row for row in assessment.results if not math.isnan(row["top1"])]
    on_front = set()
    front_anchors = defaultdict(list)
    for accelerator in assessment.accelerators:
        colour, marker = styles[accelerator]
        rows = [row for row in rated if row["accelerator"] == accelerator]
        front = sorted(assessment.front_rows(front_prefix, accelerator),
                       key=lambda row: (row[cost_column], row["top1"]))
        axes.scatter([row[cost_column] for row in rows], [row["top1"] for row in rows],
                     s=14, color=colour, marker=marker, alpha=0.35, linewidths=0)
        axes.scatter([row[cost_column] for row in front], [row["top1"] for row in front],
                     s=30, color=colour, marker=marker, edgecolors="black", linewidths=0.5,
                     label=accelerator, zorder=3)
        # 'post' steps: with a budget x, the best reachable top-1 is that of the last front point
        # at or below x, so the line stays flat until the next front point.
        axes.plot([row[cost_column] for row in front], [row["top1"] for row in front],
                  drawstyle="steps-post", color=colour, linewidth=1.2, alpha=0.9, zorder=2)
        for row in front:
            on_front.add((row["network"], accelerator))
            front_anchors[row["network"]].append((row[cost_column], row["top1"]))
    axes.set_xscale("log")
    axes.set_xlabel(cost_label)
    axes.set_ylabel("ImageNet top-1 accuracy (%)")
    axes.set_title(title)
    freeze_limits(axes, log_x=True, log_y=False)
    legend = axes.legend(title="accelerator (front members outlined,\nstep line = Pareto front)",
                         loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
                         title_fontsize=8)
    legend._legend_box.align = "left"
    figure.text(0.79, 0.08, f"{len(rated)} network x accelerator points.\n"
                "Faint markers are off their\naccelerator's front.\n"
                "Labels name each front network\nonce: all its points share one top-1.",
                fontsize=7, va="bottom", color="0.3")
    obstacles = [(row[cost_column], row["top1"]) for row in rated]
    labels = [(short_name(network), anchors) for network, anchors in
              sorted(front_anchors.items(), key=lambda item: -item[1][0][1])]
    place_labels(axes, labels, obstacles)
    return figure


def plot_energy_vs_top1(assessment, styles):
    return plot_cost_vs_top1(assessment, styles, "energy_uj", "energy_top1",
                             "energy per inference (µJ, log scale)",
                             "Energy vs top-1 accuracy per accelerator")


def plot_latency_vs_top1(assessment, styles):
    return plot_cost_vs_top1(assessment, styles, "latency_ms", "latency_top1",
                             "latency per inference (ms, log scale)",
                             "Latency vs top-1 accuracy per accelerator")


AREA_CLUSTER_RATIO = 1.35  # accelerators within this area ratio overlap on a log area axis


def efficiency_summaries(assessment):
    """[(accelerator, area, median, min, max TOPS/W over its networks)] in accelerator order."""
    summaries = []
    for accelerator in assessment.accelerators:
        rows = [row for row in assessment.results if row["accelerator"] == accelerator]
        efficiencies = [row["tops_per_w"] for row in rows]
        summaries.append((accelerator, rows[0]["area_mm2"], statistics.median(efficiencies),
                          min(efficiencies), max(efficiencies)))
    return summaries


def largest_area_cluster(summaries):
    """Names of the largest group (3 or more) of accelerators whose areas lie within
    AREA_CLUSTER_RATIO of each other; their error bars would overlap on the log axis."""
    by_area = sorted(summaries, key=lambda summary: summary[1])
    best = []
    for first, (_, low_area, *_rest) in enumerate(by_area):
        group = [summary[0] for summary in by_area[first:]
                 if summary[1] <= low_area * AREA_CLUSTER_RATIO]
        if len(group) > len(best):
            best = group
    return best if len(best) >= 3 else []


def draw_efficiency_points(axes, summaries, styles, with_legend_labels):
    for accelerator, area, median, low, high in summaries:
        colour, marker = styles[accelerator]
        axes.errorbar([area], [median], yerr=[[median - low], [high - median]],
                      color=colour, marker=marker, markersize=8, markeredgecolor="black",
                      markeredgewidth=0.6, capsize=4, linewidth=1.2, linestyle="none",
                      label=accelerator if with_legend_labels else None)


def label_efficiency_points(axes, summaries):
    obstacles = [(area, value) for _, area, *values in summaries for value in values]
    place_labels(axes, [(name, [(area, median)]) for name, area, median, *_ in summaries],
                 obstacles, fontsize=8)


def plot_area_vs_efficiency(assessment, styles):
    """Per accelerator: its area against the median TOPS/W over networks (bars: min to max).
    Accelerators of nearly equal area get a second panel with a linear, zoomed area axis."""
    summaries = efficiency_summaries(assessment)
    cluster = largest_area_cluster(summaries)
    figure = plt.figure(figsize=(13 if cluster else 10, 6.5))
    figure.subplots_adjust(left=0.07, right=0.80 if cluster else 0.75, bottom=0.1, top=0.9,
                           wspace=0.08)
    if cluster:
        overview, zoom = figure.subplots(1, 2, sharey=True, width_ratios=[1.2, 1])
    else:
        overview, zoom = figure.add_subplot(), None
    draw_efficiency_points(overview, summaries, styles, with_legend_labels=True)
    overview.set_xscale("log")
    overview.set_yscale("log")
    overview.set_xlabel("accelerator area (mm², log scale)")
    overview.set_ylabel("energy efficiency (TOPS/W, log scale)")
    overview.autoscale_view()
    x_low, x_high = overview.dataLim.intervalx
    y_low, y_high = overview.dataLim.intervaly
    overview.set_xlim(x_low / 1.6, x_high * 1.6)  # room for the labels at both ends
    overview.set_ylim(y_low / 1.3, y_high * 1.3)
    figure.suptitle("Area vs energy efficiency per accelerator: marker = median over "
                    "networks, bar = min to max", fontsize=11)
    legend_axes = zoom if zoom is not None else overview
    legend_axes.legend(*overview.get_legend_handles_labels(), title="accelerator",
                       loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0)
    if zoom is not None:
        clustered = [summary for summary in summaries if summary[0] in cluster]
        areas = [summary[1] for summary in clustered]
        overview.axvspan(min(areas) / 1.04, max(areas) * 1.04, color="0.9", zorder=0)
        overview.text(math.sqrt(min(areas) * max(areas)), y_low / 1.2, "zoomed at right",
                      ha="center", va="bottom", fontsize=7, color="0.3")
        draw_efficiency_points(zoom, clustered, styles, with_legend_labels=False)
        margin = 0.12 * (max(areas) - min(areas))
        zoom.set_xlim(min(areas) - margin, max(areas) + margin)
        zoom.set_xlabel("accelerator area (mm², linear scale, zoomed)")
        zoom.tick_params(labelleft=False)
        label_efficiency_points(overview, [s for s in summaries if s[0] not in cluster])
        label_efficiency_points(zoom, clustered)
    else:
        label_efficiency_points(overview, summaries)
    return figure


def plot_energy_breakdown(assessment, styles):
    """One panel per accelerator, networks on x, energy split into MAC / on-chip / DRAM.

    Linear y, because stacked segments are only comparable on a linear axis; each panel has its
    own y range, because the least efficient accelerators use several times the energy of the
    others and a shared range would flatten most panels."""
    del styles  # the parts, not the accelerators, are coloured here
    accelerators = assessment.accelerators
    networks = assessment.networks
    figure, panels = plt.subplots(len(accelerators), 1, sharex=True,
                                  figsize=(max(10, 0.3 * len(networks) + 2),
                                           2.0 * len(accelerators) + 1.6),
                                  layout="constrained")
    panels = panels if len(accelerators) > 1 else [panels]
    positions = range(len(networks))
    for axes, accelerator in zip(panels, accelerators):
        bottoms = [0.0] * len(networks)
        for (column, _), colour in zip(BREAKDOWN_PARTS, BREAKDOWN_COLOURS):
            heights = [assessment.by_key[(network, accelerator)][column]
                       if (network, accelerator) in assessment.by_key else 0.0
                       for network in networks]
            axes.bar(positions, [h / 1000 for h in heights],
                     bottom=[b / 1000 for b in bottoms], color=colour, width=0.75)
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        axes.set_ylabel("energy (mJ)")
        axes.set_title(accelerator, loc="left", fontsize=9, pad=3)
        axes.grid(axis="x", visible=False)
        axes.set_xlim(-0.6, len(networks) - 0.4)
    panels[-1].set_xticks(list(positions))
    panels[-1].set_xticklabels([short_name(network) for network in networks],
                               rotation=55, ha="right", rotation_mode="anchor")
    panels[-1].set_xlabel("network (ordered by MACs per inference)")
    figure.suptitle("Energy per inference split into MAC, on-chip memory and DRAM "
                    "(linear y, range per panel)", fontsize=11)
    # On the top panel rather than the figure: constrained layout (3.6) only makes room for
    # axes legends.
    panels[0].legend(handles=[Patch(color=colour, label=label) for (_, label), colour
                              in zip(BREAKDOWN_PARTS, BREAKDOWN_COLOURS)],
                     loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=3, borderaxespad=0.2,
                     title="energy spent in", title_fontsize=8, fontsize=8)
    return figure


def plot_edp_heatmap(assessment, styles):
    """Energy-delay product of each network on each accelerator relative to its best one."""
    del styles
    accelerators = assessment.accelerators
    networks = assessment.networks
    matrix = []
    for network in networks:
        edp = [assessment.by_key[(network, a)]["energy_uj"] * assessment.by_key[(network, a)]
               ["latency_ms"] if (network, a) in assessment.by_key else math.nan
               for a in accelerators]
        best = min(value for value in edp if not math.isnan(value))
        matrix.append([value / best for value in edp])
    finite = [value for row in matrix for value in row if not math.isnan(value)]
    figure, axes = plt.subplots(figsize=(max(8.0, 1.0 * len(accelerators) + 3.5),
                                         0.26 * len(networks) + 2.2), layout="constrained")
    norm = LogNorm(vmin=1, vmax=max(max(finite), 10))
    image = axes.imshow(matrix, norm=norm, cmap="viridis", aspect="auto",
                        interpolation="nearest")
    axes.set_xticks(range(len(accelerators)), accelerators, rotation=30, ha="right",
                    rotation_mode="anchor")
    axes.set_yticks(range(len(networks)), [short_name(network) for network in networks])
    axes.grid(False)
    axes.set_xlabel("accelerator")
    axes.set_ylabel("network (ordered by MACs per inference)")
    axes.set_title("Energy-delay product relative to each network's best accelerator\n"
                   "(1 = best; log colour scale)")
    for row_index, row in enumerate(matrix):
        for column_index, value in enumerate(row):
            if math.isnan(value):
                continue
            # Light text on the dark (low) end of viridis, dark text on the bright end.
            shade = norm(value)
            axes.text(column_index, row_index, f"{value:.2f}" if value < 10 else f"{value:.0f}",
                      ha="center", va="center", fontsize=7,
                      color="white" if shade < 0.55 else "black")
    colour_bar = figure.colorbar(image, ax=axes, shrink=0.6)
    colour_bar.set_label("EDP / best EDP of the network (log scale)")
    return figure


def mac_weighted_utilisation(layers):
    """{(accelerator, kind): MAC-weighted mean spatial utilisation} over kinds that have MACs."""
    weighted = defaultdict(float)
    macs = defaultdict(float)
    for layer in layers:
        key = (layer["accelerator"], layer["kind"])
        weighted[key] += layer["macs"] * layer["spatial_utilisation"]
        macs[key] += layer["macs"]
    return {key: weighted[key] / macs[key] for key in macs if macs[key] > 0}


def plot_utilisation_by_kind(assessment, styles):
    """Grouped bars: for each MAC layer kind, each accelerator's MAC-weighted spatial use."""
    utilisation = mac_weighted_utilisation(assessment.layers)
    present = {kind for _, kind in utilisation}
    all_kinds = {layer["kind"] for layer in assessment.layers}
    kinds = [kind for kind in LAYER_KIND_ORDER if kind in present] + \
        sorted(present - set(LAYER_KIND_ORDER))
    omitted = [kind for kind in LAYER_KIND_ORDER if kind in all_kinds - present] + \
        sorted(all_kinds - present - set(LAYER_KIND_ORDER))
    accelerators = assessment.accelerators
    figure, axes = plt.subplots(figsize=(max(8, 1.6 * len(kinds) + 4), 5.5),
                                layout="constrained")
    width = 0.8 / len(accelerators)
    for index, accelerator in enumerate(accelerators):
        colour, _ = styles[accelerator]
        offsets = [k + (index - (len(accelerators) - 1) / 2) * width for k in range(len(kinds))]
        values = [100 * utilisation.get((accelerator, kind), math.nan) for kind in kinds]
        bars = axes.bar(offsets, values, width=width * 0.95, color=colour, label=accelerator)
        # Printed values, because bars of a few per cent (depthwise layers) are barely visible.
        axes.bar_label(bars, labels=[f"{v:.1f}" if v < 10 else f"{v:.0f}" for v in values],
                       fontsize=6, padding=1)
    axes.set_xticks(range(len(kinds)), kinds)
    axes.set_ylim(0, 105)
    axes.set_yticks(range(0, 101, 20))
    axes.grid(axis="x", visible=False)
    axes.set_xlabel("layer kind")
    axes.set_ylabel("spatial utilisation (%, MAC-weighted mean over layers)")
    axes.set_title("Spatial utilisation of the MAC array by layer kind (all networks)")
    axes.legend(title="accelerator", loc="upper left", bbox_to_anchor=(1.01, 1.0),
                borderaxespad=0)
    if omitted:
        axes.text(0.0, -0.12, f"Not shown: {', '.join(omitted)} (no MACs, so no MAC weight).",
                  transform=axes.transAxes, fontsize=7, color="0.3", va="top")
    return figure


PLOTS = [
    ("energy_vs_top1", plot_energy_vs_top1),
    ("latency_vs_top1", plot_latency_vs_top1),
    ("area_vs_efficiency", plot_area_vs_efficiency),
    ("energy_breakdown", plot_energy_breakdown),
    ("edp_heatmap", plot_edp_heatmap),
    ("utilisation_by_kind", plot_utilisation_by_kind),
]


def main(arguments):
    if len(arguments) != 1:
        print(f"usage: {PROGRAM} DIR   (DIR holds results.csv, layers.csv, pareto.csv)",
              file=sys.stderr)
        return 2
    directory = arguments[0]
    try:
        assessment = Assessment(directory)
    except InputError as error:
        print(f"{PROGRAM}: error: {error}", file=sys.stderr)
        return 2
    apply_fixed_style("elaa-plot-assessment")
    output = os.path.join(directory, "plots")
    os.makedirs(output, exist_ok=True)
    styles = accelerator_styles(assessment.accelerators)
    for name, draw in PLOTS:
        save_figure(draw(assessment, styles), output, name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
