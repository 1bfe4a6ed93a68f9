#!/usr/bin/env bash
# Installs what is missing, builds, and runs elaa's main job on its built-in defaults.
# Extra arguments are passed to that job.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build >&2
exec build/elaa nets "$@"
