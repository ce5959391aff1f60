#!/usr/bin/env python3
"""Benchmark `mftool convert CSV -> canonical HDF5` against a pandas/SciPy/h5py peer.

Both sides read the same ratings.csv (from tools/benchmarks/gen_ml20m_shape.py) and write the same
layout (mftool's canonical HDF5, see README): root attrs encoding-type=csr_matrix,
encoding-version, shape; datasets data (f64), indices and indptr of one integer type (int32,
int64 past 2^31 entries, as SciPy/AnnData write them), user_ids, item_ids (int64), ids in
first-seen order.

  (a) mftool convert ratings.csv out.h5                      (one process)
  (b) peer: pd.read_csv + pd.factorize (first-seen order) + scipy.sparse.csr_matrix
      + h5py write                                            (one python subprocess)

Runs alternate (a, b, b, a, a, b, ...), --reps times each; reported figures are medians of
the wall time of the whole process and its peak RSS (os.wait4's ru_maxrss of the child).
Also printed: the CSR size nnz*(8+4) + (m+1)*8 and the text file's size, to judge the memory
target "peak <= 2 x CSR size + text buffer" (taken here as 2*CSR + text file size), and an
equality check of the two outputs (ids mapped, matrices compared exactly).

Usage (from the repo root, after a release build into .build-bench, see --help; tools/bench
runs it with the other benchmarks):
  tools/benchmarks/bench_convert.py --quick     # 20k x 5k, 1.5M nnz, < 2 min
  tools/benchmarks/bench_convert.py             # ML-20M shape, 16M nnz
The script runs itself under tools/.venv's Python, creating it when missing.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")  # re-runs this script under tools/.venv's Python

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import (CACHE, OtherCPU, common_args, machine, require_mftool, row, run_measured, schedule,  # noqa: E402
                      write_json)


# ---------------------------------------------------------------------------------------------
# The peer (runs in its own process: `bench_convert.py --peer IN.csv OUT.h5`)

def peer_convert(csv_path: str, out_path: str) -> None:
    import h5py
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    df = pd.read_csv(csv_path, dtype={"user": np.int64, "item": np.int64, "rating": np.float64})
    rows, user_ids = pd.factorize(df["user"].to_numpy(), sort=False)      # first-seen order
    cols, item_ids = pd.factorize(df["item"].to_numpy(), sort=False)
    values = df["rating"].to_numpy()
    del df
    m, n = len(user_ids), len(item_ids)
    csr = sp.csr_matrix((values, (rows, cols)), shape=(m, n))           # sums duplicates like mftool
    del rows, cols, values
    csr.sum_duplicates()
    csr.sort_indices()
    with h5py.File(out_path, "w") as h:
        h.attrs["encoding-type"] = "csr_matrix"
        h.attrs["encoding-version"] = "0.1.0"
        h.attrs["shape"] = np.array([m, n], dtype=np.int64)
        h.create_dataset("data", data=csr.data.astype(np.float64, copy=False))
        index_type = np.int32 if csr.nnz < 2**31 else np.int64       # one type for both, like SciPy
        h.create_dataset("indices", data=csr.indices.astype(index_type, copy=False))
        h.create_dataset("indptr", data=csr.indptr.astype(index_type, copy=False))
        h.create_dataset("user_ids", data=np.asarray(user_ids, dtype=np.int64))
        h.create_dataset("item_ids", data=np.asarray(item_ids, dtype=np.int64))


# ---------------------------------------------------------------------------------------------
# Measurement helpers: tools/benchmarks/benchlib.py (run_measured, OtherCPU)


def read_canonical(path):
    import h5py
    import numpy as np
    import scipy.sparse as sp
    with h5py.File(path, "r") as h:
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in h.attrs.items()}
        shape = tuple(int(x) for x in h.attrs["shape"])
        dtypes = {k: str(h[k].dtype) for k in ("data", "indices", "indptr", "user_ids", "item_ids")}
        mat = sp.csr_matrix((h["data"][:], h["indices"][:], h["indptr"][:]), shape=shape)
        users, items = h["user_ids"][:], h["item_ids"][:]
    return attrs, dtypes, mat, np.asarray(users), np.asarray(items)


def compare(mftool_h5, peer_h5):
    """Returns (layout problems, matrix problems): lists of human-readable differences."""
    import numpy as np
    layout, problems = [], []
    a_attrs, a_types, A, au, ai = read_canonical(mftool_h5)
    b_attrs, b_types, B, bu, bi = read_canonical(peer_h5)
    if a_attrs.get("encoding-type") != "csr_matrix":
        layout.append(f"mftool encoding-type = {a_attrs.get('encoding-type')!r}")
    index_type = "int32" if A.nnz < 2**31 else "int64"
    want = {"data": "float64", "indices": index_type, "indptr": index_type, "user_ids": "int64", "item_ids": "int64"}
    for k, v in want.items():
        if a_types[k] != v:
            layout.append(f"mftool {k} dtype {a_types[k]}, expected {v}")
        if a_types[k] != b_types[k]:
            layout.append(f"{k} dtype: mftool {a_types[k]}, peer {b_types[k]}")
    if A.shape != B.shape or A.nnz != B.nnz:
        problems.append(f"shape/nnz differ: mftool {A.shape}/{A.nnz}, peer {B.shape}/{B.nnz}")
        return layout, problems
    if not (np.array_equal(au, bu) and np.array_equal(ai, bi)):
        problems.append("id order differs from the peer's first-seen order (compared after mapping)")
    if set(au.tolist()) != set(bu.tolist()) or set(ai.tolist()) != set(bi.tolist()):
        problems.append("id sets differ")
        return layout, problems
    # Map the peer's rows/columns onto mftool's id order.
    row_of = {v: r for r, v in enumerate(bu.tolist())}
    col_of = {v: c for c, v in enumerate(bi.tolist())}
    rperm = np.fromiter((row_of[v] for v in au.tolist()), dtype=np.int64, count=au.size)
    cperm = np.fromiter((col_of[v] for v in ai.tolist()), dtype=np.int64, count=ai.size)
    Bm = B[rperm][:, cperm].tocsr()
    Bm.sort_indices()
    if not A.has_sorted_indices:
        problems.append("mftool indices are not sorted within rows")
    diff = abs(A - Bm)
    if diff.nnz and diff.max() != 0:
        problems.append(f"values differ: {diff.count_nonzero()} entries, max |diff| {diff.max()}")
    if not (np.array_equal(A.indptr, Bm.indptr) and np.array_equal(A.indices, Bm.indices)):
        problems.append("sparsity structure differs")
    return layout, problems


def mb(x):
    return f"{x / 2**20:,.1f} MiB"


def main():
    from gen_ml20m_shape import ML20M, QUICK, ensure

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    common_args(ap, reps=3, quick_help="20,000 users x 5,000 items, 1.5M nnz")
    ap.add_argument("--data", help="data folder (default tools/.cache/ml20m or tools/.cache/quick)")
    ap.add_argument("--peer", nargs=2, metavar=("CSV", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.peer:
        peer_convert(*a.peer)
        return

    shape = QUICK if a.quick else ML20M
    data = a.data or os.path.join(CACHE, "quick" if a.quick else "ml20m")
    meta = ensure(out=data, **shape)
    csv = os.path.join(data, "ratings.csv")
    a.mftool = require_mftool(a.mftool)

    with open(csv, "rb") as f:          # warm the page cache for both sides
        while f.read(1 << 24):
            pass

    out_dir = tempfile.mkdtemp(prefix="bench_convert_", dir=data)
    m_out, p_out = os.path.join(out_dir, "mftool.h5"), os.path.join(out_dir, "peer.h5")
    env = dict(os.environ)
    cases = {
        "mftool": [a.mftool, "convert", csv, m_out],
        "pandas": [sys.executable, os.path.abspath(__file__), "--peer", csv, p_out],
    }
    results = {name: {"wall": [], "rss": []} for name in cases}
    overall = OtherCPU()
    print(f"data: {csv}: {meta['users']:,} users x {meta['items']:,} items, nnz {meta['nnz']:,}", flush=True)
    for rep, name in schedule(["mftool", "pandas"], a.reps):     # alternating: a b, b a, a b, ...
        other = OtherCPU()
        wall, rss, _, err = run_measured(cases[name], env)
        results[name]["wall"].append(wall)
        results[name]["rss"].append(rss)
        results[name].setdefault("other_cpu", []).append(other.share())
        print(f"  rep {rep + 1} {name:7s} {wall:8.3f} s  peak RSS {mb(rss)}  "
              f"(other processes' CPU {results[name]['other_cpu'][-1]:.0%})", flush=True)
        if name == "mftool" and rep == 0 and err.strip():
            print("    mftool: " + err.strip().splitlines()[-1], flush=True)

    # Fixed cost of each process (runtime, libraries): the same commands on a 2-line CSV.
    tiny_csv, tiny_out = os.path.join(out_dir, "tiny.csv"), os.path.join(out_dir, "tiny.h5")
    with open(tiny_csv, "w") as f:
        f.write("user,item,rating\n1,2,3.0\n2,3,4.0\n")
    base_rss = {"mftool": run_measured([a.mftool, "convert", tiny_csv, tiny_out], env).peak_rss,
                "pandas": run_measured([sys.executable, os.path.abspath(__file__), "--peer", tiny_csv, tiny_out], env).peak_rss}
    for path in (tiny_csv, tiny_out):
        os.remove(path)

    busy_share = overall.share()
    layout, problems = compare(m_out, p_out)

    import h5py
    with h5py.File(m_out, "r") as h:
        m, n = (int(x) for x in h.attrs["shape"])
        nnz = int(h["data"].shape[0])
    csr_bytes = nnz * (8 + 4) + (m + 1) * 8
    text_bytes = os.path.getsize(csv)
    budget = 2 * csr_bytes + text_bytes
    med = {k: {"wall": statistics.median(v["wall"]), "rss": statistics.median(v["rss"])} for k, v in results.items()}
    mt, pt = med["mftool"]["wall"], med["pandas"]["wall"]

    print()
    print(f"convert {os.path.basename(csv)}  ({m:,} x {n:,}, nnz {nnz:,}), median of {a.reps}")
    print(f"  mftool convert       {mt:8.3f} s   peak RSS {mb(med['mftool']['rss'])}"
          f"  (process baseline on a 2-line CSV {mb(base_rss['mftool'])})")
    print(f"  pandas+scipy+h5py    {pt:8.3f} s   peak RSS {mb(med['pandas']['rss'])}"
          f"  (process baseline on a 2-line CSV {mb(base_rss['pandas'])})")
    print(f"  ratio peer/mftool    {pt / mt:8.2f}x")
    print(f"  other processes used {busy_share:.0%} of the {os.cpu_count()} cores during the timed runs"
          + ("  <- contended: rerun on a quiet machine" if busy_share > 0.10 else ""))
    print(f"  text file            {mb(text_bytes)}   CSR (nnz*12 + (m+1)*8) {mb(csr_bytes)}")
    print(f"  memory target 2*CSR + text = {mb(budget)}: mftool peak is {med['mftool']['rss'] / budget:.2f} of it "
          f"-> {'OK' if med['mftool']['rss'] <= budget else 'OVER'}; "
          f"above the baseline {(med['mftool']['rss'] - base_rss['mftool']) / budget:.2f} of it")
    print("  (the text file is memory-mapped by mftool, so its pages count in mftool's RSS)")
    print(f"  matrices + ids equal: {'yes' if not problems else 'NO'}; "
          f"layout/dtypes as expected: {'yes' if not layout else 'NO'}")
    for p in problems + layout:
        print(f"    - {p}")

    if a.json:
        import pandas
        import scipy
        rows = [row(f"CSV → canonical HDF5, {nnz:,} ratings ({m:,} × {n:,}), {mb(text_bytes)} text",
                    mt, "pandas + SciPy + h5py", pt, mftool_peak=med["mftool"]["rss"], peer_peak=med["pandas"]["rss"],
                    timing="whole process",
                    note=("outputs equal" if not (problems or layout) else "OUTPUTS DIFFER")
                    + f"; peak {'within' if med['mftool']['rss'] <= budget else 'ABOVE'} 2·CSR + text",
                    other_cpu=busy_share)]
        write_json(a.json, rows, bench="convert", machine=machine(a.mftool, env), reps=a.reps,
                   versions=dict(pandas=pandas.__version__, scipy=scipy.__version__, h5py=h5py.__version__),
                   shape=dict(users=m, items=n, nnz=nnz), runs=results, median=med,
                   ratio=pt / mt, other_cpu_share=busy_share, baseline_rss=base_rss, csr_bytes=csr_bytes,
                   text_bytes=text_bytes, budget_bytes=budget,
                   equal=not problems, problems=problems, layout_problems=layout)
    for path in (m_out, p_out):
        os.remove(path)
    os.rmdir(out_dir)
    if problems or layout:
        sys.exit(1)


if __name__ == "__main__":
    main()
