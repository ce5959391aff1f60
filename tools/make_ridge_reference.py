#!/usr/bin/env python3
"""Independent NumPy reference for mftool's exact per-user ridge solver.

Writes the fixtures under ``fixtures/ridge/`` that the Swift tests compare
against.  Only numpy and h5py are needed.  Regenerate with

    tools/.venv/bin/python tools/make_ridge_reference.py            # writes fixtures/ridge/
    tools/.venv/bin/python tools/make_ridge_reference.py --check    # recompute, compare with the committed files

The objective (this docstring is the spec)
------------------------------------------
One user u at a time.  Ω_u is the set of items the user has a stored entry for
(stored values r_ui, all > 0 in these fixtures), V is the n×k item matrix,
held fixed, v_i its row for item i, and x_u the user's factor.

Losses:

* ``observed``:  f(x_u) = Σ_{i∈Ω_u} (t_ui − x_u·v_i)² + λ_u‖x_u‖²
* ``dense``:     f(x_u) = Σ_{all items i} (t_ui − x_u·v_i)² + λ_u‖x_u‖²
  (an unobserved entry counts as r_ui = 0)
* ``implicit`` (Hu, Koren & Volinsky 2008):
  p_ui = 1 if r_ui > 0 else 0 (so p_ui = 0 for i ∉ Ω_u);
  confidence c_ui = 1 + α·r_ui (``one-plus``) or c_ui = α·r_ui (``linear``,
  as in the `implicit` library) for i ∈ Ω_u, and c_ui = 1 for i ∉ Ω_u;
  f(x_u) = Σ_{all items i} c_ui (p_ui − x_u·v_i)² + λ_u‖x_u‖².
  (With ``linear`` a stored 0 would get confidence 0; the data hold no zeros.)

Regularisation weight:

* ``constant``: λ_u = λ
* ``count`` (ALS-WR): λ_u = λ·|Ω_u|, so λ_u = 0 for a user with no entries.

Targets (``observed`` and ``dense`` only; ``implicit`` uses no offsets):

  t_ui = r_ui − μ·[offset] − b_i·[item-bias]

* ``offset`` ("global-mean"): μ = mean of ALL stored values of the whole
  matrix (data array of the CSR file).  Under ``dense`` it is subtracted from
  every entry, so an unobserved target is −μ.
* ``item-bias``: the fixed vector b (``/item_bias`` in items.h5) is subtracted
  from every target (under ``observed`` only the observed ones exist; under
  ``dense`` every entry, so an unobserved target is −μ·[offset] − b_i).
  Offset and item bias may be combined.

User bias (``user-bias``): x_u gets one extra component, stored LAST, that
multiplies a column of ones appended to V (V_aug = [V, 1]); that component is
NOT regularised: the penalty is λ_u Σ_{j<k} x_uj² (first k components only).

Users with no entries: under ``observed`` the result is the zero vector
(including the bias component) and their objective is 0.  Under ``dense`` and
``implicit`` they get the exact minimiser of f as defined above (unique here:
V_aug has full column rank, so it exists even when λ_u = 0 with ``count``).

Method (deliberately not mftool's normal equations + Cholesky): each user's
problem is the weighted least-squares system

    [ diag(√w)·V_rows ]       [ √w ∘ t ]
    [ √λ_u · P        ] x  ≈  [   0    ]

with w = 1 (observed/dense) or w = c (implicit), V_rows the rows of V (or
V_aug) for Ω_u (observed) or all items (dense/implicit), and P = I_d with the
user-bias row zeroed.  It is solved with ``numpy.linalg.lstsq`` (SVD) in
float64; the script asserts that the system has full column rank (unique
minimiser), that the gradient of f at the solution is zero to 1e-9 relative,
and that ``dense`` equals ``observed`` on a fully observed matrix for every
regularisation and bias option.

Fixture layout (all under fixtures/ridge/)
------------------------------------------
problem.h5 — interactions, mftool's canonical HDF5 format (AnnData CSR
encoding at the root): root attributes ``encoding-type`` = "csr_matrix",
``encoding-version`` = "0.1.0", ``shape`` = int64 [m, n]; datasets
``/data`` float64, ``/indices`` int32 (sorted within a row), ``/indptr``
int64, ``/user_ids`` int64 (0..m−1), ``/item_ids`` int64 (0..n−1).
m = 40 users, n = 30 items, ratings 1..5 in half steps, ~25 % density, users
ZERO_USERS with no entries, ONE_USER with one entry, FULL_USER with all n.

items.h5 — ``/item_factors`` float64 n×k (k = 5, row i is item_ids[i]),
``/item_ids`` int64, ``/item_bias`` float64 (n).

expected.h5 — one group per case ``{loss}_{reg}_{bias}``:
loss ∈ {observed, dense, implicit-oneplus, implicit-linear},
reg ∈ {constant, count},
bias ∈ {none, userbias, offset, itembias, userbias-offset-itembias}
(implicit: only none and userbias).  Each group holds
``user_factors`` float64 m×k, or m×(k+1) with the user-bias component last,
``user_objective`` float64 (m) = f(x_u) per user, and attributes
``loss`` ("observed" | "dense" | "implicit"), ``reg`` ("constant" | "count"),
``lambda`` (0.3), ``alpha`` (2.0, stored in every group), ``confidence``
("one-plus" | "linear" | ""), ``user_bias`` int64 0/1,
``offset`` ("global-mean" | "none"), ``item_bias`` int64 0/1,
``objective`` float64 = Σ_u f(x_u), ``mu`` float64 (μ if offset is used,
else 0).

full/ — a fully observed 6×30 matrix (every entry stored):
full/full_problem.h5 (same layout as problem.h5), full/items.h5 (same
content as items.h5) and full/expected.h5 with groups ``fullcheck_observed``
and ``fullcheck_dense`` (constant reg, no bias; identical user_factors), same
datasets and attributes as above.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np

SEED = 20240611
FULL_SEED = 20240612
M, N, K = 40, 30, 5
FULL_M = 6
LAMBDA = 0.3
ALPHA = 2.0
ZERO_USERS = (5, 22)
ONE_USER = 13
FULL_USER = 31
GRAD_TOL = 1e-9
# Oldest object formats, never newer than HDF5 1.10 (Debian's libhdf5 reads them).
LIBVER = ("earliest", "v110")

LOSSES = ("observed", "dense", "implicit-oneplus", "implicit-linear")
REGS = ("constant", "count")
BIASES = ("none", "userbias", "offset", "itembias", "userbias-offset-itembias")
IMPLICIT_BIASES = ("none", "userbias")


# --------------------------------------------------------------------------
# Data


@dataclass
class Problem:
    indptr: np.ndarray  # int64 (m+1)
    indices: np.ndarray  # int32
    data: np.ndarray  # float64
    m: int
    n: int

    def row(self, u: int) -> tuple[np.ndarray, np.ndarray]:
        lo, hi = self.indptr[u], self.indptr[u + 1]
        return self.indices[lo:hi].astype(np.int64), self.data[lo:hi]

    @property
    def mu(self) -> float:
        return float(self.data.mean())


def half_step_ratings(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.integers(2, 11, size=size).astype(np.float64) / 2.0  # 1.0 .. 5.0


def make_items(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    v = rng.standard_normal((N, K)) / np.sqrt(K)
    b = rng.normal(0.0, 0.5, size=N)
    return v, b


def make_problem(rng: np.random.Generator) -> Problem:
    counts = rng.integers(2, 14, size=M)
    counts[list(ZERO_USERS)] = 0
    counts[ONE_USER] = 1
    counts[FULL_USER] = N
    indptr = np.zeros(M + 1, dtype=np.int64)
    indices, data = [], []
    for u in range(M):
        cols = np.sort(rng.choice(N, size=counts[u], replace=False))
        indices.append(cols.astype(np.int32))
        data.append(half_step_ratings(rng, counts[u]))
        indptr[u + 1] = indptr[u] + counts[u]
    p = Problem(indptr, np.concatenate(indices), np.concatenate(data), M, N)
    assert np.all(p.data > 0)
    return p


def make_full_problem(rng: np.random.Generator) -> Problem:
    indptr = np.arange(FULL_M + 1, dtype=np.int64) * N
    indices = np.tile(np.arange(N, dtype=np.int32), FULL_M)
    data = half_step_ratings(rng, FULL_M * N)
    return Problem(indptr, indices, data, FULL_M, N)


# --------------------------------------------------------------------------
# Solver


@dataclass(frozen=True)
class Case:
    loss: str  # observed | dense | implicit
    confidence: str  # one-plus | linear | ""
    reg: str  # constant | count
    user_bias: bool
    offset: bool
    item_bias: bool


def parse_case(loss_name: str, reg: str, bias: str) -> Case:
    parts = set(bias.split("-")) - {"none"}
    assert parts <= {"userbias", "offset", "itembias"}, bias
    if loss_name.startswith("implicit"):
        loss, conf = "implicit", {"implicit-oneplus": "one-plus", "implicit-linear": "linear"}[loss_name]
        assert parts <= {"userbias"}
    else:
        loss, conf = loss_name, ""
    return Case(loss, conf, reg, "userbias" in parts, "offset" in parts, "itembias" in parts)


def user_system(case: Case, p: Problem, v: np.ndarray, b: np.ndarray, u: int):
    """Rows, weights, targets, λ_u and penalty mask of user u's objective."""
    cols, vals = p.row(u)
    n, k = v.shape
    vaug = np.hstack([v, np.ones((n, 1))]) if case.user_bias else v
    penal = np.ones(vaug.shape[1])
    if case.user_bias:
        penal[k] = 0.0
    lam_u = LAMBDA if case.reg == "constant" else LAMBDA * len(cols)
    mu = p.mu if case.offset else 0.0

    if case.loss == "observed":
        rows = vaug[cols]
        w = np.ones(len(cols))
        t = vals - mu - (b[cols] if case.item_bias else 0.0)
    elif case.loss == "dense":
        rows = vaug
        w = np.ones(n)
        r = np.zeros(n)
        r[cols] = vals
        t = r - mu - (b if case.item_bias else 0.0)
    else:  # implicit
        rows = vaug
        c = np.ones(n)
        c[cols] = 1.0 + ALPHA * vals if case.confidence == "one-plus" else ALPHA * vals
        w = c
        t = np.zeros(n)
        t[cols] = (vals > 0).astype(np.float64)
    return rows, w, t, lam_u, penal


def objective(rows, w, t, lam_u, penal, x) -> float:
    resid = t - rows @ x
    return float(np.sum(w * resid * resid) + lam_u * np.sum(penal * x * x))


def solve_user(case: Case, p: Problem, v: np.ndarray, b: np.ndarray, u: int):
    rows, w, t, lam_u, penal = user_system(case, p, v, b, u)
    d = rows.shape[1]
    if case.loss == "observed" and rows.shape[0] == 0:
        x = np.zeros(d)
        return x, 0.0
    sw = np.sqrt(w)
    a = np.vstack([sw[:, None] * rows, np.sqrt(lam_u) * np.diag(np.sqrt(penal))])
    rhs = np.concatenate([sw * t, np.zeros(d)])
    x, _, rank, _ = np.linalg.lstsq(a, rhs, rcond=None)
    assert rank == d, (case, u, rank, d)  # unique minimiser

    # Gradient of f: 2 [ -rowsᵀ W (t - rows x) + λ_u P x ] must vanish.
    wr = w[:, None] * rows
    grad = 2.0 * (-(wr.T @ (t - rows @ x)) + lam_u * penal * x)
    hess = wr.T @ rows + lam_u * np.diag(penal)
    scale = np.linalg.norm(wr.T @ t) + np.linalg.norm(hess, 2) * np.linalg.norm(x)
    rel = np.linalg.norm(grad) / max(scale, 1e-300)
    assert rel < GRAD_TOL or np.linalg.norm(grad) < 1e-14, (case, u, rel)
    return x, objective(rows, w, t, lam_u, penal, x)


def solve_case(case: Case, p: Problem, v: np.ndarray, b: np.ndarray):
    sols, objs = zip(*(solve_user(case, p, v, b, u) for u in range(p.m)))
    return np.array(sols), np.array(objs)


# --------------------------------------------------------------------------
# Writing


def write_interactions(path: Path, p: Problem) -> None:
    with h5py.File(path, "w", libver=LIBVER) as f:
        f.attrs["encoding-type"] = "csr_matrix"
        f.attrs["encoding-version"] = "0.1.0"
        f.attrs["shape"] = np.array([p.m, p.n], dtype=np.int64)
        f.create_dataset("data", data=p.data.astype(np.float64))
        f.create_dataset("indices", data=p.indices.astype(np.int32))
        f.create_dataset("indptr", data=p.indptr.astype(np.int64))
        f.create_dataset("user_ids", data=np.arange(p.m, dtype=np.int64))
        f.create_dataset("item_ids", data=np.arange(p.n, dtype=np.int64))


def write_items(path: Path, v: np.ndarray, b: np.ndarray) -> None:
    with h5py.File(path, "w", libver=LIBVER) as f:
        f.create_dataset("item_factors", data=v.astype(np.float64))
        f.create_dataset("item_ids", data=np.arange(v.shape[0], dtype=np.int64))
        f.create_dataset("item_bias", data=b.astype(np.float64))


def write_group(f: h5py.File, name: str, case: Case, p: Problem, x: np.ndarray, objs: np.ndarray) -> None:
    g = f.create_group(name)
    g.create_dataset("user_factors", data=x)
    g.create_dataset("user_objective", data=objs)
    g.attrs["loss"] = case.loss
    g.attrs["reg"] = case.reg
    g.attrs["lambda"] = np.float64(LAMBDA)
    g.attrs["alpha"] = np.float64(ALPHA)
    g.attrs["confidence"] = case.confidence
    g.attrs["user_bias"] = np.int64(case.user_bias)
    g.attrs["offset"] = "global-mean" if case.offset else "none"
    g.attrs["item_bias"] = np.int64(case.item_bias)
    g.attrs["objective"] = np.float64(objs.sum())
    g.attrs["mu"] = np.float64(p.mu if case.offset else 0.0)


def generate(out: Path) -> None:
    rng = np.random.default_rng(SEED)
    v, b = make_items(rng)
    p = make_problem(rng)
    full = make_full_problem(np.random.default_rng(FULL_SEED))

    out.mkdir(parents=True, exist_ok=True)
    (out / "full").mkdir(exist_ok=True)
    write_interactions(out / "problem.h5", p)
    write_items(out / "items.h5", v, b)
    write_interactions(out / "full" / "full_problem.h5", full)
    write_items(out / "full" / "items.h5", v, b)

    with h5py.File(out / "expected.h5", "w", libver=LIBVER) as f:
        for loss in LOSSES:
            for reg in REGS:
                for bias in IMPLICIT_BIASES if loss.startswith("implicit") else BIASES:
                    case = parse_case(loss, reg, bias)
                    x, objs = solve_case(case, p, v, b)
                    write_group(f, f"{loss}_{reg}_{bias}", case, p, x, objs)

    # dense == observed on a fully observed matrix, for every reg/bias option.
    for reg in REGS:
        for bias in BIASES:
            xo, oo = solve_case(parse_case("observed", reg, bias), full, v, b)
            xd, od = solve_case(parse_case("dense", reg, bias), full, v, b)
            assert np.allclose(xo, xd, rtol=1e-12, atol=1e-12) and np.allclose(oo, od, rtol=1e-12), (reg, bias)
            # The same user within the sparse problem (FULL_USER has every item).
            xo1, _ = solve_user(parse_case("observed", reg, bias), p, v, b, FULL_USER)
            xd1, _ = solve_user(parse_case("dense", reg, bias), p, v, b, FULL_USER)
            assert np.allclose(xo1, xd1, rtol=1e-12, atol=1e-12), (reg, bias)
    with h5py.File(out / "full" / "expected.h5", "w", libver=LIBVER) as f:
        xs = {}
        for loss in ("observed", "dense"):
            case = parse_case(loss, "constant", "none")
            xs[loss], objs = solve_case(case, full, v, b)
            write_group(f, f"fullcheck_{loss}", case, full, xs[loss], objs)
        assert np.array_equal(xs["observed"], xs["dense"])

    # Sanity on the data shape the brief asks for.
    counts = np.diff(p.indptr)
    assert sorted(np.flatnonzero(counts == 0).tolist()) == sorted(ZERO_USERS)
    assert np.flatnonzero(counts == 1).tolist() == [ONE_USER]
    print(f"wrote {out}: m={p.m} n={p.n} k={K} nnz={len(p.data)} "
          f"density={len(p.data) / (p.m * p.n):.3f} mu={p.mu:.6f}")


# --------------------------------------------------------------------------
# --check: regenerate into a temporary directory and compare


def compare_files(a: Path, b: Path) -> list[str]:
    problems: list[str] = []

    def attrs_equal(x, y) -> bool:
        if isinstance(x, (str, bytes)) or isinstance(y, (str, bytes)):
            return x == y
        return np.allclose(np.asarray(x), np.asarray(y), rtol=1e-10, atol=1e-12)

    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        def walk(ga, gb, where):
            if set(ga.attrs) != set(gb.attrs):
                problems.append(f"{a.name}{where}: attribute names differ")
            for key in ga.attrs:
                if key in gb.attrs and not attrs_equal(ga.attrs[key], gb.attrs[key]):
                    problems.append(f"{a.name}{where}@{key}: {ga.attrs[key]!r} != {gb.attrs[key]!r}")
            if set(ga.keys()) != set(gb.keys()):
                problems.append(f"{a.name}{where}: members differ")
            for key in ga.keys():
                if key not in gb:
                    continue
                oa, ob = ga[key], gb[key]
                if isinstance(oa, h5py.Group):
                    walk(oa, ob, f"{where}/{key}")
                elif oa.dtype != ob.dtype or oa.shape != ob.shape:
                    problems.append(f"{a.name}{where}/{key}: dtype/shape differ")
                elif not np.allclose(oa[()], ob[()], rtol=1e-10, atol=1e-12):
                    problems.append(f"{a.name}{where}/{key}: values differ")
        walk(fa, fb, "")
    return problems


def check(out: Path) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="ridge-ref-"))
    try:
        generate(tmp)
        problems = []
        for fresh in sorted(tmp.rglob("*.h5")):
            committed = out / fresh.relative_to(tmp)
            if not committed.exists():
                problems.append(f"missing {committed}")
                continue
            problems += compare_files(committed, fresh)
    finally:
        shutil.rmtree(tmp)
    for line in problems:
        print(line, file=sys.stderr)
    print("fixtures match" if not problems else f"{len(problems)} difference(s)")
    return 1 if problems else 0


def main() -> int:
    default_out = Path(__file__).resolve().parent.parent / "fixtures" / "ridge"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=default_out, help="output directory (default: fixtures/ridge)")
    ap.add_argument("--check", action="store_true", help="recompute and compare with the files in --out")
    args = ap.parse_args()
    if args.check:
        return check(args.out)
    generate(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
