#!/usr/bin/env python3
"""Do two builds of mftool solve at the same speed?

Alternates the two binaries (ABBA: the order flips every round) on three generated problems —
ML-100K-shaped with the observed loss, the same with the implicit loss at α = 40, and 3,000
users over 4,000 items at k = 256 (the dual form) — and prints, per problem, the new/old ratio's
median and quartiles for the whole command's wall time (reading and writing included) and for
the solve's own `seconds`. An interquartile range that contains 1 is noise on these machines.

    tools/checks/same_speed.py OLD_MFTOOL NEW_MFTOOL [--rounds 10] [--isa avx2] [--work DIR]

It gives figures, not a verdict: quote them with the CPU it names.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

CASES = {
    "ml100k-shape, observed": ("r.h5", "v.h5", []),
    "ml100k-shape, implicit α = 40": ("r.h5", "v.h5", ["--loss", "implicit", "--alpha", "40"]),
    "3000 × 4000, k = 256 (dual form)": ("r256.h5", "v256.h5", []),
}


def solve(binary: str, work: str, interactions: str, items: str, extra: list[str], isa: list[str]) -> tuple[float, float]:
    """Wall seconds of one `solve --json`, and the seconds it reports for the solve."""
    start = time.perf_counter()
    out = subprocess.run([binary, "solve", "--interactions", interactions, "--items", items, *extra, *isa,
                          "--out", "u.h5", "--json"], cwd=work, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, json.loads(out)["seconds"]


def summary(ratios: list[float]) -> str:
    q1, median, q3 = statistics.quantiles(ratios, n=4)
    return f"{median:.3f} [{q1:.3f}, {q3:.3f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--isa", help="pass --isa to both builds (avx2, avx512, portable)")
    parser.add_argument("--work", help="folder for the generated problems (default: a new temporary one)")
    args = parser.parse_args()
    old, new = os.path.abspath(args.old), os.path.abspath(args.new)
    work = args.work or tempfile.mkdtemp(prefix="same_speed.")
    isa = ["--isa", args.isa] if args.isa else []
    subprocess.run([new, "generate", "--preset", "ml100k-shape", "--out", "r.h5", "--items-out", "v.h5", "-q"], cwd=work, check=True)
    subprocess.run([new, "generate", "--users", "3000", "--items", "4000", "--nnz", "60000", "--k", "256",
                    "--out", "r256.h5", "--items-out", "v256.h5", "-q"], cwd=work, check=True)
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "unknown CPU")
    print(f"{args.rounds} ABBA rounds on {cpu}, {os.cpu_count()} CPUs{', --isa ' + args.isa if args.isa else ''}; new/old median [quartiles]")
    for name, (interactions, items, extra) in CASES.items():
        wall, solved = [], []
        for r in range(args.rounds):
            order = [old, new] if r % 2 == 0 else [new, old]
            times = {binary: solve(binary, work, interactions, items, extra, isa) for binary in order}
            wall.append(times[new][0] / times[old][0])
            solved.append(times[new][1] / times[old][1])
        print(f"{name}: wall {summary(wall)}; solve seconds {summary(solved)}")


if __name__ == "__main__":
    main()
