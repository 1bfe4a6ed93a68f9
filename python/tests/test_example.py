"""The example under examples/ runs, and its numbers are the model's."""
import os
import subprocess
import sys

import pytest

import elaa
from conftest import SOURCE_DIR


def test_sweep_example_runs(tmp_path):
    out = tmp_path / "sweep.png"
    done = subprocess.run([sys.executable, str(SOURCE_DIR / "examples" / "sweep_array_size.py"), "--out", str(out)],
                          capture_output=True, text=True, env=dict(os.environ, MPLBACKEND="Agg"))
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 10_000  # a rendered PNG
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["side", "macs", "area_mm2", "energy_uj", "latency_ms", "spatial_util"]
    assert [int(line.split()[0]) for line in lines[1:5]] == [8, 16, 32, 64]
    # The 32x32 row is the unmodified preset.
    preset = elaa.evaluate("tpu_like", "resnet18", search="fast")
    assert float(lines[3].split()[4]) == pytest.approx(preset.total.latency_s * 1e3, rel=1e-3)
