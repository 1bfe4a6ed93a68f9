#!/usr/bin/env python3
"""Sweep the MAC array of a preset and plot energy against latency (docs/python.md).

Usage: PYTHONPATH=build/python python3 examples/sweep_array_size.py [--net resnet18] [--out sweep.png]

Each point is the TPU-like preset with a square array of side 8..64 (the global buffer kept), on
one network, with the fast mapping search; the table printed is the sweep, the plot its trade-off.
"""
import argparse

import matplotlib

matplotlib.use("Agg")  # files only: runs without a display (CI)
import matplotlib.pyplot as plt
import pandas as pd

import elaa


def sweep(net: str, sides: list[int]) -> pd.DataFrame:
    rows = []
    for side in sides:
        acc = elaa.Accelerator.preset("tpu_like")
        acc.array = [side, side]  # the unrollings that used a whole dimension follow it
        result = elaa.evaluate(acc, net, search="fast", threads=2)
        rows.append({"side": side, "macs": acc.peak_macs_per_cycle, "area_mm2": acc.area_mm2,
                     "energy_uj": result.total.energy_pj * 1e-6, "latency_ms": result.total.latency_s * 1e3,
                     "spatial_util": result.total.spatial_utilisation})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--net", default="resnet18", help="zoo network (elaa.nets())")
    parser.add_argument("--out", default="sweep_array_size.png", help="plot file")
    args = parser.parse_args()

    table = sweep(args.net, [8, 16, 32, 64])
    print(table.to_string(index=False, float_format=lambda v: f"{v:.4g}"))

    fig, ax = plt.subplots(figsize=(5, 4))
    ax.plot(table["latency_ms"], table["energy_uj"], "o-")
    for _, row in table.iterrows():
        ax.annotate(f"{row.side:.0f}x{row.side:.0f}", (row.latency_ms, row.energy_uj),
                    textcoords="offset points", xytext=(5, 5))
    ax.set_xscale("log")
    ax.margins(0.15)
    ax.set_xlabel("latency (ms)")
    ax.set_ylabel("energy (uJ / inference)")
    ax.set_title(f"{args.net} on tpu_like: array size sweep")
    fig.tight_layout()
    fig.savefig(args.out, dpi=120)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
