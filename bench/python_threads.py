#!/usr/bin/env python3
"""Does elaa.evaluate release the GIL? Times the same evaluations run serially and from two Python
threads, and how many cores the threaded run kept busy (process CPU time / wall time: 1.0 if the
GIL serialised the threads, up to 2.0 if not). docs/python.md reports the medians. Usage:
    PYTHONPATH=build/python python3 bench/python_threads.py [--repeats 5]
"""
import argparse
import os
import statistics
import threading
import time

import elaa

WORK = [("eyeriss_like", "resnet50"), ("eyeriss_like", "resnet50")]  # equal halves


def evaluate(arch, net):
    return elaa.evaluate(arch, net, search="full", threads=1).total


def serial():
    return [evaluate(*w) for w in WORK]


def two_threads():
    out = [None] * len(WORK)

    def run(i):
        out[i] = evaluate(*WORK[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(WORK))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def timed(fn):
    cpu, start = os.times(), time.perf_counter()
    result = fn()
    wall, after = time.perf_counter() - start, os.times()
    busy = (after.user - cpu.user + after.system - cpu.system) / wall
    return wall, busy, result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    serial_s, threaded_s, busy = [], [], []
    for _ in range(args.repeats):
        s, _, a = timed(serial)
        t, cores, b = timed(two_threads)
        assert a == b, "threads changed a result"
        serial_s.append(s)
        threaded_s.append(t)
        busy.append(cores)
    ms, mt = statistics.median(serial_s), statistics.median(threaded_s)
    print(f"serial {ms:.3f} s, two threads {mt:.3f} s (medians of {args.repeats}); speed-up {ms / mt:.2f}x; "
          f"cores busy in the threaded run {statistics.median(busy):.2f}")


if __name__ == "__main__":
    main()
