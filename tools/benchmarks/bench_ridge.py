#!/usr/bin/env python3
"""Benchmark `mftool solve` (exact per-user ridge / implicit-ALS fold-in) against `implicit`.

Data: tools/benchmarks/gen_ml20m_shape.py's ratings.csv + items.h5 (k = 64), converted once with
`mftool convert` to ratings.h5 in the same cache folder.

mftool cases (each one process, --threads 2, --json; kernel "seconds"/"gflops" are mftool's
own, "process" is the wall time of the whole command, RSS its peak):
  mftool observed f64    --loss observed --precision double
  mftool implicit f64    --loss implicit --confidence linear --alpha 1 --precision double
  mftool implicit f32    ... --precision single

Peer cases (implicit 0.7.x's compiled kernels, in this process, OpenBLAS pinned to 1 thread with
threadpoolctl as implicit asks, its own OpenMP parallelism num_threads=2; timed: the kernel call
plus the YtY product it needs):
  implicit chol f64/f32  implicit.cpu._als._least_squares(YtY, indptr, indices, data, X, Y, lam, 2)
  implicit cg3 f64/f32   implicit.cpu._als._least_squares_cg(indptr, indices, data, X, Y, lam, 2, 3)
                         (3 conjugate-gradient steps from X = 0: an approximation)

The same problem on both sides: implicit minimizes, per user,
  sum_i c_ui (p_ui - x.y_i)^2 + lam |x|^2,  c_ui = data (stored value) on observed, 1 elsewhere,
  p_ui = [data > 0],
which is mftool's --loss implicit --confidence linear (c = alpha r) --alpha 1 --lambda lam with
constant regularization. The peer gets the CSR with its columns re-ordered to items.h5's item_ids
(as mftool aligns them) and float32 values (implicit's only value type; ratings in half steps are
exact in float32).

GFLOP/s for every case use mftool's count: n*k(k+1) (Gram, implicit only) + nnz*k(k+1)
+ m*(k^3/3 + 2k^2); for CG this is an "equivalent" rate (same problem, different work).
Agreement: relative Frobenius difference of the user factors between the solvers, plus an
independent NumPy solve of a few users' normal equations.

Runs alternate over all cases, --reps times; medians are printed, with the share of CPU that
other processes took meanwhile (a contended run is flagged).

mftool links the system OpenBLAS (Debian 12: 0.3.21, DYNAMIC_ARCH), which picks generic
"Prescott" kernels on CPUs newer than it knows (Sapphire Rapids here); the script prints the
kernel set, and --openblas-coretype SKYLAKEX reruns mftool with OPENBLAS_CORETYPE forced.
The peer uses SciPy's bundled OpenBLAS (printed too).

Usage (from the repo root, after a release build into .build-bench; tools/bench runs it with
the other benchmarks):
  tools/benchmarks/bench_ridge.py --quick    # 20k x 5k, 1.5M nnz, < 2 min
  tools/benchmarks/bench_ridge.py            # ML-20M shape, 16M nnz
The script runs itself under tools/.venv's Python, creating it when missing.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("bench")  # re-runs this script under tools/.venv's Python

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import (CACHE, InProcessPeak, OtherCPU, common_args, ensure_canonical, machine, openblas_of,  # noqa: E402
                      require_mftool, row, run_measured, write_json)


def mftool_openblas(mftool, env):
    """The OpenBLAS that mftool links (via ldd) and the CPU kernel set it picks under `env`."""
    return openblas_of(mftool, env)


def load_problem(ratings_h5, items_h5):
    """CSR (rows in ratings.h5 order, columns in items.h5 order, float32 values), Y, user ids."""
    import h5py
    import scipy.sparse as sp
    with h5py.File(ratings_h5, "r") as h:
        shape = tuple(int(x) for x in h.attrs["shape"])
        R = sp.csr_matrix((h["data"][:], h["indices"][:], h["indptr"][:]), shape=shape)
        user_ids, item_ids = h["user_ids"][:], h["item_ids"][:]
    with h5py.File(items_h5, "r") as h:
        Y = np.ascontiguousarray(h["item_factors"][:], dtype=np.float64)
        y_ids = h["item_ids"][:]
    order = np.argsort(y_ids)
    pos = order[np.searchsorted(y_ids, item_ids, sorter=order)]
    if not np.array_equal(y_ids[pos], item_ids):
        sys.exit("items.h5 lacks some item ids of ratings.h5")
    R = sp.csr_matrix((R.data.astype(np.float32), pos[R.indices].astype(np.int32), R.indptr.astype(np.int32)),
                      shape=(shape[0], Y.shape[0]))
    R.sort_indices()
    return R, Y, user_ids


def read_user_factors(path, user_ids):
    import h5py
    with h5py.File(path, "r") as h:
        X = h["user_factors"][:]
        ids = h["user_ids"][:]
    if not np.array_equal(ids, user_ids):
        order = np.argsort(ids)
        X = X[order[np.searchsorted(ids, user_ids, sorter=order)]]
    return X.astype(np.float64)


def reference_users(R, Y, lam, users, implicit_loss):
    """Independent dense NumPy solve of the normal equations for a few users."""
    out = {}
    G = Y.T @ Y
    k = Y.shape[1]
    for u in users:
        lo, hi = R.indptr[u], R.indptr[u + 1]
        V = Y[R.indices[lo:hi]]
        r = R.data[lo:hi].astype(np.float64)
        if implicit_loss:
            c = r                                     # linear confidence, alpha = 1
            A = G + (V.T * (c - 1)) @ V + lam * np.eye(k)
            b = V.T @ (c * (r > 0))
        else:
            A = V.T @ V + lam * np.eye(k)
            b = V.T @ r
        out[u] = np.linalg.solve(A, b)
    return out


def rel(a, b):
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(b), 1e-300))


def max_row_rel(a, b):
    num = np.linalg.norm(a - b, axis=1)
    den = np.maximum(np.linalg.norm(b, axis=1), 1e-300)
    return float((num / den).max())


def main():
    from gen_ml20m_shape import ML20M, QUICK, ensure

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    common_args(ap, reps=3, quick_help="20,000 users x 5,000 items, 1.5M nnz")
    ap.add_argument("--lambda", dest="lam", type=float, default=0.1, help="regularization (default 0.1)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", help="data folder (default tools/.cache/ml20m or tools/.cache/quick)")
    ap.add_argument("--no-cg", action="store_true", help="skip implicit's CG peer")
    ap.add_argument("--reconvert", action="store_true", help="re-run mftool convert even if ratings.h5 is fresh")
    ap.add_argument("--openblas-coretype", metavar="NAME",
                    help="set OPENBLAS_CORETYPE=NAME for the mftool processes (e.g. SKYLAKEX; Debian's OpenBLAS "
                         "0.3.21 falls back to generic Prescott kernels on CPUs newer than it knows)")
    a = ap.parse_args()

    from threadpoolctl import threadpool_info, threadpool_limits
    from implicit.cpu import _als

    shape = QUICK if a.quick else ML20M
    data = a.data or os.path.join(CACHE, "quick" if a.quick else "ml20m")
    meta = ensure(out=data, **shape)
    csv, items_h5, ratings_h5 = (os.path.join(data, x) for x in ("ratings.csv", "items.h5", "ratings.h5"))
    a.mftool = require_mftool(a.mftool)
    ensure_canonical(a.mftool, data, a.reconvert)

    R, Y64, user_ids = load_problem(ratings_h5, items_h5)
    Y32 = Y64.astype(np.float32)
    m, n, k, nnz = R.shape[0], R.shape[1], Y64.shape[1], R.nnz
    nonempty = int(np.count_nonzero(np.diff(R.indptr)))
    per_user = k ** 3 / 3 + 2 * k * k
    flops_obs = nnz * k * (k + 1) + nonempty * per_user
    flops_imp = n * k * (k + 1) + nnz * k * (k + 1) + m * per_user
    lam = a.lam
    print(f"data: {m:,} users x {n:,} items, nnz {nnz:,}, k {k}, lambda {lam}, threads {a.threads}; "
          f"flops observed {flops_obs / 1e9:.1f} G, implicit {flops_imp / 1e9:.1f} G", flush=True)

    outdir = tempfile.mkdtemp(prefix="bench_ridge_", dir=data)
    base = [a.mftool, "solve", "--interactions", ratings_h5, "--items", items_h5, "--threads", str(a.threads),
            "--lambda", repr(lam), "--json", "--quiet"]
    implicit_opts = ["--loss", "implicit", "--confidence", "linear", "--alpha", "1"]
    mf_cases = {
        "mftool observed f64": (base + ["--loss", "observed", "--precision", "double"], flops_obs),
        "mftool implicit f64": (base + implicit_opts + ["--precision", "double"], flops_imp),
        "mftool implicit f32": (base + implicit_opts + ["--precision", "single"], flops_imp),
    }
    for i, (name, (cmd, _)) in enumerate(mf_cases.items()):
        cmd += ["--out", os.path.join(outdir, f"U{i}.h5")]

    indptr, indices, values = R.indptr, R.indices, R.data

    def peer(kind, Y):
        X = np.zeros((m, k), dtype=Y.dtype)
        with threadpool_limits(limits=1, user_api="blas"), InProcessPeak() as mem:
            t0 = time.perf_counter()
            if kind == "chol":
                YtY = Y.T @ Y
                _als._least_squares(YtY, indptr, indices, values, X, Y, lam, a.threads)
            else:
                _als._least_squares_cg(indptr, indices, values, X, Y, lam, a.threads, 3)
            seconds = time.perf_counter() - t0
        return seconds, X, mem.peak

    peer_cases = {
        "implicit chol f64": ("chol", Y64),
        "implicit chol f32": ("chol", Y32),
    }
    if not a.no_cg:
        peer_cases["implicit cg3 f64"] = ("cg", Y64)
        peer_cases["implicit cg3 f32"] = ("cg", Y32)

    with threadpool_limits(limits=1, user_api="blas"):
        blas = [(x["internal_api"], x.get("version"), x.get("architecture"), x["num_threads"],
                 os.path.basename(x["filepath"])) for x in threadpool_info()
                if x["user_api"] == "blas"]
    print(f"peer BLAS while timed: {blas}", flush=True)
    mf_env = dict(os.environ)
    if a.openblas_coretype:
        mf_env["OPENBLAS_CORETYPE"] = a.openblas_coretype
    lib, version, core = mftool_openblas(a.mftool, mf_env)
    print(f"mftool BLAS: {lib} OpenBLAS {version}, kernels for {core}"
          + (f" (OPENBLAS_CORETYPE={a.openblas_coretype})" if a.openblas_coretype else "")
          + ("  <- generic fallback kernels; compare with --openblas-coretype SKYLAKEX" if core == "Prescott" else ""),
          flush=True)

    order = ["mftool observed f64", "mftool implicit f64", "implicit chol f64", "mftool implicit f32",
             "implicit chol f32"] + [x for x in peer_cases if "cg3" in x]
    runs = {name: [] for name in order}
    overall = OtherCPU()
    factors = {}
    for rep in range(a.reps):
        rot = order[rep % len(order):] + order[:rep % len(order)] if rep else order
        for name in rot:
            other = OtherCPU()
            if name in mf_cases:
                cmd, _ = mf_cases[name]
                wall, rss, so, _ = run_measured(cmd, mf_env)
                info = json.loads(so.strip().splitlines()[-1])
                r = dict(seconds=info["seconds"], gflops=info["gflops"], process=wall, rss=rss,
                         read=info.get("read_seconds"), write=info.get("write_seconds"),
                         objective=info.get("objective"))
                if name not in factors:
                    factors[name] = read_user_factors(cmd[cmd.index("--out") + 1], user_ids)
                print(f"  rep {rep + 1} {name:20s} kernel {r['seconds']:8.3f} s {r['gflops']:6.1f} GFLOP/s | "
                      f"process {wall:7.3f} s (read {r['read']:.2f}, write {r['write']:.2f}) RSS {rss / 2**20:,.0f} MiB"
                      f" | others' CPU {other.share():.0%}", flush=True)
            else:
                kind, Y = peer_cases[name]
                seconds, X, peak = peer(kind, Y)
                r = dict(seconds=seconds, gflops=flops_imp / seconds / 1e9, rss=peak)
                factors.setdefault(name, X.astype(np.float64))
                tag = " (equiv)" if kind == "cg" else ""
                print(f"  rep {rep + 1} {name:20s} kernel {seconds:8.3f} s {r['gflops']:6.1f} GFLOP/s{tag}"
                      f" | others' CPU {other.share():.0%}", flush=True)
            runs[name].append(r)

    med = {name: {key: statistics.median(r[key] for r in rs) for key in rs[0] if rs[0][key] is not None
                  and key != "objective"} for name, rs in runs.items()}
    # Recompute GFLOP/s from the median time with the shared flop count (mftool's own count too).
    for name in med:
        fl = mf_cases[name][1] if name in mf_cases else flops_imp
        med[name]["gflops_shared_count"] = fl / med[name]["seconds"] / 1e9

    busy_share = overall.share()
    print()
    print(f"ridge solve, {m:,} x {n:,}, nnz {nnz:,}, k {k}, lambda {lam}, {a.threads} threads, median of {a.reps}")
    print(f"  {'case':22s} {'kernel s':>9s} {'GFLOP/s':>8s} {'process s':>10s} {'peak RSS':>10s}")
    for name in order:
        x = med[name]
        proc = f"{x['process']:10.3f}" if "process" in x else f"{'-':>10s}"
        rss = f"{x['rss'] / 2**20:8.0f} MiB" if "rss" in x else f"{'-':>12s}"
        rss += "*" if name not in mf_cases else " "
        tag = " (equiv)" if "cg3" in name else ""
        print(f"  {name:22s} {x['seconds']:9.3f} {x['gflops_shared_count']:8.1f} {proc} {rss}{tag}")
    print("  (* peak RSS of this Python process over the peer's call, with the CSR and factors it holds: "
          "/proc/self/clear_refs reset)")
    print(f"  other processes used {busy_share:.0%} of the {os.cpu_count()} cores during the timed runs"
          + ("  <- contended: rerun on a quiet machine" if busy_share > 0.10 else ""))
    print("  ratios peer/mftool (kernel time):")
    pairs = [("implicit chol f64", "mftool implicit f64"), ("implicit chol f32", "mftool implicit f32"),
             ("implicit cg3 f64", "mftool implicit f64"), ("implicit cg3 f32", "mftool implicit f32")]
    ratios = {}
    for p, q in pairs:
        if p in med:
            ratios[f"{p} / {q}"] = med[p]["seconds"] / med[q]["seconds"]
            print(f"    {p:18s} / {q:20s} = {ratios[f'{p} / {q}']:.2f}x")
    for name in mf_cases:
        print(f"  {name}: mftool-reported GFLOP/s (median) {med[name]['gflops']:.1f}; "
              f"kernel share of process {med[name]['seconds'] / med[name]['process']:.0%}")

    # Agreement.
    print("  agreement (relative Frobenius difference; worst user's relative difference):")
    agree = {}
    checks = [("mftool implicit f64", "implicit chol f64"), ("mftool implicit f32", "mftool implicit f64"),
              ("implicit chol f32", "implicit chol f64"), ("mftool implicit f32", "implicit chol f32"),
              ("implicit cg3 f64", "mftool implicit f64"), ("implicit cg3 f32", "mftool implicit f64")]
    for p, q in checks:
        if p in factors and q in factors:
            agree[f"{p} vs {q}"] = (rel(factors[p], factors[q]), max_row_rel(factors[p], factors[q]))
            print(f"    {p:20s} vs {q:20s}: {agree[f'{p} vs {q}'][0]:.3e}   worst user {agree[f'{p} vs {q}'][1]:.3e}")
    deg = np.diff(R.indptr)
    sample = sorted({int(np.argmax(deg)), int(np.argmin(deg)), 0, m // 2, m - 1})
    ref_imp = reference_users(R, Y64, lam, sample, True)
    ref_obs = reference_users(R, Y64, lam, sample, False)
    print(f"  vs a NumPy solve of users {sample} (degrees {[int(deg[u]) for u in sample]}):")
    for name, ref in (("mftool implicit f64", ref_imp), ("implicit chol f64", ref_imp),
                      ("mftool implicit f32", ref_imp), ("mftool observed f64", ref_obs)):
        if name in factors:
            worst = max(rel(factors[name][u], ref[u]) for u in sample)
            agree[f"{name} vs numpy"] = worst
            print(f"    {name:20s}: worst relative difference {worst:.3e}")

    if a.json:
        import implicit
        shape_txt = f"k = {k}, {m:,} users × {n:,} items, {nnz:,} nnz"

        def peer_label(pname):
            kind, prec = pname.split()[1:]
            kind = {"chol": "Cholesky", "cg3": "CG, 3 steps"}[kind]
            return f"implicit {implicit.__version__} {kind}, {'double' if prec == 'f64' else 'single'}"

        def mrow(work, mname, pname, note):
            x = med[mname]
            p = med.get(pname) if pname else None
            return row(work, x["seconds"], peer_label(pname) if p else None,
                       p["seconds"] if p else None, gflops=x["gflops_shared_count"], mftool_peak=x.get("rss"),
                       peer_peak=p.get("rss") if p else None, timing="kernel",
                       note=f"mftool process {x['process']:.2f} s; " + note, other_cpu=busy_share)

        def agree_txt(key):
            return f"factors rel. diff {agree[key][0]:.1e}" if key in agree else ""

        rows = [
            mrow(f"exact fold-in, implicit loss, {shape_txt}, double", "mftool implicit f64", "implicit chol f64",
                 agree_txt("mftool implicit f64 vs implicit chol f64")),
            mrow("same, single precision", "mftool implicit f32", "implicit chol f32",
                 agree_txt("mftool implicit f32 vs implicit chol f32")),
        ]
        if "implicit cg3 f64" in med:
            rows += [
                mrow("same, double, vs implicit's conjugate gradient (3 steps from 0: approximate)",
                     "mftool implicit f64", "implicit cg3 f64",
                     "CG's " + agree_txt("implicit cg3 f64 vs mftool implicit f64") + " from the exact solution"),
                mrow("same, single, vs implicit's conjugate gradient (3 steps)", "mftool implicit f32", "implicit cg3 f32",
                     "CG's " + agree_txt("implicit cg3 f32 vs mftool implicit f64") + " from the exact solution"),
            ]
        rows.append(mrow(f"exact fold-in, observed loss, {shape_txt}, double", "mftool observed f64", None,
                         "no peer: implicit solves only its implicit-feedback loss; "
                         + f"worst user vs NumPy {agree.get('mftool observed f64 vs numpy', float('nan')):.1e}"))
        write_json(a.json, rows, bench="ridge", machine=machine(a.mftool, mf_env),
                   versions=dict(implicit=implicit.__version__, peer_blas=[list(b) for b in blas]),
                   shape=dict(users=m, items=n, nnz=nnz, k=k), lam=lam, threads=a.threads, reps=a.reps,
                   flops=dict(observed=flops_obs, implicit=flops_imp),
                   mftool_openblas=dict(library=lib, version=version, core=core, coretype_env=a.openblas_coretype),
                   runs=runs, median=med, ratios=ratios, agreement=agree, other_cpu_share=busy_share)
    for i in range(len(mf_cases)):
        os.remove(os.path.join(outdir, f"U{i}.h5"))
    os.rmdir(outdir)


if __name__ == "__main__":
    main()
