#!/usr/bin/env python3
"""Benchmark `mftool eval` (top-K ranking metrics) against implicit's ranking_metrics_at_k.

Data: tools/benchmarks/gen_ml20m_shape.py's ratings (ML-20M shape: 138,493 users x 26,744 items, 16M ratings;
--quick: 20,000 x 5,000, 1.5M) and its items.h5 (k = 64), prepared once in <data>/eval-s<seed>/:

  mftool convert ratings.csv ratings.h5                      (shared with bench_ridge.py)
  mftool split --interactions ratings.h5 --train train.h5 --test test.h5 --test-fraction 0.2 --seed S
  mftool solve --method ridge --interactions train.h5 --items items.h5 --out users.h5

Timed, alternating, --reps times each (medians reported):
  mftool    mftool eval --users users.h5 --items items.h5 --test test.h5 --train train.h5 --k 100
                        --metrics recall,ndcg --json              (whole process; phase timings too
                                                                  when eval prints any)
  implicit  a Python process that reads the same files, aligns the CSR matrices to the factor
            files' user and item order, builds implicit.cpu.als.AlternatingLeastSquares(factors=64,
            dtype=float32 or float64, num_threads=2), sets its user_factors/item_factors to the same
            factors, and calls implicit.evaluation.ranking_metrics_at_k(model, train, test, K=100)
            under threadpoolctl's BLAS limit of 1 thread (as implicit asks). Reported: the call's
            time (its "kernel") and the whole process.

Ratio = implicit's ranking_metrics_at_k call / mftool eval's whole process (> 1: mftool faster), at
the same precision: implicit float32 against `mftool eval --precision single`, float64 against the
default double.

Metric definitions (checked, not assumed: an untimed extra run records implicit's top-K lists and
recomputes every metric from them with NumPy; a sample of users' lists is compared with
`mftool recommend`'s):
  ndcg      the same in both: binary relevance, DCG over the top K with 1/log2(rank + 1), divided by
            the ideal DCG of min(K, |T_u|) hits, averaged over users with test items.
  implicit "precision" = sum_u hits_u / sum_u min(K, |T_u|): pooled over users (micro average).
  mftool   recall@K    = mean_u hits_u / min(K, |T_u|): averaged per user (macro). Same per-user
            quantity, different averaging, so the two differ unless every user has the same
            min(K, |T_u|). mftool's precision@K is hits_u / K (not implicit's "precision").
  map       the same in both (AP normalized by min(K, |T_u|), mean over users); mftool computes it
            only when asked (--metrics map), so the timed command does not.
  auc       implicit's is a truncated AUC from the top-K list only; mftool's `auc` ranks every
            item: not compared.

Embeddings from a model (--dim 768 --factor-dtype float32): the same shape with k = 768 items, and
both tools given float32 files (a float32 copy of items.h5, users solved with --dtype float32), as a
text model's embeddings come; mftool then scores the float32 factors in place (no float64 copy).

Usage (after a release build into .build-bench; tools/bench runs it with the other benchmarks):
  tools/benchmarks/bench_eval.py --quick     # 20k x 5k, a few seconds per case
  tools/benchmarks/bench_eval.py             # ML-20M shape, ~1 min per case
  tools/benchmarks/bench_eval.py --quick --dim 768 --factor-dtype float32 --dtypes float32
The script runs itself under tools/.venv's Python, creating it when missing.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("bench")  # re-runs this script under tools/.venv's Python

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from benchlib import (CACHE, MiB, OtherCPU, common_args, ensure_canonical, last_json, machine, median,  # noqa: E402
                      require_mftool, row, run_measured, schedule, write_json)

K_DEFAULT = 100


# ---------------------------------------------------------------------------------------------
# Files -> aligned arrays (used by the peer process and the checks)

def read_factors(path, name, ids_name):
    import h5py
    import numpy as np
    with h5py.File(path, "r") as h:
        return np.asarray(h[name][:]), np.asarray(h[ids_name][:])


def positions(ref_ids, ids, what):
    """Index in ref_ids of each of ids (all must be present)."""
    import numpy as np
    if ref_ids.shape == ids.shape and np.array_equal(ref_ids, ids):
        return np.arange(len(ids))
    order = np.argsort(ref_ids, kind="stable")
    pos = order[np.clip(np.searchsorted(ref_ids, ids, sorter=order), 0, len(ref_ids) - 1)]
    if not np.array_equal(ref_ids[pos], ids):
        sys.exit(f"{what}: some ids are missing from the factor file")
    return pos


def read_aligned_csr(path, user_ids, item_ids):
    """A canonical interactions file as a CSR in the factor files' user (row) and item (column)
    order, int32 indices, float32 values (what implicit works with)."""
    import h5py
    import numpy as np
    import scipy.sparse as sp
    with h5py.File(path, "r") as h:
        shape = tuple(int(x) for x in h.attrs["shape"])
        data, indices, indptr = h["data"][:], h["indices"][:], h["indptr"][:]
        uids, iids = np.asarray(h["user_ids"][:]), np.asarray(h["item_ids"][:])
    cols = positions(item_ids, iids, f"{path} items")
    rows = positions(user_ids, uids, f"{path} users")
    R = sp.csr_matrix((data.astype(np.float32), cols[indices].astype(np.int32), indptr.astype(np.int64)),
                      shape=(shape[0], len(item_ids)))
    if not np.array_equal(rows, np.arange(len(rows))) or shape[0] != len(user_ids):
        # rows[r] = the factor-file row of the file's row r
        P = sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, np.arange(len(rows)))),
                          shape=(len(user_ids), shape[0]))
        R = (P @ R).tocsr()
    R.sort_indices()
    R.indptr = R.indptr.astype(np.int32)
    R.indices = R.indices.astype(np.int32)
    return R


# ---------------------------------------------------------------------------------------------
# The peer (its own process: `bench_eval.py --peer DTYPE USERS ITEMS TRAIN TEST K THREADS`)

def peer_main(dtype, users_h5, items_h5, train_h5, test_h5, k, threads, record=None, sample=None):
    t_start = time.perf_counter()
    import numpy as np
    from threadpoolctl import threadpool_limits
    import implicit
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.evaluation import ranking_metrics_at_k

    k, threads = int(k), int(threads)
    U, user_ids = read_factors(users_h5, "user_factors", "user_ids")
    V, item_ids = read_factors(items_h5, "item_factors", "item_ids")
    train = read_aligned_csr(train_h5, user_ids, item_ids)
    test = read_aligned_csr(test_h5, user_ids, item_ids)
    dt = np.dtype(dtype)
    model = AlternatingLeastSquares(factors=U.shape[1], dtype=dt, num_threads=threads)
    model.user_factors = np.ascontiguousarray(U, dtype=dt)
    model.item_factors = np.ascontiguousarray(V, dtype=dt)
    load = time.perf_counter() - t_start

    recorded = []
    if record:      # wrap recommend to keep the top-K lists (untimed check run only)
        inner = model.recommend

        def recommend(userid, user_items, N=10, **kw):
            ids, scores = inner(userid, user_items, N=N, **kw)
            recorded.append((np.asarray(userid).copy(), ids.copy()))
            return ids, scores
        model.recommend = recommend

    with threadpool_limits(limits=1, user_api="blas"):
        t0 = time.perf_counter()
        metrics = ranking_metrics_at_k(model, train, test, K=k, show_progress=False)
        seconds = time.perf_counter() - t0
    out = dict(seconds=seconds, load_seconds=load, metrics={key: float(v) for key, v in metrics.items()},
               implicit=implicit.__version__, dtype=str(dt), users=int(U.shape[0]), items=int(V.shape[0]))

    if record:
        users = np.concatenate([u for u, _ in recorded])
        ids = np.concatenate([i for _, i in recorded]).astype(np.int64)
        out["recomputed"] = recompute_metrics(users, ids, test, k)
        if sample is not None:
            rows = np.asarray(sample, dtype=np.int64)
            sids, sscores = model.recommend(rows.astype(np.int32), train[rows], N=k)
            np.savez(record, rows=rows, ids=sids, scores=sscores, user_ids=user_ids[rows], item_ids=item_ids)
    print(json.dumps(out))


def recompute_metrics(users, ids, test, k):
    """Every metric, both averagings, from top-K lists (users x k item indices, -1 = none)."""
    import numpy as np
    n = test.shape[1]
    tk = np.repeat(np.arange(test.shape[0], dtype=np.int64), np.diff(test.indptr)) * n + test.indices
    tk.sort()
    keys = users[:, None].astype(np.int64) * n + ids
    hit = np.isin(keys, tk) & (ids >= 0)                      # users x k
    t = np.diff(test.indptr)[users].astype(np.float64)
    ideal = np.minimum(k, t)
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    idcg = np.cumsum(disc)[ideal.astype(np.int64) - 1]
    hits = hit.sum(1)
    ap = (np.cumsum(hit, 1) / np.arange(1, k + 1) * hit).sum(1) / ideal
    return dict(users=int(len(users)), hits=int(hits.sum()),
                recall_macro=float(np.mean(hits / ideal)), precision_micro=float(hits.sum() / ideal.sum()),
                precision_at_k=float(np.mean(hits / k)), ndcg=float(np.mean((hit * disc).sum(1) / idcg)),
                map=float(np.mean(ap)))


# ---------------------------------------------------------------------------------------------
# Preparation: split + solve, cached

def float32_items(items, out):
    """A copy of items.h5 with item_factors stored as float32 (rounded once), the rest as is."""
    import h5py
    import numpy as np
    with h5py.File(items, "r") as src, h5py.File(out + ".tmp", "w") as dst:
        for key, value in src.attrs.items():
            dst.attrs[key] = value
        for key in src:
            if key == "item_factors":
                dst.create_dataset(key, data=src[key][:].astype(np.float32))
            else:
                src.copy(key, dst)
    os.replace(out + ".tmp", out)


def prepare(mftool, data, seed, fraction, again=False, dtype="float64"):
    """<data>/eval-s<seed>-f<fraction>[-float32]/{train,test,users,items}.h5, redone when
    ratings.h5 changed; items is data/items.h5, or its float32 copy for dtype float32."""
    ratings = ensure_canonical(mftool, data)
    d = os.path.join(data, f"eval-s{seed}-f{fraction:g}" + ("-float32" if dtype == "float32" else ""))
    os.makedirs(d, exist_ok=True)
    want = dict(ratings=ratings, ratings_mtime=os.path.getmtime(ratings), ratings_size=os.path.getsize(ratings),
                seed=seed, test_fraction=fraction, version=1, dtype=dtype)
    meta_path = os.path.join(d, "prepare.json")
    paths = {x: os.path.join(d, f"{x}.h5") for x in ("train", "test", "users")}
    paths["items"] = os.path.join(d, "items.h5") if dtype == "float32" else os.path.join(data, "items.h5")
    try:
        with open(meta_path) as f:
            meta = json.load(f)
        if not again and meta.get("params") == want and all(os.path.exists(p) for p in paths.values()):
            return paths, meta
    except (OSError, ValueError):
        pass
    items = paths["items"]
    if dtype == "float32":
        float32_items(os.path.join(data, "items.h5"), items)
    sm = run_measured([mftool, "split", "--interactions", ratings, "--train", paths["train"], "--test", paths["test"],
                       "--test-fraction", repr(fraction), "--seed", str(seed)])
    print(f"prepare: {sm.stderr.strip().splitlines()[-1] if sm.stderr.strip() else 'split'} "
          f"({sm.wall:.2f} s, peak {sm.peak_rss / MiB:,.0f} MiB)", flush=True)
    so = run_measured([mftool, "solve", "--method", "ridge", "--interactions", paths["train"], "--items", items,
                       "--out", paths["users"], "--json", "--quiet", "--dtype", dtype])
    info = last_json(so.stdout)
    print(f"prepare: solve --method ridge (observed loss, lambda 0.1): {info.get('users')} users, kernel "
          f"{info.get('seconds', 0):.2f} s, process {so.wall:.2f} s", flush=True)
    meta = dict(params=want, split_seconds=sm.wall, solve_seconds=so.wall, solve=info)
    with open(meta_path, "w") as f:
        json.dump(meta, f, indent=1)
    return paths, meta


def mftool_eval_help_has(mftool, flag):
    return flag in run_measured([mftool, "eval", "--help"]).stdout


def phase_timings(info):
    """Any timing fields mftool eval printed (keys with 'seconds' or 'time', nested dicts too)."""
    out = {}
    for key, v in info.items():
        if isinstance(v, dict):
            out.update({f"{key}.{a}": b for a, b in phase_timings(v).items()})
        elif isinstance(v, (int, float)) and ("second" in key or key.endswith("_time") or key == "seconds"):
            out[key] = float(v)
    return out


# ---------------------------------------------------------------------------------------------

def main():
    from gen_ml20m_shape import ML20M, QUICK, ensure

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    common_args(ap, reps=3, quick_help="20,000 users x 5,000 items, 1.5M nnz")
    ap.add_argument("--data", help="data folder (default tools/.cache/ml20m or tools/.cache/quick)")
    ap.add_argument("--k", type=int, default=K_DEFAULT, help="cut-off K (default 100)")
    ap.add_argument("--seed", type=int, default=1, help="split seed (default 1)")
    ap.add_argument("--test-fraction", type=float, default=0.2)
    ap.add_argument("--threads", type=int, default=2, help="implicit's num_threads (mftool eval: its default)")
    ap.add_argument("--dim", type=int, help="k of the generated item embeddings (default: the shape's, 64); 768 as a text "
                    "model's")
    ap.add_argument("--factor-dtype", choices=("float64", "float32"), default="float64",
                    help="stored dtype of the items and user factor files both tools read (default float64)")
    ap.add_argument("--dtypes", default="float32,float64", help="implicit model dtypes to time (default both)")
    ap.add_argument("--also-coretype", metavar="NAME",
                    help="add a timed mftool case with OPENBLAS_CORETYPE=NAME (e.g. SKYLAKEX)")
    ap.add_argument("--sample-users", type=int, default=200,
                    help="users whose top-K lists are compared with mftool recommend (default 200; 0: none)")
    ap.add_argument("--no-check", action="store_true", help="skip the untimed metric-recomputation run")
    ap.add_argument("--prepare-only", action="store_true", help="make the split and the user factors, then stop")
    ap.add_argument("--reprepare", action="store_true", help="redo the split and the solve")
    ap.add_argument("--peer", nargs=7, metavar=("DTYPE", "USERS", "ITEMS", "TRAIN", "TEST", "K", "THREADS"),
                    help=argparse.SUPPRESS)
    ap.add_argument("--record", help=argparse.SUPPRESS)
    ap.add_argument("--sample", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.peer:
        sample = json.load(open(a.sample)) if a.sample else None
        peer_main(*a.peer, record=a.record, sample=sample)
        return

    import numpy as np

    a.mftool = require_mftool(a.mftool)
    shape = dict(QUICK if a.quick else ML20M)
    if a.dim:
        shape["k"] = a.dim
    data = a.data or os.path.join(CACHE, ("quick" if a.quick else "ml20m") + (f"-k{a.dim}" if a.dim else ""))
    ensure(out=data, **shape)
    paths, prep = prepare(a.mftool, data, a.seed, a.test_fraction, a.reprepare, a.factor_dtype)
    items = paths["items"]
    if a.prepare_only:
        print(f"prepared {os.path.dirname(paths['users'])}")
        return

    env = dict(os.environ)
    timings_flag = ["--timings"] if mftool_eval_help_has(a.mftool, "--timings") else []
    mf_cmd = [a.mftool, "eval", "--users", paths["users"], "--items", items, "--test", paths["test"],
              "--train", paths["train"], "--k", str(a.k), "--metrics", "recall,ndcg", "--json"] + timings_flag
    dtypes = [x.strip() for x in a.dtypes.split(",") if x.strip()]
    cases = {"mftool": (mf_cmd, env)}
    single = mftool_eval_help_has(a.mftool, "--precision")
    if single:   # Float32 scores, as implicit's float32 factors
        cases["mftool single"] = (mf_cmd + ["--precision", "single"], env)
    if a.also_coretype:
        cases[f"mftool OPENBLAS_CORETYPE={a.also_coretype}"] = (mf_cmd, dict(env, OPENBLAS_CORETYPE=a.also_coretype))
    for dt in dtypes:
        cases[f"implicit {dt}"] = ([sys.executable, os.path.abspath(__file__), "--peer", dt, paths["users"], items,
                                    paths["train"], paths["test"], str(a.k), str(a.threads)], env)

    print(f"data: {paths['train']} + {paths['test']}; factors {paths['users']} (k = {prep['solve'].get('k')}), "
          f"{prep['solve'].get('users'):,} users x {prep['solve'].get('items'):,} items", flush=True)
    print(f"mftool eval command: {' '.join(mf_cmd)}" + ("" if timings_flag else
          "   (mftool eval has no --timings: only its whole-process time is measured)"), flush=True)
    runs = {name: [] for name in cases}
    overall = OtherCPU()
    for rep, name in schedule(cases, a.reps):
        cmd, cenv = cases[name]
        other = OtherCPU()
        m = run_measured(cmd, cenv)
        info = last_json(m.stdout)
        r = dict(process=m.wall, rss=m.peak_rss, cpu=m.cpu, other_cpu=other.share(), info=info)
        if name.startswith("implicit"):
            r["kernel"] = info["seconds"]
            r["load"] = info["load_seconds"]
            extra = f"ranking_metrics_at_k {info['seconds']:8.3f} s (reading + aligning {info['load_seconds']:.2f} s) | "
        else:
            r["phases"] = phase_timings(info)
            extra = (f"phases {r['phases']} | " if r["phases"] else "")
        runs[name].append(r)
        print(f"  rep {rep + 1} {name:34s} {extra}process {m.wall:8.3f} s, CPU {m.cpu:7.2f} s, "
              f"peak RSS {m.peak_rss / MiB:,.0f} MiB | others' CPU {r['other_cpu']:.0%}", flush=True)
    busy = overall.share()

    med = {}
    for name, rs in runs.items():
        med[name] = {key: median([r.get(key) for r in rs]) for key in ("process", "rss", "cpu", "kernel", "load")}
        if name.startswith("mftool"):
            keys = set().union(*(r["phases"].keys() for r in rs))
            med[name]["phases"] = {key: median([r["phases"].get(key) for r in rs]) for key in sorted(keys)}
    mf = med["mftool"]
    mf_info = runs["mftool"][0]["info"]
    users_eval = mf_info.get("users_evaluated")

    print()
    print(f"eval ranking@{a.k}: {users_eval:,} users with test items, {mf_info.get('test_interactions'):,} test "
          f"interactions, median of {a.reps}")
    print(f"  {'case':36s} {'call s':>9s} {'process s':>10s} {'CPU s':>8s} {'peak RSS':>10s}")
    for name, x in med.items():
        call = f"{x['kernel']:9.3f}" if x.get("kernel") is not None else f"{'-':>9s}"
        print(f"  {name:36s} {call} {x['process']:10.3f} {x['cpu']:8.2f} {x['rss'] / MiB:7,.0f} MiB")
    if mf.get("phases"):
        print(f"  mftool eval phase timings (median): {mf['phases']}")
    else:
        print("  mftool eval printed no phase timings: its figure is the whole process (reading the four files, "
              "aligning, scoring, ranking)")
    print(f"  other processes used {busy:.0%} of the {os.cpu_count()} cores during the timed runs"
          + ("  <- contended: rerun on a quiet machine" if busy > 0.10 else ""))
    print("  ratios (implicit's ranking_metrics_at_k call / mftool eval whole process, same precision; > 1: mftool faster):")
    ratios = {}

    def mine(dt):
        """mftool's case of the same precision as implicit's `dt`."""
        return ("mftool single", "--precision single") if dt == "float32" and single else ("mftool", "double")

    for dt in dtypes:
        p = med[f"implicit {dt}"]
        name, label = mine(dt)
        x = med[name]
        ratios[dt] = p["kernel"] / x["process"]
        print(f"    implicit {dt} vs mftool {label}: {ratios[dt]:.2f}x   (whole process / whole process: "
              f"{p['process'] / x['process']:.2f}x)")
    if a.also_coretype:
        x = med[f"mftool OPENBLAS_CORETYPE={a.also_coretype}"]
        print(f"    mftool with OPENBLAS_CORETYPE={a.also_coretype}: {x['process']:.2f} s "
              f"({mf['process'] / x['process']:.2f}x faster than the default kernels)")

    # ----- metric values
    peer_vals = {dt: runs[f"implicit {dt}"][0]["info"]["metrics"] for dt in dtypes}
    check, lists = None, None
    if not a.no_check and dtypes:
        dt0 = dtypes[0]
        rec_path = os.path.join(os.path.dirname(paths["users"]), f"implicit_lists_{dt0}.npz")
        sample_path = os.path.join(os.path.dirname(paths["users"]), "sample_rows.json")
        n_users = prep["solve"].get("users")
        sample = sorted({int(x) for x in np.linspace(0, n_users - 1, a.sample_users).round()}) if a.sample_users else []
        with open(sample_path, "w") as f:
            json.dump(sample, f)
        cm = run_measured(cases[f"implicit {dt0}"][0] + ["--record", rec_path] + (["--sample", sample_path] if sample else []))
        check = last_json(cm.stdout)["recomputed"]
        if sample:
            lists = compare_lists(a.mftool, paths, items, rec_path, a.k)
    print()
    print(f"  metric values (K = {a.k}); implicit's from its own ranking_metrics_at_k, 'recomputed' from implicit's "
          f"{dtypes[0] if dtypes else ''} top-K lists with NumPy:")
    rows_v = [("ndcg", mf_info.get(f"ndcg@{a.k}"), "ndcg", "ndcg", "same definition"),
              ("recall (mean of hits/min(K,|T|))", mf_info.get(f"recall@{a.k}"), None, "recall_macro",
               "mftool's recall@K: per-user average"),
              ("pooled Σhits/Σmin(K,|T|)", None, "precision", "precision_micro",
               "implicit's \"precision\": pooled over users"),
              ("map", None, "map", "map", "same definition (not in the timed mftool command)"),
              ("auc", None, "auc", None, "implicit: truncated AUC from the top-K list; not mftool's auc")]
    hdr = f"    {'metric':34s} {'mftool eval':>14s} " + " ".join(f"{'implicit ' + dt:>18s}" for dt in dtypes) + \
        f" {'recomputed':>14s}  note"
    print(hdr)
    values = []
    for label, mv, pkey, ckey, note_txt in rows_v:
        pv = {dt: (peer_vals[dt].get(pkey) if pkey else None) for dt in dtypes}
        cv = check.get(ckey) if (check and ckey) else None
        f = lambda v: f"{v:.10f}" if v is not None else "-"
        print(f"    {label:34s} {f(mv):>14s} " + " ".join(f"{f(pv[dt]):>18s}" for dt in dtypes) + f" {f(cv):>14s}  {note_txt}")
        values.append(dict(metric=label, mftool=mv, implicit=pv, recomputed=cv, note=note_txt))
    if check:
        print(f"    users evaluated: mftool {users_eval:,}, implicit {check['users']:,}; hits in implicit's lists "
              f"{check['hits']:,}")
        nd = mf_info.get(f"ndcg@{a.k}")
        rc = mf_info.get(f"recall@{a.k}")
        print(f"    mftool vs recomputed from implicit's lists: ndcg rel. diff {abs(nd - check['ndcg']) / abs(check['ndcg']):.1e}, "
              f"recall rel. diff {abs(rc - check['recall_macro']) / abs(check['recall_macro']):.1e}")
    if lists:
        print(f"    top-{a.k} lists of {lists['users']} sampled users, mftool recommend vs implicit {dtypes[0]}: "
              f"identical (same items, same order) {lists['identical']}/{lists['users']}, mean overlap "
              f"{lists['overlap']:.4f}; where they first differ, the two items' float64 scores differ by at most "
              f"{lists['max_gap']:.1e} (relative); mftool's printed scores vs NumPy: {lists['mftool_score_rel_err']:.1e}")

    if a.json:
        import implicit
        shape_txt = (f"{users_eval:,} users, {prep['solve'].get('items'):,} items, k = {prep['solve'].get('k')}, "
                     f"{a.test_fraction:.0%} held out" + (", float32 files" if a.factor_dtype == "float32" else ""))
        rows = []
        for dt in dtypes:
            p = med[f"implicit {dt}"]
            name, label = mine(dt)
            x = med[name]
            info = runs[name][0]["info"]
            ranking = x.get("phases", {}).get("ranking_seconds")
            rows.append(row(f"eval: recall + NDCG @{a.k}, {shape_txt} (mftool {label} vs implicit {dt})",
                            x["process"], f"implicit {implicit.__version__} ranking_metrics_at_k, {dt}", p["kernel"],
                            mftool_peak=x["rss"], peer_peak=p["rss"], timing="mftool whole process vs implicit call",
                            note=(f"implicit whole process {p['process']:.1f} s; "
                                  + (f"mftool ranking phase {ranking:.2f} s; " if ranking is not None else "")
                                  + f"ndcg mftool {info.get(f'ndcg@{a.k}'):.6g} "
                                  f"vs implicit {peer_vals[dt].get('ndcg'):.6g}"),
                            other_cpu=busy))
        if a.also_coretype:
            x = med[f"mftool OPENBLAS_CORETYPE={a.also_coretype}"]
            p = med[f"implicit {dtypes[0]}"] if dtypes else None
            rows.append(row(f"same, mftool with OPENBLAS_CORETYPE={a.also_coretype}", x["process"],
                            f"implicit {implicit.__version__}, {dtypes[0]}" if p else None, p["kernel"] if p else None,
                            mftool_peak=x["rss"], timing="mftool whole process vs implicit call",
                            note="Debian's OpenBLAS 0.3.21 falls back to generic kernels on this CPU", other_cpu=busy))
        write_json(a.json, rows, bench="eval", machine=machine(a.mftool, env), reps=a.reps,
                   versions=dict(implicit=implicit.__version__), command=mf_cmd, prepare=prep, runs=runs, median=med,
                   ratios=ratios, values=values, recomputed=check, lists=lists, other_cpu_share=busy)


def compare_lists(mftool, paths, items, rec_path, k):
    """mftool recommend for the sampled users vs implicit's lists from the check run."""
    import h5py
    import numpy as np
    z = np.load(rec_path, allow_pickle=False)
    out = os.path.join(os.path.dirname(rec_path), "mftool_sample_recs.h5")
    cmd = [mftool, "recommend", "--users", paths["users"], "--items", items, "--train", paths["train"],
           "--k", str(k), "--out", out]
    for uid in z["user_ids"].tolist():
        cmd += ["--user", str(uid)]
    run_measured(cmd)
    with h5py.File(out, "r") as h:
        m_users = [x.decode() if isinstance(x, bytes) else str(x) for x in h["user_ids"][:]]
        m_items = h["item_ids"][:]
        m_scores = h["scores"][:]
    U, _ = read_factors(paths["users"], "user_factors", "user_ids")
    V, _ = read_factors(items, "item_factors", "item_ids")
    item_ids = z["item_ids"]
    id_text = {str(x): i for i, x in enumerate(item_ids.tolist())}
    by_user = {u: r for r, u in enumerate(m_users)}
    identical, overlap, max_gap, score_err = 0, [], 0.0, 0.0
    for r, (uid, urow) in enumerate(zip(z["user_ids"].tolist(), z["rows"].tolist())):
        mr = by_user[str(uid)]
        mine = np.array([id_text[x.decode() if isinstance(x, bytes) else str(x)] for x in m_items[mr]])
        theirs = z["ids"][r]
        exact = V[mine] @ U[urow]                      # float64 NumPy scores of mftool's list
        score_err = max(score_err, float(np.max(np.abs(exact - m_scores[mr]) / np.maximum(np.abs(exact), 1e-300))))
        if np.array_equal(mine, theirs):
            identical += 1
        else:
            # where the lists first disagree the two items should be a near-tie (float32 rounding)
            first = int(np.argmax(mine != theirs))
            a_, b_ = float(V[mine[first]] @ U[urow]), float(V[theirs[first]] @ U[urow])
            max_gap = max(max_gap, abs(a_ - b_) / max(abs(a_), 1e-300))
        overlap.append(len(set(mine.tolist()) & set(theirs.tolist())) / k)
    return dict(users=len(z["user_ids"]), identical=identical, overlap=float(np.mean(overlap)), max_gap=max_gap,
                mftool_score_rel_err=score_err)


if __name__ == "__main__":
    main()
