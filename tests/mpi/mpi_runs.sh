#!/usr/bin/env bash
# MPI acceptance (CTest): the Pareto set of `elaa optimise --mpi` is bit-identical for 1, 2 and 3
# ranks and to the run without MPI; a 3-rank run resumed on 2 ranks equals the uninterrupted run;
# a run whose rank is killed resumes from its intact checkpoint to the same result; an island run
# ([islands], whole islands per rank) is bit-identical for 1, 2 and 3 ranks and without MPI.
# usage: mpi_runs.sh ELAA MPIEXEC SOURCE_DIR WORK_DIR
set -euo pipefail
elaa=$1 mpiexec=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
mpirun() { "$mpiexec" --oversubscribe -np "$1" "${@:2}"; }

# Run configs over the tiny space, with an absolute space path so they can live in $work.
config() {  # config NAME GENERATIONS [EXTRA_TOML]
  cat > "$work/$1.toml" <<TOML
[run]
problem = "codesign"
space = "$src/configs/spaces/tiny.toml"
seed = 11
search = "fast"
[nsga2]
population = 16
generations = $2
[checkpoint]
every = 2
${3:-}
TOML
}
config four 4
config two 2
config long 30
config islands 4 $'[islands]\ncount = 3\nmigrate_every = 2\nmigrants = 2'

"$elaa" optimise "$work/four.toml" --out "$work/serial" --threads 1 --no-plots 2>/dev/null
for np in 1 2 3; do
  mpirun "$np" "$elaa" optimise "$work/four.toml" --out "$work/np$np" --mpi --no-plots 2>/dev/null
  cmp "$work/serial/pareto.csv" "$work/np$np/pareto.csv"
  echo "np $np: identical to the run without MPI"
done

# Checkpoint after 2 generations on 3 ranks, resume to 4 on 2 ranks (the config changed: --force).
mpirun 3 "$elaa" optimise "$work/two.toml" --out "$work/resumed" --mpi --no-plots 2>/dev/null
mpirun 2 "$elaa" optimise "$work/four.toml" --resume "$work/resumed" --force --mpi --no-plots 2>/dev/null
cmp "$work/serial/pareto.csv" "$work/resumed/pareto.csv"
echo "3 ranks, checkpoint, 2 ranks: identical to the uninterrupted run"

# Kill a rank mid-run: Open MPI ends the job; the last checkpoint must be intact and resume.
"$elaa" optimise "$work/long.toml" --out "$work/long_serial" --threads 1 --no-plots 2>/dev/null
mpirun 2 "$elaa" optimise "$work/long.toml" --out "$work/killed" --mpi --no-plots 2>/dev/null &
job=$!
for _ in $(seq 1 600); do [ -f "$work/killed/checkpoint.elaa" ] && break; sleep 0.05; done
sleep 0.3
victim=$(pgrep -n -f "elaa optimise $work/long.toml --out $work/killed" || true)
[ -n "$victim" ] && kill -9 "$victim" || true
if wait "$job"; then echo "the 2-rank job finished before the kill: the kill test proved nothing" >&2; exit 1; fi
"$elaa" optimise --resume "$work/killed" --no-plots 2>/dev/null
cmp "$work/long_serial/pareto.csv" "$work/killed/pareto.csv"
echo "killed rank $victim: resumed from the checkpoint to the uninterrupted result"

# Island mode: 3 islands over 1, 2 and 3 ranks (islands handed out whole), and without MPI.
"$elaa" optimise "$work/islands.toml" --out "$work/islands_serial" --threads 1 --no-plots 2>/dev/null
for np in 1 2 3; do
  mpirun "$np" "$elaa" optimise "$work/islands.toml" --out "$work/islands_np$np" --mpi --no-plots 2>/dev/null
  cmp "$work/islands_serial/pareto.csv" "$work/islands_np$np/pareto.csv"
done
if cmp -s "$work/serial/pareto.csv" "$work/islands_serial/pareto.csv"; then
  echo "the island run equals the single-population run: migration and islands did nothing" >&2; exit 1
fi
echo "islands on 1, 2, 3 ranks: identical to the island run without MPI"
echo "mpi runs: 6 passed, 0 failed"
