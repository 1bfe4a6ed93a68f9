"""`cmake --install` gives a package that imports from its install directory alone."""
import os
import pathlib
import subprocess
import sys

import pytest


def test_cmake_install_gives_an_importable_package(tmp_path):
    build = os.environ.get("ELAA_BUILD_DIR")
    if not build:
        pytest.skip("ELAA_BUILD_DIR is not set (ctest sets it)")
    subprocess.run(["cmake", "--install", build, "--prefix", str(tmp_path)], check=True, capture_output=True)
    packages = list(tmp_path.glob("lib/python3*/dist-packages/elaa"))
    assert len(packages) == 1, list(tmp_path.rglob("*"))
    assert (tmp_path / "bin" / "elaa").exists()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(packages[0].parent)
    done = subprocess.run([sys.executable, "-c", "import elaa; print(elaa.__file__); "
                           "print(elaa.evaluate('tpu_like', 'resnet18', search='fast').total.macs)"],
                          capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    where, macs = done.stdout.split()
    assert pathlib.Path(where).is_relative_to(tmp_path)
    assert macs == "1814073344"
