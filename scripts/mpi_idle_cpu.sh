#!/usr/bin/env bash
# Measures the CPU an idle MPI worker rank uses: runs `elaa optimise --mpi` on 2 ranks and samples
# rank 1's CPU time (/proc/PID/stat) while rank 0 works alone (the export after the last generation,
# when every worker waits for its stop message). Prints the idle rank's CPU use in % of one core.
# usage: scripts/mpi_idle_cpu.sh [BUILD_DIR] [CONFIG]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
config=${2:-configs/runs/default.toml}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
log="$work/stderr"
mpirun --oversubscribe -np 2 "$build/elaa" optimise "$config" --out "$work/run" --mpi --no-plots 2>"$log" &
job=$!
generations=$(sed -n 's/^generations *= *\([0-9]*\).*/\1/p' "$config" | head -1)
# rank 1: the elaa process whose environment says so
worker=""
for _ in $(seq 1 200); do
  for pid in $(pgrep -f "$build/elaa optimise" || true); do
    if tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx 'OMPI_COMM_WORLD_RANK=1'; then worker=$pid; fi
  done
  [ -n "$worker" ] && break
  sleep 0.05
done
[ -n "$worker" ] || { echo "no worker rank found"; exit 1; }
ticks() { awk '{print $14 + $15}' "/proc/$worker/stat"; }
hz=$(getconf CLK_TCK)
# Busy phase: one second in the middle of the run.
sleep 2
b0=$(ticks); t0=$(date +%s.%N); sleep 1; b1=$(ticks); t1=$(date +%s.%N)
busy=$(awk -v a="$b0" -v b="$b1" -v s="$t0" -v e="$t1" -v hz="$hz" 'BEGIN { print (b - a) / hz / (e - s) * 100 }')
# Idle phase: after the last generation rank 0 exports alone.
until grep -q "gen *$generations/$generations" "$log"; do sleep 0.05; kill -0 "$job" 2>/dev/null || break; done
if kill -0 "$worker" 2>/dev/null; then
  i0=$(ticks); s0=$(date +%s.%N); sleep 1; i1=$(ticks 2>/dev/null || echo "$i0"); s1=$(date +%s.%N)
  idle=$(awk -v a="$i0" -v b="$i1" -v s="$s0" -v e="$s1" -v hz="$hz" 'BEGIN { print (b - a) / hz / (e - s) * 100 }')
else
  idle=nan
fi
wait "$job"
printf "worker rank CPU while evaluating: %.0f %% of a core; while idle: %.1f %% of a core\n" "$busy" "$idle"
