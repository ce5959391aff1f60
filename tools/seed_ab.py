#!/usr/bin/env python3
"""Alternating comparison of mftool builds on the seed dense solve.

Runs `mftool solve --loss dense --lambda 250 --repeat N --json` on the seed files with each
build in turn, for several rounds, so that every build sees the same phases of a noisy machine;
prints each build's minimum, first quartile and median of the per-process warm medians, and, for
two builds, the median of the per-round ratios (first / second).

    tools/seed_ab.py BUILD_A BUILD_B [--rounds 10] [--repeat 60] [-- extra solve options]

The seed files come from tools/torch_parity.py (tools/.cache/seed).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

SEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".cache", "seed")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builds", nargs="+", help="mftool executables")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=60, help="solves per process (the warm median is taken)")
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    for name in ("r.h5", "items.h5"):
        if not os.path.exists(os.path.join(SEED, name)):
            sys.exit(f"seed_ab: {os.path.join(SEED, name)} is missing; run tools/torch_parity.py once to make it")
    times = {b: [] for b in args.builds}
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "u.h5")
        for _ in range(args.rounds):
            for build in args.builds:
                run = subprocess.run([build, "solve", "--interactions", f"{SEED}/r.h5", "--items", f"{SEED}/items.h5",
                                      "--out", out, "--loss", "dense", "--lambda", "250", "--repeat", str(args.repeat),
                                      "--json", *extra], capture_output=True, text=True)
                if run.returncode != 0:
                    sys.exit(f"seed_ab: {build} failed: {run.stderr.strip()}")
                times[build].append(json.loads(run.stdout)["seconds"] * 1e3)
    for build, t in times.items():
        s = sorted(t)
        print(f"{build}: min {s[0]:.3f}  q1 {s[len(s) // 4]:.3f}  median {statistics.median(s):.3f} ms")
    if len(args.builds) == 2:
        a, b = args.builds
        ratios = sorted(x / y for x, y in zip(times[a], times[b]))
        print(f"paired ratio {a} / {b}: median {statistics.median(ratios):.3f} "
              f"(q1 {ratios[len(ratios) // 4]:.3f}, q3 {ratios[3 * len(ratios) // 4]:.3f})")


if __name__ == "__main__":
    main()
