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


def test_assess_callback_error_stops_the_run_and_nothing_is_written(tmp_path):
    calls = []

    def fail(done, total):
        calls.append(done)
        raise RuntimeError("stop here")

    # 2 x 3 pairs on 2 threads: the first report raises, at most the other pair in flight finishes.
    with pytest.raises(RuntimeError, match="stop here"):
        elaa.assess("tpu_like,eyeriss_like", "resnet18,mobilenet_v2,alexnet", search="fast", threads=2,
                    out=tmp_path / "never", progress=fail)
    assert len(calls) == 1  # after the exception, the callback is not called again
    assert not (tmp_path / "never").exists() and list(tmp_path.iterdir()) == []


def test_assess_callback_false_cancels(tmp_path):
    with pytest.raises(elaa.Error, match=r"assess: stopped after [12] of 6 pairs; nothing was written"):
        elaa.assess("tpu_like,eyeriss_like", "resnet18,mobilenet_v2,alexnet", search="fast", threads=2,
                    out=tmp_path / "never", progress=lambda done, total: False)
    assert list(tmp_path.iterdir()) == []


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
    # False at generation 1 stops at the end of generation 1, with the checkpoint saved.
    part = elaa.optimise(TINY_RUN, out=tmp_path / "part", threads=1, progress=lambda r: r["generation"] < 1)
    assert part.attrs["stopped_early"] and part.attrs["generations_done"] == 1
    assert not (tmp_path / "part" / "pareto.csv").exists()
    resumed = elaa.optimise(resume=tmp_path / "part", threads=1)
    assert resumed.attrs["generations_done"] == 4
    pd.testing.assert_frame_equal(resumed, whole)
    pd.testing.assert_frame_equal(resumed.attrs["history"], whole.attrs["history"])
    with pytest.raises(elaa.Error, match="already holds a run"):
        elaa.optimise(TINY_RUN, out=tmp_path / "whole")


def test_optimise_callback_error_keeps_the_checkpoint(tmp_path):
    def fail(report):
        if report["generation"] == 2:
            raise KeyError("from the callback")

    with pytest.raises(KeyError, match="from the callback"):
        elaa.optimise(TINY_RUN, out=tmp_path / "run", threads=1, progress=fail)
    assert (tmp_path / "run" / "checkpoint.elaa").exists() and not (tmp_path / "run" / "pareto.csv").exists()
    assert list(elaa.load_run(tmp_path / "run").attrs["history"]["generation"]) == [0, 1, 2]
    assert elaa.optimise(resume=tmp_path / "run", threads=1).attrs["generations_done"] == 4


def test_history_equals_history_csv(tmp_path, cli):
    cli("optimise", TINY_RUN, "--out", tmp_path / "cli", "--threads", "1", "--no-plots")
    pd.testing.assert_frame_equal(elaa.load_run(tmp_path / "cli").attrs["history"],
                                  pd.read_csv(tmp_path / "cli" / "history.csv"))


def test_optimise_settings_are_checked(tmp_path):
    with pytest.raises(elaa.Error, match="not both"):
        elaa.optimise(TINY_RUN, out=tmp_path / "a", resume=tmp_path / "b")
    with pytest.raises(elaa.Error, match="threads must be a whole number from 1 to 4096, got -1"):
        elaa.optimise(TINY_RUN, out=tmp_path / "a", threads=-1)
    with pytest.raises(elaa.Error, match="cache_mib must be a whole number from 0"):
        elaa.optimise(TINY_RUN, out=tmp_path / "a", cache_mib=1 << 40)
    with pytest.raises(TypeError, match="progress must be callable"):
        elaa.optimise(TINY_RUN, out=tmp_path / "a", progress=3)
