#!/usr/bin/env bash
# Strong scaling of `elaa optimise` on this machine: the generation loop's wall time (evaluations /
# evaluations per second on the last progress line, so set-up and export are excluded) for
# 1 and 2 threads without MPI and for 1 and 2 MPI ranks, median of N runs (default 3); with ISLANDS
# > 0 also the same config in island mode ([islands] count = ISLANDS) on 1 and 2 ranks.
# usage: scripts/mpi_scaling.sh [BUILD_DIR] [RUNS] [GENERATIONS] [ISLANDS]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build} runs=${2:-3} generations=${3:-20} islands=${4:-0}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed "s/^generations = .*/generations = $generations/; s|^space = \"../spaces/|space = \"$PWD/configs/spaces/|" \
  configs/runs/default.toml > "$work/run.toml"

loop_seconds() {  # the last progress line: "gen  G/G  E evals (R/s) ..."
  grep '^gen' "$1" | tail -1 | sed -E 's/.* ([0-9]+) evals \(([0-9]+)\/s\).*/\1 \2/' | awk '{ printf "%.2f\n", $1 / $2 }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {  # measure LABEL COMMAND...
  local label=$1; shift
  local times=()
  for r in $(seq 1 "$runs"); do
    rm -rf "$work/out"
    "$@" --out "$work/out" --no-plots 2>"$work/err" >/dev/null
    times+=("$(loop_seconds "$work/err")")
  done
  printf "%-22s median %6.2f s   runs: %s\n" "$label" "$(printf '%s\n' "${times[@]}" | median)" "${times[*]}"
}

echo "generation loop of $generations generations x population 128 ($(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
measure "threads 1" "$build/elaa" optimise "$work/run.toml" --threads 1
measure "threads 2" "$build/elaa" optimise "$work/run.toml" --threads 2
if "$build/elaa" optimise --help | grep -q -- --mpi && command -v mpirun >/dev/null; then
  measure "mpi 1 rank" mpirun --oversubscribe -np 1 "$build/elaa" optimise "$work/run.toml" --mpi
  measure "mpi 2 ranks" mpirun --oversubscribe -np 2 "$build/elaa" optimise "$work/run.toml" --mpi
fi
if [ "$islands" -gt 0 ] && "$build/elaa" optimise --help | grep -q -- --mpi && command -v mpirun >/dev/null; then
  { cat "$work/run.toml"; printf '\n[islands]\ncount = %s\n' "$islands"; } > "$work/islands.toml"
  echo "island mode: $islands islands x population 128 per generation"
  measure "islands, mpi 1 rank" mpirun --oversubscribe -np 1 "$build/elaa" optimise "$work/islands.toml" --mpi
  measure "islands, mpi 2 ranks" mpirun --oversubscribe -np 2 "$build/elaa" optimise "$work/islands.toml" --mpi
fi
