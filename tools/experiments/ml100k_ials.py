#!/usr/bin/env python3
"""MovieLens-100K, implicit feedback: mftool's ALS against implicit's, then mftool's iALS settings.

Data: `ml-100k.inter` (tools/env/fetch_ml100k.sh), ratings >= 4 as positives, binarized
(`mftool convert --min-value 4 --implicit`: every positive is 1, so the confidence is c = alpha on
the positives and 1 elsewhere). For each of --seeds split seeds s:

  split --test-fraction 0.2 --seed s            per user, 80 % train / 20 % test
  split (of train) --test-fraction 0.2 --seed 1000+s   per user, 80 % fit / 20 % validation

Methods, all with k = --k factors and --epochs epochs, trained on the whole training part:
  mftool ALS     fit --method als --loss implicit --confidence linear (alpha, lambda): exact solves
  implicit CG    implicit 0.7.3 AlternatingLeastSquares (float32, 3 CG steps: its default)
  implicit Chol  the same with use_cg=False (exact solves, float32)
  mftool iALS    fit --method als with --unobserved-weight a0 and --reg-exponent nu (lambda_u =
                 lambda (|Omega_u| + a0 n)^nu), a0, nu and lambda chosen on the validation split
The shared (alpha, lambda) of the first three are chosen per seed on the validation split (fit on
the fit part, NDCG@100 on validation), with mftool ALS: it is the same objective as implicit's
Cholesky (constant lambda on both sides, c = alpha r, unit weight off the positives). The iALS
grid keeps that alpha and searches a0 x nu x a lambda scale; lambda is given relative to the mean
of (|Omega_u| + a0 n)^nu over the training users, so that a scale of 1 gives the typical user the
shared lambda. The test split is used once per method and seed.

Scoring: Recall@20 and NDCG@100 on the test part with the training items excluded, by
`mftool eval` and by implicit.evaluation.ranking_metrics_at_k (implicit's ranking of the same
factors, float32 scores). Like with like: implicit's "precision@K" pools sum hits / sum min(K, |T|)
over the users while mftool's recall@K averages hits / min(K, |T|) per user, so recall@20 is
compared as the per-user mean recomputed from the top-20 lists implicit ranked (its pooled figure is
shown beside it); NDCG@100 (binary relevance, ideal DCG over min(K, |T|) items, averaged per user)
is the same definition on both sides and compared directly.

Output: the Markdown section is printed, written to tools/.cache/ml100k_ials.md, and with
--update-md put into ML100K.md between the lines `<!-- ials: tools/experiments/ml100k_ials.py -->`
and `<!-- end of ials -->` (appended when they are missing); every grid score goes to
tools/.cache/ml100k_ials/results.json.

Usage (from the repo root, after a release build):
  tools/experiments/ml100k_ials.py --update-md       # 5 seeds, the full grids (about 15 min on 2 cores)
  tools/experiments/ml100k_ials.py --quick            # 1 seed, small grids (about a minute)
  tools/experiments/ml100k_ials.py --mftool .build/release/mftool
Times are wall-clock on a shared 2-core machine: indicative only.
"""
from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("bench")  # re-runs this script under tools/.venv's Python (implicit, NumPy, h5py)

import numpy as np  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.dirname(HERE)
ROOT = os.path.dirname(TOOLS)
CACHE = os.path.join(TOOLS, ".cache")
sys.path.insert(0, os.path.join(TOOLS, "benchmarks"))

from bench_als import read_split, recording_recommend, write_factor_pair  # noqa: E402
from bench_eval import read_aligned_csr, read_factors, recompute_metrics  # noqa: E402

MD_BEGIN = "<!-- ials: tools/experiments/ml100k_ials.py -->"
MD_END = "<!-- end of ials -->"
METHODS = ("mftool ALS", "implicit CG", "implicit Chol", "mftool iALS")


def sh(cmd):
    p = subprocess.run([str(c) for c in cmd], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"failed ({p.returncode}): {' '.join(map(str, cmd))}\n{p.stderr[-2000:]}")
    return p


class Work:
    """The files of one run and the mftool commands on them."""

    def __init__(self, mftool, workdir, k, epochs, threads):
        self.mftool, self.dir, self.k, self.epochs, self.threads = mftool, workdir, k, epochs, threads
        self.counter = 0

    def path(self, name):
        return os.path.join(self.dir, name)

    def fit(self, train, cfg):
        """mftool ALS on `train` with cfg (alpha, lam, a0, nu); the (users, items) files."""
        self.counter += 1
        u, v = self.path(f"fit{self.counter % 2}-U.h5"), self.path(f"fit{self.counter % 2}-V.h5")
        cmd = [self.mftool, "fit", "--method", "als", "--interactions", train, "--out", u, "--items-out", v,
               "--k", self.k, "--epochs", self.epochs, "--seed", 0, "--threads", self.threads,
               "--loss", "implicit", "--confidence", "linear", "--alpha", repr(cfg["alpha"]),
               "--lambda", repr(cfg["lam"]), "--quiet"]
        if cfg.get("a0", 1.0) != 1.0:
            cmd += ["--unobserved-weight", repr(cfg["a0"])]
        if cfg.get("nu", 0.0) != 0.0:
            cmd += ["--reg-exponent", repr(cfg["nu"])]
        sh(cmd)
        return u, v

    def eval(self, u, v, test, train):
        p = sh([self.mftool, "eval", "--users", u, "--items", v, "--test", test, "--train", train, "--k", "20,100",
                "--metrics", "recall,ndcg", "--threads", self.threads, "--json", "--quiet"])
        from bench_als import find_metric
        info = json.loads(p.stdout.strip().splitlines()[-1])
        return dict(recall20=find_metric(info, "recall", 20), ndcg100=find_metric(info, "ndcg", 100))


def implicit_fit(train_h5, cfg, k, epochs, use_cg, threads, out):
    """implicit's ALS on the same training file; its factors written as an mftool pair."""
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares
    R, uids, iids = read_split(train_h5)
    with threadpool_limits(limits=1, user_api="blas"):
        model = AlternatingLeastSquares(factors=k, regularization=cfg["lam"], alpha=cfg["alpha"], dtype=np.float32,
                                        use_cg=use_cg, iterations=epochs, num_threads=threads, random_state=0)
        model.fit(R, show_progress=False)
    paths = (out + "-U.h5", out + "-V.h5")
    write_factor_pair(model.user_factors, model.item_factors, uids, iids, *paths)
    return paths


def implicit_scores(u, v, train_h5, test_h5, threads):
    """implicit.evaluation.ranking_metrics_at_k on the factors of (u, v): its own figures at K=20
    and K=100 and the per-user recall@20 recomputed from the lists it ranked."""
    from threadpoolctl import threadpool_limits
    from implicit.cpu.als import AlternatingLeastSquares
    from implicit.evaluation import ranking_metrics_at_k
    U, user_ids = read_factors(u, "user_factors", "user_ids")
    V, item_ids = read_factors(v, "item_factors", "item_ids")
    train = read_aligned_csr(train_h5, user_ids, item_ids)
    test = read_aligned_csr(test_h5, user_ids, item_ids)
    out = {}
    with threadpool_limits(limits=1, user_api="blas"):
        model = AlternatingLeastSquares(factors=U.shape[1], dtype=np.float32, num_threads=threads)
        model.user_factors = np.ascontiguousarray(U, dtype=np.float32)
        model.item_factors = np.ascontiguousarray(V, dtype=np.float32)
        recorded = recording_recommend(model)
        m20 = ranking_metrics_at_k(model, train, test, K=20, show_progress=False)
        lists20 = recorded[:]
        m100 = ranking_metrics_at_k(model, train, test, K=100, show_progress=False)
    users = np.concatenate([x for x, _ in lists20])
    ids = np.concatenate([y for _, y in lists20]).astype(np.int64)
    again = recompute_metrics(users, ids, test, 20)
    out.update(recall20=again["recall_macro"], pooled20=float(m20["precision"]), pooled20_lists=again["precision_micro"],
               ndcg100=float(m100["ndcg"]))
    return out


# ---------------------------------------------------------------------------------------------
# Grids

def shared_grid(quick):
    alphas, lams = ((1.0, 10.0), (1.0,)) if quick else ((1.0, 3.0, 10.0, 30.0, 100.0, 300.0),
                                                              (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0))
    return [dict(alpha=a, lam=lam) for a, lam in itertools.product(alphas, lams)]


def ials_grid(quick, shared, mean_size):
    """a0 x nu x lambda scale, lambda relative to the mean (|Omega_u| + a0 n)^nu (mean_size(a0, nu))."""
    a0s, nus, scales = ((1.0, 0.1), (0.0, 1.0), (1.0,)) if quick else \
        ((1.0, 0.3, 0.1, 0.03), (0.0, 0.25, 0.5, 0.75, 1.0), (0.1, 0.3, 1.0, 3.0))
    out = []
    for a0, nu, sc in itertools.product(a0s, nus, scales):
        out.append(dict(alpha=shared["alpha"], a0=a0, nu=nu, scale=sc,
                        lam=shared["lam"] * sc / mean_size(a0, nu)))
    return out


def sizes(train_h5):
    R, _, _ = read_split(train_h5)
    counts = np.diff(R.indptr).astype(np.float64)
    n = R.shape[1]
    return lambda a0, nu: float(np.mean((counts + a0 * n) ** nu))


def select(work, fit_h5, val_h5, grid, log):
    best = None
    for cfg in grid:
        u, v = work.fit(fit_h5, cfg)
        s = work.eval(u, v, val_h5, fit_h5)
        log.append(dict(cfg=cfg, **s))
        if best is None or s["ndcg100"] > best[1]["ndcg100"]:
            best = (cfg, s)
    return best


def one_seed(work, data_h5, seed, args, results):
    """The split, the two selections and the four methods' test scores for one seed."""
    p = lambda x: work.path(f"s{seed}-{x}.h5")
    sh([work.mftool, "split", "--interactions", data_h5, "--train", p("train"), "--test", p("test"),
        "--test-fraction", "0.2", "--seed", seed, "--quiet"])
    sh([work.mftool, "split", "--interactions", p("train"), "--train", p("fit"), "--test", p("val"),
        "--test-fraction", "0.2", "--seed", 1000 + seed, "--quiet"])
    log = {"shared": [], "ials": []}
    shared, shared_val = select(work, p("fit"), p("val"), shared_grid(args.quick), log["shared"])
    ials, ials_val = select(work, p("fit"), p("val"), ials_grid(args.quick, shared, sizes(p("fit"))), log["ials"])
    out = dict(seed=seed, shared=shared, shared_val=shared_val, ials=ials, ials_val=ials_val, grid=log, test={})
    train, test = p("train"), p("test")
    fits = {"mftool ALS": lambda: work.fit(train, shared),
            "implicit CG": lambda: implicit_fit(train, shared, int(args.k), int(args.epochs), True, int(args.threads),
                                                work.path(f"s{seed}-cg")),
            "implicit Chol": lambda: implicit_fit(train, shared, int(args.k), int(args.epochs), False,
                                                  int(args.threads), work.path(f"s{seed}-chol")),
            "mftool iALS": lambda: work.fit(train, ials)}
    for name, fit in fits.items():
        u, v = fit()
        out["test"][name] = dict(mftool=work.eval(u, v, test, train),
                                 implicit=implicit_scores(u, v, train, test, int(args.threads)))
    results.append(out)
    t = out["test"]
    print(f"seed {seed}: shared alpha {shared['alpha']:g} lambda {shared['lam']:g}; iALS a0 {ials['a0']:g} nu "
          f"{ials['nu']:g} lambda {ials['lam']:.4g} | test ndcg@100 "
          + ", ".join(f"{m} {t[m]['mftool']['ndcg100']:.4f}" for m in METHODS), flush=True)


# ---------------------------------------------------------------------------------------------
# Report

def ms(xs, d=4):
    if len(xs) == 1:
        return f"{xs[0]:.{d}f}"
    return f"{statistics.mean(xs):.{d}f} ± {statistics.stdev(xs):.{d}f}"


def report(args, results, stats, minutes):
    seeds = len(results)
    L = [MD_BEGIN, "", "## Implicit feedback: mftool ALS and iALS against implicit's ALS", "",
         f"Written whole by `tools/experiments/ml100k_ials.py{' --quick' if args.quick else ''}` "
         f"({datetime.date.today():%Y-%m-%d}, {minutes:.0f} min on a shared 2-core machine); every figure below "
         "is from that run.", "",
         f"Ratings ≥ 4 as positives, binarized ({stats['users']} users × {stats['items']} items, {stats['nnz']:,} "
         f"positives); per seed a per-user 80/20 train/test split (`mftool split --test-fraction 0.2 --seed s`, "
         f"s = 0…{seeds - 1}) and, inside the training part only, a per-user 80/20 fit/validation split for the "
         f"selections. k = {args.k}, {args.epochs} epochs, linear confidence c = α on the positives and 1 elsewhere, "
         "constant λ on both sides' factors, the same (α, λ) for mftool ALS and both implicit solvers, chosen per "
         "seed by validation NDCG@100 over α × λ = "
         + " × ".join("{" + ", ".join(f"{v:g}" for v in sorted({c[key] for c in shared_grid(args.quick)})) + "}"
                      for key in ("alpha", "lam"))
         + ". mftool iALS keeps α and picks α0 (`--unobserved-weight`), ν (`--reg-exponent`) and λ on the same "
           "validation split; its λ is the shared λ times a scale divided by the mean (|Ω_u| + α0·n)^ν of the "
           "users, so a scale of 1 gives the typical user the shared λ.", "",
         "On binary positives with ν = 0, α0 only rescales the objective: dividing it by α0 turns (α, α0, λ) into "
         "(α/α0, 1, λ/α0), the same factors. So a wide enough (α, λ) grid already reaches every α0, and what iALS adds "
         "over implicit here is ν (with α0 setting the unobserved share of the frequency |Ω_u| + α0·n); at ν = 0 an "
         "α0 above the iALS grid's top of 1 is the shared grid's smaller α.", "",
         f"Test scores, mean ± standard deviation over {seeds} seed(s), training items excluded:", "",
         "| method | Recall@20, `mftool eval` | Recall@20, implicit's lists (per-user mean) | implicit's pooled "
         "\"precision@20\" | NDCG@100, `mftool eval` | NDCG@100, `ranking_metrics_at_k` |",
         "| --- | ---: | ---: | ---: | ---: | ---: |"]
    worst = {"recall20": 0.0, "ndcg100": 0.0}
    for m in METHODS:
        t = [r["test"][m] for r in results]
        for key in worst:
            worst[key] = max(worst[key], max(abs(x["mftool"][key] - x["implicit"][key]) for x in t))
        L.append(f"| {m} | {ms([x['mftool']['recall20'] for x in t])} | {ms([x['implicit']['recall20'] for x in t])} | "
                 f"{ms([x['implicit']['pooled20'] for x in t])} | {ms([x['mftool']['ndcg100'] for x in t])} | "
                 f"{ms([x['implicit']['ndcg100'] for x in t])} |")
    nd = lambda r, m: r["test"][m]["mftool"]["ndcg100"]
    diff = [nd(r, "mftool iALS") - max(nd(r, "implicit CG"), nd(r, "implicit Chol")) for r in results]
    same = [nd(r, "mftool ALS") - nd(r, "implicit CG") for r in results]
    L += ["", f"The two scorers agree: largest difference over every method and seed {worst['recall20']:.1e} "
              f"(Recall@20) and {worst['ndcg100']:.1e} (NDCG@100); implicit ranks with float32 scores, `mftool eval` "
              "in double, so only near-ties can order differently. implicit's pooled figure is a different average "
              "(Σ hits ÷ Σ min(20, |T|)) of the same lists and is shown for reference only.",
          "", "Differences of test NDCG@100 on the same split, per seed, with their mean and its standard error "
              "(within about two standard errors of 0 is within noise):", "",
          f"- mftool ALS minus implicit CG (same settings): {paired(same)}",
          f"- mftool iALS minus the better implicit solver of each seed: {paired(diff)}", "",
          "Chosen per seed (validation NDCG@100):", "",
          "| seed | α | λ | validation NDCG@100 | iALS α0 | iALS ν | iALS λ (scale) | iALS validation NDCG@100 |",
          "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        s, i = r["shared"], r["ials"]
        L.append(f"| {r['seed']} | {s['alpha']:g} | {s['lam']:g} | {r['shared_val']['ndcg100']:.4f} | {i['a0']:g} | "
                 f"{i['nu']:g} | {i['lam']:.3g} ({i['scale']:g}) | {r['ials_val']['ndcg100']:.4f} |")
    L += ["", "iALS grid: α0 ∈ {" + ", ".join(f"{x:g}" for x in sorted({c['cfg']['a0'] for c in results[0]['grid']['ials']})) + "}, ν ∈ {"
          + ", ".join(f"{x:g}" for x in sorted({c['cfg']['nu'] for c in results[0]['grid']['ials']})) + "}, λ scale ∈ {"
          + ", ".join(f"{x:g}" for x in sorted({c['cfg']['scale'] for c in results[0]['grid']['ials']})) + "}."]
    L += edge_notes(results) + ["", MD_END, ""]
    return "\n".join(L)


def paired(ds):
    mean = statistics.mean(ds)
    if len(ds) < 2:
        return ", ".join(f"{d:+.4f}" for d in ds) + "."
    se = statistics.stdev(ds) / len(ds) ** 0.5
    verdict = "within noise" if abs(mean) <= 2 * se else ("better" if mean > 0 else "worse")
    return ", ".join(f"{d:+.4f}" for d in ds) + f"; mean {mean:+.4f} ± {se:.4f} (standard error): {verdict}."


def edge_notes(results):
    """Which choices sit at an end of their grid (where a wider grid might do better)."""
    out = []
    for group, keys in (("shared", ("alpha", "lam")), ("ials", ("a0", "nu", "scale"))):
        for key in keys:
            values = sorted({g["cfg"][key] for g in results[0]["grid"][group]})
            if len(values) < 2:
                continue
            ends = [r[group][key] for r in results if r[group][key] in (values[0], values[-1])]
            if ends:
                label = {"alpha": "α", "lam": "λ", "a0": "α0", "nu": "ν", "scale": "the iALS λ scale"}[key]
                out.append(f"{label} chosen at an end of its grid ({', '.join(f'{v:g}' for v in ends)}) "
                           f"for {len(ends)} of {len(results)} seeds")
    if not out:
        return ["", "Every choice lies inside its grid."]
    bounded = [x for x in out if not x.startswith("ν")]     # ν's range 0..1 is the model's own
    return ["", "Grid edges: " + "; ".join(out) + "."
            + (" ν spans its meaningful range (0 constant, 1 count-proportional)." if len(bounded) < len(out) else "")]


def update_md(section):
    path = os.path.join(ROOT, "ML100K.md")
    text = open(path).read()
    i, j = text.find(MD_BEGIN), text.find(MD_END)
    if i >= 0 and j > i:
        j += len(MD_END)
        text = text[:i] + section.rstrip("\n") + text[j:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0], epilog=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 seed, small grids")
    ap.add_argument("--seeds", type=int, help="split seeds (default 5; --quick 1)")
    ap.add_argument("--k", type=int, default=64)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--mftool", default=os.path.join(ROOT, ".build-bench", "release", "mftool"),
                    help="mftool binary (default .build-bench/release/mftool)")
    ap.add_argument("--update-md", action="store_true", help="put the section into ML100K.md")
    args = ap.parse_args()
    if args.update_md and args.quick:
        ap.error("--update-md takes a full run's figures: drop --quick")
    seeds = args.seeds or (1 if args.quick else 5)
    mftool = os.path.abspath(args.mftool)
    if not os.access(mftool, os.X_OK):
        raise SystemExit(f"{mftool} missing: swift build -c release --product mftool --scratch-path .build-bench")
    t0 = time.perf_counter()
    sh(["bash", os.path.join(TOOLS, "env", "fetch_ml100k.sh")])
    workdir = os.path.join(CACHE, "ml100k_ials" + ("_quick" if args.quick else ""))
    os.makedirs(workdir, exist_ok=True)
    work = Work(mftool, workdir, args.k, args.epochs, args.threads)
    data_h5 = work.path("positives.h5")
    sh([mftool, "convert", os.path.join(CACHE, "ml-100k", "ml-100k.inter"), data_h5, "--min-value", "4",
        "--implicit", "--quiet"])
    R, _, _ = read_split(data_h5)
    stats = dict(users=R.shape[0], items=R.shape[1], nnz=R.nnz)
    results = []
    for seed in range(seeds):
        one_seed(work, data_h5, seed, args, results)
    minutes = (time.perf_counter() - t0) / 60
    with open(work.path("results.json"), "w") as f:
        json.dump(dict(args=vars(args), stats=stats, results=results), f, indent=1)
    section = report(args, results, stats, minutes)
    print(section)
    out = os.path.join(CACHE, "ml100k_ials" + (".quick" if args.quick else "") + ".md")
    with open(out, "w") as f:
        f.write(section)
    print(f"wrote {out}")
    if args.update_md:
        update_md(section)
        print("updated ML100K.md")


if __name__ == "__main__":
    main()
