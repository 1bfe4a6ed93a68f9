#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (what CI runs).
set -euo pipefail
cd "$(dirname "$0")/.."
# zsh only for the zsh completion test (tests/test_completion.cpp skips it without zsh).
source scripts/install_packages.sh
install_packages test zsh
scripts/setup.sh build
ctest --test-dir build --output-on-failure -j"$(nproc)" --label-exclude python
# The Python module's pytest suite, verbose so that its report shows here.
ctest --test-dir build --output-on-failure --label-regex python --verbose
