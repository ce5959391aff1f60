#!/usr/bin/env python3
"""Sharding's cost on one machine: one process against N shards run one after another.

Generates the ML-20M-shaped problem (138,493 users x 26,744 items, ~16M interactions, k = 64)
unless --work already holds it, then times, under /usr/bin/time -v:
  - `mftool solve` of every user in one process;
  - the N tasks `mftool solve --shard i/N`, one after another, and `mftool merge`;
and checks that the merged file equals the single-process one bit for bit
(tools/checks/same_h5.py). Prints a Markdown table: wall time and peak resident memory of each
process, and the totals, so that the overhead of sharding (each task reads the whole item matrix
and the row pointers it searches) is visible.

    tools/experiments/shard_scaling.py --mftool .build/release/mftool [--shards 8] [--work DIR]
        [--threads 2] [-- extra solve flags, default: --loss implicit --alpha 10 --lambda 0.1]

With --projection it measures instead the figures the README's projection to 100M users x 1M
items (k = 128) rests on: users solved per second at k = 128 on the ML-20M shape with 1 and 2
threads, the memory per stored interaction (peak RSS of shards 0/4 and 0/1, their slope), and a
task's fixed part with 1M items (a shard of a 20,000-user problem: wall time and peak RSS).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(command: list[str]) -> tuple[float, int]:
    """Runs `command` under /usr/bin/time -v: (wall seconds, peak resident KiB)."""
    done = subprocess.run(["/usr/bin/time", "-v"] + command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    hours, minutes, seconds = (float(g) if g else 0.0 for g in wall.groups())
    peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    return hours * 3600 + minutes * 60 + seconds, peak


def projection(mftool: str, work: str) -> None:
    """The measurements behind the README's projection (see the module docstring)."""
    r, v = os.path.join(work, "r128.h5"), os.path.join(work, "v128.h5")
    if not (os.path.exists(r) and os.path.exists(v)):
        subprocess.run([mftool, "generate", "--preset", "ml20m-shape", "--k", "128", "--out", r, "--items-out", v, "-q"], check=True)
    solve = [mftool, "solve", "--interactions", r, "--items", v, "--loss", "implicit", "--alpha", "10", "-q"]
    for threads in (1, 2):
        done = subprocess.run(solve + ["--threads", str(threads), "--json", "--out", os.path.join(work, "u128.h5")],
                              capture_output=True, text=True, check=True)
        summary = json.loads(done.stdout)
        print(f"k = 128, {threads} thread(s): {summary['users'] / summary['seconds']:,.0f} users/s")
    peaks = {}
    for shard in ("0/4", "0/1"):
        done = subprocess.run(solve + ["--shard", shard, "--json", "--out", os.path.join(work, "s128-{shard}.h5")],
                              capture_output=True, text=True, check=True)
        peaks[shard] = (json.loads(done.stdout)["nnz"], timed(solve + ["--shard", shard, "--out", os.path.join(work, "s128-{shard}.h5")])[1])
    (n1, p1), (n2, p2) = peaks["0/4"], peaks["0/1"]
    print(f"memory per interaction: {(p2 - p1) * 1024 / (n2 - n1):.1f} bytes (peak RSS {p1 / 1024:.0f} MiB at {n1:,}, {p2 / 1024:.0f} MiB at {n2:,})")
    rb, vb = os.path.join(work, "rbig.h5"), os.path.join(work, "vbig.h5")
    if not (os.path.exists(rb) and os.path.exists(vb)):
        subprocess.run([mftool, "generate", "--users", "20000", "--items", "1000000", "--nnz", "2000000", "--k", "128",
                        "--out", rb, "--items-out", vb, "-q"], check=True)
    wall, peak = timed([mftool, "solve", "--interactions", rb, "--items", vb, "--loss", "implicit", "--alpha", "10",
                        "--threads", "2", "--shard", "0/8", "--out", os.path.join(work, "sb-{shard}.h5"), "-q"])
    print(f"fixed part with 1M items, k = 128 (shard 0/8 of 20,000 users): {wall:.2f} s, {peak / 1024 / 1024:.2f} GiB peak")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mftool", required=True)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default=os.path.join(HERE, os.pardir, ".cache", "shards"))
    parser.add_argument("--projection", action="store_true", help="measure the projection's figures instead")
    parser.add_argument("extra", nargs="*", default=["--loss", "implicit", "--alpha", "10", "--lambda", "0.1"])
    args = parser.parse_args()
    mftool, work, n = os.path.abspath(args.mftool), os.path.abspath(args.work), args.shards
    os.makedirs(work, exist_ok=True)
    if args.projection:
        return projection(mftool, work)
    r, v = os.path.join(work, "r.h5"), os.path.join(work, "v.h5")
    if not (os.path.exists(r) and os.path.exists(v)):
        subprocess.run([mftool, "generate", "--preset", "ml20m-shape", "--out", r, "--items-out", v, "-q"], check=True)
    solve = [mftool, "solve", "--interactions", r, "--items", v, "--threads", str(args.threads), "-q"] + args.extra
    whole = os.path.join(work, "whole.h5")
    rows = [("1 process", *timed(solve + ["--out", whole]))]
    for i in range(n):
        rows.append((f"shard {i}/{n}", *timed(solve + ["--shard", f"{i}/{n}", "--out", os.path.join(work, "part-{shard}.h5")])))
    width = len(str(n - 1))
    parts = [os.path.join(work, f"part-{i:0{width}d}.h5") for i in range(n)]
    merged = os.path.join(work, "merged.h5")
    rows.append(("merge", *timed([mftool, "merge", *parts, "--out", merged, "-q"])))
    same = subprocess.run([sys.executable, os.path.join(HERE, os.pardir, "checks", "same_h5.py"), whole, merged]).returncode == 0
    print(f"| run | wall s | peak RSS MiB |\n| --- | ---: | ---: |")
    for name, wall, peak in rows:
        print(f"| {name} | {wall:.2f} | {peak / 1024:.0f} |")
    shard_rows = rows[1:]
    print(f"| {n} shards + merge, total | {sum(w for _, w, _ in shard_rows):.2f} | max {max(p for _, _, p in shard_rows) / 1024:.0f} |")
    print(f"\nmerged equals the single process bit for bit: {'yes' if same else 'NO'}")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
