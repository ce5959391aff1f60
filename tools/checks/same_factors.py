#!/usr/bin/env python3
"""Do two builds of mftool give bit-for-bit the same results?

Runs the same set of commands with two mftool binaries on generated problems and compares every
HDF5 dataset bit for bit, and the JSON summaries and per-epoch logs (timings left out):

- solve: the seed dense problem (shared factorization; native, LAPACK, one thread, single
  precision, count regularization, offsets with a user bias), an ML-100K-shaped observed problem
  (user bias, global mean, LAPACK, single, count), an implicit problem (one-plus and linear
  confidence, LAPACK, single, user bias), the item side;
- fit: Adam on the dense and the observed loss, SGD with momentum on the implicit loss, ALS
  (plain, with biases, implicit);
- check, eval and recommend.

With --big it adds the exact implicit solve on the ML-20M shape (138,493 × 26,744, ~16M
interactions; a few minutes to generate) in double and single precision.

    tools/checks/same_factors.py OLD_MFTOOL NEW_MFTOOL [--big] [--work DIR]

Exits 1 when any result differs. Run it before and after a change that should not move the
numbers (a refactor, a new layout); a change that should, explains why in its commit.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")

import h5py  # noqa: E402


def generate(mftool, data, big):
    """The problems, written once by the OLD binary."""
    def gen(*args):
        subprocess.run([mftool, "generate", *args, "-q"], check=True)
    gen("--preset", "seed", "--out", f"{data}/seed.h5", "--items-out", f"{data}/seed_items.h5")
    gen("--preset", "ml100k-shape", "--out", f"{data}/ml.h5", "--items-out", f"{data}/ml_items.h5")
    subprocess.run([mftool, "split", "--interactions", f"{data}/ml.h5", "--train", f"{data}/train.h5",
                    "--test", f"{data}/test.h5", "--seed", "1"], check=True, capture_output=True)
    gen("--users", "3000", "--items", "1500", "--nnz", "120000", "--k", "24", "--values", "counts", "--seed", "3",
        "--out", f"{data}/ic.h5", "--items-out", f"{data}/ic_items.h5")
    if big:
        gen("--preset", "ml20m-shape", "--values", "counts", "--out", f"{data}/big.h5", "--items-out", f"{data}/big_items.h5")


def runs(data, out, big):
    """(name, arguments) of every command compared; `{out}` is the build's output folder."""
    S = ["--interactions", f"{data}/seed.h5", "--items", f"{data}/seed_items.h5"]
    M = ["--interactions", f"{data}/train.h5", "--items", f"{data}/ml_items.h5"]
    I = ["--interactions", f"{data}/ic.h5", "--items", f"{data}/ic_items.h5"]
    dense = ["--loss", "dense", "--lambda", "250"]
    imp = ["--loss", "implicit", "--alpha", "10", "--lambda", "0.1"]
    obs = ["--user-bias", "--offset", "global-mean", "--lambda", "1"]
    solve = lambda name, inputs, *a: (name, ["solve", *inputs, "--out", f"{out}/{name}.h5", *a])
    fit = lambda name, inputs, *a: (name, ["fit", *inputs, "--out", f"{out}/{name}.h5", "--log", f"{out}/{name}.jsonl", "-q", *a])
    als = lambda name, inputs, *a: (name, ["fit", "--method", "als", "--k", "16", "--epochs", "3", *inputs,
                                           "--out", f"{out}/{name}_u.h5", "--items-out", f"{out}/{name}_i.h5",
                                           "--log", f"{out}/{name}.jsonl", "-q", *a])
    out_runs = [
        solve("seed_dense", S, *dense),
        solve("seed_dense_1t", S, *dense, "--threads", "1"),
        solve("seed_dense_lapack", S, *dense, "--kernel", "lapack"),
        solve("seed_dense_single", S, *dense, "--precision", "single"),
        solve("seed_dense_count", S, "--loss", "dense", "--lambda", "0.5", "--reg", "count"),
        solve("seed_dense_offset", S, *dense, "--offset", "global-mean", "--user-bias"),
        solve("seed_dense_offset_lapack", S, *dense, "--offset", "global-mean", "--user-bias", "--kernel", "lapack"),
        solve("ml_observed", M, *obs),
        solve("ml_observed_lapack", M, *obs, "--kernel", "lapack"),
        solve("ml_observed_single_count", M, "--lambda", "1", "--reg", "count", "--precision", "single"),
        solve("ml_dense_count", M, "--loss", "dense", "--lambda", "0.1", "--reg", "count", "--offset", "global-mean"),
        solve("ml_dense_count_lapack", M, "--loss", "dense", "--lambda", "0.1", "--reg", "count", "--offset", "global-mean",
              "--kernel", "lapack"),
        solve("implicit_oneplus_count", I, "--loss", "implicit", "--alpha", "10", "--reg", "count", "--lambda", "0.1"),
        solve("implicit_linear", I, "--loss", "implicit", "--alpha", "2", "--confidence", "linear", "--lambda", "0.5"),
        solve("implicit_lapack", I, *imp, "--kernel", "lapack"),
        solve("implicit_single", I, *imp, "--precision", "single"),
        solve("implicit_userbias", I, *imp, "--user-bias"),
        ("ml_item_side", ["solve", "--side", "items", "--users", f"{out}/ml_observed.h5", "--interactions", f"{data}/train.h5",
                          "--out", f"{out}/ml_item_side.h5", "--lambda", "1"]),
        fit("adam_seed", S, "--method", "adam", "--lr", "0.001", "--weight-decay", "0.001", "--epochs", "20", "--loss", "dense",
            "--lambda", "0"),
        fit("adam_observed", M, "--method", "adam", "--lr", "0.01", "--epochs", "5", *obs),
        fit("sgd_implicit", I, "--method", "sgd", "--lr", "0.0001", "--momentum", "0.9", "--epochs", "10", "--loss", "implicit",
            "--alpha", "5"),
        fit("adam_dense_count", M, "--method", "adam", "--lr", "0.01", "--epochs", "5", "--loss", "dense", "--lambda", "0.1",
            "--offset", "global-mean"),
        als("als", ["--interactions", f"{data}/train.h5"], "--lambda", "0.1", "--reg", "count"),
        als("als_biased", ["--interactions", f"{data}/train.h5"], *obs),
        als("als_implicit", ["--interactions", f"{data}/ic.h5"], "--lambda", "0.1", "--loss", "implicit", "--alpha", "5"),
        ("check", ["check", "--users", f"{out}/adam_seed.h5", *S, *dense, "--json"]),
        ("eval", ["eval", "--users", f"{out}/ml_observed.h5", "--items", f"{data}/ml_items.h5", "--test", f"{data}/test.h5",
                  "--train", f"{data}/train.h5", "--k", "10,100", "--json"]),
        ("recommend", ["recommend", "--users", f"{out}/ml_observed.h5", "--items", f"{data}/ml_items.h5",
                       "--train", f"{data}/train.h5", "--k", "20", "--out", f"{out}/recommend.csv"]),
    ]
    if big:
        B = ["--interactions", f"{data}/big.h5", "--items", f"{data}/big_items.h5", "--loss", "implicit", "--alpha", "1",
             "--confidence", "linear", "--lambda", "0.1"]
        out_runs += [solve("big_implicit", B), solve("big_implicit_single", B, "--precision", "single")]
    return out_runs


TIMING = re.compile(r'"[a-z_]*(seconds|gflops)": ?[-0-9.e+]+,?')


def text(path):
    with open(path) as f:
        return TIMING.sub("", f.read())


NUMBER = re.compile(r"-?[0-9]+\.?[0-9]*(?:e[-+]?[0-9]+)?")


def numeric_gap(a, b):
    """', numbers only, largest relative difference R' when two texts differ only in numbers."""
    if NUMBER.sub("#", a) != NUMBER.sub("#", b):
        return ""
    gap = max((abs(float(x) - float(y)) / max(abs(float(x)), 1e-300)
               for x, y in zip(NUMBER.findall(a), NUMBER.findall(b)) if x != y), default=0.0)
    return f", numbers only, largest relative difference {gap:.1e}"


def attribute_differences(x, y, a, b):
    """The root attributes that differ, other than provenance (`mftool_*`: version, command line)
    and paths into each build's output."""
    def normal(attrs, folder):
        return {k: str(v).replace(folder, "OUT") for k, v in attrs.items() if not k.startswith("mftool_")}
    nx, ny = normal(x, a), normal(y, b)
    return sorted(k for k in set(nx) | set(ny) if nx.get(k) != ny.get(k))


def differences(a, b):
    """Lines naming every result that differs between the two output folders."""
    found = []
    for name in sorted(os.listdir(a)):
        pa, pb = os.path.join(a, name), os.path.join(b, name)
        if not os.path.exists(pb):
            found.append(f"{name}: missing from the new build's output")
        elif name.endswith(".h5"):
            with h5py.File(pa, "r") as fa, h5py.File(pb, "r") as fb:
                names = []
                fa.visit(names.append)
                for key in names:
                    if not isinstance(fa[key], h5py.Dataset):
                        continue
                    if key not in fb:
                        found.append(f"{name}:/{key}: missing")
                        continue
                    x, y = fa[key][()], fb[key][()]
                    if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                        found.append(f"{name}:/{key}: differs")
                found += [f"{name}: attribute {key}" for key in attribute_differences(fa.attrs, fb.attrs, a, b)]
        elif name.endswith((".stdout", ".jsonl", ".csv")) and text(pa) != text(pb):
            found.append(f"{name}: differs{numeric_gap(text(pa), text(pb))}")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--big", action="store_true", help="add the ML-20M-shaped implicit solve")
    parser.add_argument("--work", help="folder for data and outputs (default: a temporary one)")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="same_factors.")
    data = os.path.join(work, "data")
    os.makedirs(data, exist_ok=True)
    if not os.path.exists(os.path.join(data, "seed.h5")) or (args.big and not os.path.exists(os.path.join(data, "big.h5"))):
        generate(os.path.abspath(args.old), data, args.big)
    failed = []
    for label, binary in (("old", args.old), ("new", args.new)):
        out = os.path.join(work, label)
        os.makedirs(out, exist_ok=True)
        for name, arguments in runs(data, out, args.big):
            with open(f"{out}/{name}.stdout", "w") as stdout:
                done = subprocess.run([os.path.abspath(binary), *arguments], stdout=stdout, stderr=subprocess.PIPE, text=True)
            if done.returncode != 0:
                failed.append(f"{label} {name}: exit {done.returncode}: {done.stderr.strip().splitlines()[-1:]}")
    found = failed + differences(os.path.join(work, "old"), os.path.join(work, "new"))
    count = len(runs(data, "", args.big))
    for line in found:
        print(line)
    print(f"{count} commands, {len(found)} differences ({work})")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
