#!/usr/bin/env python3
"""Benchmark `mftool convert ratings.parquet -> canonical HDF5` against pyarrow + SciPy + h5py.

The Parquet file is the ML-20M-shaped ratings (tools/benchmarks/gen_ml20m_shape.py) as pandas
writes them with pyarrow and snappy: int64 user, int64 item, float32 rating, int64 timestamp,
16M rows (made once from ratings.csv, cached beside it as ratings.parquet).

  (a) mftool convert ratings.parquet out.h5                          (one process)
  (b) peer: pq.read_table (the three columns used) + pd.factorize (first-seen order)
      + scipy.sparse.csr_matrix + h5py write                         (one python subprocess)

Runs alternate (a, b, b, a, ...), --reps times each; the figures are medians of the whole
process's wall time and peak RSS. The target: mftool ≤ 0.5× the peer's time, peak memory within
2× the CSR (nnz·12 + (m+1)·8 bytes). The two outputs are compared exactly (bench_convert.compare).

Usage (from the repository root, after a release build into .build-bench):
  tools/benchmarks/bench_parquet.py --quick     # 20k x 5k, 1.5M rows
  tools/benchmarks/bench_parquet.py             # ML-20M shape, 16M rows
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

from bench_convert import compare, mb  # noqa: E402
from benchlib import (CACHE, OtherCPU, common_args, machine, require_mftool, row, run_measured, schedule,  # noqa: E402
                      write_json)


def peer_convert(parquet_path: str, out_path: str) -> None:
    import h5py
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq
    import scipy.sparse as sp

    table = pq.read_table(parquet_path, columns=["user", "item", "rating"])
    rows, user_ids = pd.factorize(table.column("user").to_numpy(), sort=False)
    cols, item_ids = pd.factorize(table.column("item").to_numpy(), sort=False)
    values = table.column("rating").to_numpy().astype(np.float64)
    del table
    m, n = len(user_ids), len(item_ids)
    csr = sp.csr_matrix((values, (rows, cols)), shape=(m, n))
    del rows, cols, values
    csr.sum_duplicates()
    csr.sort_indices()
    with h5py.File(out_path, "w") as h:
        h.attrs["encoding-type"] = "csr_matrix"
        h.attrs["encoding-version"] = "0.1.0"
        h.attrs["shape"] = np.array([m, n], dtype=np.int64)
        h.create_dataset("data", data=csr.data.astype(np.float64, copy=False))
        index_type = np.int32 if csr.nnz < 2**31 else np.int64
        h.create_dataset("indices", data=csr.indices.astype(index_type, copy=False))
        h.create_dataset("indptr", data=csr.indptr.astype(index_type, copy=False))
        h.create_dataset("user_ids", data=np.asarray(user_ids, dtype=np.int64))
        h.create_dataset("item_ids", data=np.asarray(item_ids, dtype=np.int64))


def ensure_parquet(csv: str) -> str:
    """ratings.parquet beside ratings.csv: the same rows, a timestamp column, pandas + snappy."""
    import numpy as np
    import pandas as pd
    path = os.path.splitext(csv)[0] + ".parquet"
    if os.path.exists(path) and os.path.getmtime(path) >= os.path.getmtime(csv):
        return path
    df = pd.read_csv(csv, dtype={"user": np.int64, "item": np.int64, "rating": np.float32})
    df["timestamp"] = np.int64(1_100_000_000) + np.arange(len(df), dtype=np.int64) * 7
    df.to_parquet(path + ".tmp", engine="pyarrow", compression="snappy", index=False)
    os.replace(path + ".tmp", path)
    return path


def main():
    from gen_ml20m_shape import ML20M, QUICK, ensure

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    common_args(ap, reps=3, quick_help="20,000 users x 5,000 items, 1.5M rows")
    ap.add_argument("--data", help="data folder (default tools/.cache/ml20m or tools/.cache/quick)")
    ap.add_argument("--peer", nargs=2, metavar=("PARQUET", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.peer:
        peer_convert(*a.peer)
        return

    shape = QUICK if a.quick else ML20M
    data = a.data or os.path.join(CACHE, "quick" if a.quick else "ml20m")
    ensure(out=data, **shape)
    parquet = ensure_parquet(os.path.join(data, "ratings.csv"))
    a.mftool = require_mftool(a.mftool)
    with open(parquet, "rb") as f:          # warm the page cache for both sides
        while f.read(1 << 24):
            pass

    out_dir = tempfile.mkdtemp(prefix="bench_parquet_", dir=data)
    m_out, p_out = os.path.join(out_dir, "mftool.h5"), os.path.join(out_dir, "peer.h5")
    env = dict(os.environ)
    cases = {
        "mftool": [a.mftool, "convert", parquet, m_out, "--value-col", "rating", "--quiet"],
        "pyarrow": [sys.executable, os.path.abspath(__file__), "--peer", parquet, p_out],
    }
    results = {name: {"wall": [], "rss": [], "other_cpu": []} for name in cases}
    overall = OtherCPU()
    for rep, name in schedule(["mftool", "pyarrow"], a.reps):
        other = OtherCPU()
        wall, rss, _, _ = run_measured(cases[name], env)
        results[name]["wall"].append(wall)
        results[name]["rss"].append(rss)
        results[name]["other_cpu"].append(other.share())
        print(f"  rep {rep + 1} {name:7s} {wall:8.3f} s  peak RSS {mb(rss)}  "
              f"(other processes' CPU {results[name]['other_cpu'][-1]:.0%})", flush=True)
    busy_share = overall.share()
    layout, problems = compare(m_out, p_out)

    import h5py
    with h5py.File(m_out, "r") as h:
        m, n = (int(x) for x in h.attrs["shape"])
        nnz = int(h["data"].shape[0])
    csr_bytes = nnz * (8 + 4) + (m + 1) * 8
    med = {k: {"wall": statistics.median(v["wall"]), "rss": statistics.median(v["rss"])} for k, v in results.items()}
    mt, pt = med["mftool"]["wall"], med["pyarrow"]["wall"]
    within = med["mftool"]["rss"] <= 2 * csr_bytes

    print()
    print(f"convert {os.path.basename(parquet)} ({m:,} x {n:,}, nnz {nnz:,}, {mb(os.path.getsize(parquet))}), median of {a.reps}")
    print(f"  mftool convert             {mt:8.3f} s   peak RSS {mb(med['mftool']['rss'])}")
    print(f"  pyarrow+pandas+scipy+h5py  {pt:8.3f} s   peak RSS {mb(med['pyarrow']['rss'])}")
    print(f"  mftool / peer time         {mt / pt:8.2f}  (target <= 0.5)")
    print(f"  peak / CSR ({mb(csr_bytes)})    {med['mftool']['rss'] / csr_bytes:8.2f}  (target <= 2)")
    print(f"  other processes used {busy_share:.0%} of the {os.cpu_count()} cores during the timed runs")
    print(f"  matrices + ids equal: {'yes' if not problems else 'NO'}; layout as expected: {'yes' if not layout else 'NO'}")
    for p in problems + layout:
        print(f"    - {p}")

    if a.json:
        import pyarrow
        import scipy
        rows = [row(f"Parquet (pandas, snappy) → canonical HDF5, {nnz:,} ratings ({m:,} × {n:,})",
                    mt, "pyarrow read_table + SciPy + h5py", pt, mftool_peak=med["mftool"]["rss"], peer_peak=med["pyarrow"]["rss"],
                    timing="whole process",
                    note=("outputs equal" if not (problems or layout) else "OUTPUTS DIFFER")
                    + f"; peak {med['mftool']['rss'] / csr_bytes:.2f}× the CSR",
                    other_cpu=busy_share)]
        write_json(a.json, rows, bench="parquet", machine=machine(a.mftool, env), reps=a.reps,
                   versions=dict(pyarrow=pyarrow.__version__, scipy=scipy.__version__, h5py=h5py.__version__),
                   shape=dict(users=m, items=n, nnz=nnz), runs=results, median=med, ratio=pt / mt,
                   other_cpu_share=busy_share, csr_bytes=csr_bytes, equal=not problems, problems=problems,
                   layout_problems=layout, peak_within_2x_csr=within)
    for path in (m_out, p_out):
        os.remove(path)
    os.rmdir(out_dir)
    if problems or layout:
        sys.exit(1)


if __name__ == "__main__":
    main()
