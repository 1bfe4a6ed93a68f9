#!/usr/bin/env bash
# Installs what is missing, builds, and runs elaa's main job on its built-in defaults: the default
# co-design run (configs/runs/default.toml) into out/default. Run it again and it resumes (or, when
# the run is complete, re-exports) instead of starting over. Extra arguments go to elaa optimise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build >&2
OUT=${ELAA_OUT:-out/default}
if [ -f "$OUT/checkpoint.elaa" ]; then
  exec build/elaa optimise --resume "$OUT" "$@"
fi
exec build/elaa optimise configs/runs/default.toml --out "$OUT" "$@"
