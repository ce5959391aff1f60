#!/usr/bin/env python3
"""PyTorch parity and speed check of ``mftool fit`` / ``mftool solve``.

Usage (from the repository root)::

    swift build -c release --product mftool --scratch-path .build-bench
    tools/benchmarks/torch_parity.py --mftool .build-bench/release/mftool

The script runs itself under tools/.venv's Python with PyTorch (tools/env/requirements-torch.txt),
creating it when missing, and fetches MovieLens-100K for part 6 (tools/env/fetch_ml100k.sh).
tools/bench runs it with the other benchmarks.

Options: ``--cache DIR`` (default tools/.cache), ``--max-epochs N`` (cap of the
convergence run, default 20000), ``--no-ml100k`` (skip part 6), ``--repeats N``
(runs of each timed mftool command, default 5; the median is reported),
``--wait-idle S`` (before each timed part wait up to S seconds, default 300,
for other processes to leave the CPUs idle; the CPU share other processes used
during each timed part is printed, since on 2 cores any other load inflates
the timings, PyTorch's OpenMP threads most), ``--parity-only`` (parts 1–3 and
3b alone: the loss parity checks, no timings).

The seed problem (written to ``<cache>/seed/`` once, reused while its ``seed``
attribute matches): with ``numpy.random.default_rng(0)``, in this order,

* V  (1000 × 50) item factors, standard normal        -> items.h5  (item_factors, item_ids 0..999)
* R  (500 × 1000) dense target, standard normal        -> r.h5      (canonical CSR, all 500,000 entries stored)
* U0 (500 × 50) initial user factors, standard normal  -> u0.h5     (user_factors, user_ids 0..499)

i.e. what ``torch.randn`` gives a PyTorch example, drawn with NumPy so the
files do not depend on the torch version.  R is pure noise (no planted
structure): rank-50 U @ V.T can explain only ~5% of it, so the optimum's MSE
is ≈ 0.95 while U0 starts at MSE ≈ 51.

Parts (each prints as it goes; a SUMMARY block closes the output):

1. the seed files;
2. PyTorch float64 loops, ``loss = ((U @ V.T - R)**2).mean()``, U a leaf
   tensor requiring grad, V fixed: (a) SGD lr 0.01, (b) Adam lr 0.001
   weight_decay 0.001, 100 epochs, per-epoch losses recorded;
3. ``mftool fit`` with the same options from the same U0; the per-epoch
   losses must agree to a max relative difference ≤ 1e-4 (exit status 1 if not);
3b. mini-batch parity on a small observed problem (60 users × 40 items, k = 8,
   ~30% of the ratings 1..5 stored, every user with one at least, from
   default_rng(3); λ = 0.5 constant, each rating carrying λ/|Ω_u| of its user's
   penalty; batches of 32, 5 epochs): the PyTorch loop visits the interactions
   in mftool's order (its SplitMix64 Fisher–Yates shuffle, replayed here) with
   float64 ``nn.Embedding`` users and fixed V, loss = mean over the batch of
   (r − x_u·v_j)² + λ/|Ω_u|·‖x_u‖², for (a) ``nn.Embedding(sparse=False)`` +
   ``Adam`` (lr 0.01, ExponentialLR 0.9) against ``mftool fit``, (b)
   ``nn.Embedding(sparse=True)`` + ``SparseAdam`` (the same) against ``mftool
   fit --sparse``, (c) ``sparse=True`` + plain ``SGD`` (lr 0.05) against ``mftool
   fit --method sgd --sparse``; the per-epoch mean batch losses must agree to
   ≤ 1e-12 relative (exit status 1 if not);
4. Adam@100's objective against the exact optimum (``mftool solve --loss dense
   --lambda w·m·n/2``), and how many PyTorch float64 Adam epochs reach a
   relative gap ≤ 1e-6 (gap from the loss PyTorch prints: objective(U_t) =
   loss_t·m·n + λ‖U_t‖², with U_t the factors after t steps), against
   ``mftool solve``'s own kernel seconds and whole-process time; cross-checked
   with ``mftool check`` on PyTorch's final factors and with ``mftool fit
   --check`` run for the same number of epochs;
5. per-epoch time of PyTorch Adam (float32 and float64, 2 threads; --torch-threads) against the
   median of ``mftool fit``'s jsonl "seconds" (the step only; mftool evaluates
   the objective outside that window);
6. MovieLens-100K mini-batches: one epoch of PyTorch Adam over shuffled
   (user, item, rating) batches of 1,024 (nn.Embedding users with dense
   gradients, fixed V, MSE over the batch, float32 and float64) against
   ``mftool fit --loss observed --lambda 0 --batch-size 1024 --epochs 5``.
   Item factors: k = 64, N(0, 1/64) from default_rng(1), item_ids as in
   ml100k.h5; initial user factors N(0, 0.01²) from default_rng(2) for both.

Exit status: 0, or 1 when the loss parity of part 3 or 3b fails or a command fails.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("torch")  # re-runs this script under tools/.venv's Python

import h5py
import numpy as np
import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from benchlib import (InProcessPeak, OtherCPU, common_args, cpu_busy, machine, row,  # noqa: E402
                      run_measured, wait_idle, write_json)

OtherLoad = OtherCPU        # CPU used by OTHER processes while a block runs (`.fraction` after it)
M, N, K = 500, 1000, 50
QUICK_SHAPE = (100, 200, 10)    # --quick
SEED = 0
EPOCHS = 100
SGD_LR = 0.01
ADAM_LR = 0.001
WD = 0.001
PARITY_TOL = 1e-4
GAP_TARGET = 1e-6
ML_K = 64
ML_BATCH = 1024
ML_EPOCHS = 5
MB_SHAPE = (60, 40, 8)      # part 3b: users, items, k
MB_BATCH = 32
MB_EPOCHS = 5
MB_LAMBDA = 0.5
MB_SEED = 7
MB_TOL = 1e-12
MB_CASES = (  # label, method, lr, lr decay, sparse
    ("Adam (dense gradient)", "adam", 0.01, 0.9, False),
    ("SparseAdam", "adam", 0.01, 0.9, True),
    ("SGD (sparse gradient)", "sgd", 0.05, 1.0, True),
)

summary: list[tuple[str, str]] = []
res: dict = {}      # the figures the --json rows are made of


def note(key: str, value: str) -> None:
    summary.append((key, value))


def section(title: str) -> None:
    print(f"\n== {title}", flush=True)


def run(cmd: list[str], *, capture: bool = True) -> tuple[subprocess.CompletedProcess, float]:
    """Runs a command; returns the result and its wall time. Raises on a non-zero exit."""
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=capture, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(f"command failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}\n{p.stderr}\n")
        raise SystemExit(1)
    return p, dt


def read_jsonl(path: Path) -> list[dict]:
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def first_json(text: str) -> dict:
    """The first JSON object line of a command's stdout (mftool prints its text report after it)."""
    for line in text.splitlines():
        if line.startswith("{"):
            return json.loads(line)
    raise SystemExit(f"no JSON line in: {text!r}")


# ---------------------------------------------------------------- 1. seed problem


def write_csr(path: Path, dense: np.ndarray) -> None:
    m, n = dense.shape
    tmp = path.with_suffix(".tmp")
    with h5py.File(tmp, "w") as f:
        f.attrs["encoding-type"] = "csr_matrix"
        f.attrs["encoding-version"] = "0.1.0"
        f.attrs["shape"] = np.array([m, n], dtype=np.int64)
        f.attrs["seed"] = SEED
        f["data"] = dense.reshape(-1).astype(np.float64)
        f["indices"] = np.tile(np.arange(n, dtype=np.int32), m)
        f["indptr"] = np.arange(m + 1, dtype=np.int64) * n
        f["user_ids"] = np.arange(m, dtype=np.int64)
        f["item_ids"] = np.arange(n, dtype=np.int64)
    os.replace(tmp, path)


def write_factors(path: Path, name: str, ids_name: str, X: np.ndarray, ids: np.ndarray) -> None:
    tmp = path.with_suffix(".tmp")
    with h5py.File(tmp, "w") as f:
        f.attrs["seed"] = SEED
        f[name] = X
        f[ids_name] = ids
    os.replace(tmp, path)


def seed_problem(cache: Path) -> tuple[Path, Path, Path, np.ndarray, np.ndarray, np.ndarray]:
    d = cache / ("seed" if (M, N, K) == (500, 1000, 50) else f"seed-{M}x{N}x{K}")
    d.mkdir(parents=True, exist_ok=True)
    r_path, v_path, u0_path = d / "r.h5", d / "items.h5", d / "u0.h5"
    rng = np.random.default_rng(SEED)
    V = rng.standard_normal((N, K))
    R = rng.standard_normal((M, N))
    U0 = rng.standard_normal((M, K))

    def fresh(p: Path) -> bool:
        try:
            with h5py.File(p, "r") as f:
                return int(f.attrs.get("seed", -1)) == SEED
        except OSError:
            return False

    if all(fresh(p) for p in (r_path, v_path, u0_path)):
        print(f"seed files present in {d}")
    else:
        write_csr(r_path, R)
        write_factors(v_path, "item_factors", "item_ids", V, np.arange(N, dtype=np.int64))
        write_factors(u0_path, "user_factors", "user_ids", U0, np.arange(M, dtype=np.int64))
        print(f"wrote {r_path.name}, {v_path.name}, {u0_path.name} to {d}")
    print(f"m = {M}, n = {N}, k = {K}; V, R, U0 ~ N(0, 1) from numpy default_rng({SEED})")
    return r_path, v_path, u0_path, V, R, U0


# ---------------------------------------------------------------- PyTorch loops


def torch_full_batch(method: str, dtype: torch.dtype, V: np.ndarray, R: np.ndarray, U0: np.ndarray,
                     epochs: int, warmup: int = 0) -> tuple[list[float], list[float], np.ndarray]:
    """The plain PyTorch loop; returns per-epoch losses (before each step), per-epoch seconds and U."""
    Vt = torch.tensor(V, dtype=dtype)
    Rt = torch.tensor(R, dtype=dtype)
    for w_epoch in range(warmup + 1):
        U = torch.tensor(U0, dtype=dtype).requires_grad_(True)
        if method == "sgd":
            opt = torch.optim.SGD([U], lr=SGD_LR)
        else:
            opt = torch.optim.Adam([U], lr=ADAM_LR, weight_decay=WD)
        losses: list[float] = []
        seconds: list[float] = []
        n_epochs = epochs if w_epoch == warmup else 3
        for _ in range(n_epochs):
            t0 = time.perf_counter()
            opt.zero_grad()
            loss = ((U @ Vt.T - Rt) ** 2).mean()
            loss.backward()
            opt.step()
            value = loss.item()
            seconds.append(time.perf_counter() - t0)
            losses.append(value)
    return losses, seconds, U.detach().to(torch.float64).numpy()


def objective(U: np.ndarray, V: np.ndarray, R: np.ndarray, lam: float) -> float:
    E = U @ V.T - R
    return float((E * E).sum() + lam * (U * U).sum())


# ---------------------------------------------------------------- 3b. mini-batch parity

MASK64 = (1 << 64) - 1


class SplitMix64:
    """mftool's generator (Sources/Matrices/SplitMix64.swift), for its shuffles."""

    def __init__(self, seed: int) -> None:
        self.state = seed & MASK64

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        return z ^ (z >> 31)

    def shuffle(self, a: list[int]) -> None:
        """Fisher–Yates from the end, as SplitMix64.shuffle."""
        for i in range(len(a) - 1, 0, -1):
            j = self.next() % (i + 1)
            a[i], a[j] = a[j], a[i]


def minibatch_problem(work: Path) -> tuple[Path, Path, Path, dict]:
    """The small observed problem of part 3b, written to `work`."""
    m, n, k = MB_SHAPE
    rng = np.random.default_rng(3)
    mask = rng.random((m, n)) < 0.3
    mask[np.arange(m), rng.integers(0, n, m)] = True
    ratings = rng.integers(1, 6, (m, n)).astype(np.float64)
    V = rng.standard_normal((n, k)) / np.sqrt(k)
    U0 = 0.1 * rng.standard_normal((m, k))
    indptr = np.concatenate([[0], np.cumsum(mask.sum(axis=1))]).astype(np.int64)
    rows, cols = np.nonzero(mask)   # row-major: CSR order
    r_path, v_path, u_path = work / "mb_r.h5", work / "mb_items.h5", work / "mb_u0.h5"
    with h5py.File(r_path, "w") as f:
        f.attrs["encoding-type"] = "csr_matrix"
        f.attrs["encoding-version"] = "0.1.0"
        f.attrs["shape"] = np.array([m, n], dtype=np.int64)
        f["data"] = ratings[rows, cols]
        f["indices"] = cols.astype(np.int32)
        f["indptr"] = indptr
        f["user_ids"] = np.arange(m, dtype=np.int64)
        f["item_ids"] = np.arange(n, dtype=np.int64)
    write_factors(v_path, "item_factors", "item_ids", V, np.arange(n, dtype=np.int64))
    write_factors(u_path, "user_factors", "user_ids", U0, np.arange(m, dtype=np.int64))
    share = MB_LAMBDA / mask.sum(axis=1)
    return r_path, v_path, u_path, dict(rows=rows, cols=cols, values=ratings[rows, cols], V=V, U0=U0, share=share)


def torch_minibatch_parity(p: dict, method: str, lr: float, decay: float, sparse: bool) -> tuple[list[float], np.ndarray]:
    """The PyTorch loop of part 3b: per-epoch mean batch losses and the final user factors."""
    m, _, k = MB_SHAPE
    emb = torch.nn.Embedding(m, k, sparse=sparse, dtype=torch.float64)
    with torch.no_grad():
        emb.weight.copy_(torch.tensor(p["U0"]))
    Vt = torch.tensor(p["V"])
    users, items = torch.tensor(p["rows"]), torch.tensor(p["cols"])
    values, share = torch.tensor(p["values"]), torch.tensor(p["share"])
    if method == "sgd":
        opt = torch.optim.SGD(emb.parameters(), lr=lr)
    else:
        opt = (torch.optim.SparseAdam if sparse else torch.optim.Adam)(emb.parameters(), lr=lr)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=decay)
    rng = SplitMix64(MB_SEED)
    order = list(range(len(values)))
    losses = []
    for _ in range(MB_EPOCHS):
        rng.shuffle(order)
        total, batches = 0.0, 0
        for b in range(0, len(order), MB_BATCH):
            idx = torch.tensor(order[b:b + MB_BATCH])
            u = users[idx]
            x = emb(u)
            e = values[idx] - (x * Vt[items[idx]]).sum(dim=1)
            loss = (e * e + share[u] * (x * x).sum(dim=1)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item()
            batches += 1
        scheduler.step()
        losses.append(total / batches)
    return losses, emb.weight.detach().numpy().copy()


def minibatch_parity(mftool: str, work: Path) -> tuple[float, bool]:
    """Part 3b; returns the worst relative loss difference and whether every case passed."""
    r_path, v_path, u_path, p = minibatch_problem(work)
    m, n, k = MB_SHAPE
    print(f"{m} users × {n} items, {len(p['values'])} ratings, k = {k}; batches of {MB_BATCH}, {MB_EPOCHS} epochs, "
          f"λ = {MB_LAMBDA} constant, --seed {MB_SEED}")
    worst_all, ok_all = 0.0, True
    for label, method, lr, decay, sparse in MB_CASES:
        th, U_torch = torch_minibatch_parity(p, method, lr, decay, sparse)
        log, out = work / f"mb_{method}_{int(sparse)}.jsonl", work / f"mb_{method}_{int(sparse)}_users.h5"
        run([mftool, "fit", "--method", method, "--lr", repr(lr), "--lr-decay", repr(decay), "--epochs", str(MB_EPOCHS),
             "--batch-size", str(MB_BATCH), "--seed", str(MB_SEED), "--loss", "observed", "--lambda", repr(MB_LAMBDA),
             "--reg", "constant", "--loss-scale", "mean", "--interactions", str(r_path), "--items", str(v_path),
             "--init", str(u_path), "--out", str(out), "--log", str(log), "--quiet"] + (["--sparse"] if sparse else []))
        mf = np.array([r["loss"] for r in read_jsonl(log)])
        worst = float((np.abs(mf - np.array(th)) / np.abs(th)).max())
        with h5py.File(out, "r") as f:
            du = float(np.abs(f["user_factors"][:] - U_torch).max())
        ok = worst <= MB_TOL
        worst_all, ok_all = max(worst_all, worst), ok_all and ok
        flag = " --sparse" if sparse else ""
        print(f"{label} vs mftool fit --method {method}{flag}: epoch 1 loss torch {th[0]:.15g} mftool {mf[0]:.15g}; "
              f"max relative loss difference {worst:.3e} ({'ok' if ok else 'FAIL'}, tolerance {MB_TOL:g}); "
              f"max |U_mftool − U_torch| {du:.3e}")
        note(f"mini-batch parity {label}", f"max rel. loss diff {worst:.3e} over {MB_EPOCHS} epochs "
             f"({'PASS' if ok else 'FAIL'} ≤ {MB_TOL:g}); max |ΔU| {du:.2e}")
    return worst_all, ok_all


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    common_args(ap, reps=5, quick_help=f"a smaller seed problem ({QUICK_SHAPE[0]} × {QUICK_SHAPE[1]}, "
                f"k = {QUICK_SHAPE[2]}) and no idle wait by default: a few seconds")
    ap.add_argument("--cache", default=str(HERE.parent / ".cache"), help="work folder (default tools/.cache)")
    ap.add_argument("--max-epochs", type=int, default=20000, help="cap of the PyTorch convergence run")
    ap.add_argument("--repeats", dest="reps", type=int, help="same as --reps (runs of each timed mftool command)")
    ap.add_argument("--wait-idle", type=float,
                    help="before each timed part, wait up to this many seconds for other processes to go idle "
                         "(default 300; 0 with --quick)")
    ap.add_argument("--no-ml100k", action="store_true", help="skip the MovieLens-100K mini-batch timing")
    ap.add_argument("--parity-only", action="store_true",
                    help="only the loss parity checks (parts 1-3 and 3b: full-batch and mini-batch, dense and sparse); no timings")
    ap.add_argument("--torch-threads", type=int,
                    help="PyTorch's intra-op threads (default 2; 1 with --quick, where the problems are too small "
                         "for a second thread to pay and OpenMP's waiting makes times swing when the other core is busy)")
    args = ap.parse_args()
    args.repeats = args.reps
    if args.wait_idle is None:
        args.wait_idle = 0 if args.quick else 300
    global M, N, K
    if args.quick:
        M, N, K = QUICK_SHAPE

    mftool = str(Path(args.mftool).absolute())
    cache = Path(args.cache).resolve()
    work = cache / "torch_parity"
    work.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(args.torch_threads if args.torch_threads else (1 if args.quick else 2))
    failed = False

    overall = OtherCPU()
    p, _ = run([mftool, "--version"])
    busy = cpu_busy()
    print(f"other load: {busy:.0%} of {os.cpu_count()} cores busy over 1 s before starting"
          + (" — timings will be inflated (PyTorch's OpenMP threads suffer most)" if busy > 0.1 else " (idle)"))
    note("CPU busy before start", f"{busy:.0%} of {os.cpu_count()} cores")
    print(f"mftool {p.stdout.strip()} ({mftool}); torch {torch.__version__}, {torch.get_num_threads()} threads; "
          f"numpy {np.__version__}; python {sys.version.split()[0]}")
    note("versions", f"mftool {p.stdout.strip()}, torch {torch.__version__} ({torch.get_num_threads()} threads)")

    # 1 ------------------------------------------------------------------------
    section("1. seed problem")
    r_path, v_path, u0_path, V, R, U0 = seed_problem(cache)
    lam = WD * M * N / 2  # MSELoss() + Adam(weight_decay=w) == summed objective with λ = w·m·n/2
    print(f"initial MSE {float(((U0 @ V.T - R) ** 2).mean()):.6f}; λ for weight_decay {WD}: w·m·n/2 = {lam:g}")

    # 2 + 3 --------------------------------------------------------------------
    section("2+3. per-epoch loss parity: PyTorch float64 vs mftool fit (100 epochs)")
    torch_runs = {}
    worst_overall = 0.0
    for method in ("sgd", "adam"):
        losses, secs, U_torch = torch_full_batch(method, torch.float64, V, R, U0, EPOCHS, warmup=1)
        torch_runs[method] = (losses, secs, U_torch)
        log = work / f"seed_{method}.jsonl"
        out = work / f"seed_{method}_users.h5"
        lr = SGD_LR if method == "sgd" else ADAM_LR
        cmd = [mftool, "fit", "--method", method, "--lr", str(lr), "--epochs", str(EPOCHS),
               "--interactions", str(r_path), "--items", str(v_path), "--out", str(out),
               "--loss", "dense", "--lambda", "0", "--loss-scale", "mean", "--init", str(u0_path),
               "--log", str(log), "--quiet"]
        if method == "adam":
            cmd += ["--weight-decay", str(WD)]
        run(cmd)
        rec = read_jsonl(log)
        mf = np.array([r["loss"] for r in rec])
        th = np.array(losses)
        if len(mf) != len(th):
            print(f"{method}: mftool logged {len(mf)} epochs, PyTorch ran {len(th)}")
            failed = True
            continue
        rel = np.abs(mf - th) / np.abs(th)
        worst = float(rel.max())
        worst_overall = max(worst_overall, worst)
        with h5py.File(out, "r") as f:
            U_mf = f["user_factors"][:]
        du = float(np.abs(U_mf - U_torch).max())
        # The log's "objective" is after the epoch's step (documented); compare with PyTorch's U after 100 steps.
        obj_torch = objective(U_torch, V, R, lam if method == "adam" else 0.0)
        obj_rel = abs(rec[-1]["objective"] - obj_torch) / abs(obj_torch)
        ok = worst <= PARITY_TOL
        failed |= not ok
        print(f"{method}: loss epoch 1 torch {th[0]:.10g} mftool {mf[0]:.10g}; epoch {EPOCHS} torch {th[-1]:.10g} "
              f"mftool {mf[-1]:.10g}")
        print(f"{method}: max relative loss difference over {EPOCHS} epochs {worst:.3e} "
              f"({'ok' if ok else 'FAIL'}, tolerance {PARITY_TOL:g}); max |U_mftool − U_torch| {du:.3e}; "
              f"final objective rel. diff {obj_rel:.3e}")
        note(f"parity {method}", f"max rel. loss diff {worst:.3e} over {EPOCHS} epochs "
             f"({'PASS' if ok else 'FAIL'} ≤ {PARITY_TOL:g}); max |ΔU| {du:.2e}")

    # 3b -----------------------------------------------------------------------
    section("3b. mini-batch loss parity: PyTorch float64 (nn.Embedding, mftool's shuffles) vs mftool fit")
    mb_worst, mb_ok = minibatch_parity(mftool, work)
    failed |= not mb_ok
    res["minibatch_parity"] = mb_worst
    if args.parity_only:
        return finish(args, mftool, worst_overall, mb_worst, failed, overall)

    # 4 ------------------------------------------------------------------------
    section("4. Adam@100 vs the exact optimum; epochs PyTorch needs to reach a 1e-6 gap")
    wait_idle(args.wait_idle)
    meter4 = OtherLoad().__enter__()
    exact_out = work / "seed_exact_users.h5"
    solve_cmd = [mftool, "solve", "--interactions", str(r_path), "--items", str(v_path), "--out", str(exact_out),
                 "--loss", "dense", "--lambda", repr(lam), "--json", "--quiet"]
    kernel, wall, peaks = [], [], []
    for _ in range(args.repeats):
        mp = run_measured(solve_cmd)
        js = json.loads(mp.stdout)
        kernel.append(js["seconds"])
        wall.append(mp.wall)
        peaks.append(mp.peak_rss)
    res["solve_peak"] = statistics.median(peaks)
    f_star = js["objective"]
    with h5py.File(exact_out, "r") as f:
        U_star = f["user_factors"][:]
    f_star_py = objective(U_star, V, R, lam)
    U_star_np = np.linalg.solve(V.T @ V + lam * np.eye(K), V.T @ R.T).T
    print(f"mftool solve: optimum {f_star:.10g} (NumPy at mftool's U* {f_star_py:.10g}; "
          f"max |U* − NumPy solve| {np.abs(U_star - U_star_np).max():.2e})")
    print(f"mftool solve: kernel seconds (--json) {', '.join(f'{s * 1e3:.2f}' for s in kernel)} ms; "
          f"whole process {', '.join(f'{s * 1e3:.1f}' for s in wall)} ms")
    solve_kernel, solve_wall = statistics.median(kernel), statistics.median(wall)
    # The kernel warm: one process solving 200 times (solve --repeat), median of the runs; the
    # cold figures above include the first call's thread start-up and page faults.
    warm = None
    if "--repeat" in run_measured([mftool, "solve", "--help"]).stdout:
        warm = json.loads(run_measured(solve_cmd + ["--repeat", "200"]).stdout)["seconds"]
        print(f"mftool solve --repeat 200: warm kernel median {warm * 1e3:.2f} ms")
    res["solve_kernel_warm"] = warm
    # The peer for the exact solve: the same solve in NumPy/SciPy on the same arrays, warm, in
    # this process (LAPACK Cholesky of VᵀV + λI, OpenBLAS's R·V on its default threads, the
    # triangular solves), median of 200; and R·V alone, the bulk of the work.
    import scipy.linalg

    def median_seconds(fn, n=200):
        times = []
        for _ in range(n):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    def numpy_exact():
        return scipy.linalg.cho_solve(scipy.linalg.cho_factor(V.T @ V + lam * np.eye(K)), (R @ V).T).T

    print(f"NumPy/SciPy exact solve: max |U* − NumPy| {np.abs(numpy_exact() - U_star).max():.2e}")
    res["solve_numpy_warm"] = median_seconds(numpy_exact)
    res["rv_numpy_warm"] = median_seconds(lambda: R @ V)
    print(f"NumPy/SciPy exact solve, warm median of 200: {res['solve_numpy_warm'] * 1e3:.2f} ms "
          f"(R @ V alone {res['rv_numpy_warm'] * 1e3:.2f} ms)"
          + (f"; mftool warm {warm * 1e3:.2f} ms: {res['solve_numpy_warm'] / warm:.2f}×" if warm else ""))

    adam_log = read_jsonl(work / "seed_adam.jsonl")
    f100 = objective(torch_runs["adam"][2], V, R, lam)
    ratio100 = f100 / f_star
    gap100 = (f100 - f_star) / f_star
    print(f"Adam@{EPOCHS} (PyTorch): objective {f100:.10g}; objective/optimum {ratio100:.2f}; "
          f"relative gap {gap100:.3e} (mftool's log at epoch {EPOCHS}: objective {adam_log[-1]['objective']:.10g})")
    p, _ = run([mftool, "fit", "--method", "adam", "--lr", str(ADAM_LR), "--epochs", str(EPOCHS),
                "--interactions", str(r_path), "--items", str(v_path), "--out", str(work / "seed_adam_check.h5"),
                "--loss", "dense", "--lambda", "0", "--loss-scale", "mean", "--weight-decay", str(WD),
                "--init", str(u0_path), "--check", "--check-json", "--quiet"])
    fit_check = first_json(p.stdout)
    print(f"mftool fit --check (Adam, {EPOCHS} epochs): relative gap {fit_check['relative_gap']:.3e}, "
          f"optimum {fit_check['optimum']:.10g}")
    note("Adam@100 vs optimum", f"objective/optimum {ratio100:.2f}, relative gap {gap100:.3e} "
         f"(mftool fit --check: {fit_check['relative_gap']:.3e})")

    # PyTorch float64 Adam until the gap (from the printed loss) is ≤ 1e-6.
    Vt = torch.tensor(V, dtype=torch.float64)
    Rt = torch.tensor(R, dtype=torch.float64)
    U = torch.tensor(U0, dtype=torch.float64).requires_grad_(True)
    opt = torch.optim.Adam([U], lr=ADAM_LR, weight_decay=WD)
    reached = None
    gap_t = float("nan")
    mn = M * N
    mem4 = InProcessPeak().__enter__()
    t0 = time.perf_counter()
    for t in range(args.max_epochs + 1):
        opt.zero_grad()
        loss = ((U @ Vt.T - Rt) ** 2).mean()
        with torch.no_grad():
            sq = float((U * U).sum())
        gap_t = (loss.item() * mn + lam * sq - f_star) / f_star  # U here has had t steps
        if gap_t <= GAP_TARGET:
            reached = t
            break
        if t == args.max_epochs:
            break
        loss.backward()
        opt.step()
    conv_seconds = time.perf_counter() - t0
    mem4.__exit__(None, None, None)
    res.update(conv_seconds=conv_seconds, conv_epochs=reached, conv_gap=gap_t, conv_peak=mem4.peak)
    U_conv = U.detach().numpy().copy()
    if reached is None:
        print(f"PyTorch Adam float64: gap {gap_t:.3e} after the cap of {args.max_epochs} epochs "
              f"({conv_seconds:.1f} s): not within {GAP_TARGET:g}")
        epochs_txt = f"> {args.max_epochs} (gap {gap_t:.2e} at the cap)"
    else:
        print(f"PyTorch Adam float64: relative gap {gap_t:.3e} ≤ {GAP_TARGET:g} after {reached} epochs, "
              f"{conv_seconds:.2f} s ({conv_seconds / max(reached, 1) * 1e3:.2f} ms/epoch incl. the gap check)")
        epochs_txt = f"{reached} epochs, {conv_seconds:.1f} s (float64)"
    conv_users = work / "seed_torch_converged.h5"
    write_factors(conv_users, "user_factors", "user_ids", U_conv, np.arange(M, dtype=np.int64))
    p, _ = run([mftool, "check", "--users", str(conv_users), "--interactions", str(r_path), "--items", str(v_path),
                "--loss", "dense", "--lambda", repr(lam), "--json"])
    chk = first_json(p.stdout)
    print(f"mftool check on PyTorch's final factors: relative gap {chk['relative_gap']:.3e}, "
          f"‖U − U*‖/‖U*‖ {chk['relative_factor_error']:.3e}")
    mf_epochs_txt = "n/a"
    if reached is not None:
        log = work / "seed_adam_long.jsonl"
        _, fit_wall = run([mftool, "fit", "--method", "adam", "--lr", str(ADAM_LR), "--epochs", str(reached + 10),
                           "--interactions", str(r_path), "--items", str(v_path), "--out", str(work / "seed_adam_long.h5"),
                           "--loss", "dense", "--lambda", "0", "--loss-scale", "mean", "--weight-decay", str(WD),
                           "--init", str(u0_path), "--check", "--log", str(log), "--quiet"])
        rec = read_jsonl(log)
        first = next((r["epoch"] for r in rec if r["gap"] <= GAP_TARGET), None)
        mf_train = sum(r["seconds"] for r in rec[:first]) if first else float("nan")
        print(f"mftool fit Adam (same settings, {reached + 10} epochs): first epoch with gap ≤ {GAP_TARGET:g}: {first} "
              f"(PyTorch: {reached}); its step time to get there {mf_train:.3f} s; whole process {fit_wall:.2f} s")
        mf_epochs_txt = f"{first} epochs, steps {mf_train:.3f} s, process {fit_wall:.2f} s"
        res.update(mf_fit_epochs=first, mf_fit_steps_s=mf_train, mf_fit_process_s=fit_wall)
    res.update(solve_kernel=solve_kernel, solve_wall=solve_wall, other4=None)
    speedup = conv_seconds / solve_wall
    print(f"→ mftool solve: {solve_kernel * 1e3:.2f} ms kernel, {solve_wall * 1e3:.1f} ms whole process "
          f"(median of {args.repeats}) vs PyTorch {conv_seconds:.1f} s: ×{speedup:,.0f} faster end to end")
    meter4.__exit__(None, None, None)
    print(f"(other processes used {meter4.fraction:.0%} of the CPUs during part 4)")
    note("PyTorch Adam to gap ≤ 1e-6", f"[others {meter4.fraction:.0%} CPU] " + epochs_txt)
    res["other4"] = meter4.fraction
    note("mftool fit Adam to gap ≤ 1e-6", mf_epochs_txt)
    note("mftool solve (exact)", f"kernel {solve_kernel * 1e3:.2f} ms, whole process {solve_wall * 1e3:.1f} ms "
         f"(median of {args.repeats}); ×{speedup:,.0f} vs PyTorch's convergence run")

    # 5 ------------------------------------------------------------------------
    section("5. per-epoch time, full batch Adam on the seed problem")
    wait_idle(args.wait_idle)
    meter5 = OtherLoad().__enter__()
    _, secs64, _ = torch_full_batch("adam", torch.float64, V, R, U0, EPOCHS, warmup=1)
    t64 = statistics.median(secs64)
    _, secs32, _ = torch_full_batch("adam", torch.float32, V, R, U0, EPOCHS, warmup=1)
    t32 = statistics.median(secs32)
    mf_med = []
    for i in range(args.repeats):
        log = work / f"seed_adam_timing{i}.jsonl"
        run([mftool, "fit", "--method", "adam", "--lr", str(ADAM_LR), "--epochs", str(EPOCHS),
             "--interactions", str(r_path), "--items", str(v_path), "--out", str(work / "seed_adam_timing.h5"),
             "--loss", "dense", "--lambda", "0", "--loss-scale", "mean", "--weight-decay", str(WD),
             "--init", str(u0_path), "--log", str(log), "--quiet"])
        mf_med.append(statistics.median(r["seconds"] for r in read_jsonl(log)))
    tm = statistics.median(mf_med)
    res.update(epoch_torch32=t32, epoch_torch64=t64, epoch_mftool=tm)
    meter5.__exit__(None, None, None)
    print(f"(other processes used {meter5.fraction:.0%} of the CPUs during part 5)")
    print(f"PyTorch Adam per epoch (median of {EPOCHS}): float32 {t32 * 1e3:.3f} ms, float64 {t64 * 1e3:.3f} ms")
    print(f"mftool fit Adam per epoch (median jsonl seconds; runs: {', '.join(f'{s * 1e3:.3f}' for s in mf_med)} ms): "
          f"{tm * 1e3:.3f} ms")
    print(f"ratio mftool/PyTorch: {tm / t32:.4f} vs float32, {tm / t64:.4f} vs float64")
    note("per-epoch full batch", f"[others {meter5.fraction:.0%} CPU] PyTorch f32 {t32 * 1e3:.3f} ms, f64 {t64 * 1e3:.3f} ms; mftool {tm * 1e3:.3f} ms; "
         f"ratio {tm / t32:.4f} (f32), {tm / t64:.4f} (f64)")

    # 6 ------------------------------------------------------------------------
    if not args.no_ml100k:
        section("6. MovieLens-100K mini-batches of 1,024 (Adam lr 0.001, MSE over the batch)")
        p, _ = run(["bash", str(HERE.parent / "env" / "fetch_ml100k.sh")])
        wait_idle(args.wait_idle)
        meter6 = OtherLoad().__enter__()
        inter = Path(p.stdout.strip().splitlines()[-1])
        ml = cache / "ml-100k"
        h5 = ml / "ml100k.h5"
        if not h5.exists():
            run([mftool, "convert", str(inter), str(h5), "--quiet"])
        with h5py.File(h5, "r") as f:
            indptr = f["indptr"][:]
            indices = f["indices"][:]
            data = f["data"][:]
            user_ids = f["user_ids"][:]
            item_ids = f["item_ids"][:]
            m_ml, n_ml = (int(x) for x in f.attrs["shape"])
        nnz = len(data)
        print(f"{h5}: {m_ml} users × {n_ml} items, {nnz} ratings (mean {data.mean():.4f})")
        V_ml = np.random.default_rng(1).standard_normal((n_ml, ML_K)) / np.sqrt(ML_K)
        U_ml = 0.01 * np.random.default_rng(2).standard_normal((m_ml, ML_K))
        v_ml, u_ml = work / "ml100k_items.h5", work / "ml100k_u0.h5"
        write_factors(v_ml, "item_factors", "item_ids", V_ml, item_ids)
        write_factors(u_ml, "user_factors", "user_ids", U_ml, user_ids)
        rows = np.repeat(np.arange(m_ml, dtype=np.int64), np.diff(indptr))

        def torch_minibatch(dtype: torch.dtype) -> tuple[list[float], list[float]]:
            torch.manual_seed(0)
            emb = torch.nn.Embedding(m_ml, ML_K, dtype=dtype)  # sparse=False: dense gradients
            with torch.no_grad():
                emb.weight.copy_(torch.tensor(U_ml, dtype=dtype))
            Vt = torch.tensor(V_ml, dtype=dtype)
            users = torch.tensor(rows)
            items = torch.tensor(indices.astype(np.int64))
            ratings = torch.tensor(data, dtype=dtype)
            opt = torch.optim.Adam(emb.parameters(), lr=ADAM_LR)
            secs, losses = [], []
            for _ in range(ML_EPOCHS + 1):  # the first epoch is a warm-up, not timed
                t0 = time.perf_counter()
                perm = torch.randperm(nnz)
                total, batches = 0.0, 0
                for b in range(0, nnz, ML_BATCH):
                    idx = perm[b:b + ML_BATCH]
                    pred = (emb(users[idx]) * Vt[items[idx]]).sum(dim=1)
                    loss = torch.nn.functional.mse_loss(pred, ratings[idx])
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    total += loss.item()
                    batches += 1
                secs.append(time.perf_counter() - t0)
                losses.append(total / batches)
            return secs[1:], losses

        s32, l32 = torch_minibatch(torch.float32)
        s64, l64 = torch_minibatch(torch.float64)
        mt32, mt64 = statistics.median(s32), statistics.median(s64)
        mf_ep, mf_wall, mf_loss = [], [], None
        for i in range(args.repeats):
            log = work / f"ml100k_adam{i}.jsonl"
            _, dt = run([mftool, "fit", "--method", "adam", "--lr", str(ADAM_LR), "--loss", "observed", "--lambda", "0",
                         "--batch-size", str(ML_BATCH), "--epochs", str(ML_EPOCHS), "--interactions", str(h5),
                         "--items", str(v_ml), "--out", str(work / "ml100k_users.h5"), "--init", str(u_ml),
                         "--log", str(log), "--quiet"])
            rec = read_jsonl(log)
            mf_ep.append(statistics.median(r["seconds"] for r in rec))
            mf_wall.append(dt)
            mf_loss = [r["loss"] for r in rec]
        mft, mfw = statistics.median(mf_ep), statistics.median(mf_wall)
        res.update(ml_torch32=mt32, ml_torch64=mt64, ml_mftool=mft, ml_shape=(m_ml, n_ml, nnz))
        meter6.__exit__(None, None, None)
        print(f"(other processes used {meter6.fraction:.0%} of the CPUs during part 6)")
        print(f"PyTorch one epoch (median of {ML_EPOCHS} after a warm-up): float32 {mt32 * 1e3:.1f} ms, "
              f"float64 {mt64 * 1e3:.1f} ms ({-(-nnz // ML_BATCH)} batches)")
        print(f"mftool fit one epoch (median jsonl seconds; runs: {', '.join(f'{s * 1e3:.2f}' for s in mf_ep)} ms): "
              f"{mft * 1e3:.2f} ms; whole process for {ML_EPOCHS} epochs {mfw * 1e3:.0f} ms")
        print(f"ratio mftool/PyTorch: {mft / mt32:.4f} vs float32, {mft / mt64:.4f} vs float64")
        print("mean batch loss per epoch (different shuffles, so close, not equal):")
        print(f"  PyTorch f64 (epochs 0..{ML_EPOCHS}, 0 = warm-up): {', '.join(f'{x:.4f}' for x in l64)}")
        print(f"  mftool      (epochs 1..{ML_EPOCHS}):               {', '.join(f'{x:.4f}' for x in mf_loss)}")
        note("ml100k one epoch", f"[others {meter6.fraction:.0%} CPU] PyTorch f32 {mt32 * 1e3:.1f} ms, f64 {mt64 * 1e3:.1f} ms; mftool {mft * 1e3:.2f} ms; "
             f"ratio {mft / mt32:.4f} (f32), {mft / mt64:.4f} (f64)")

    return finish(args, mftool, worst_overall, mb_worst, failed, overall)


def finish(args, mftool: str, worst_overall: float, mb_worst: float, failed: bool, overall) -> int:
    """The SUMMARY block and the --json file; returns the exit status."""
    section("SUMMARY")
    width = max(len(k) for k, _ in summary)
    for k, v in summary:
        print(f"{k.ljust(width)}  {v}")
    verdict = "FAIL" if failed else "PASS"
    print(f"{'loss parity'.ljust(width)}  {verdict} (max rel. diff {worst_overall:.3e}, tolerance {PARITY_TOL:g}; "
          f"mini-batch {mb_worst:.3e}, tolerance {MB_TOL:g})")
    if args.json:
        write_json(args.json, json_rows(worst_overall, failed), bench="torch", machine=machine(mftool),
                   versions=dict(torch=torch.__version__, torch_threads=torch.get_num_threads()),
                   shape=dict(m=M, n=N, k=K), reps=args.repeats, figures=res, summary=summary,
                   other_cpu_share=overall.share())
    return 1 if failed else 0


def json_rows(worst: float, failed: bool) -> list[dict]:
    """The common result rows (tools/benchmarks/benchlib.py) from the figures this run measured."""
    tv = f"PyTorch {torch.__version__}"
    parity = f"per-epoch losses equal PyTorch's (float64) to {worst:.0e} relative" + (" — PARITY FAILED" if failed else "")
    rows = []
    if "conv_seconds" in res:
        reached = res.get("conv_epochs")
        ep = f"{reached:,} epochs" if reached is not None else f"cap reached, gap {res['conv_gap']:.1e}"
        mf_fit = (f"; mftool fit Adam reaches it at epoch {res['mf_fit_epochs']:,} in {res['mf_fit_steps_s']:.2f} s of steps"
                  if res.get("mf_fit_epochs") else "")
        rows.append(row(f"seed problem ({M} × {N} dense, k = {K}): exact solve vs Adam (lr {ADAM_LR}, float64) "
                        f"to a {GAP_TARGET:g} gap", res["solve_wall"], f"{tv} Adam, {ep}", res["conv_seconds"],
                        mftool_peak=res.get("solve_peak"), peer_peak=res.get("conv_peak"), timing="whole process / loop",
                        note=f"mftool kernel {res['solve_kernel'] * 1e3:.2f} ms"
                        + (f" (warm, median of 200 in one process: {res['solve_kernel_warm'] * 1e3:.2f} ms)"
                           if res.get("solve_kernel_warm") else "")
                        + (f"; NumPy/SciPy's exact solve, warm in the same run: {res['solve_numpy_warm'] * 1e3:.2f} ms "
                           f"(R·V alone {res['rv_numpy_warm'] * 1e3:.2f} ms)" if res.get("solve_numpy_warm") else "")
                        + mf_fit, other_cpu=res.get("other4")))
    if "epoch_mftool" in res:
        for name, key in (("float32", "epoch_torch32"), ("float64", "epoch_torch64")):
            rows.append(row(f"seed problem: one full-batch Adam epoch (mftool double vs PyTorch {name})",
                            res["epoch_mftool"], f"{tv} {name}, {torch.get_num_threads()} thread(s)", res[key], timing="per epoch",
                            note=parity if name == "float64" else "median of 100 epochs each"))
    if "ml_mftool" in res:
        m_ml, n_ml, nnz = res["ml_shape"]
        for name, key in (("float32", "ml_torch32"), ("float64", "ml_torch64")):
            rows.append(row(f"MovieLens-100K ({nnz:,} ratings): one Adam epoch of {ML_BATCH:,}-rating mini-batches, "
                            f"k = {ML_K} (mftool double vs PyTorch {name})", res["ml_mftool"],
                            f"{tv} {name}, nn.Embedding", res[key], timing="per epoch",
                            note="median over epochs; different shuffles"))
    return rows


if __name__ == "__main__":
    sys.exit(main())
