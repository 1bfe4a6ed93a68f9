#!/usr/bin/env bash
# Whole-process timing of `elaa eval` (start-up included) and a full-vs-loma comparison per layer.
#
#   scripts/bench.sh [BUILD_DIR] [timing|compare|all]     (defaults: build-bench, all)
#   RUNS=21 scripts/bench.sh                               (runs per timing job; default 21)
#
# timing:  builds Release, runs each job RUNS times and prints, per job, the median/min/max CPU time
#          (user + sys of the elaa processes) and the median peak RSS, plus 61 s / (median per
#          process) (ZigZag 3.8 needs 61 s of CPU time for resnet18 on tpu_like). Medians, because the
#          machine is shared.
# compare: for resnet18, mobilenet_v2 and efficientnet_b0 on tpu_like, edge_tpu_like and
#          eyeriss_like, the per-layer latency of `--search full` against `--search loma`.
# Nothing is random: the same build gives the same searches; only the times vary between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-build-bench}
MODE=${2:-all}
RUNS=${RUNS:-21}
case "$MODE" in timing|compare|all) ;; *) echo "usage: $0 [BUILD_DIR] [timing|compare|all]" >&2; exit 2 ;; esac
command -v python3 >/dev/null || { echo "bench.sh needs python3" >&2; exit 2; }

# The build's own output (and other files' warnings) goes to a log, shown only when the build fails.
BUILD_LOG="$BUILD_DIR/bench-build.log"
mkdir -p "$BUILD_DIR"
if ! { cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release && cmake --build "$BUILD_DIR" -j2 --target elaa; } \
     >"$BUILD_LOG" 2>&1; then
  cat "$BUILD_LOG" >&2
  exit 1
fi
ELAA="$BUILD_DIR/elaa"

# What was measured: the commit, and whether the working tree differed from it.
echo "elaa $(git describe --always --dirty 2>/dev/null || echo '(no git)'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
changed=$(git diff --name-only HEAD -- src 2>/dev/null | tr '\n' ' ')
[[ -z "$changed" ]] || echo "uncommitted changes in: $changed"
echo

if [[ "$MODE" != compare ]]; then
# GNU time reports the peak RSS of the process it starts. (The rusage Python gets from wait4 cannot:
# a child forked from Python keeps Python's own high-water mark across exec.)
if [[ ! -x /usr/bin/time ]]; then
  SUDO=$([[ $(id -u) -eq 0 ]] || echo sudo)
  $SUDO apt-get install -y time >/dev/null
fi
# CPU time comes from wait4()'s rusage of /usr/bin/time, which includes the elaa process it waited
# for (microsecond resolution; time's own %U/%S print 10 ms steps, too coarse for processes that run
# for tens of milliseconds). The job "baseline: /usr/bin/time true" shows what the wrapper adds.
ELAA="$ELAA" RUNS="$RUNS" python3 - <<'PY'
import os, statistics, subprocess, tempfile

elaa, runs = os.environ["ELAA"], int(os.environ["RUNS"])
ZIGZAG_CPU_S = 61.0  # ZigZag 3.8, resnet18 on tpu_like (the issue's reference figure)
PRESETS = ["ascend_like", "edge_tpu_like", "envision_like", "eyeriss_like",
           "meta_prototype_like", "tesla_npu_like", "tpu_like"]

def eval_args(arch, net, search):
    return [elaa, "eval", "--arch", arch, "--net", net, "--search", search, "--kinds", "conv,fc"]

# Each job is a list of processes; one run of a job runs them one after another.
JOBS = [
    ("baseline: /usr/bin/time true", [["true"]]),
    # Process start-up alone (dynamic linking, zoo registration): a floor under every job below.
    ("start-up: elaa --version", [[elaa, "--version"]]),
    ("resnet18 loma tpu_like", [eval_args("tpu_like", "resnet18", "loma")]),
    ("resnet18 full tpu_like", [eval_args("tpu_like", "resnet18", "full")]),
    ("mobilenet_v2 loma tpu_like", [eval_args("tpu_like", "mobilenet_v2", "loma")]),
    ("mobilenet_v2 full tpu_like", [eval_args("tpu_like", "mobilenet_v2", "full")]),
    ("typical: 7 presets x resnet18 loma", [eval_args(p, "resnet18", "loma") for p in PRESETS]),
]

SCRATCH = tempfile.TemporaryDirectory(prefix="elaa-bench-")  # removed when the script ends
RSS_FILE = os.path.join(SCRATCH.name, "rss")

def run_once(argv):
    """CPU seconds (user + sys) and peak RSS (MiB) of one process."""
    child = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", RSS_FILE, *argv], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(argv)}")
    with open(RSS_FILE) as f:
        rss_kib = int(f.read().split()[-1])
    return usage.ru_utime + usage.ru_stime, rss_kib / 1024.0

print(f"{'job':36} {'runs':>4} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'RSS MiB':>8} {'61 s / (median/process)':>24} "
      f"{'net ms':>8}")
baseline = None  # median of the first job: what fork, exec and the time wrapper cost per process
for label, processes in JOBS:
    cpu, rss = [], []
    for _ in range(runs):
        measured = [run_once(argv) for argv in processes]
        cpu.append(sum(c for c, _ in measured))
        rss.append(max(r for _, r in measured))
    median = statistics.median(cpu)
    if baseline is None:
        baseline = median
    net = median - baseline * len(processes)
    print(f"{label:36} {runs:>4} {median * 1e3:>10.1f} {min(cpu) * 1e3:>8.1f} {max(cpu) * 1e3:>8.1f} "
          f"{statistics.median(rss):>8.1f} {ZIGZAG_CPU_S * len(processes) / median:>23.0f}x {net * 1e3:>8.1f}")
print("net ms: median minus the baseline per process (the wrapper's share). Ratio: ZigZag's 61 s for resnet18 on\n"
      "tpu_like over the median CPU time per elaa process (the whole median, wrapper included)")
PY
echo
fi

if [[ "$MODE" != timing ]]; then
# Not timed: both searches run with two threads, and their JSON reports are compared layer by layer.
ELAA="$ELAA" python3 - <<'PY'
import json, os, statistics, subprocess

elaa = os.environ["ELAA"]
NETS = ["resnet18", "mobilenet_v2", "efficientnet_b0"]
ARCHS = ["tpu_like", "edge_tpu_like", "eyeriss_like"]

def layer_latencies(arch, net, search):
    out = subprocess.run([elaa, "eval", "--arch", arch, "--net", net, "--search", search, "--kinds", "conv,fc",
                          "--threads", "2", "--json", "-"], check=True, capture_output=True, text=True).stdout
    return {l["name"]: l["latency_cycles"] for l in json.loads(out)["layers"] if l["costed"]}

print("full vs loma, objective latency, per layer (conv and fc); improvement = 1 - full / loma")
print(f"{'network':16} {'preset':14} {'layers':>6} {'better':>6} {'worse':>5} {'median impr.':>12} "
      f"{'max impr.':>9} {'total impr.':>11}")
for net in NETS:
    for arch in ARCHS:
        loma, full = layer_latencies(arch, net, "loma"), layer_latencies(arch, net, "full")
        gains = [1 - full[n] / loma[n] for n in loma]
        better = [g for g in gains if g > 0]
        worse = sum(1 for g in gains if g < 0)  # must stay 0: full contains loma's space
        total = 1 - sum(full.values()) / sum(loma.values())
        median = f"{statistics.median(better) * 100:.2f} %" if better else "-"
        peak = f"{max(better) * 100:.2f} %" if better else "-"
        print(f"{net:16} {arch:14} {len(gains):>6} {len(better):>6} {worse:>5} {median:>12} {peak:>9} "
              f"{total * 100:>9.2f} %")
print("median/max improvement: over the layers where full is better")
PY
fi
