#!/usr/bin/env python3
"""Benchmark `mftool solve` at the k of model embeddings (64 to 1536) against `implicit`.

When a user has fewer entries than k, `mftool solve --form auto` (the default) solves the
n_u × n_u dual (Woodbury) system instead of the k × k primal one; this measures it against the
primal path (`--form primal`) and against implicit's exact and approximate kernels.

Shapes (cached in tools/.cache/largek, gitignored):
  powerlaw  5,000 users × 26,744 items, 450,000 counts: `mftool generate --users 5000 --items 26744
            --nnz 450000 --k K --values counts --seed 0` (log-normal activity, median ~54 items per
            user; Zipf item popularity; the item matrix is the planted one), one data set per k.
  ml20m     tools/benchmarks/gen_ml20m_shape.py's ratings (138,493 × 26,744, 16M ratings; the
            cache tools/.cache/ml20m shared with the other benchmarks, converted once by
            `mftool convert`) and an item matrix at each k written by the same generator
            (N(0,1)/8, same item ids). Every user at k = 64; above, only the first N users are solved
            (default 20,000 at k = 256 and 768, 5,000 at k = 1536; --ml20m-users), the same rows for
            every solver, written once as a canonical HDF5 file; the row's label says so.
  quick     (--quick) 500 users × 5,000 items, 45,000 counts by `mftool generate`, k = 64 and 768.

Cases, for every shape, k, loss and precision (single, double):
  losses    implicit: --loss implicit --confidence linear --alpha 1 --lambda 0.1 (implicit's
            objective: c = r on observed entries, 1 elsewhere, preference [r > 0]);
            observed: --loss observed --lambda 0.1 (no peer: implicit has no such solver)
  mftool auto     `mftool solve --form auto --threads 2 --json`: the whole process's wall time
                  (read, solve, write) and its own "seconds" (the solve), "dual_users"
  mftool primal   the same with --form primal (every user's k × k system, as before the dual form);
                  skipped where its flop count at the rate measured at the next smaller k says it
                  would take longer than --max-seconds (the row then gives that estimate)
  mftool setup    implicit loss only: `--form dual` on a file holding one user; its solve time is
                  the dual form's fixed cost: G = VᵀV, B's Cholesky factor R, U = V·R⁻¹
  implicit chol   implicit 0.7.3's implicit.cpu._als._least_squares(YtY, indptr, indices, data, X, Y,
                  λ, 2) (timed with the YtY product), skipped like primal
  implicit cg3    implicit.cpu._als._least_squares_cg(indptr, indices, data, X, Y, λ, 2, 3): 3
                  conjugate-gradient steps from X = 0 (an approximation)
The peer runs in this process, OpenBLAS pinned to 1 thread with threadpoolctl as implicit asks,
its own OpenMP threads 2, on the same CSR with its columns re-ordered to the item file's item_ids
(as mftool aligns them) and float32 values (implicit's only value type); Y in the precision of the
case. Implicit loss only: implicit solves nothing else.

Runs alternate over the cases of one (shape, k, loss) (A B, B A, ...; benchlib.schedule), --reps
times; figures are medians. A case whose first run takes longer than --long seconds is not
repeated. Agreement: every solution against the exact one (mftool auto, double), as relative
Frobenius difference overall and the largest relative difference of a user's factor; CG-3's error
is that difference. Ratios: mftool auto's whole process ÷ implicit CG-3's kernel time, and ÷ mftool
primal's whole process (below 1: auto is faster).

The CPU (model, AVX-512 or AVX2) and mftool's kernel instruction set are printed; --isa passes
through to `mftool solve --isa` (e.g. avx2 on an AVX-512 machine).

Usage (from the repo root, after a release build into .build-bench; tools/bench runs it):
  tools/benchmarks/bench_largek.py --quick                 # k = 64 and 768 on the quick shape, minutes
  tools/benchmarks/bench_largek.py                         # both shapes, k = 64, 256, 768, 1536
  tools/benchmarks/bench_largek.py --shapes powerlaw --k 768
The script runs itself under tools/.venv's Python, creating it when missing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("bench")  # re-runs this script under tools/.venv's Python

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import (CACHE, InProcessPeak, OtherCPU, common_args, cpu_flags, cpu_model, ensure_canonical,  # noqa: E402
                      fmt_s, machine, median, require_mftool, row, run_measured, schedule, write_json)
from bench_ridge import load_problem, max_row_rel, read_user_factors, rel  # noqa: E402

LARGEK = os.path.join(CACHE, "largek")
K_FULL = (64, 256, 768, 1536)
K_QUICK = (64, 768)
GENERATED = {
    "powerlaw": dict(users=5_000, items=26_744, nnz=450_000, seed=0),
    "quick": dict(users=500, items=5_000, nnz=45_000, seed=0),
}
ML20M_USERS = {256: 20_000, 768: 20_000, 1536: 5_000}
LOSSES = {
    "implicit": ["--loss", "implicit", "--confidence", "linear", "--alpha", "1"],
    "observed": ["--loss", "observed"],
}
PRECISIONS = {"f64": "double", "f32": "single"}


# ---------------------------------------------------------------------------------------------
# Data

def generated(mftool, shape, k):
    """(ratings.h5, items.h5) of `mftool generate` for a generated shape at k, made once."""
    p = GENERATED[shape]
    folder = os.path.join(LARGEK, f"{shape}-k{k}")
    ratings, items, meta = (os.path.join(folder, x) for x in ("ratings.h5", "items.h5", "meta.json"))
    want = dict(p, k=k, values="counts")
    try:
        with open(meta) as f:
            if json.load(f) == want and os.path.exists(ratings) and os.path.exists(items):
                return ratings, items
    except (OSError, ValueError):
        pass
    os.makedirs(folder, exist_ok=True)
    m = run_measured([mftool, "generate", "--users", str(p["users"]), "--items", str(p["items"]), "--nnz", str(p["nnz"]),
                      "--k", str(k), "--values", "counts", "--seed", str(p["seed"]), "--out", ratings,
                      "--items-out", items, "--quiet"])
    with open(meta, "w") as f:
        json.dump(want, f)
    print(f"generated {folder} in {m.wall:.1f} s", flush=True)
    return ratings, items


def ml20m_items(k):
    """The ML-20M shape's item matrix at k (gen_ml20m_shape.write_items: N(0,1)/8, its seed), made once."""
    import h5py
    from gen_ml20m_shape import ML20M, write_items
    path = os.path.join(LARGEK, f"ml20m-items-k{k}.h5")
    if not os.path.exists(path):
        with h5py.File(os.path.join(CACHE, "ml20m", "items.h5"), "r") as h:
            ids = h["item_ids"][:]
        os.makedirs(LARGEK, exist_ok=True)
        write_items(path + ".tmp", ids, k, np.random.default_rng(ML20M["seed"] + 1))
        os.replace(path + ".tmp", path)
    return path


def first_users(src, dst, count=None, user=None):
    """A canonical interactions file holding the first `count` rows of `src`, or its row `user`."""
    import h5py
    if os.path.exists(dst) and os.path.getmtime(dst) >= os.path.getmtime(src):
        return dst
    with h5py.File(src, "r") as h:
        indptr = h["indptr"][:]
        lo, hi = (0, count) if user is None else (user, user + 1)
        a, b = int(indptr[lo]), int(indptr[hi])
        with h5py.File(dst + ".tmp", "w") as o:
            for name, value in h.attrs.items():
                if not name.startswith("mftool_"):
                    o.attrs[name] = value
            o.attrs["shape"] = np.array([hi - lo, int(h.attrs["shape"][1])], dtype=h.attrs["shape"].dtype)
            o.create_dataset("indptr", data=indptr[lo:hi + 1] - a)
            o.create_dataset("indices", data=h["indices"][a:b])
            o.create_dataset("data", data=h["data"][a:b])
            o.create_dataset("user_ids", data=h["user_ids"][lo:hi])
            o.create_dataset("item_ids", data=h["item_ids"][:])
    os.replace(dst + ".tmp", dst)
    return dst


def problem_files(mftool, shape, k, caps):
    """(ratings.h5, items.h5, label) for a shape at k."""
    if shape in GENERATED:
        p = GENERATED[shape]
        ratings, items = generated(mftool, shape, k)
        name = "power-law" if shape == "powerlaw" else "quick power-law"
        return ratings, items, f"{name}, {p['users']:,} users × {p['items']:,} items"
    from gen_ml20m_shape import ML20M, ensure
    data = os.path.join(CACHE, "ml20m")
    ensure(out=data, **ML20M)
    ratings = ensure_canonical(mftool, data)
    items = ml20m_items(k)
    cap = caps.get(k)
    if cap and cap < ML20M["users"]:
        ratings = first_users(ratings, os.path.join(LARGEK, f"ml20m-first{cap}.h5"), count=cap)
        return ratings, items, f"ML-20M shape, first {cap:,} of {ML20M['users']:,} users × {ML20M['items']:,} items"
    return ratings, items, f"ML-20M shape, {ML20M['users']:,} users × {ML20M['items']:,} items"


def setup_user(R):
    """The first user with an entry (`--form dual` takes any such user)."""
    for u in range(R.shape[0]):
        if R.indptr[u + 1] > R.indptr[u]:
            return u
    return None


# ---------------------------------------------------------------------------------------------
# Flop counts (mftool's count for the primal form, as bench_ridge.py)

def primal_flops(loss, R, k):
    m, n, nnz = R.shape[0], R.shape[1], R.nnz
    per_user = k ** 3 / 3 + 2 * k * k
    if loss == "implicit":
        return n * k * (k + 1) + nnz * k * (k + 1) + m * per_user
    return nnz * k * (k + 1) + int(np.count_nonzero(np.diff(R.indptr))) * per_user


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    common_args(ap, reps=3, quick_help="500 users x 5,000 items, k = 64 and 768: a few minutes")
    ap.add_argument("--shapes", help="comma-separated: powerlaw, ml20m (default both; --quick: quick)")
    ap.add_argument("--k", help="comma-separated k (default 64,256,768,1536; --quick: 64,768)")
    ap.add_argument("--losses", default="implicit,observed", help="comma-separated: implicit, observed")
    ap.add_argument("--precisions", default="f64,f32", help="comma-separated: f64, f32")
    ap.add_argument("--lambda", dest="lam", type=float, default=0.1, help="regularization (default 0.1)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--isa", help="passed to mftool solve --isa (portable, avx2, avx512)")
    ap.add_argument("--max-seconds", type=float, default=300,
                    help="skip mftool primal and implicit's Cholesky where their estimated time exceeds this "
                         "(default 300; 0: never skip)")
    ap.add_argument("--long", type=float, default=60,
                    help="a case whose first run takes longer than this many seconds runs once (default 60)")
    ap.add_argument("--ml20m-users", default=",".join(f"{k}:{n}" for k, n in ML20M_USERS.items()),
                    help="K:N,...: solve only the first N users of the ML-20M shape at that k "
                         "(default %(default)s; 'all' for every user at every k)")
    a = ap.parse_args()

    from threadpoolctl import threadpool_info, threadpool_limits
    import implicit
    from implicit.cpu import _als

    a.mftool = require_mftool(a.mftool)
    shapes = (a.shapes or ("quick" if a.quick else "powerlaw,ml20m")).split(",")
    ks = sorted(int(x) for x in a.k.split(",")) if a.k else list(K_QUICK if a.quick else K_FULL)
    losses = a.losses.split(",")
    precs = a.precisions.split(",")
    caps = {} if a.ml20m_users == "all" else {int(k): int(n) for k, n in (x.split(":") for x in a.ml20m_users.split(",") if x)}
    for s in shapes:
        if s not in ("powerlaw", "ml20m", "quick"):
            ap.error(f"unknown shape {s!r}")

    flags = cpu_flags()
    isa_txt = "AVX-512" if "avx512f" in flags else ("AVX2" if "avx2" in flags else "no AVX2")
    cpu = f"{cpu_model()} ({isa_txt}), {os.cpu_count()} cores"
    with threadpool_limits(limits=1, user_api="blas"):
        blas = [(x["internal_api"], x.get("version"), x.get("architecture"), x["num_threads"],
                 os.path.basename(x["filepath"])) for x in threadpool_info() if x["user_api"] == "blas"]
    print(f"CPU: {cpu}; mftool --threads {a.threads}" + (f" --isa {a.isa}" if a.isa else "")
          + f"; implicit {implicit.__version__}, BLAS while timed: {blas}", flush=True)

    results = []        # one dict per (shape, k, loss, precision)
    rates = {}          # (shape, loss, solver, precision) -> [(k, GFLOP/s)], for the skip estimates
    overall = OtherCPU()
    kernel_isa = None
    tmp = tempfile.mkdtemp(prefix="bench_largek_", dir=CACHE)
    mach = machine(a.mftool)

    def save(complete):
        """The JSON so far: written after every (shape, k, loss), so that a run cut short keeps its figures."""
        if a.json:
            busy = overall.share()
            write_json(a.json, main_rows(results, implicit.__version__, busy), bench="largek", complete=complete,
                       machine=mach, cpu=cpu, kernel=kernel_isa,
                       versions=dict(implicit=implicit.__version__, peer_blas=[list(b) for b in blas]),
                       lam=a.lam, threads=a.threads, reps=a.reps, isa=a.isa, results=results, other_cpu_share=busy,
                       details_md=details_md(results, cpu, kernel_isa, a, busy, complete))

    for shape in shapes:
        for k in ks:
            ratings, items, label = problem_files(a.mftool, shape, k, caps)
            R, Y64, user_ids = load_problem(ratings, items)
            Y32 = Y64.astype(np.float32)
            m, n, nnz = R.shape[0], R.shape[1], R.nnz
            deg = np.diff(R.indptr)
            print(f"\n== {label}, k = {k}: {m:,} users, nnz {nnz:,} (median {int(np.median(deg))} per user, "
                  f"{np.mean(deg < k):.1%} below k)", flush=True)
            su = setup_user(R)
            tag = f"{shape}-k{k}" if shape in GENERATED else shape
            setup_file = first_users(ratings, os.path.join(LARGEK, f"{tag}-user{su}.h5"), user=su) if su is not None else None

            for loss in losses:
                cases = {}
                for p in precs:
                    base = [a.mftool, "solve", "--interactions", ratings, "--items", items, "--threads", str(a.threads),
                            "--lambda", repr(a.lam), "--precision", PRECISIONS[p], "--json", "--quiet"] \
                        + LOSSES[loss] + (["--isa", a.isa] if a.isa else [])
                    cases[f"mftool auto {p}"] = ("mftool", base + ["--form", "auto", "--out", os.path.join(tmp, f"auto{p}.h5")])
                    cases[f"mftool primal {p}"] = ("mftool", base + ["--form", "primal", "--out", os.path.join(tmp, f"primal{p}.h5")])
                    if loss == "implicit":
                        if setup_file:
                            sb = list(base)
                            sb[sb.index("--interactions") + 1] = setup_file
                            cases[f"mftool setup {p}"] = ("mftool", sb + ["--form", "dual", "--out", os.path.join(tmp, f"setup{p}.h5")])
                        cases[f"implicit chol {p}"] = ("peer", "chol", Y64 if p == "f64" else Y32)
                        cases[f"implicit cg3 {p}"] = ("peer", "cg", Y64 if p == "f64" else Y32)
                flops = primal_flops(loss, R, k)
                skipped = {}
                for name in list(cases):
                    solver, p = name.split()[1], name.split()[2]
                    if solver not in ("primal", "chol") or a.max_seconds <= 0:
                        continue
                    prev = [r for kk, r in rates.get((shape, loss, solver, p), []) if kk < k]
                    if prev:
                        est = flops / (prev[-1] * 1e9)
                        if est > a.max_seconds:
                            skipped[name] = est
                            del cases[name]
                            print(f"  {name}: skipped (est. {est:.0f} s from flop count)", flush=True)

                runs = {name: [] for name in cases}
                factors = {}
                once = set()
                group_cpu = OtherCPU()
                for rep, name in schedule(list(cases), a.reps):
                    if name in once:
                        continue
                    other = OtherCPU()
                    spec = cases[name]
                    if spec[0] == "mftool":
                        cmd = spec[1]
                        meas = run_measured(cmd)
                        info = json.loads(meas.stdout.strip().splitlines()[-1])
                        kernel_isa = info.get("kernel", kernel_isa)
                        r = dict(seconds=info["seconds"], process=meas.wall, rss=meas.peak_rss,
                                 dual=info.get("dual_users"), read=info.get("read_seconds"),
                                 write=info.get("write_seconds"))
                        if name not in factors and "setup" not in name:
                            X = read_user_factors(cmd[cmd.index("--out") + 1], user_ids)
                            factors[name] = X.astype(np.float32) if name.endswith("f32") else X
                        print(f"  rep {rep + 1} {name:20s} process {meas.wall:8.3f} s, solve {r['seconds']:8.3f} s, "
                              f"dual users {r['dual']}, RSS {meas.peak_rss / 2**20:,.0f} MiB | others' CPU {other.share():.0%}",
                              flush=True)
                    else:
                        _, kind, Y = spec
                        X = np.zeros((m, k), dtype=Y.dtype)
                        with threadpool_limits(limits=1, user_api="blas"), InProcessPeak() as mem:
                            t0 = time.perf_counter()
                            if kind == "chol":
                                _als._least_squares(Y.T @ Y, R.indptr, R.indices, R.data, X, Y, a.lam, a.threads)
                            else:
                                _als._least_squares_cg(R.indptr, R.indices, R.data, X, Y, a.lam, a.threads, 3)
                            seconds = time.perf_counter() - t0
                        r = dict(seconds=seconds, rss=mem.peak)
                        factors.setdefault(name, X)
                        print(f"  rep {rep + 1} {name:20s} kernel  {seconds:8.3f} s | others' CPU {other.share():.0%}",
                              flush=True)
                    runs[name].append(r)
                    if rep == 0 and (r.get("process") or r["seconds"]) > a.long:
                        once.add(name)
                med = {name: {key: median([r.get(key) for r in rs]) for key in rs[0]} for name, rs in runs.items() if rs}
                for name in med:
                    solver, p = name.split()[1], name.split()[2]
                    if solver in ("primal", "chol"):
                        rates.setdefault((shape, loss, solver, p), []).append((k, flops / med[name]["seconds"] / 1e9))

                # Agreement with the exact solution (mftool auto, double).
                ref = factors.get("mftool auto f64")
                agree = {}
                if ref is not None:
                    for name, X in factors.items():
                        if name != "mftool auto f64":
                            X = X.astype(np.float64)
                            agree[name] = (rel(X, ref), max_row_rel(X, ref))
                del factors
                cpu_share = group_cpu.share()
                for p in precs:
                    g = lambda s: med.get(f"{s} {p}")
                    res = dict(shape=shape, label=label, k=k, loss=loss, precision=p, users=m, items=n, nnz=nnz,
                               median_degree=float(np.median(deg)), below_k=float(np.mean(deg < k)),
                               flops_primal=flops, auto=g("mftool auto"), primal=g("mftool primal"),
                               setup=g("mftool setup"), chol=g("implicit chol"), cg3=g("implicit cg3"),
                               skipped={s: skipped[f"{s} {p}"] for s in ("mftool primal", "implicit chol")
                                        if f"{s} {p}" in skipped},
                               agree={s: agree.get(f"{s} {p}") for s in ("mftool auto", "mftool primal",
                                                                          "implicit chol", "implicit cg3")},
                               runs={name.rsplit(" ", 1)[0]: runs[name] for name in runs if name.endswith(p)},
                               other_cpu=cpu_share)
                    results.append(res)
                    print_result(res)
                save(complete=False)
            del R, Y64, Y32

    busy = overall.share()
    table = details_table(results)
    print("\n" + "\n".join(table))
    print(f"\nCPU: {cpu}; mftool kernel {kernel_isa}; other processes used {busy:.0%} of the cores during the runs"
          + ("  <- contended: rerun on a quiet machine" if busy > 0.10 else ""))
    save(complete=True)
    for f in os.listdir(tmp):
        os.remove(os.path.join(tmp, f))
    os.rmdir(tmp)


# ---------------------------------------------------------------------------------------------
# Reporting

def ratio(x, y):
    return x / y if (x and y) else None


def fx(r):
    return "—" if r is None else (f"{r:.2f}×" if r < 10 else f"{r:.1f}×")


def err_txt(e):
    return "—" if not e else f"{e[1]:.1e} / {e[0]:.1e}"


def timed_txt(res, key, field):
    x = res.get(key)
    if x:
        return fmt_s(x[field])
    s = res["skipped"].get({"primal": "mftool primal", "chol": "implicit chol"}.get(key, ""))
    return f"skipped (est. {s:.0f} s from flop count)" if s else "—"


def print_result(res):
    auto = res["auto"]
    primal_s = res["primal"]["process"] if res.get("primal") else None
    cg = res["cg3"]["seconds"] if res.get("cg3") else None
    print(f"  -> {res['loss']} {res['precision']}: auto process {fmt_s(auto['process'])} (solve {fmt_s(auto['seconds'])}, "
          f"{auto['dual']:.0f} of {res['users']:,} dual), primal {timed_txt(res, 'primal', 'process')}, "
          f"setup {timed_txt(res, 'setup', 'seconds')}, chol {timed_txt(res, 'chol', 'seconds')}, "
          f"cg3 {timed_txt(res, 'cg3', 'seconds')} (error worst user / overall {err_txt(res['agree'].get('implicit cg3'))}); "
          f"auto ÷ CG-3 {fx(ratio(auto['process'], cg))}, auto ÷ primal {fx(ratio(auto['process'], primal_s))}", flush=True)


TABLE_HEAD = ["| shape | k | loss | precision | dual users | mftool auto: process (solve) | of which setup | "
              "mftool primal: process (solve) | implicit Cholesky | implicit CG-3 | CG-3 error: worst user / overall | "
              "auto ÷ CG-3 | auto ÷ primal | worst user vs auto double |",
              "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]


def details_table(results):
    L = list(TABLE_HEAD)
    for res in results:
        auto = res["auto"]
        primal_s = res["primal"]["process"] if res.get("primal") else None
        primal_solve = f" ({fmt_s(res['primal']['seconds'])})" if res.get("primal") else ""
        cg = res["cg3"]["seconds"] if res.get("cg3") else None
        ag = res["agree"]
        pairs = (("auto single", ag.get("mftool auto") if res["precision"] == "f32" else None),
                 ("primal", ag.get("mftool primal")), ("Cholesky", ag.get("implicit chol")))
        exact = "; ".join(f"{what} {v[1]:.0e}" for what, v in pairs if v) or "—"
        L.append(f"| {res['label']} | {res['k']} | {res['loss']} | {PRECISIONS[res['precision']]} | "
                 f"{auto['dual']:,.0f} of {res['users']:,} | {fmt_s(auto['process'])} ({fmt_s(auto['seconds'])}) | "
                 f"{timed_txt(res, 'setup', 'seconds') if res['loss'] == 'implicit' else '—'} | "
                 f"{timed_txt(res, 'primal', 'process')}{primal_solve} | "
                 f"{timed_txt(res, 'chol', 'seconds') if res['loss'] == 'implicit' else '—'} | "
                 f"{timed_txt(res, 'cg3', 'seconds') if res['loss'] == 'implicit' else '—'} | "
                 f"{err_txt(ag.get('implicit cg3'))} | {fx(ratio(auto['process'], cg))} | "
                 f"{fx(ratio(auto['process'], primal_s))} | {exact} |")
    return L


def details_md(results, cpu, kernel_isa, a, busy, complete=True):
    """The large-k section of BENCHMARKS.md."""
    L = ["", "## Large k: item embeddings from a model", "",
         f"`mftool solve` at k = 64 … 1536 (tools/benchmarks/bench_largek.py) on {cpu}, mftool kernel {kernel_isa}, "
         f"{a.threads} threads, λ = {a.lam:g}; implicit loss with linear confidence, α = 1. "
         "*auto* is the default `--form auto` (the n_u × n_u dual form for users with fewer entries than about k), "
         "*primal* is `--form primal` (every user's k × k system). mftool's times are the whole process (read, "
         "solve, write) with its own solve time in brackets; *setup* is the dual form's fixed cost (G = VᵀV, its "
         "eigendecomposition, U = V·Q), measured as the solve time of a one-user file; implicit's are its kernel "
         "calls. Errors and agreement are relative to mftool auto in double (worst user's factor, then the whole "
         "matrix); ratios are auto's whole process over the other's time (below 1: auto is faster). "
         f"Medians of {a.reps} alternating runs (cases over {a.long:g} s run once); other processes used "
         f"{busy:.0%} of the CPU meanwhile." + ("" if complete else " **The run stopped early: the cases below are "
                                                 "those it finished.**"), ""]
    return L + details_table(results)


def main_rows(results, version, busy):
    """The implicit-loss rows (mftool auto's whole process vs implicit's CG-3 kernel); only k = 768
    goes into the README's speed table."""
    rows = []
    for res in results:
        if res["loss"] != "implicit" or not res.get("cg3"):
            continue
        auto, prec = res["auto"], PRECISIONS[res["precision"]]
        ag = res["agree"]
        cg_err = ag.get("implicit cg3")
        note = (f"mftool exact ({auto['dual']:,.0f} of {res['users']:,} users dual, solve {fmt_s(auto['seconds'])}); "
                f"CG-3's error {err_txt(cg_err)} (worst user / overall); implicit Cholesky "
                f"{timed_txt(res, 'chol', 'seconds')}; mftool --form primal {timed_txt(res, 'primal', 'process')}")
        rows.append(row(f"exact fold-in at k = {res['k']}, implicit loss, {res['label']}, {res['nnz']:,} nnz, "
                        f"{prec}", auto["process"], f"implicit {version} CG, 3 steps, {prec} (approximate)",
                        res["cg3"]["seconds"], mftool_peak=auto.get("rss"), peer_peak=res["cg3"].get("rss"),
                        timing="mftool whole process vs implicit kernel", note=note, other_cpu=busy,
                        readme=res["k"] == 768))
    return rows


if __name__ == "__main__":
    main()
