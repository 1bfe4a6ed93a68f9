#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/, clang-16 + ASan/UBSan) into build-fuzz and runs each one for
# SECONDS (default 30) on its seed corpus (fuzz/corpus/<target>) and its reproducers
# (fuzz/regressions/<target>). Exits non-zero when any target finds a crash, a sanitizer report, a
# leak, a timeout or an out-of-memory; the input is saved under build-fuzz/findings/<target>/.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]     (docs/hardening.md)
# FUZZ_KEEP_GOING=1 keeps fuzzing after a finding (libFuzzer -fork=1 with -ignore_crashes/ooms/
# timeouts), to look for further problems behind a shallow one; every finding is still saved.
# FUZZ_SEED=N fixes the random seed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-30}
shift || true
ALL_TARGETS=(accelerator_toml search_space_toml run_config_toml onnx checkpoint accuracy_csv)
if [ $# -gt 0 ]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
BUILD_DIR=build-fuzz

# clang-16 with its runtimes (libFuzzer, ASan, UBSan), llvm-symbolizer, and the libraries the sources need.
PACKAGES=(cmake make ccache clang-16 libclang-rt-16-dev llvm-16 libonnx-dev libprotobuf-dev
          nlohmann-json3-dev libfmt-dev libtomlplusplus-dev libboost-dev libpagmo-dev libtbb-dev)
source scripts/install_packages.sh
install_packages fuzz "${PACKAGES[@]}"

# Serialised, so that two fuzz.sh started side by side (one per core) do not build at once.
mkdir -p "$BUILD_DIR"
(
  flock 9
  cmake -S fuzz -B "$BUILD_DIR" -DCMAKE_CXX_COMPILER=clang++-16 >/dev/null
  cmake --build "$BUILD_DIR" -j2 >/dev/null
) 9>"$BUILD_DIR/.build.lock"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
# Symbolised stacks in the reports (llvm-16 ships it; any llvm-symbolizer will do).
for symbolizer in /usr/bin/llvm-symbolizer-16 /usr/bin/llvm-symbolizer; do
  [ -x "$symbolizer" ] && export ASAN_SYMBOLIZER_PATH=$symbolizer && break
done
KEEP_GOING_FLAGS=()
[ "${FUZZ_KEEP_GOING:-0}" = 1 ] && KEEP_GOING_FLAGS=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
# FUZZ_SEED=N makes libFuzzer's mutations repeatable (CI sets it, so a CI failure can be replayed).
SEED_FLAGS=()
[ -n "${FUZZ_SEED:-}" ] && SEED_FLAGS=(-seed="$FUZZ_SEED")
failed=()
for target in "${TARGETS[@]}"; do
  # New inputs go to a scratch corpus in the build dir; the committed seeds stay untouched.
  work_corpus="$BUILD_DIR/corpus/$target"
  findings="$BUILD_DIR/findings/$target"
  log="$BUILD_DIR/logs/$target.log"
  rm -rf "$findings"
  mkdir -p "$work_corpus" "$findings" "$(dirname "$log")" "fuzz/regressions/$target"
  echo "fuzz: $target for ${SECONDS_PER_TARGET}s" >&2
  status=0
  "$BUILD_DIR/fuzz_$target" "$work_corpus" "fuzz/corpus/$target" "fuzz/regressions/$target" \
      -max_total_time="$SECONDS_PER_TARGET" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
      -artifact_prefix="$findings/" "${SEED_FLAGS[@]}" "${KEEP_GOING_FLAGS[@]}" >"$log" 2>&1 || status=$?
  # The final stats line, or in fork mode the last status line "#<executions>: cov: ...".
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' ||
               grep -oE '^#[0-9]+: cov' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
  # Fork mode exits 0 after ignored findings: the saved inputs tell.
  [ "$status" -eq 0 ] && [ -n "$(ls -A "$findings")" ] && status=1
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz: $target FOUND A PROBLEM (exit $status) after $executions executions; log $log:" >&2
    # The first report with its stack (fork mode logs one report per finding).
    grep -E -m1 -A20 '^==[0-9]+== ?ERROR|runtime error|ALARM|out-of-memory|uncaught exception' "$log" >&2 || true
    echo "fuzz: $(ls "$findings" | wc -l) input(s) saved in $findings" >&2
  else
    echo "fuzz: $target clean, $executions executions" >&2
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${#TARGETS[@]} targets clean"
