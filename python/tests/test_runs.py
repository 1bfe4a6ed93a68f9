"""assess, optimise and load_run: the same tables and files as the command line, progress reported."""
import io

import pandas as pd
import pytest

import elaa
from conftest import SOURCE_DIR

TINY_RUN = SOURCE_DIR / "tests" / "data" / "tiny_run.toml"


def test_assess_equals_the_cli_files(tmp_path, cli):
    cli("assess", "--archs", "tpu_like,eyeriss_like", "--nets", "resnet18,mobilenet_v2", "--search", "fast",
        "--threads", "2", "--no-plots", "--out", tmp_path / "cli")
    calls = []
    ours = elaa.assess("tpu_like,eyeriss_like", "resnet18,mobilenet_v2", search="fast", threads=2,
                       out=tmp_path / "py", progress=lambda done, total: calls.append((done, total)))
    assert sorted(calls) == [(1, 4), (2, 4), (3, 4), (4, 4)]
    for name in ("results.csv", "layers.csv", "pareto.csv", "insights.md"):
        assert (tmp_path / "py" / name).read_text() == (tmp_path / "cli" / name).read_text(), name
    pd.testing.assert_frame_equal(ours.results, pd.read_csv(tmp_path / "cli" / "results.csv"))
    assert ours.insights == (tmp_path / "cli" / "insights.md").read_text()
    assert set(ours.results["accelerator"]) == {"tpu_like", "eyeriss_like"}


def test_assess_callback_error_is_raised_and_nothing_is_written(tmp_path):
    def fail(done, total):
        raise RuntimeError("stop here")

    with pytest.raises(RuntimeError, match="stop here"):
        elaa.assess("tpu_like", "resnet18", search="fast", out=tmp_path / "never", progress=fail)
    assert not (tmp_path / "never").exists()


def test_optimise_equals_the_cli_run(tmp_path, cli):
    cli("optimise", TINY_RUN, "--out", tmp_path / "cli", "--threads", "2", "--no-plots")
    reports = []
    pareto = elaa.optimise(TINY_RUN, out=tmp_path / "py", threads=2, progress=reports.append)
    assert [r["generation"] for r in reports] == [1, 2, 3, 4]
    assert reports[-1]["generations"] == 4 and reports[-1]["evaluations"] >= 16
    for name in ("pareto.csv", "pareto.json", "history.csv"):
        assert (tmp_path / "py" / name).read_text() == (tmp_path / "cli" / name).read_text(), name
    pd.testing.assert_frame_equal(pareto, pd.read_csv(tmp_path / "cli" / "pareto.csv"))
    pd.testing.assert_frame_equal(elaa.load_run(tmp_path / "cli"), pareto)
    assert pareto.attrs["generations_done"] == 4 and not pareto.attrs["stopped_early"]
    assert list(pareto.attrs["history"]["generation"]) == [0, 1, 2, 3, 4]  # 0: the initial population


def test_optimise_stopped_by_the_callback_resumes_to_the_same_front(tmp_path):
    whole = elaa.optimise(TINY_RUN, out=tmp_path / "whole", threads=1)
    # False at generation 1 stops after the generation in flight (2): the checkpoint is saved.
    part = elaa.optimise(TINY_RUN, out=tmp_path / "part", threads=1, progress=lambda r: r["generation"] < 1)
    assert part.attrs["stopped_early"] and part.attrs["generations_done"] == 2
    assert not (tmp_path / "part" / "pareto.csv").exists()
    resumed = elaa.optimise(resume=tmp_path / "part", threads=1)
    assert resumed.attrs["generations_done"] == 4
    pd.testing.assert_frame_equal(resumed, whole)
    with pytest.raises(elaa.Error, match="already holds a run"):
        elaa.optimise(TINY_RUN, out=tmp_path / "whole")
