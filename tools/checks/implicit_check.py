#!/usr/bin/env python3
"""Check `mftool solve --loss implicit --confidence linear` against implicit's recalculate_user.

implicit 0.7.3's `AlternatingLeastSquares.recalculate_user(userids, user_items)` is the exact
per-user Cholesky fold-in: with confidence c = alpha*r on observed items (1 elsewhere) and
preference p = [r > 0], it solves (YtY + Y_u^T (C_u - I) Y_u + lambda I) x_u = Y_u^T C_u p_u in
float32. mftool's `--loss implicit --confidence linear --alpha alpha --lambda lambda` with
constant regularization is the same objective.

The script writes a random problem (power-law item popularity, counts as values) to HDF5, folds
every user in with both, and prints the worst relative error per user, max |x - y| / max |y|,
for mftool double and single precision against implicit (float32). It exits 1 when the error
exceeds 1e-5 (the bound for single precision).

    tools/checks/implicit_check.py [--mftool .build/release/mftool]   # default .build/debug/mftool

The script runs itself under tools/.venv's Python (with implicit 0.7.3), creating it when missing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("bench")  # re-runs this script under tools/.venv's Python

import h5py
import numpy as np
import scipy.sparse as sp
from threadpoolctl import threadpool_limits

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mftool", default=os.path.join(ROOT, ".build/debug/mftool"))
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--items", type=int, default=1500)
    parser.add_argument("--k", type=int, default=32)
    parser.add_argument("--alpha", type=float, default=2.0)
    parser.add_argument("--lam", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from implicit.cpu.als import AlternatingLeastSquares

    rng = np.random.default_rng(args.seed)
    popularity = 1.0 / np.arange(1, args.items + 1) ** 0.8
    popularity /= popularity.sum()
    rows, cols = [], []
    for u in range(args.users):
        n = min(args.items, max(1, int(rng.lognormal(3.0, 1.0))))
        items = rng.choice(args.items, size=n, replace=False, p=popularity)
        rows += [u] * n
        cols += list(items)
    values = rng.integers(1, 6, size=len(rows)).astype(np.float64)  # counts 1..5
    R = sp.csr_matrix((values, (rows, cols)), shape=(args.users, args.items))
    R.sum_duplicates()
    R.sort_indices()
    Y = (rng.standard_normal((args.items, args.k)) / np.sqrt(args.k)).astype(np.float32)

    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(factors=args.k, regularization=args.lam, alpha=args.alpha, dtype=np.float32,
                                        num_threads=2)
        model.item_factors = Y
        expected = model.recalculate_user(np.arange(args.users), R.astype(np.float32))

    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        with h5py.File(os.path.join(tmp, "r.h5"), "w") as f:
            f.attrs["encoding-type"] = "csr_matrix"
            f.attrs["encoding-version"] = "0.1.0"
            f.attrs["shape"] = np.array(R.shape, dtype=np.int64)
            f["data"] = R.data
            f["indices"] = R.indices.astype(np.int32)
            f["indptr"] = R.indptr.astype(np.int32)
        with h5py.File(os.path.join(tmp, "v.h5"), "w") as f:
            f["item_factors"] = Y.astype(np.float64)  # exactly the float32 values
        for precision in ["double", "single"]:
            out = os.path.join(tmp, f"u-{precision}.h5")
            subprocess.run([args.mftool, "solve", "--interactions", os.path.join(tmp, "r.h5"),
                            "--items", os.path.join(tmp, "v.h5"), "--out", out, "--loss", "implicit",
                            "--confidence", "linear", "--alpha", str(args.alpha), "--lambda", str(args.lam),
                            "--precision", precision, "--quiet"], check=True)
            with h5py.File(out, "r") as f:
                got = f["user_factors"][()]
            per_user = np.abs(got - expected).max(axis=1) / np.maximum(np.abs(expected).max(axis=1), 1e-30)
            overall = np.abs(got - expected).max() / np.abs(expected).max()
            worst = max(worst, overall)
            print(f"mftool {precision:6s} vs implicit.recalculate_user (float32): relative error {overall:.2e} "
                  f"(worst user {per_user.max():.2e}, median {np.median(per_user):.2e}; {args.users} users, "
                  f"k = {args.k}, nnz = {R.nnz})")
    if worst > 1e-5:
        print(f"FAIL: {worst:.2e} > 1e-5", file=sys.stderr)
        return 1
    print("ok: within 1e-5")
    return 0


if __name__ == "__main__":
    sys.exit(main())
