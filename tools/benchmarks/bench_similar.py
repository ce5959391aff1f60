#!/usr/bin/env python3
"""Benchmark `mftool similar --all` (cosine top-K of every item) against implicit's `similar_items`.

Data: the item matrix of tools/benchmarks/gen_ml20m_shape.py (items.h5: 26,744 items, k = 64;
--quick: the quick cache's 5,000 items).

  mftool      `mftool similar --items items.h5 --all --k K --out neighbours.h5 --threads 2`
              (whole process: read, normalize, blocked GEMM ranking, write)
  implicit    `AlternatingLeastSquares(factors=k).similar_items(np.arange(n), N=K + 1)` on the
              same float32 or float64 item factors (implicit.cpu's topk over normalized factors,
              OpenBLAS pinned to 1 thread with threadpoolctl as implicit asks, its own threads 2);
              timed: the call alone. Its lists hold the item itself, which mftool never returns,
              so K + 1 neighbours are asked and the item is dropped.

Agreement: the share of (item, neighbour) pairs the two top-K lists share, and the largest
score difference on shared pairs (ties at the K-th score may order differently).

Usage: tools/benchmarks/bench_similar.py [--quick] [--reps N] [--k K] [--json FILE]
The script runs itself under tools/.venv's Python, creating it when missing.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("bench")  # re-runs this script under tools/.venv's Python

import h5py  # noqa: E402
import numpy as np  # noqa: E402

import benchlib  # noqa: E402


def items_file(quick: bool) -> str:
    folder = os.path.join(benchlib.CACHE, "quick" if quick else "ml20m")
    path = os.path.join(folder, "items.h5")
    if not os.path.exists(path):
        raise SystemExit(f"{path} missing: run tools/bench (or tools/benchmarks/gen_ml20m_shape.py{' --quick' if quick else ''}) first")
    return path


def implicit_lists(v: np.ndarray, k: int):
    """implicit's similar_items for every item, its own entry dropped; (seconds, ids, scores)."""
    from implicit.cpu.als import AlternatingLeastSquares
    from threadpoolctl import threadpool_limits

    model = AlternatingLeastSquares(factors=v.shape[1], dtype=v.dtype, num_threads=2)
    model.item_factors = v
    model.user_factors = np.zeros((1, v.shape[1]), dtype=v.dtype)
    with threadpool_limits(1, "blas"):
        t0 = time.perf_counter()
        ids, scores = model.similar_items(np.arange(v.shape[0]), N=k + 1)
        seconds = time.perf_counter() - t0
    keep = ids != np.arange(v.shape[0])[:, None]
    ids = np.array([row[m][:k] for row, m in zip(ids, keep)])
    scores = np.array([row[m][:k] for row, m in zip(scores, keep)])
    return seconds, ids, scores


def agreement(a_ids, a_scores, b_ids, b_scores):
    shared, gap = 0, 0.0
    for ra, sa, rb, sb in zip(a_ids, a_scores, b_ids, b_scores):
        common = set(ra.tolist()) & set(rb.tolist())
        shared += len(common)
        da, db = dict(zip(ra.tolist(), sa.tolist())), dict(zip(rb.tolist(), sb.tolist()))
        gap = max([gap] + [abs(da[i] - db[i]) for i in common])
    return shared / a_ids.size, gap


def main():
    ap = benchlib.common_args(argparse.ArgumentParser(description=__doc__.split("\n")[0]), reps=3,
                              quick_help="the quick cache's 5,000 items")
    ap.add_argument("--k", type=int, default=10, help="neighbours per item (default 10)")
    a = ap.parse_args()
    mftool = benchlib.require_mftool(a.mftool)
    path = items_file(a.quick)
    with h5py.File(path, "r") as f:
        v64 = f["item_factors"][()].astype(np.float64)
    n, k = v64.shape
    out = os.path.join(tempfile.mkdtemp(prefix="bench_similar."), "neighbours.h5")
    times = {"mftool": [], "implicit f64": [], "implicit f32": []}
    peaks, lists = [], {}
    for _, name in benchlib.schedule(list(times), a.reps):
        if name == "mftool":
            m = benchlib.run_measured([mftool, "similar", "--items", path, "--all", "--k", str(a.k), "--out", out,
                                       "--threads", "2", "--quiet"])
            times[name].append(m.wall)
            peaks.append(m.peak_rss)
        else:
            v = v64 if name.endswith("f64") else v64.astype(np.float32)
            seconds, ids, scores = implicit_lists(v, a.k)
            times[name].append(seconds)
            lists[name] = (ids, scores)
        print(f"  {name:14s} {times[name][-1]:.3f} s", flush=True)
    with h5py.File(out, "r") as f:
        item_ids = f["item_ids"][()]
        neighbours, scores = f["neighbor_ids"][()], f["scores"][()]
    # mftool's ids are item ids; implicit's are rows: map mftool's to rows.
    row_of = {int(i): r for r, i in enumerate(item_ids)}
    mf_rows = np.vectorize(lambda i: row_of[int(i)])(neighbours)
    share, gap = agreement(mf_rows, scores, *lists["implicit f64"])
    mf = benchlib.median(times["mftool"])
    rows = []
    for name in ("implicit f64", "implicit f32"):
        rows.append(benchlib.row(f"similar items, cosine top-{a.k} of every item, {n:,} items, k = {k} "
                                 f"(mftool double vs implicit {name.split()[1]})", mf,
                                 f"implicit 0.7.3 similar_items, {name.split()[1]}", benchlib.median(times[name]),
                                 mftool_peak=max(peaks), timing="mftool whole process vs implicit call",
                                 note=f"lists agree on {share:.4%} of pairs; largest score difference {gap:.1e} (vs f64)"))
    for r in rows:
        print(f"{r['work']}: mftool {benchlib.fmt_s(r['mftool_s'])}, {r['peer']} {benchlib.fmt_s(r['peer_s'])}, "
              f"ratio {r['ratio']:.2f}; {r['note']}")
    benchlib.write_json(a.json, rows, items=n, k=k, K=a.k, times=times)


if __name__ == "__main__":
    main()
