"""The style and output shared by elaa's plot scripts (plot_assessment.py, plot_optimise.py).

Deterministic output: matplotlib's defaults plus a fixed style (the user's matplotlibrc is
ignored), a fixed SVG hash salt per script, and no date or software version in the file metadata,
so the same CSVs always give byte-identical PNG and SVG files. elaa writes this module beside the
script it runs, so a plain `import plot_style` finds it.
"""

import os

import matplotlib

matplotlib.use("Agg")  # files only; never needs a display
import matplotlib.pyplot as plt  # noqa: E402

FIGURE_DPI = 100  # layout (label placement) is computed in pixels at this dpi
SAVE_DPI = 150  # PNGs are rendered larger so that 8 pt text stays legible at 100 % zoom


def apply_fixed_style(svg_hash_salt, **overrides):
    """Starts from matplotlib's defaults and sets elaa's style; `overrides` are further rcParams
    (keys with dots written with underscores: axes_titley=1.0)."""
    matplotlib.rcdefaults()
    matplotlib.rcParams.update({
        "figure.dpi": FIGURE_DPI,
        "savefig.dpi": SAVE_DPI,
        "font.size": 9,
        "axes.titlesize": 11,
        "axes.labelsize": 9,
        "legend.fontsize": 8,
        "xtick.labelsize": 8,
        "ytick.labelsize": 8,
        "axes.grid": True,
        "grid.alpha": 0.3,
        "grid.linewidth": 0.6,
        "svg.hashsalt": svg_hash_salt,  # fixed ids in the SVG instead of random ones
        "svg.fonttype": "path",  # glyphs as paths: identical rendering without the fonts
    })
    matplotlib.rcParams.update({key.replace("_", "."): value for key, value in overrides.items()})


def save_figure(figure, directory, name):
    """Writes <name>.png and <name>.svg without date or version metadata, then frees the figure."""
    figure.savefig(os.path.join(directory, f"{name}.png"), metadata={"Software": None})
    figure.savefig(os.path.join(directory, f"{name}.svg"),
                   metadata={"Date": None, "Creator": None})
    plt.close(figure)
