#!/usr/bin/env python3
"""Check `mftool solve` at model-sized k against the NumPy reference, in the dual and auto forms.

The reference is tools/fixtures/make_ridge_reference.py's: each user's objective as a weighted
least-squares system solved by `numpy.linalg.lstsq`, independent of mftool's normal equations
(its docstring is the spec of the losses, λ_u, offsets and the user bias). This script makes one
problem per k with users of 0, 1, 2, 5, k/4, k/2, k−1, k, k+1, 3k/2 and 2k entries (values 1…5
in half steps) over n = 2k + 100 items, and solves it with `--form dual` (every user it can take)
for every loss × regularization × bias case at k = 256 and four cases at k = 1024, and with
`--form auto` (the cost model's choice, both forms in one run) for four cases at k = 256. It
prints the largest relative error per case, max |x − y| / max |y|, and exits 1 when one exceeds
1e-10.

    tools/checks/largek_check.py [--mftool .build/release/mftool]   # default .build/debug/mftool

The script runs itself under tools/.venv's Python (NumPy, h5py), creating it when missing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tools", "env"))
sys.path.insert(0, os.path.join(ROOT, "tools", "fixtures"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")  # re-runs this script under tools/.venv's Python

import numpy as np  # noqa: E402

import make_ridge_reference as ref  # noqa: E402

TOLERANCE = 1e-10
# The cases also solved with --form auto at k = 256 (users of both forms in one run).
AUTO_CASES = {"observed_count_userbias-offset-itembias", "dense_frequency_none",
              "implicit-oneplus_constant_userbias", "implicit-linear_frequency_none"}


def degrees(k: int) -> list[int]:
    return [0, 1, 2, 5, k // 4, k // 2, k - 1, k, k + 1, 3 * k // 2, 2 * k]


def make_problem(k: int, rng: np.random.Generator) -> tuple[ref.Problem, np.ndarray, np.ndarray]:
    n = 2 * k + 100
    v = rng.standard_normal((n, k)) / np.sqrt(k)
    b = rng.normal(0.0, 0.5, size=n)
    counts = degrees(k)
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    indices, data = [], []
    for u, count in enumerate(counts):
        indices.append(np.sort(rng.choice(n, size=count, replace=False)).astype(np.int32))
        data.append(ref.half_step_ratings(rng, count))
        indptr[u + 1] = indptr[u] + count
    return ref.Problem(indptr, np.concatenate(indices), np.concatenate(data), len(counts), n), v, b


def cases(k: int) -> list[tuple[str, ref.Case]]:
    """Every loss × reg × bias at k = 256; four at larger k."""
    out = []
    for loss in ref.LOSSES:
        implicit = loss.startswith("implicit")
        for reg in ("constant", "count", "frequency"):
            for bias in (("none", "userbias") if implicit else ("none", "userbias-offset-itembias")):
                a0 = 0.5 if implicit and reg == "frequency" else 1.0
                nu = 0.5 if reg == "frequency" else 0.0
                out.append((f"{loss}_{reg}_{bias}", ref.parse_case(loss, reg, bias, a0, nu)))
    if k > 256:
        keep = {"observed_constant_userbias-offset-itembias", "dense_count_userbias-offset-itembias",
                "implicit-linear_constant_none", "implicit-oneplus_frequency_userbias"}
        out = [c for c in out if c[0] in keep]
    return out


def flags(case: ref.Case, items: str) -> list[str]:
    out = ["--loss", case.loss, "--lambda", repr(ref.LAMBDA), "--reg", case.reg]
    if case.loss == "implicit":
        out += ["--confidence", case.confidence, "--alpha", repr(ref.ALPHA), "--unobserved-weight", repr(case.a0)]
    if case.reg == "frequency":
        out += ["--reg-exponent", repr(case.nu)]
    if case.user_bias:
        out.append("--user-bias")
    if case.offset:
        out += ["--offset", "global-mean"]
    if case.item_bias:
        out += ["--item-bias", items + ":/item_bias"]
    return out


def read_factors(path: str) -> np.ndarray:
    import h5py
    with h5py.File(path, "r") as f:
        return f["user_factors"][...]


def check_k(mftool: str, k: int, folder: str, rng: np.random.Generator) -> list[str]:
    p, v, b = make_problem(k, rng)
    interactions, items = os.path.join(folder, f"r{k}.h5"), os.path.join(folder, f"v{k}.h5")
    ref.write_interactions(ref.Path(interactions), p)
    ref.write_items(ref.Path(items), v, b)
    failures = []
    for name, case in cases(k):
        expected, _ = ref.solve_case(case, p, v, b)
        scale = np.abs(expected).max()
        for form in ("dual", "auto") if k <= 256 and name in AUTO_CASES else ("dual",):
            out = os.path.join(folder, f"u{k}-{form}.h5")
            cmd = [mftool, "solve", "--interactions", interactions, "--items", items, "--out", out, "--form", form,
                   "--quiet"] + flags(case, items)
            subprocess.run(cmd, check=True)
            error = np.abs(read_factors(out) - expected).max() / scale
            verdict = "ok" if error <= TOLERANCE else "FAILED"
            print(f"k={k:5d} {form:4s} {name:46s} {error:.2e}  {verdict}", flush=True)
            if error > TOLERANCE:
                failures.append(f"k={k} {form} {name}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mftool", default=os.path.join(ROOT, ".build/debug/mftool"))
    parser.add_argument("--k", type=int, nargs="+", default=[256, 1024])
    args = parser.parse_args()
    rng = np.random.default_rng(23)
    failures = []
    with tempfile.TemporaryDirectory(prefix="mftool-largek-") as folder:
        for k in args.k:
            failures += check_k(os.path.abspath(args.mftool), k, folder, rng)
    if failures:
        print(f"largek_check: {len(failures)} over {TOLERANCE:g}: " + ", ".join(failures), file=sys.stderr)
        return 1
    print("largek_check: every case within 1e-10 of the NumPy reference")
    return 0


if __name__ == "__main__":
    sys.exit(main())
