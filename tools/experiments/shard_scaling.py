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
"""
from __future__ import annotations

import argparse
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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mftool", required=True)
    parser.add_argument("--shards", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--work", default=os.path.join(HERE, os.pardir, ".cache", "shards"))
    parser.add_argument("extra", nargs="*", default=["--loss", "implicit", "--alpha", "10", "--lambda", "0.1"])
    args = parser.parse_args()
    mftool, work, n = os.path.abspath(args.mftool), os.path.abspath(args.work), args.shards
    os.makedirs(work, exist_ok=True)
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
