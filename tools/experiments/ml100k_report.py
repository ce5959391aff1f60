#!/usr/bin/env python3
"""MovieLens-100K end to end with mftool: figures and a Markdown report (ML100K.md).

Two experiments, every figure from an mftool command this script runs:

1. Rating prediction, 5-fold cross-validation (as Surprise's benchmark table):
     convert -> split --folds 5 --fold i -> fit --method als --user-bias --offset global-mean
     -> eval --metrics rmse,mae
   Hyperparameters (k, lambda, --reg, epochs) are chosen per fold on a validation split carved
   from that fold's TRAINING file only (`split --folds 10 --fold 0` of it: 10 % of the training
   ratings, dealt at random like the test folds); the test fold is touched once, by the refit
   with the chosen values. Selecting per fold (not once on fold 0) keeps every test fold out of
   every selection: fold 0's training part is folds 1-4's test data.
   Baseline mu + b_u + c_i: mftool has no k = 0 and never regularizes the biases, so the closest
   it gets is k = 1 with lambda = 1e6 (constant), which forces the factor term to ~0 and leaves
   the alternating least-squares fit of *unregularized* biases (Surprise's BaselineOnly
   regularizes them: reg_u = 15, reg_i = 10).

2. Strong generalization with the implicit loss (Liang et al. 2018, as for Mult-VAE):
     convert --min-value 4 (to CSV) -> convert --implicit (binarized: every rating >= 4 is 1)
     -> split --by users (held-out users; their positives split 80/20 into fold-in and test)
     -> fit --method als --loss implicit on the training users
     -> solve --method ridge --loss implicit (fold-in of the held-out users, items fixed)
     -> eval --train fold-in --k 20,50,100 --metrics recall,ndcg
   (k, alpha, lambda) are chosen on validation users: a second `split --by users` inside the
   training file, disjoint from the test users, by NDCG@100 (Liang et al.'s selection metric).
   Repeated for several split seeds, each with its own selection; mean +- std over seeds.
   A popularity ranking (item counts in the training file, scored by the same `mftool eval`
   through a 1-factor users/items file pair) is reported beside it.

A NumPy re-implementation of RMSE/MAE (fold 0) and of Recall@K/NDCG@K (seed 0) cross-checks
`mftool eval`'s figures (with h5py).

Usage (from the repo root):
  tools/experiments/ml100k_report.py            # full grid, ~25 min on 2 cores
  tools/experiments/ml100k_report.py --quick    # a few grid points, 1 seed, ~1 min
  tools/experiments/ml100k_report.py --mftool .build/release/mftool
  cp tools/.cache/ml100k_report.md ML100K.md    # after a full run: the report the README cites
The script runs itself under tools/.venv's Python, creating it when missing.

The report is printed and written to tools/.cache/ml100k_report.md (--quick:
tools/.cache/ml100k_report.quick.md); all grid scores go to WORKDIR/results.json. Data and
intermediate files live in tools/.cache (gitignored): the data is never committed.
Unless --mftool is given, mftool is built with
  swift build -c release --product mftool --scratch-path <repo>/.build-ml100k
Times are wall-clock of whole mftool processes on a shared 2-core machine: indicative only.
"""
from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")  # re-runs this script under tools/.venv's Python

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(HERE)
ROOT = os.path.dirname(TOOLS)
CACHE = os.path.join(TOOLS, ".cache")

# Surprise's published ML-100K table (5-fold CV, default parameters, "The folds are the same
# for all the algorithms"): README "Benchmarks", github.com/NicolasHug/Surprise (as of commit
# 3136e0a523da169d7e60420045e073bfe46bcefe). Reference figures, not results of this script.
SURPRISE_ML100K = [
    ("SVD", 0.934, 0.737),
    ("SVD++ (cache_ratings=False)", 0.919, 0.721),
    ("NMF", 0.963, 0.758),
    ("Slope One", 0.946, 0.743),
    ("k-NN", 0.980, 0.774),
    ("Centered k-NN", 0.951, 0.749),
    ("k-NN Baseline", 0.931, 0.733),
    ("Co-Clustering", 0.963, 0.753),
    ("Baseline (BaselineOnly)", 0.944, 0.748),
    ("Random", 1.518, 1.219),
]
SURPRISE_SOURCE = ("Surprise README, section Benchmarks "
                   "(github.com/NicolasHug/Surprise, commit 3136e0a)")


# ---------------------------------------------------------------------------------------------
# Running mftool


class Runner:
    """Runs mftool in WORKDIR with relative paths (so the commands shown are the ones run, and
    relative attributes such as a factor file's item_bias path resolve), timing each call."""

    def __init__(self, mftool: str, workdir: str, verbose: bool):
        self.mftool = mftool
        self.workdir = workdir
        self.verbose = verbose
        self.phase_seconds: dict[str, float] = {}
        self.phase_calls: dict[str, int] = {}

    @staticmethod
    def show(args: list[str]) -> str:
        return "mftool " + " ".join(shlex.quote(a) for a in args)

    def run(self, args: list[str], phase: str) -> tuple[str, float]:
        for a in args:  # create output folders
            if a.endswith((".h5", ".csv")) and "/" in a:
                os.makedirs(os.path.join(self.workdir, os.path.dirname(a)), exist_ok=True)
        t0 = time.perf_counter()
        p = subprocess.run([self.mftool, *args], cwd=self.workdir, capture_output=True, text=True)
        dt = time.perf_counter() - t0
        if p.returncode != 0:
            sys.exit(f"ml100k_report: failed (exit {p.returncode}, in {self.workdir}):\n"
                     f"  {self.show(args)}\n{p.stderr.strip()}")
        self.phase_seconds[phase] = self.phase_seconds.get(phase, 0.0) + dt
        self.phase_calls[phase] = self.phase_calls.get(phase, 0) + 1
        if self.verbose:
            print(f"  [{dt:7.3f} s] {self.show(args)}", file=sys.stderr)
        return p.stdout, dt

    def json(self, args: list[str], phase: str) -> tuple[dict, float]:
        out, dt = self.run(args, phase)
        return json.loads(out), dt


class Pipeline:
    """The shown pipeline: a list of (command, seconds, note)."""

    def __init__(self):
        self.steps: list[tuple[str, float, str]] = []

    def add(self, runner: Runner, args: list[str], phase: str, note: str = "") -> tuple[str, float]:
        out, dt = runner.run(args, phase)
        self.steps.append((Runner.show(args), dt, note))
        return out, dt


# ---------------------------------------------------------------------------------------------
# Helpers


def sh(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def mean_std(xs: list[float]) -> tuple[float, float]:
    # Population std (ddof = 0), as Surprise's cross_validate prints.
    return statistics.fmean(xs), (statistics.pstdev(xs) if len(xs) > 1 else 0.0)


def fmt_ms(xs: list[float], digits: int = 4) -> str:
    m, s = mean_std(xs)
    return f"{m:.{digits}f} ± {s:.{digits}f}"


def g(x: float) -> str:
    """A hyperparameter value as typed on the command line."""
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e12 else f"{x:g}"


def table(header: list[str], rows: list[list[str]], align: str | None = None) -> str:
    align = align or ("l" + "r" * (len(header) - 1))
    sep = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Experiment 1: 5-fold RMSE/MAE of biased ALS


def rmse_fit_args(cfg: dict, train: str, users: str, items: str) -> list[str]:
    return ["fit", "--method", "als", "--k", str(cfg["k"]), "--epochs", str(cfg["epochs"]),
            "--lambda", g(cfg["lambda"]), "--reg", cfg["reg"], "--user-bias",
            "--offset", "global-mean", "--interactions", train, "--out", users,
            "--items-out", items]


def rmse_eval_args(users: str, items: str, test: str) -> list[str]:
    return ["eval", "--users", users, "--items", items, "--test", test,
            "--metrics", "rmse,mae", "--json"]


def rmse_grid(quick: bool) -> list[dict]:
    if quick:
        ks, epochs = [10, 50], [10]
        lams = {"count": [0.1], "constant": [10.0]}
    else:
        ks, epochs = [10, 50, 100], [2, 3, 5, 10, 20]
        lams = {"count": [0.05, 0.07, 0.1, 0.14, 0.2],
                "constant": [5.0, 7.0, 10.0, 14.0, 20.0]}
    grid = []
    for k in ks:
        for reg in ("count", "constant"):
            for lam in lams[reg]:
                for ep in epochs:
                    grid.append({"k": k, "reg": reg, "lambda": lam, "epochs": ep})
    return grid


BASELINE_CFG = {"k": 1, "reg": "constant", "lambda": 1e6, "epochs": 20}


def experiment_rmse(r: Runner, pipe: Pipeline, data: str, args) -> dict:
    grid = rmse_grid(args.quick)
    folds = []
    for i in range(5):
        d = f"rmse/f{i}"
        split = ["split", "--interactions", data, "--folds", "5", "--fold", str(i),
                 "--seed", str(args.kfold_seed), "--train", f"{d}/train.h5",
                 "--test", f"{d}/test.h5"]
        vsplit = ["split", "--interactions", f"{d}/train.h5", "--folds", "10", "--fold", "0",
                  "--seed", str(100 + i), "--train", f"{d}/val_train.h5",
                  "--test", f"{d}/val.h5"]
        if i == 0:
            pipe.add(r, split, "split", "fold 0 of 5 (folds 1-4: --fold 1 … 4)")
            pipe.add(r, vsplit, "split", "validation: 10 % of fold 0's training ratings")
        else:
            r.run(split, "split")
            r.run(vsplit, "split")

        print(f"fold {i}: {len(grid)} grid points on the validation split", file=sys.stderr)
        scores = []
        t0 = time.perf_counter()
        for cfg in grid:
            r.run(rmse_fit_args(cfg, f"{d}/val_train.h5", "grid/u.h5", "grid/v.h5"), "grid fit")
            ev, _ = r.json(rmse_eval_args("grid/u.h5", "grid/v.h5", f"{d}/val.h5"), "grid eval")
            scores.append({**cfg, "val_rmse": ev["rmse"], "val_mae": ev["mae"]})
        grid_s = time.perf_counter() - t0
        best = min(scores, key=lambda s: (s["val_rmse"], s["k"], s["epochs"]))
        cfg = {key: best[key] for key in ("k", "reg", "lambda", "epochs")}

        fit = rmse_fit_args(cfg, f"{d}/train.h5", f"{d}/users.h5", f"{d}/items.h5")
        ev_args = rmse_eval_args(f"{d}/users.h5", f"{d}/items.h5", f"{d}/test.h5")
        bfit = rmse_fit_args(BASELINE_CFG, f"{d}/train.h5", f"{d}/base_users.h5",
                             f"{d}/base_items.h5")
        bev_args = rmse_eval_args(f"{d}/base_users.h5", f"{d}/base_items.h5", f"{d}/test.h5")
        if i == 0:
            _, fit_s = pipe.add(r, fit, "fit", "biased ALS, hyperparameters chosen on fold 0's validation split")
            out, ev_s = pipe.add(r, ev_args, "eval", "test fold 0")
            ev = json.loads(out)
            pipe.add(r, bfit, "fit", "baseline: μ + b_u + c_i (factor term forced to ~0)")
            out, _ = pipe.add(r, bev_args, "eval", "baseline on test fold 0")
            bev = json.loads(out)
        else:
            _, fit_s = r.run(fit, "fit")
            ev, ev_s = r.json(ev_args, "eval")
            r.run(bfit, "fit")
            bev, _ = r.json(bev_args, "eval")
        folds.append({"fold": i, "chosen": cfg, "val_rmse": best["val_rmse"],
                      "val_mae": best["val_mae"], "grid": scores, "grid_seconds": grid_s,
                      "fit_seconds": fit_s, "eval_seconds": ev_s,
                      "test_rmse": ev["rmse"], "test_mae": ev["mae"],
                      "test_interactions": ev["test_interactions"],
                      "base_rmse": bev["rmse"], "base_mae": bev["mae"]})
        print(f"fold {i}: chose {cfg} (val RMSE {best['val_rmse']:.4f}); "
              f"test RMSE {ev['rmse']:.4f} MAE {ev['mae']:.4f}; baseline RMSE {bev['rmse']:.4f}",
              file=sys.stderr)
    return {"grid_size": len(grid), "folds": folds}


# ---------------------------------------------------------------------------------------------
# Experiment 2: strong generalization, implicit loss


IMPLICIT_EPOCHS = 15


def imp_fit_args(cfg: dict, train: str, users: str, items: str) -> list[str]:
    return ["fit", "--method", "als", "--loss", "implicit", "--alpha", g(cfg["alpha"]),
            "--k", str(cfg["k"]), "--epochs", str(IMPLICIT_EPOCHS), "--lambda", g(cfg["lambda"]),
            "--interactions", train, "--out", users, "--items-out", items]


def imp_solve_args(cfg: dict, foldin: str, items: str, out: str) -> list[str]:
    return ["solve", "--method", "ridge", "--loss", "implicit", "--alpha", g(cfg["alpha"]),
            "--lambda", g(cfg["lambda"]), "--interactions", foldin, "--items", items,
            "--out", out]


def imp_eval_args(users: str, items: str, test: str, foldin: str) -> list[str]:
    return ["eval", "--users", users, "--items", items, "--test", test, "--train", foldin,
            "--k", "20,50,100", "--metrics", "recall,ndcg", "--json"]


def implicit_grid(quick: bool) -> list[dict]:
    if quick:
        ks, alphas, lams = [20, 50], [1.0, 10.0], [10.0]
    else:
        ks = [10, 20, 50, 100]
        alphas, lams = [0.1, 0.3, 1.0, 3.0, 10.0, 30.0], [0.3, 1.0, 3.0, 10.0, 30.0, 100.0]
    return [{"k": k, "alpha": a, "lambda": l} for k, a, l in itertools.product(ks, alphas, lams)]


def write_popularity(workdir: str, train: str, users_out: str, items_out: str) -> None:
    """A 1-factor model scoring every item by its count in `train` (same for every user), so
    the popularity ranking goes through the same `mftool eval`."""
    import h5py
    import numpy as np
    with h5py.File(os.path.join(workdir, train), "r") as f:
        m, n = (int(x) for x in f.attrs["shape"])
        counts = np.bincount(f["indices"][:], minlength=n).astype(np.float64)
        user_ids, item_ids = f["user_ids"][:], f["item_ids"][:]
    with h5py.File(os.path.join(workdir, items_out), "w") as f:
        f["item_factors"] = counts[:, None]
        f["item_ids"] = item_ids
    with h5py.File(os.path.join(workdir, users_out), "w") as f:
        f["user_factors"] = np.ones((m, 1))
        f["user_ids"] = user_ids


def experiment_implicit(r: Runner, pipe: Pipeline, inter_rel: str, args) -> dict:
    pipe.add(r, ["convert", inter_rel, "pos.csv", "--min-value", "4"], "convert",
             "keep ratings ≥ 4 (values stay 4/5)")
    pipe.add(r, ["convert", "pos.csv", "ml100k_pos.h5", "--implicit"], "convert",
             "binarize: every kept rating becomes 1")
    info, _ = r.run(["inspect", "ml100k_pos.h5", "--json"], "inspect")
    info = json.loads(info)

    grid = implicit_grid(args.quick)
    n_val = args.val_users or args.heldout_users
    seeds = list(range(args.seeds))
    runs = []
    for s in seeds:
        d = f"sg/s{s}"
        split = ["split", "--interactions", "ml100k_pos.h5", "--by", "users", "--heldout-users",
                 str(args.heldout_users), "--test-fraction", "0.2", "--seed", str(s),
                 "--train", f"{d}/train.h5", "--fold-in", f"{d}/foldin.h5", "--test", f"{d}/test.h5"]
        vsplit = ["split", "--interactions", f"{d}/train.h5", "--by", "users", "--heldout-users",
                  str(n_val), "--test-fraction", "0.2", "--seed", str(1000 + s),
                  "--train", f"{d}/val_train.h5", "--fold-in", f"{d}/val_foldin.h5",
                  "--test", f"{d}/val_test.h5"]
        if s == 0:
            pipe.add(r, split, "split", f"{args.heldout_users} held-out test users, seed 0")
            pipe.add(r, vsplit, "split", f"{n_val} validation users drawn from the training users")
        else:
            r.run(split, "split")
            r.run(vsplit, "split")

        print(f"seed {s}: {len(grid)} grid points on the validation users", file=sys.stderr)
        scores = []
        t0 = time.perf_counter()
        for cfg in grid:
            r.run(imp_fit_args(cfg, f"{d}/val_train.h5", "grid/iu.h5", "grid/iv.h5"), "grid fit")
            r.run(imp_solve_args(cfg, f"{d}/val_foldin.h5", "grid/iv.h5", "grid/ifu.h5"), "grid solve")
            ev, _ = r.json(imp_eval_args("grid/ifu.h5", "grid/iv.h5", f"{d}/val_test.h5",
                                         f"{d}/val_foldin.h5"), "grid eval")
            scores.append({**cfg, "val_ndcg100": ev["ndcg@100"], "val_recall20": ev["recall@20"],
                           "val_recall50": ev["recall@50"], "val_users": ev["users_evaluated"]})
        grid_s = time.perf_counter() - t0
        best = max(scores, key=lambda x: (x["val_ndcg100"], -x["k"]))
        cfg = {key: best[key] for key in ("k", "alpha", "lambda")}

        fit = imp_fit_args(cfg, f"{d}/train.h5", f"{d}/train_users.h5", f"{d}/items.h5")
        solve = imp_solve_args(cfg, f"{d}/foldin.h5", f"{d}/items.h5", f"{d}/foldin_users.h5")
        ev_args = imp_eval_args(f"{d}/foldin_users.h5", f"{d}/items.h5", f"{d}/test.h5",
                                f"{d}/foldin.h5")
        if s == 0:
            _, fit_s = pipe.add(r, fit, "fit", "implicit ALS on the training users")
            _, solve_s = pipe.add(r, solve, "solve", "fold-in of the held-out users, items fixed")
            out, ev_s = pipe.add(r, ev_args, "eval", "fold-in items excluded from the ranking")
            ev = json.loads(out)
        else:
            _, fit_s = r.run(fit, "fit")
            _, solve_s = r.run(solve, "solve")
            ev, ev_s = r.json(ev_args, "eval")

        write_popularity(r.workdir, f"{d}/train.h5", f"{d}/pop_users.h5", f"{d}/pop_items.h5")
        pop, _ = r.json(imp_eval_args(f"{d}/pop_users.h5", f"{d}/pop_items.h5", f"{d}/test.h5",
                                      f"{d}/foldin.h5"), "eval")
        runs.append({"seed": s, "chosen": cfg, "val": best, "grid": scores,
                     "grid_seconds": grid_s, "fit_seconds": fit_s, "solve_seconds": solve_s,
                     "eval_seconds": ev_s, "test": ev, "popularity": pop})
        print(f"seed {s}: chose {cfg} (val NDCG@100 {best['val_ndcg100']:.4f}); test "
              f"Recall@20 {ev['recall@20']:.4f} NDCG@100 {ev['ndcg@100']:.4f}; popularity "
              f"Recall@20 {pop['recall@20']:.4f}", file=sys.stderr)
    return {"grid_size": len(grid), "runs": runs, "data": info, "val_users": n_val}


# ---------------------------------------------------------------------------------------------
# Independent NumPy check of mftool eval


def _read_csr(path):
    import h5py
    import numpy as np
    with h5py.File(path, "r") as f:
        shape = tuple(int(x) for x in f.attrs["shape"])
        return (f["indptr"][:], f["indices"][:], f["data"][:], shape,
                f["user_ids"][:], f["item_ids"][:])


def _align(ids_from, ids_to):
    """Row positions in `ids_to` of each id in `ids_from`."""
    import numpy as np
    pos = {(x.decode() if isinstance(x, bytes) else x): j for j, x in enumerate(ids_to)}
    return np.array([pos[(x.decode() if isinstance(x, bytes) else x)] for x in ids_from])


def numpy_rmse(workdir: str, users: str, items: str, test: str) -> tuple[float, float]:
    import h5py
    import numpy as np
    with h5py.File(os.path.join(workdir, users), "r") as f:
        U, uids, mu = f["user_factors"][:], f["user_ids"][:], float(f.attrs["global_mean"])
    with h5py.File(os.path.join(workdir, items), "r") as f:
        V, iids, c = f["item_factors"][:], f["item_ids"][:], f["item_bias"][:]
    indptr, indices, data, _, tu, ti = _read_csr(os.path.join(workdir, test))
    urow, icol = _align(tu, uids), _align(ti, iids)
    k = V.shape[1]
    err = []
    for u in range(len(indptr) - 1):
        lo, hi = indptr[u], indptr[u + 1]
        if lo == hi:
            continue
        x, b = U[urow[u], :k], U[urow[u], k]
        it = icol[indices[lo:hi]]
        err.append(data[lo:hi] - (mu + b + c[it] + V[it] @ x))
    e = np.concatenate(err)
    return float(np.sqrt(np.mean(e ** 2))), float(np.mean(np.abs(e)))


def numpy_ranking(workdir: str, users: str, items: str, test: str, foldin: str,
                  ks=(20, 50, 100)) -> dict:
    import h5py
    import numpy as np
    with h5py.File(os.path.join(workdir, users), "r") as f:
        U, uids = f["user_factors"][:], f["user_ids"][:]
    with h5py.File(os.path.join(workdir, items), "r") as f:
        V, iids = f["item_factors"][:], f["item_ids"][:]
    tp, ti, _, _, tu, tit = _read_csr(os.path.join(workdir, test))
    fp, fi, _, _, fu, fit = _read_csr(os.path.join(workdir, foldin))
    t_urow, t_icol = _align(tu, uids), _align(tit, iids)
    f_row = dict(zip(_align(fu, uids).tolist(), range(len(fu))))
    f_icol = _align(fit, iids)
    sums = {f"recall@{K}": 0.0 for K in ks} | {f"ndcg@{K}": 0.0 for K in ks}
    n_users = 0
    for u in range(len(tp) - 1):
        lo, hi = tp[u], tp[u + 1]
        if lo == hi:
            continue
        urow = t_urow[u]
        truth = set(t_icol[ti[lo:hi]].tolist())
        scores = V @ U[urow]
        fr = f_row.get(int(urow))
        if fr is not None:
            scores[f_icol[fi[fp[fr]:fp[fr + 1]]]] = -np.inf
        order = np.argsort(-scores, kind="stable")  # ties by item order
        for K in ks:
            top = order[:K]
            hits = np.array([i in truth for i in top.tolist()], dtype=float)
            denom = min(K, len(truth))
            sums[f"recall@{K}"] += hits.sum() / denom
            disc = 1.0 / np.log2(np.arange(2, K + 2))
            sums[f"ndcg@{K}"] += float(hits @ disc[:len(hits)]) / float(disc[:denom].sum())
        n_users += 1
    return {key: v / n_users for key, v in sums.items()} | {"users_evaluated": n_users}


# ---------------------------------------------------------------------------------------------
# Report


def report(ctx: dict, rm: dict, im: dict, pipe: Pipeline, runner: Runner, checks: dict,
           args) -> str:
    L: list[str] = []
    add = L.append
    add("# MovieLens-100K end to end")
    add("")
    add(f"Produced by `tools/experiments/ml100k_report.py{' --quick' if args.quick else ''}` on {ctx['date']} "
        f"({ctx['machine']}); mftool {ctx['mftool_version']} built from {ctx['git']}. "
        f"Whole run: {ctx['total_s'] / 60:.1f} min. Times are wall-clock of whole mftool "
        "processes on a shared 2-core machine with other work running: indicative only.")
    add("")
    add(f"Data: `ml-100k.inter` from the recbole 1.2.1 wheel (`tools/env/fetch_ml100k.sh`): "
        f"{ctx['data']['shape'][0]} users × {ctx['data']['shape'][1]} items, "
        f"{ctx['data']['nnz']:,} ratings 1–5.")
    add("")

    # ---------------- RMSE
    folds = rm["folds"]
    add("## Rating prediction: 5-fold cross-validation")
    add("")
    add("Biased matrix factorization r̂ = μ + b_u + c_i + x_u·v_i learned by `mftool fit --method als "
        "--user-bias --offset global-mean` (exact alternating solves; biases unregularized). "
        f"Folds: `mftool split --folds 5 --seed {args.kfold_seed}` (every rating in exactly one "
        "test fold, as Surprise's `KFold`). Hyperparameters chosen **per fold** on a validation "
        "split carved from that fold's training file only (`split --folds 10 --fold 0`: 10 % of "
        f"its ratings), lowest validation RMSE over a grid of {rm['grid_size']} points "
        f"({describe_rmse_grid(args.quick)}); the test fold is used once, by the refit on the "
        "whole training file with the chosen values.")
    add("")
    rows = []
    for f in folds:
        c = f["chosen"]
        rows.append([str(f["fold"]), str(c["k"]), c["reg"], g(c["lambda"]), str(c["epochs"]),
                     f"{f['val_rmse']:.4f}", f"{f['test_rmse']:.4f}", f"{f['test_mae']:.4f}",
                     f"{f['base_rmse']:.4f}", f"{f['base_mae']:.4f}"])
    rows.append(["**mean ± std**", "", "", "", "",
                 fmt_ms([f["val_rmse"] for f in folds]),
                 "**" + fmt_ms([f["test_rmse"] for f in folds]) + "**",
                 "**" + fmt_ms([f["test_mae"] for f in folds]) + "**",
                 fmt_ms([f["base_rmse"] for f in folds]),
                 fmt_ms([f["base_mae"] for f in folds])])
    add(table(["fold", "k", "--reg", "λ", "epochs", "val RMSE", "test RMSE", "test MAE",
               "baseline RMSE", "baseline MAE"], rows))
    add("")
    add("std is the population std over folds (ddof = 0, as Surprise's `cross_validate`). "
        "Baseline: μ + b_u + c_i only, as `fit --method als --k 1 --lambda 1000000 --reg constant "
        "--epochs 20 --user-bias --offset global-mean` — mftool has no `--k 0` and does not "
        "regularize biases, so λ = 10⁶ forces the one factor to ~0 and what is left is the "
        "least-squares fit of **unregularized** biases (Surprise's BaselineOnly regularizes "
        "them, reg_u = 15, reg_i = 10, by default).")
    add("")
    edges = edge_notes([f["chosen"] for f in folds], rm_grid_values(args.quick),
                       ("lambda", "epochs"), "fold", [f["fold"] for f in folds])
    if edges:
        add("Chosen values on the edge of their grid: " + "; ".join(edges) + ".")
        add("")
    add("### Next to Surprise's published ML-100K table")
    add("")
    rows = [["**mftool ALS, biased (this run, tuned on validation)**",
             "**" + f"{mean_std([f['test_rmse'] for f in folds])[0]:.3f}" + "**",
             "**" + f"{mean_std([f['test_mae'] for f in folds])[0]:.3f}" + "**"],
            ["mftool biases only, unregularized (this run)",
             f"{mean_std([f['base_rmse'] for f in folds])[0]:.3f}",
             f"{mean_std([f['base_mae'] for f in folds])[0]:.3f}"]]
    rows += [[f"Surprise {n}", f"{a:.3f}", f"{b:.3f}"] for n, a, b in SURPRISE_ML100K]
    add(table(["algorithm", "RMSE", "MAE"], rows))
    add("")
    add(f"Surprise figures: {SURPRISE_SOURCE}; mean of 5-fold CV with default parameters "
        "(SVD: 100 factors, 20 SGD epochs, lr 0.005, reg 0.02) on Surprise's own random folds, "
        "not the folds above. The mftool row is tuned on validation data, Surprise's are "
        "defaults: a like-for-like comparison would tune both.")
    add("")
    add("### Validation scores (fold 0)")
    add("")
    f0 = folds[0]
    add(f"Best validation RMSE per (k, --reg) over λ and epochs; all {rm['grid_size']} points "
        f"of every fold are in `{os.path.relpath(args.workdir, ROOT)}/results.json`. "
        f"Grid search time, fold 0: {f0['grid_seconds']:.0f} s.")
    add("")
    rows = []
    for k in sorted({s["k"] for s in f0["grid"]}):
        for reg in ("count", "constant"):
            cand = [s for s in f0["grid"] if s["k"] == k and s["reg"] == reg]
            if not cand:
                continue
            b = min(cand, key=lambda s: s["val_rmse"])
            rows.append([str(k), reg, g(b["lambda"]), str(b["epochs"]),
                         f"{b['val_rmse']:.4f}", f"{b['val_mae']:.4f}"])
    add(table(["k", "--reg", "best λ", "epochs", "val RMSE", "val MAE"], rows))
    add("")

    # ---------------- implicit
    runs = im["runs"]
    add("## Strong generalization, implicit loss: Recall@K and NDCG@K of fold-in")
    add("")
    add(f"Binarized as Liang et al. (2018) do for ML-20M (there: ratings ≥ 3.5; here, integer "
        f"ratings, ≥ 4): {im['data']['nnz']:,} positives, {im['data']['shape'][0]} users × "
        f"{im['data']['shape'][1]} items (the user without any rating ≥ 4 and the items never "
        "rated ≥ 4 drop out in the CSV round trip). "
        f"`split --by users --heldout-users {args.heldout_users} --test-fraction 0.2`: the "
        f"held-out users leave the training file; 80 % of each one's positives are its fold-in, "
        f"20 % its test. {args.heldout_users} of {im['data']['shape'][0]} users "
        f"({100 * args.heldout_users / im['data']['shape'][0]:.0f} %) — Liang et al. hold out "
        "10k of 136k ML-20M users (7 %) for test and 10k for validation; 7 % of ML-100K would "
        "be ~65 users with ~12 test items each, too few for a stable average, so more are held "
        f"out, and another {im['val_users']} training users are the validation users "
        f"(`split --by users` inside the training file, seed 1000 + s, disjoint from the test "
        f"users). Training users: implicit ALS (`--confidence one-plus`: c = 1 + α·r, r = 1, "
        f"{IMPLICIT_EPOCHS} epochs, constant λ); held-out users: `solve --loss implicit` with "
        "the same α, λ against the fixed items; `eval --train FOLDIN` excludes the fold-in "
        "items from each ranking. Recall@K = hits / min(K, |test_u|) (Liang et al.'s), NDCG "
        "with binary relevance, averaged over the held-out users with at least one test item.")
    add("")
    add(f"(k, α, λ) chosen per seed by validation NDCG@100 over {im['grid_size']} points "
        f"({describe_implicit_grid(args.quick)}); {len(runs)} seed(s) of the user split, mean ± "
        "population std over seeds. Popularity: items ranked by their count in the training "
        "file, scored by the same `mftool eval`.")
    add("")
    rows = []
    for x in runs:
        c, t, p = x["chosen"], x["test"], x["popularity"]
        rows.append([str(x["seed"]), str(c["k"]), g(c["alpha"]), g(c["lambda"]),
                     f"{x['val']['val_ndcg100']:.4f}", str(t["users_evaluated"]),
                     f"{t['recall@20']:.4f}", f"{t['recall@50']:.4f}", f"{t['ndcg@100']:.4f}",
                     f"{p['recall@20']:.4f}", f"{p['recall@50']:.4f}", f"{p['ndcg@100']:.4f}"])
    if len(runs) > 1:
        col = lambda key, src="test": fmt_ms([x[src][key] for x in runs])
        rows.append(["**mean ± std**", "", "", "",
                     fmt_ms([x["val"]["val_ndcg100"] for x in runs]), "",
                     "**" + col("recall@20") + "**", "**" + col("recall@50") + "**",
                     "**" + col("ndcg@100") + "**",
                     col("recall@20", "popularity"), col("recall@50", "popularity"),
                     col("ndcg@100", "popularity")])
    add(table(["seed", "k", "α", "λ", "val NDCG@100", "test users", "Recall@20", "Recall@50",
               "NDCG@100", "pop. Recall@20", "pop. Recall@50", "pop. NDCG@100"], rows))
    add("")
    edges = edge_notes([x["chosen"] for x in runs], imp_grid_values(args.quick),
                       ("alpha", "lambda"), "seed", [x["seed"] for x in runs])
    if edges:
        add("Chosen values on the edge of their grid: " + "; ".join(edges) + ".")
        add("")
    add("No published strong-generalization figures for ML-100K are known to this script "
        "(Liang et al. report ML-20M, Netflix and MSD); the popularity columns are this run's "
        "own reference point.")
    add("")
    add("### Validation scores (seed 0)")
    add("")
    s0 = runs[0]
    add(f"Best validation NDCG@100 per k over α and λ (seed 0; grid search time "
        f"{s0['grid_seconds']:.0f} s); every point is in results.json.")
    add("")
    rows = []
    for k in sorted({s["k"] for s in s0["grid"]}):
        b = max((s for s in s0["grid"] if s["k"] == k), key=lambda s: s["val_ndcg100"])
        rows.append([str(k), g(b["alpha"]), g(b["lambda"]), f"{b['val_ndcg100']:.4f}",
                     f"{b['val_recall20']:.4f}", f"{b['val_recall50']:.4f}"])
    add(table(["k", "best α", "best λ", "val NDCG@100", "val Recall@20", "val Recall@50"], rows))
    add("")

    # ---------------- pipeline
    add("## The pipeline, one mftool command per step")
    add("")
    add(f"Run in `{os.path.relpath(args.workdir, ROOT)}/` with the release mftool; the "
        "hyperparameters are those chosen for fold 0 and seed 0 above; each time is that "
        "command's wall time in this run.")
    add("")
    add("| step | command | time |")
    add("| --- | --- | ---: |")
    for cmd, dt, note in pipe.steps:
        step = cmd.split()[1]
        add(f"| {step}{' — ' + note if note else ''} | `{cmd}` | {fmt_s(dt)} |")
    add("")
    add("Totals per kind of call over the whole run (grid searches included):")
    add("")
    rows = [[ph, str(runner.phase_calls[ph]), f"{runner.phase_seconds[ph]:.1f} s",
             fmt_s(runner.phase_seconds[ph] / runner.phase_calls[ph])]
            for ph in sorted(runner.phase_seconds, key=lambda p: -runner.phase_seconds[p])]
    rows.append(["swift build -c release (incremental)", "1", fmt_s(ctx["build_s"]), ""]
                if ctx["build_s"] is not None else ["swift build", "0", "not run (--mftool)", ""])
    add(table(["calls", "count", "total", "mean per call"], rows))
    add("")

    # ---------------- checks
    add("## Cross-check of `mftool eval`")
    add("")
    if checks.get("skipped"):
        add(f"Skipped: {checks['skipped']}")
    else:
        add("An independent NumPy computation from the same factor and interaction files "
            "(μ, user bias column, item_bias; rankings by stable sort, ties by item order, "
            "fold-in items excluded): largest absolute difference from mftool's figures "
            f"{checks['max_abs_diff']:.1e} over {', '.join(checks['metrics'])}.")
    add("")
    return "\n".join(L)


def rm_grid_values(quick: bool) -> dict:
    gr = rmse_grid(quick)
    out = {"epochs": sorted({x["epochs"] for x in gr})}
    for reg in ("count", "constant"):
        out[("lambda", reg)] = sorted({x["lambda"] for x in gr if x["reg"] == reg})
    return out


def imp_grid_values(quick: bool) -> dict:
    gr = implicit_grid(quick)
    return {key: sorted({x[key] for x in gr}) for key in ("alpha", "lambda")}


def edge_notes(chosen: list[dict], values: dict, keys, what: str, labels) -> list[str]:
    """Name chosen values at the low or high end of a grid of 3+ values (so the optimum may
    lie outside it)."""
    notes = []
    for lab, c in zip(labels, chosen):
        for key in keys:
            vals = values.get((key, c.get("reg"))) or values.get(key)
            if vals and len(vals) >= 3 and c[key] in (vals[0], vals[-1]):
                side = "low" if c[key] == vals[0] else "high"
                notes.append(f"{what} {lab}: {key} = {g(c[key])} ({side} end)")
    return notes


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"


def describe_rmse_grid(quick: bool) -> str:
    gr = rmse_grid(quick)
    ks = sorted({x["k"] for x in gr})
    cnt = sorted({x["lambda"] for x in gr if x["reg"] == "count"})
    con = sorted({x["lambda"] for x in gr if x["reg"] == "constant"})
    ep = sorted({x["epochs"] for x in gr})
    return (f"k ∈ {{{', '.join(map(str, ks))}}}; `--reg count` λ ∈ {{{', '.join(map(g, cnt))}}}, "
            f"`--reg constant` λ ∈ {{{', '.join(map(g, con))}}}; epochs ∈ "
            f"{{{', '.join(map(str, ep))}}}")


def describe_implicit_grid(quick: bool) -> str:
    gr = implicit_grid(quick)
    f = lambda key: ", ".join(g(v) for v in sorted({x[key] for x in gr}))
    return f"k ∈ {{{f('k')}}}, α ∈ {{{f('alpha')}}}, λ ∈ {{{f('lambda')}}}"


# ---------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="a few grid points and one seed: a fast check of the whole pipeline")
    ap.add_argument("--mftool", help="use this mftool binary instead of building one")
    ap.add_argument("--workdir", help="intermediate files (default tools/.cache/ml100k_report"
                    "[_quick])")
    ap.add_argument("--report", help="Markdown output (default tools/.cache/ml100k_report.md, "
                    "--quick: ml100k_report.quick.md)")
    ap.add_argument("--seeds", type=int, help="user-split seeds of the implicit experiment "
                    "(default 5; --quick 1)")
    ap.add_argument("--heldout-users", type=int, default=150,
                    help="test users of the strong-generalization split (default 150)")
    ap.add_argument("--val-users", type=int, help="validation users (default: --heldout-users)")
    ap.add_argument("--kfold-seed", type=int, default=0, help="seed of the 5-fold split")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every mftool command")
    args = ap.parse_args()
    if args.seeds is None:
        args.seeds = 1 if args.quick else 5
    suffix = "_quick" if args.quick else ""
    args.workdir = os.path.abspath(args.workdir or os.path.join(CACHE, f"ml100k_report{suffix}"))
    args.report = os.path.abspath(args.report or os.path.join(
        CACHE, "ml100k_report.quick.md" if args.quick else "ml100k_report.md"))
    os.makedirs(args.workdir, exist_ok=True)

    t_start = time.perf_counter()
    # 1. data
    p = sh(["bash", os.path.join(TOOLS, "env", "fetch_ml100k.sh")])
    inter = p.stdout.strip().splitlines()[-1]
    inter_rel = os.path.relpath(inter, args.workdir)

    # 2. mftool
    build_s = None
    if args.mftool:
        mftool = os.path.abspath(args.mftool)
    else:
        scratch = os.path.join(ROOT, ".build-ml100k")
        cmd = ["swift", "build", "-c", "release", "--product", "mftool", "--scratch-path", scratch]
        print("ml100k_report: " + " ".join(cmd), file=sys.stderr)
        # Sources/ may be edited while this builds (SwiftPM then stops with "was modified
        # during the build"): retry a few times.
        for attempt in range(5):
            t0 = time.perf_counter()
            b = subprocess.run(cmd, cwd=ROOT, text=True, capture_output=True)
            build_s = time.perf_counter() - t0
            if b.returncode == 0 or "modified during the build" not in b.stdout + b.stderr:
                break
            print("ml100k_report: sources changed during the build; retrying", file=sys.stderr)
            time.sleep(15)
        if b.returncode != 0:
            sys.exit(f"ml100k_report: build failed:\n{b.stdout}\n{b.stderr}")
        binpath = sh(cmd + ["--show-bin-path"], cwd=ROOT).stdout.strip()
        mftool = os.path.join(binpath, "mftool")
    version = sh([mftool, "--version"]).stdout.strip()
    try:
        head = sh(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT).stdout.strip()
        dirty = sh(["git", "status", "--porcelain", "--", "Sources", "Package.swift"],
                   cwd=ROOT).stdout.strip()
        git = f"commit {head}" + (" with uncommitted changes under Sources/" if dirty else "")
    except (subprocess.CalledProcessError, FileNotFoundError):
        git = "an unknown commit"

    r = Runner(mftool, args.workdir, args.verbose)
    pipe = Pipeline()

    # 3. rating prediction
    pipe.add(r, ["convert", inter_rel, "ml100k.h5"], "convert", "ratings 1–5")
    data, _ = r.run(["inspect", "ml100k.h5", "--json"], "inspect")
    data = json.loads(data)
    rm = experiment_rmse(r, pipe, "ml100k.h5", args)

    # 4. strong generalization
    im = experiment_implicit(r, pipe, inter_rel, args)

    # 5. cross-check mftool eval against NumPy
    checks: dict = {}
    try:
        import numpy  # noqa: F401
        import h5py  # noqa: F401
        diffs, names = [], []
        f0 = rm["folds"][0]
        nr, nm = numpy_rmse(args.workdir, "rmse/f0/users.h5", "rmse/f0/items.h5", "rmse/f0/test.h5")
        diffs += [abs(nr - f0["test_rmse"]), abs(nm - f0["test_mae"])]
        names += ["RMSE, MAE (fold 0)"]
        s0 = im["runs"][0]["test"]
        nk = numpy_ranking(args.workdir, "sg/s0/foldin_users.h5", "sg/s0/items.h5",
                           "sg/s0/test.h5", "sg/s0/foldin.h5")
        if nk["users_evaluated"] != s0["users_evaluated"]:
            diffs.append(float("inf"))
        diffs += [abs(nk[key] - s0[key]) for key in nk if key != "users_evaluated"]
        names += ["Recall@20/50/100 and NDCG@20/50/100 (seed 0)"]
        checks = {"max_abs_diff": max(diffs), "metrics": names}
    except ImportError as e:
        checks = {"skipped": f"{e} (tools/env/venv.sh installs h5py)"}

    ctx = {"date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
           "machine": f"{platform.machine()}, {os.cpu_count()} cores",
           "mftool_version": version, "git": git, "build_s": build_s, "data": data,
           "total_s": time.perf_counter() - t_start}
    md = report(ctx, rm, im, pipe, r, checks, args)
    with open(os.path.join(args.workdir, "results.json"), "w") as f:
        json.dump({"context": ctx, "rmse": rm, "implicit": im, "checks": checks,
                   "pipeline": pipe.steps}, f, indent=1, default=str)
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, "w") as f:
        f.write(md + "\n")
    print(md)
    print(f"ml100k_report: wrote {args.report} ({ctx['total_s']:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
