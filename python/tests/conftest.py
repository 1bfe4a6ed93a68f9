"""Shared fixtures: the CLI binary the module is compared with, and the repository paths.

ctest sets ELAA_BINARY and PYTHONPATH (CMakeLists.txt); run by hand:
    PYTHONPATH=build/python ELAA_BINARY=build/elaa python3 -m pytest python/tests
"""
import json
import os
import pathlib
import subprocess

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
SHARED_DIR = SOURCE_DIR.parent / "shared"


@pytest.fixture(scope="session")
def cli():
    """Runs `elaa ARGS...`; returns the CompletedProcess (text mode)."""
    binary = os.environ.get("ELAA_BINARY", str(SOURCE_DIR / "build" / "elaa"))
    if not os.path.exists(binary):
        pytest.fail(f"the elaa binary {binary} is missing: set ELAA_BINARY")

    def run(*args, check=True, cwd=None):
        done = subprocess.run([binary, *map(str, args)], capture_output=True, text=True, cwd=cwd)
        if check and done.returncode != 0:
            raise AssertionError(f"elaa {' '.join(map(str, args))} failed: {done.stderr}")
        return done

    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    """`elaa eval ... --json -` parsed."""

    def run(*args):
        return json.loads(cli("eval", *args, "--json", "-").stdout)

    return run
