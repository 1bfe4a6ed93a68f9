"""elaa: energy, latency, area and accuracy of neural networks on accelerators.

The same model as the ``elaa`` command line, in Python: every value is the one ``elaa`` prints for
the same inputs, tables come as pandas DataFrames, and every error a user's input causes is raised
as :class:`elaa.Error` with the command line's message. See docs/python.md.

pandas is needed only by the functions that return DataFrames; ``evaluate(...).total`` works
without it.
"""
from __future__ import annotations

import io
import json
import os
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Union

from . import _elaa
from ._elaa import Accelerator, Error, __version__

# Shown as elaa.Error / elaa.Accelerator in tracebacks and reprs, where users meet them.
Error.__module__ = Accelerator.__module__ = "elaa"

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = [
    "Accelerator", "Error", "Evaluation", "Totals", "Assessment", "__version__",
    "nets", "net", "import_onnx", "archs", "presets", "evaluate", "assess", "optimise", "load_run",
]

PathLike = Union[str, "os.PathLike[str]"]


def _check_callable(progress: Any) -> None:
    if progress is not None and not callable(progress):
        raise TypeError(f"progress must be callable or None, not {type(progress).__name__}")


def _frame(csv_text: str, missing: str = "") -> "pandas.DataFrame":
    """A DataFrame from one of elaa's CSV tables; only cells equal to ``missing`` are missing values
    (a layer called "NA" stays a name)."""
    import pandas as pd

    return pd.read_csv(io.StringIO(csv_text), keep_default_na=False, na_values=[missing])


def nets(family: str = "", weights: str = "") -> "pandas.DataFrame":
    """The network zoo, one row per network (``elaa nets --csv``).

    ``family`` keeps one family (e.g. ``"resnet"``); ``weights`` picks the accuracy row where a
    network has several.
    """
    return _frame(_elaa.zoo_csv(family, weights), missing="-")  # "-": no published accuracy


def net(name: str, weights: str = "") -> "pandas.DataFrame":
    """One zoo network's layer table (``elaa net NAME --csv``).

    ``.attrs`` holds the network's name, family, resolution, batch, layer count, MACs, params and,
    when published, its top-1 / top-5 accuracy and their source.
    """
    csv_text, info = _elaa.network(name, weights)
    frame = _frame(csv_text)
    frame.attrs.update(info)
    return frame


def import_onnx(path: PathLike, skip_unsupported: bool = False) -> "pandas.DataFrame":
    """The layer table of an ONNX model (``elaa import-onnx FILE --csv``); shapes only, weights may be absent.

    With ``skip_unsupported``, unsupported nodes are left out and listed in ``.attrs["skipped"]``.
    """
    csv_text, info, skipped = _elaa.import_onnx(os.fspath(path), skip_unsupported)
    frame = _frame(csv_text)
    frame.attrs.update(info)
    frame.attrs["skipped"] = list(skipped)
    return frame


def archs() -> "pandas.DataFrame":
    """The accelerator presets, one row each (``elaa archs``)."""
    return _frame(_elaa.archs_csv())


def presets(suite_only: bool = False) -> List[str]:
    """Every preset name (the assessment suite, then the measured chips), or the suite only."""
    return list(_elaa.suite_preset_names() if suite_only else _elaa.preset_names())


@dataclass(frozen=True)
class Totals:
    """A network's totals on an accelerator: the ``total`` object of ``elaa eval --json``."""

    energy_pj: float
    latency_cycles: float
    latency_s: float
    inferences_per_s: float
    area_mm2: float
    macs: int
    dram_bytes: float
    spatial_utilisation: float
    temporal_utilisation: float
    leakage_energy_pj: Optional[float] = None  # only with leakage=True; not part of energy_pj


class Evaluation:
    """The result of :func:`evaluate`.

    ``total`` (:class:`Totals`), ``layers`` (a DataFrame, one row per layer with its mapping),
    ``report`` (the ``elaa eval --json`` document as a dict), ``notes`` and ``summary`` (the text
    ``elaa eval`` prints under its table; also ``str()`` of this object).
    """

    def __init__(self, native: Dict[str, str]):
        self.report: Dict[str, Any] = json.loads(native["json"])
        self.summary: str = native["summary"]
        self._layer_csv = native["layer_csv"]
        self._layers: Optional["pandas.DataFrame"] = None
        known = {f.name for f in fields(Totals)}
        self.total = Totals(**{k: v for k, v in self.report["total"].items() if k in known})
        self.notes: List[str] = list(self.report["notes"])
        self.accelerator: str = self.report["accelerator"]
        self.network: str = self.report["network"]
        self.objective: str = self.report["objective"]
        self.search: str = self.report["search"]

    @property
    def layers(self) -> "pandas.DataFrame":
        """One row per layer: the values of the JSON report (``costed`` False for kinds not
        selected), ``mapping`` as ``elaa eval`` prints it and ``mapping_json`` in the form
        ``evaluate(..., mapping=FILE)`` reads back."""
        if self._layers is None:
            import pandas as pd

            printed = iter(_frame(self._layer_csv)["mapping"]) if self._layer_csv.count("\n") > 1 else iter(())
            rows = []
            for layer in self.report["layers"]:
                row = {k: v for k, v in layer.items() if k not in ("mapping", "energy_breakdown", "latency_breakdown")}
                row.update(layer.get("latency_breakdown", {}))
                row["mapping"] = next(printed) if layer["costed"] else None
                row["mapping_json"] = layer["mapping"]
                row["energy_breakdown"] = layer.get("energy_breakdown")
                rows.append(row)
            self._layers = pd.DataFrame(rows)
        return self._layers

    def __str__(self) -> str:
        return self.summary

    def __repr__(self) -> str:
        t = self.total
        return (f"<elaa.Evaluation {self.network} on {self.accelerator}: {t.energy_pj:.6g} pJ, "
                f"{t.latency_cycles:.6g} cycles, {t.area_mm2:.4g} mm2>")


def evaluate(arch: Union[PathLike, Accelerator], net: PathLike, *, search: Optional[str] = None,
             objective: Optional[str] = None, kinds: Union[str, List[str], None] = None, batch: int = 1,
             threads: int = 1, density: Optional[PathLike] = None, mapping: Optional[PathLike] = None,
             leakage: bool = False) -> Evaluation:
    """Energy, latency and area of a network on an accelerator (``elaa eval``).

    ``arch``: a preset name, an accelerator TOML path, or an :class:`Accelerator`. ``net``: a zoo
    name or an ``.onnx`` path. ``search`` (fast, loma, full, deep) and ``objective`` (latency,
    energy, edp) default as in ``elaa eval``: the accelerator file's ``[evaluation]`` table if it
    has one, else full and latency. ``kinds``: layer kind classes to cost (default all).
    ``density``/``mapping``: the files of ``--density`` and ``--mapping``. The GIL is released
    while the model runs, so threads evaluate in parallel.
    """
    if isinstance(kinds, str):
        kinds = [kinds]
    native = _elaa.evaluate(arch if isinstance(arch, Accelerator) else os.fspath(arch), os.fspath(net), objective,
                            search, ",".join(kinds) if kinds else "", batch, threads,
                            os.fspath(density) if density else "", os.fspath(mapping) if mapping else "", leakage)
    return Evaluation(native)


class Assessment:
    """The result of :func:`assess`: ``results`` (one row per network x accelerator), ``layers``,
    ``pareto`` (the 4-D Pareto flags) as DataFrames, and ``insights`` (the markdown of insights.md)."""

    def __init__(self, native: Dict[str, str]):
        self._native = native
        self.insights: str = native["insights"]

    @property
    def results(self) -> "pandas.DataFrame":
        return _frame(self._native["results_csv"])

    @property
    def layers(self) -> "pandas.DataFrame":
        return _frame(self._native["layers_csv"])

    @property
    def pareto(self) -> "pandas.DataFrame":
        return _frame(self._native["pareto_csv"])


def assess(archs: str = "all", nets: str = "suite", *, objective: Optional[str] = None,
           search: Optional[str] = None, threads: Optional[int] = None, out: Optional[PathLike] = None,
           plots: bool = False, progress: Optional[Callable[[int, int], Any]] = None) -> Assessment:
    """Every network on every accelerator with published accuracy (``elaa assess``).

    ``archs``/``nets`` take the command line's selections ("all", "suite", "contemporary" or
    comma-separated names). ``objective``/``search``/``threads`` default as on the command line
    (latency, loma, every core). ``out``: also write the command's files there (replacing the
    directory only once the run has succeeded). ``progress(done, total)`` is called after each
    pair, from the worker threads (one at a time). If it returns False or raises, no further pair
    starts, the pairs in flight finish, nothing is written, and the exception (or elaa.Error) is
    raised. Ctrl-C is noticed when a pair reported from the calling thread finishes.
    """
    _check_callable(progress)
    native = _elaa.assess(archs, nets, objective, search, threads, os.fspath(out) if out else "", plots, progress)
    return Assessment(native)


def optimise(config: Optional[PathLike] = None, *, out: Optional[PathLike] = None,
             resume: Optional[PathLike] = None, threads: Optional[int] = None, force: bool = False,
             cache_mib: Optional[int] = None, plots: bool = False,
             progress: Optional[Callable[[Dict[str, Any]], Any]] = None) -> "pandas.DataFrame":
    """Co-optimise accelerator and network (``elaa optimise``); returns the Pareto set (:func:`load_run`).

    A new run needs ``config`` and ``out``; ``resume=DIR`` continues a run from its checkpoint.
    ``progress(report)`` is called after every generation with a dict (generation, generations,
    evaluations, evaluations_per_s, hypervolume, archive_size, eta_s, cache hit rates). If it
    returns False, raises, or Ctrl-C is pressed, the run stops at the end of that generation with
    its checkpoint saved and nothing exported (an exception is raised again then); ``resume=``
    continues it. A run that finishes is exported as by the command line (pareto.csv, pareto.json,
    history.csv, design TOML files).
    """
    _check_callable(progress)
    info = _elaa.optimise(os.fspath(config) if config else "", os.fspath(out) if out else "",
                          os.fspath(resume) if resume else "", threads, force, cache_mib, plots, progress)
    frame = load_run(info["dir"])
    frame.attrs.update({k: v for k, v in info.items() if k != "dir"})
    frame.attrs["dir"] = os.fspath(info["dir"])
    return frame


def load_run(dir: PathLike) -> "pandas.DataFrame":
    """The Pareto set of an optimisation run directory (its checkpoint), one row per design, as in
    pareto.csv; ``.attrs["history"]`` is the hypervolume history (history.csv)."""
    native = _elaa.load_run(os.fspath(dir))
    frame = _frame(native["pareto_csv"])
    frame.attrs["history"] = _frame(native["history_csv"])
    return frame
