#!/usr/bin/env bash
# Installs what elaa needs on Debian 12 (only the missing packages) and configures + builds it.
# Usage: scripts/setup.sh [build-dir]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${1:-build}

PACKAGES=(cmake g++ make ccache catch2 libcli11-dev libonnx-dev libprotobuf-dev
          nlohmann-json3-dev libfmt-dev libtomlplusplus-dev
          libboost-dev libbenchmark-dev python3-matplotlib libpagmo-dev libtbb-dev
          libopenmpi-dev openmpi-bin libjemalloc-dev pkg-config
          python3-dev pybind11-dev python3-pandas python3-pytest)
source scripts/install_packages.sh
install_packages setup "${PACKAGES[@]}"

cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD_DIR" -j"$(nproc)"
