#!/usr/bin/env python3
"""End-to-end interop check of ``mftool``'s inputs and outputs against the real Python libraries.

Every case writes an input file with the library that owns the format (pandas,
SciPy, h5py, AnnData, NumPy), runs the mftool binary on it, reads mftool's
output back with the real libraries and compares it EXACTLY with what the
input means: shape, ids (and their on-disk dtype), ``indptr``, ``indices`` and
the values bit for bit.  Failure cases (mftool must refuse) also check the exit
code, a one-line message on stderr, and that the output folder holds neither
the output nor a leftover temporary ``.NAME.tmp-*`` file.

The output cases read what mftool writes with the client that owns each
extension: every ``.h5ad`` (convert, split, generate, fit, solve) with
``anndata.read_h5ad`` (ids as obs/var names, timestamps as a layer,
``uns['mftool']``), ``.csv``/``.tsv``/``.jsonl`` with pandas, ``.parquet`` with pandas
(pyarrow), polars and DuckDB, ``.mtx`` with
SciPy, ``.h5`` with h5py, ``.json`` with json; embeddings anndata wrote are
joined by their obs names; an unknown output extension exits 64. Parquet inputs come from
pandas (pyarrow: every codec, dictionary on and off, pages v1 and v2), polars, DuckDB and
dataset folders (pyarrow ``write_dataset``, pandas ``partition_cols``, a Spark-like folder).

Usage (from the repository root)::

    swift build --product mftool
    tools/checks/interop_check.py .build/debug/mftool

The script runs itself under tools/.venv's Python, creating it when missing.

Arguments: ``MFTOOL`` (default ``.build/debug/mftool``), ``--keep DIR`` to keep
the work files in DIR, ``-k SUBSTRING`` to run only matching cases,
``-v`` to print mftool's stderr for failures.

Output: one line per case, ``ok CASE`` or ``FAIL CASE: reason``, then
``N passed, M failed``.  Exit status 1 when any case failed.

The expected canonical form (README "Formats"): a CSR group at the root with
attributes ``encoding-type``=csr_matrix and ``shape``; datasets ``data``
(float64), ``indices``, ``indptr``, ``user_ids``, ``item_ids`` (int64 when every
id is a canonical decimal integer that fits, uint64 when every id is a non-negative one below
2^64, else variable-length UTF-8 strings).  Ids in
first-seen order (``--sort-ids``: sorted, numerically when all are integers);
rows in user order, columns ascending within a row; duplicates summed unless
``--duplicates last|error``; matrices without ids get positional ids 0..m-1.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import unicodedata
import warnings

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")  # re-runs this script under tools/.venv's Python

import numpy as np

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", category=UserWarning)

import anndata  # noqa: E402
import duckdb  # noqa: E402
import h5py  # noqa: E402
import pandas as pd  # noqa: E402
import polars as pl  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402
import scipy.io  # noqa: E402
import scipy.sparse as sp  # noqa: E402

SEED = 20240611


class CaseFailure(Exception):
    """A check inside a case did not hold."""


def require(condition, message):
    """Raises CaseFailure(message) unless condition; message may be a callable (built lazily)."""
    if not condition:
        raise CaseFailure(message() if callable(message) else message)


# --------------------------------------------------------------------------------------------
# Running mftool


class Runner:
    def __init__(self, binary: str, verbose: bool):
        self.binary = binary
        self.verbose = verbose

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([self.binary, *args], capture_output=True, text=True, timeout=300)

    def convert_ok(self, *args: str) -> subprocess.CompletedProcess:
        """Runs `mftool convert ARGS`, requires success, and a clean output folder."""
        proc = self.run("convert", *args)
        if proc.returncode != 0:
            raise CaseFailure(f"mftool convert {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
        output = args[1]
        require(os.path.isfile(output), f"mftool exited 0 but {output} does not exist")
        leftovers = temp_files(os.path.dirname(output) or ".")
        require(not leftovers, f"temporary files left after success: {leftovers}")
        return proc

    def convert_fails(self, *args: str, before: dict[str, bytes] | None = None) -> subprocess.CompletedProcess:
        """Runs `mftool convert ARGS`, requires a non-zero exit with a one-line message and an
        output folder left as it was (`before`: name -> bytes of files that existed)."""
        output = args[1]
        folder = os.path.dirname(output) or "."
        before = before or {}
        proc = self.run("convert", *args)
        require(proc.returncode != 0, f"mftool convert {' '.join(args)} exited 0, expected a failure")
        require(proc.returncode == 1, f"exit code {proc.returncode}, expected 1 (bad input): {proc.stderr.strip()}")
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        require(len(lines) == 1, f"expected a one-line error on stderr, got {len(lines)} lines: {proc.stderr!r}")
        now = sorted(os.listdir(folder))
        require(now == sorted(before), f"output folder holds {now} after the failure, expected {sorted(before)}")
        for name, content in before.items():
            with open(os.path.join(folder, name), "rb") as fh:
                require(fh.read() == content, f"pre-existing {name} was modified by the failed run")
        return proc


def temp_files(folder: str) -> list[str]:
    return sorted(n for n in os.listdir(folder) if re.match(r"^\..*\.tmp-", n) or ".tmp-" in n)


# --------------------------------------------------------------------------------------------
# Expected canonical matrices


class Expected:
    """A canonical CSR matrix with string ids."""

    def __init__(self, shape, user_ids, item_ids, indptr, indices, data):
        self.shape = tuple(int(x) for x in shape)
        self.user_ids = [str(x) for x in user_ids]
        self.item_ids = [str(x) for x in item_ids]
        self.indptr = np.asarray(indptr, dtype=np.int64)
        self.indices = np.asarray(indices, dtype=np.int64)
        self.data = np.asarray(data, dtype=np.float64)

    @classmethod
    def from_scipy(cls, matrix, user_ids=None, item_ids=None):
        """From any scipy sparse matrix without duplicates: values as float64, positional ids."""
        csr = sp.csr_matrix(matrix).copy()
        csr.sort_indices()
        m, n = csr.shape
        return cls(csr.shape,
                   user_ids if user_ids is not None else [str(k) for k in range(m)],
                   item_ids if item_ids is not None else [str(k) for k in range(n)],
                   csr.indptr, csr.indices, csr.data.astype(np.float64))

    def rows(self):
        return np.repeat(np.arange(self.shape[0], dtype=np.int64), np.diff(self.indptr))

    def triplets(self):
        r = self.rows()
        return [(self.user_ids[r[p]], self.item_ids[self.indices[p]], self.data[p]) for p in range(len(self.data))]


INT_RE = re.compile(r"0|-?[1-9][0-9]*")


def is_int_id(s: str) -> bool:
    return bool(INT_RE.fullmatch(s)) and -(2 ** 63) <= int(s) < 2 ** 63


def is_uint_id(s: str) -> bool:
    return bool(INT_RE.fullmatch(s)) and 0 <= int(s) < 2 ** 64


def id_dtype(ids: list[str]) -> str:
    """How mftool stores these ids: int64 when all fit, uint64 when all are non-negative
    integers below 2^64 (some past 2^63 - 1, as NumPy keeps them), else strings."""
    if all(is_int_id(s) for s in ids):
        return "int64"
    if all(is_uint_id(s) for s in ids):
        return "uint64"
    return "strings"


def sorted_ids(ids: list[str]) -> list[str]:
    if id_dtype(ids) != "strings":
        return sorted(ids, key=int)
    return sorted(ids)


def canonical(triplets, duplicates="sum", sort_ids=False, item_order=None, drop_unknown=False):
    """The reference canonicalization of (user, item, value) triplets, ids as strings.

    Users and items are numbered in first-seen order (or sorted); a repeated pair is summed in
    input order (or the last value kept).  `item_order` fixes the item columns exactly.
    Returns (Expected, number of repeated triplets, number of dropped triplets)."""
    users = list(dict.fromkeys(u for u, _, _ in triplets))
    items = list(dict.fromkeys(i for _, i, _ in triplets))
    if sort_ids:
        users = sorted_ids(users)
        items = sorted_ids(items)
    dropped = 0
    if item_order is not None:
        known = set(item_order)
        kept = [t for t in triplets if t[1] in known]
        dropped = len(triplets) - len(kept)
        assert drop_unknown or dropped == 0
        triplets = kept
        items = list(item_order)
    u_index = {u: k for k, u in enumerate(users)}
    i_index = {i: k for k, i in enumerate(items)}
    entries: dict[tuple[int, int], float] = {}
    repeats = 0
    for u, i, v in triplets:
        key = (u_index[u], i_index[i])
        if key in entries:
            repeats += 1
            entries[key] = entries[key] + v if duplicates == "sum" else v
        else:
            entries[key] = float(v)
    keys = sorted(entries)
    indptr = np.zeros(len(users) + 1, dtype=np.int64)
    for r, _ in keys:
        indptr[r + 1] += 1
    indptr = np.cumsum(indptr)
    return (Expected((len(users), len(items)), users, items, indptr,
                     [c for _, c in keys], [entries[k] for k in keys]), repeats, dropped)


# --------------------------------------------------------------------------------------------
# Comparisons


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    a = np.ascontiguousarray(a, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    return a.shape == b.shape and np.array_equal(a.view(np.uint64), b.view(np.uint64))


def first_difference(a, b) -> str:
    a = np.asarray(a)
    b = np.asarray(b)
    if a.shape != b.shape:
        return f"length {a.shape} vs expected {b.shape}"
    if a.dtype.kind == "f" or b.dtype.kind == "f":
        diff = np.flatnonzero(np.asarray(a, np.float64).view(np.uint64) != np.asarray(b, np.float64).view(np.uint64))
    else:
        diff = np.flatnonzero(a != b)
    k = int(diff[0])
    return f"{len(diff)} positions differ, first at {k}: {a.flat[k]!r} vs expected {b.flat[k]!r}"


def compare_csr(what: str, shape, indptr, indices, data, exp: Expected):
    require(tuple(int(x) for x in shape) == exp.shape, f"{what}: shape {tuple(shape)} vs expected {exp.shape}")
    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    require(indptr.dtype.kind in "iu", f"{what}: indptr dtype {indptr.dtype}")
    require(indices.dtype.kind in "iu", f"{what}: indices dtype {indices.dtype}")
    require(indptr.shape == exp.indptr.shape and np.array_equal(indptr.astype(np.int64), exp.indptr),
            lambda: f"{what}: indptr differs: {first_difference(indptr.astype(np.int64), exp.indptr)}")
    require(indices.shape == exp.indices.shape and np.array_equal(indices.astype(np.int64), exp.indices),
            lambda: f"{what}: indices differ: {first_difference(indices.astype(np.int64), exp.indices)}")
    data = np.asarray(data)
    require(data.dtype == np.float64, f"{what}: data dtype {data.dtype}, expected float64")
    require(same_bits(data, exp.data), lambda: f"{what}: data differ: {first_difference(data, exp.data)}")


def read_ids(ds, what: str) -> list[str]:
    """Ids of an mftool output dataset, checking the dtype rule (int64, uint64 or UTF-8 vlen strings)."""
    require(ds.ndim == 1, f"{what}: shape {ds.shape}, expected 1-D")
    if ds.dtype.kind in "iu":
        require(ds.dtype in (np.int64, np.uint64), f"{what}: integer dtype {ds.dtype}, expected int64 or uint64")
        return [str(int(x)) for x in ds[()]]
    info = h5py.check_string_dtype(ds.dtype)
    require(info is not None, f"{what}: dtype {ds.dtype}, expected int64 or strings")
    require(info.encoding == "utf-8" and info.length is None,
            f"{what}: strings are {info.encoding} length {info.length}, expected variable-length UTF-8")
    return list(ds.asstr()[()])


def compare_ids(what: str, got: list[str], expected: list[str], stored: str):
    require(stored == id_dtype(expected), f"{what}: stored as {stored}, expected {id_dtype(expected)}")
    if got != expected:
        if len(got) != len(expected):
            raise CaseFailure(f"{what}: {len(got)} ids, expected {len(expected)} "
                              f"(got {got[:6]}..., expected {expected[:6]}...)")
        k = next(k for k in range(len(got)) if got[k] != expected[k])
        raise CaseFailure(f"{what}: id {k} is {got[k]!r}, expected {expected[k]!r}")


def stored_dtype(ds) -> str:
    return str(ds.dtype) if ds.dtype in (np.int64, np.uint64) else "strings"


def check_canonical(path: str, exp: Expected):
    """Reads an mftool canonical HDF5 file with h5py + scipy and with anndata; compares exactly."""
    with h5py.File(path, "r") as f:
        enc = f.attrs.get("encoding-type")
        enc = enc.decode() if isinstance(enc, bytes) else enc
        require(enc == "csr_matrix", f"root attribute encoding-type is {enc!r}, expected 'csr_matrix'")
        require("shape" in f.attrs, "root has no 'shape' attribute")
        shape = tuple(int(x) for x in np.asarray(f.attrs["shape"]).ravel())
        for name in ("data", "indices", "indptr", "user_ids", "item_ids"):
            require(name in f and isinstance(f[name], h5py.Dataset), f"no dataset /{name}")
        data, indices, indptr = f["data"][()], f["indices"][()], f["indptr"][()]
        compare_csr("h5py arrays", shape, indptr, indices, data, exp)
        m = sp.csr_matrix((data, indices, indptr), shape=shape)
        compare_csr("scipy.sparse.csr_matrix", m.shape, m.indptr, m.indices, m.data, exp)
        require(m.has_sorted_indices and m.has_canonical_format, "scipy: indices not canonical")
        users = read_ids(f["user_ids"], "user_ids")
        items = read_ids(f["item_ids"], "item_ids")
        compare_ids("user_ids", users, exp.user_ids, stored_dtype(f["user_ids"]))
        compare_ids("item_ids", items, exp.item_ids, stored_dtype(f["item_ids"]))
        ad = anndata.io.read_elem(f["/"])
        require(sp.issparse(ad) and ad.format == "csr", f"anndata.io.read_elem gave {type(ad).__name__}, expected CSR")
        compare_csr("anndata.io.read_elem", ad.shape, ad.indptr, ad.indices, ad.data, exp)


def check_no_files(folder: str, allowed=()):
    extra = sorted(set(os.listdir(folder)) - set(allowed))
    require(not extra, f"output folder holds {extra}")


# --------------------------------------------------------------------------------------------
# Input data


def random_values(rng, n):
    """Float64 values with full 17-digit precision, plus a few integers and special magnitudes."""
    v = rng.normal(3.0, 1.5, size=n)
    v[::7] = np.round(v[::7])
    v[v == 0] = 1.0
    return v


SPECIAL_VALUES = [1e-300, 5e-324, 1e150, -9.999999999999999e149, 1e15, 123456789012345678.0, -2.5e-7, 0.1, 1 / 3]


def string_users(rng, count):
    special = ["Smith, J.", "Zoë", "東京-user", "say \"hi\"", "007", "NA", "Émile", "alice", "Bob"]
    names = special + [f"u{k:03d}-{rng.integers(10**6)}" for k in range(count - len(special))]
    order = rng.permutation(len(names))
    return [names[k] for k in order]


def random_triplets(rng, users, items, nnz):
    """Distinct (user, item) pairs, a random value each, in random order."""
    pairs = set()
    while len(pairs) < nnz:
        pairs.add((int(rng.integers(len(users))), int(rng.integers(len(items)))))
    pairs = list(pairs)
    rng.shuffle(pairs)
    values = random_values(rng, nnz)
    values[: len(SPECIAL_VALUES)] = SPECIAL_VALUES
    rng.shuffle(values)
    return [(users[u], items[i], float(v)) for (u, i), v in zip(pairs, values)]


def write_csv(path, triplets, columns=("user", "item", "rating")):
    df = pd.DataFrame({columns[0]: [t[0] for t in triplets], columns[1]: [t[1] for t in triplets],
                       columns[2]: np.array([t[2] for t in triplets], dtype=np.float64)})
    df.to_csv(path, index=False, encoding="utf-8")


def mixed_triplets(seed):
    """String users (comma, quote, non-ASCII, '007', 'NA'), integer items, a few hundred nnz."""
    rng = np.random.default_rng(seed)
    users = string_users(rng, 40)
    items = [str(x) for x in rng.choice(np.arange(-50, 5000), size=60, replace=False)]
    return random_triplets(rng, users, items, 400)


def integer_triplets(seed):
    rng = np.random.default_rng(seed)
    users = [str(x) for x in rng.choice(np.r_[np.arange(-5, 200), [2 ** 40, 10 ** 17]], size=35, replace=False)]
    users[:4] = ["2", "10", "100", "-3"]
    items = [str(x) for x in rng.choice(np.arange(0, 100000), size=50, replace=False)]
    items[:3] = ["9", "10", "1000"]
    return random_triplets(rng, users, items, 300)


def random_sparse(seed, m=40, n=30, nnz=300, dtype=np.float64):
    rng = np.random.default_rng(seed)
    flat = rng.choice((m - 1) * (n - 1), size=nnz, replace=False)   # last row and column stay empty
    r, c = flat // (n - 1), flat % (n - 1)
    v = random_values(rng, nnz).astype(dtype)
    return sp.coo_matrix((v, (r, c)), shape=(m, n))


# --------------------------------------------------------------------------------------------
# Cases


class Case:
    def __init__(self, root: str, name: str, runner: Runner):
        self.name = name
        self.runner = runner
        self.dir = os.path.join(root, name)
        self.inp = os.path.join(self.dir, "in")
        self.out = os.path.join(self.dir, "out")
        os.makedirs(self.inp)
        os.makedirs(self.out)

    def i(self, name):
        return os.path.join(self.inp, name)

    def o(self, name):
        return os.path.join(self.out, name)


CASES = []


def case(name):
    def register(fn):
        CASES.append((name, fn))
        return fn
    return register


# ---- delimited text written by pandas

@case("csv-first-seen")
def _(c: Case):
    triplets = mixed_triplets(SEED)
    write_csv(c.i("x.csv"), triplets)
    raw = open(c.i("x.csv"), encoding="utf-8").read()
    require('"Smith, J."' in raw, "pandas did not quote the id with a comma (test setup)")
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"))
    exp, _, _ = canonical(triplets)
    check_canonical(c.o("out.h5"), exp)


@case("csv-sort-ids")
def _(c: Case):
    triplets = mixed_triplets(SEED)
    write_csv(c.i("x.csv"), triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"), "--sort-ids")
    exp, _, _ = canonical(triplets, sort_ids=True)
    check_canonical(c.o("out.h5"), exp)


@case("csv-integer-ids")
def _(c: Case):
    triplets = integer_triplets(SEED + 1)
    write_csv(c.i("x.csv"), triplets, columns=("user_id", "item_id", "rating"))
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"))
    exp, _, _ = canonical(triplets)
    check_canonical(c.o("out.h5"), exp)


@case("csv-integer-ids-sort-ids")
def _(c: Case):
    triplets = integer_triplets(SEED + 1)
    write_csv(c.i("x.csv"), triplets, columns=("user_id", "item_id", "rating"))
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"), "--sort-ids")
    exp, _, _ = canonical(triplets, sort_ids=True)
    require(exp.user_ids[:3] != sorted(exp.user_ids)[:3], "test setup: numeric and string order coincide")
    check_canonical(c.o("out.h5"), exp)


@case("tsv-first-seen")
def _(c: Case):
    triplets = mixed_triplets(SEED + 20)
    df = pd.DataFrame({"user_id": [t[0] for t in triplets], "item_id": [t[1] for t in triplets],
                       "rating": [t[2] for t in triplets]})
    df.to_csv(c.i("x.tsv"), sep="\t", index=False)
    c.runner.convert_ok(c.i("x.tsv"), c.o("out.h5"))
    exp, _, _ = canonical(triplets)
    check_canonical(c.o("out.h5"), exp)


@case("csv-unicode-normalization")
def _(c: Case):
    # Two different ids that are canonically equivalent Unicode (NFC 'é' vs 'e' + U+0301):
    # pandas, Python and h5py keep them apart, so they are two users and two items.
    nfc, nfd = unicodedata.normalize("NFC", "café"), unicodedata.normalize("NFD", "café")
    assert nfc != nfd
    triplets = [(nfc, "x", 1.0), (nfd, "x", 2.0), ("bob", nfc + "-item", 3.0), ("bob", nfd + "-item", 4.0)]
    write_csv(c.i("x.csv"), triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"))
    exp, _, _ = canonical(triplets)
    check_canonical(c.o("out.h5"), exp)


# ---- SciPy save_npz

def npz_case(c: Case, fmt: str):
    coo = random_sparse(SEED + 2)
    matrix = coo.asformat(fmt)
    sp.save_npz(c.i("x.npz"), matrix, compressed=(fmt != "csr"))
    back = sp.load_npz(c.i("x.npz"))
    require(back.format == fmt, f"test setup: save_npz stored {back.format}")
    c.runner.convert_ok(c.i("x.npz"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(back))


@case("npz-csr")
def _(c):
    npz_case(c, "csr")


@case("npz-csc")
def _(c):
    npz_case(c, "csc")


@case("npz-coo")
def _(c):
    npz_case(c, "coo")


@case("npz-csr-int64-indices-float32")
def _(c: Case):
    csr = random_sparse(SEED + 14, dtype=np.float32).tocsr()
    csr.indices = csr.indices.astype(np.int64)
    csr.indptr = csr.indptr.astype(np.int64)
    sp.save_npz(c.i("x.npz"), csr)
    back = sp.load_npz(c.i("x.npz"))
    with np.load(c.i("x.npz")) as raw:      # load_npz may narrow the index dtype; the file must not
        require(raw["indices"].dtype == np.int64 and raw["data"].dtype == np.float32, "test setup")
    c.runner.convert_ok(c.i("x.npz"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(back))


# ---- Matrix Market

@case("mtx-read")
def _(c: Case):
    coo = random_sparse(SEED + 3, m=35, n=45, nnz=350)
    scipy.io.mmwrite(c.i("x.mtx"), coo)
    back = scipy.io.mmread(c.i("x.mtx"))
    c.runner.convert_ok(c.i("x.mtx"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(back))


def mtx_variant(c: Case, matrix, **kwargs):
    scipy.io.mmwrite(c.i("x.mtx"), matrix, **kwargs)
    back = scipy.io.mmread(c.i("x.mtx"))
    c.runner.convert_ok(c.i("x.mtx"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(back))


@case("mtx-read-symmetric")
def _(c: Case):
    a = random_sparse(SEED + 15, m=30, n=30, nnz=150).tocsr()
    a = (a + a.T).tocoo()
    mtx_variant(c, a, symmetry="symmetric")
    require("symmetric" in open(c.i("x.mtx")).readline(), "test setup: not written as symmetric")


@case("mtx-read-pattern")
def _(c: Case):
    mtx_variant(c, random_sparse(SEED + 16), field="pattern")


@case("mtx-read-integer")
def _(c: Case):
    a = random_sparse(SEED + 17)
    a = sp.coo_matrix((np.round(a.data * 100).astype(np.int64) + 1000, (a.row, a.col)), shape=a.shape)
    mtx_variant(c, a, field="integer")


@case("mtx-write")
def _(c: Case):
    triplets = mixed_triplets(SEED + 4)
    write_csv(c.i("x.csv"), triplets)
    exp, _, _ = canonical(triplets)
    c.runner.convert_ok(c.i("x.csv"), c.i("x.h5"))
    c.runner.convert_ok(c.i("x.h5"), c.o("out.mtx"))
    got = scipy.io.mmread(c.o("out.mtx"))
    require(sp.issparse(got), f"mmread gave {type(got).__name__}, expected a sparse matrix")
    coo = sp.coo_matrix(got)
    require(coo.shape == exp.shape, f"shape {coo.shape} vs expected {exp.shape}")
    # mftool writes entries row by row, columns ascending: the file order is the CSR order.
    require(np.array_equal(coo.row.astype(np.int64), exp.rows()), lambda: "row indices differ from the CSR order: "
            + first_difference(coo.row.astype(np.int64), exp.rows()))
    require(np.array_equal(coo.col.astype(np.int64), exp.indices), lambda: "column indices differ: "
            + first_difference(coo.col.astype(np.int64), exp.indices))
    require(coo.data.dtype == np.float64, f"mmread data dtype {coo.data.dtype}, expected float64 (real)")
    require(same_bits(coo.data, exp.data), lambda: "values differ: " + first_difference(coo.data, exp.data))


# ---- HDF5 written by h5py, AnnData files

@case("hdf5-anndata-group-X")
def _(c: Case):
    coo = random_sparse(SEED + 5, m=50, n=40, nnz=400, dtype=np.float32)
    csr = coo.tocsr()
    csr.sort_indices()
    with h5py.File(c.i("f.h5"), "w") as f:
        f.create_dataset("other", data=np.arange(10.0).reshape(2, 5))     # a decoy at the root
        g = f.create_group("X")
        g.attrs["encoding-type"] = "csr_matrix"
        g.attrs["encoding-version"] = "0.1.0"
        g.attrs["shape"] = np.array(csr.shape, dtype=np.int64)
        g.create_dataset("data", data=csr.data.astype(np.float32), chunks=(64,), compression="gzip")
        g.create_dataset("indices", data=csr.indices.astype(np.int64), chunks=(64,), compression="gzip")
        g.create_dataset("indptr", data=csr.indptr.astype(np.int64), chunks=(16,), compression="gzip")
    with h5py.File(c.i("f.h5"), "r") as f:
        require(f["X/data"].compression == "gzip" and f["X/data"].dtype == np.float32, "test setup")
        require(f["X/indices"].dtype == np.int64, "test setup")
        back = anndata.io.read_elem(f["X"])
    c.runner.convert_ok(c.i("f.h5") + ":/X", c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(sp.csr_matrix(back)))


@case("hdf5-uint64-ids")
def _(c: Case):
    # user_ids as h5py writes a NumPy uint64 array, with 2^64 - 1 and two more ids past 2^63 - 1:
    # read exactly, written back as uint64, and as the exact decimals in CSV.
    coo = random_sparse(SEED + 21, m=6, n=5, nnz=20)
    csr = coo.tocsr()
    csr.sort_indices()
    users = np.array([2 ** 64 - 1, 2 ** 63 + 1, 2 ** 63, 7, 0, 2 ** 63 - 1], dtype=np.uint64)
    with h5py.File(c.i("f.h5"), "w") as f:
        f.attrs["encoding-type"] = "csr_matrix"
        f.attrs["encoding-version"] = "0.1.0"
        f.attrs["shape"] = np.array(csr.shape, dtype=np.int64)
        f["data"] = csr.data
        f["indices"] = csr.indices.astype(np.int32)
        f["indptr"] = csr.indptr.astype(np.int32)
        f["user_ids"] = users
    require(h5py.File(c.i("f.h5"), "r")["user_ids"].dtype == np.uint64, "test setup")
    exp = Expected.from_scipy(csr, [str(int(u)) for u in users])
    c.runner.convert_ok(c.i("f.h5"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), exp)
    with h5py.File(c.o("out.h5"), "r") as f:
        require(np.array_equal(f["user_ids"][()], users), "user_ids: values differ from the uint64 input")
    c.runner.convert_ok(c.i("f.h5"), c.o("out.csv"))
    df = pd.read_csv(c.o("out.csv"), dtype={"user": np.uint64})
    expected = [int(users[u]) for u in exp.rows()]
    require([int(u) for u in df["user"]] == expected, "CSV users differ from the uint64 input")


@case("hdf5-group-with-ids")
def _(c: Case):
    # /X with int32 indices, float64 data and user_ids (strings) / item_ids (int64) beside.
    coo = random_sparse(SEED + 18, m=30, n=20, nnz=200)
    csr = coo.tocsr()
    csr.sort_indices()
    rng = np.random.default_rng(SEED + 18)
    users = string_users(rng, 30)
    items = [str(x) for x in rng.choice(np.arange(-100, 10 ** 9), size=20, replace=False)]
    with h5py.File(c.i("f.h5"), "w") as f:
        g = f.create_group("X")
        g.attrs["encoding-type"] = "csr_matrix"
        g.attrs["encoding-version"] = "0.1.0"
        g.attrs["shape"] = np.array(csr.shape, dtype=np.int64)
        g["data"] = csr.data
        g["indices"] = csr.indices.astype(np.int32)
        g["indptr"] = csr.indptr.astype(np.int32)
        g.create_dataset("user_ids", data=users, dtype=h5py.string_dtype("utf-8"))
        g["item_ids"] = np.array([int(x) for x in items], dtype=np.int64)
    c.runner.convert_ok(c.i("f.h5") + ":/X", c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(csr, users, items))


@case("h5ad-write_h5ad-csc")
def _(c: Case):
    coo = random_sparse(SEED + 19, m=30, n=25, nnz=250, dtype=np.float32)
    anndata.AnnData(X=coo.tocsc()).write_h5ad(c.i("f.h5ad"))
    back = anndata.read_h5ad(c.i("f.h5ad"))
    require(back.X.format == "csc", "test setup")
    c.runner.convert_ok(c.i("f.h5ad"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(back.X))


@case("h5ad-write_h5ad")
def _(c: Case):
    coo = random_sparse(SEED + 6, m=30, n=25, nnz=250)
    adata = anndata.AnnData(X=coo.tocsr())
    adata.write_h5ad(c.i("f.h5ad"))
    back = anndata.read_h5ad(c.i("f.h5ad"))
    require(list(back.obs_names) == [str(k) for k in range(30)], "test setup: obs_names not positional")
    c.runner.convert_ok(c.i("f.h5ad"), c.o("out.h5"))
    check_canonical(c.o("out.h5"), Expected.from_scipy(back.X))


@case("anndata-read_elem-usable")
def _(c: Case):
    # anndata.io.read_elem on mftool's canonical root must give a scipy matrix that works:
    # tocoo() (used by print(), scanpy, sklearn...) must succeed and match.
    triplets = mixed_triplets(SEED)
    write_csv(c.i("x.csv"), triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"))
    exp, _, _ = canonical(triplets)
    with h5py.File(c.o("out.h5"), "r") as f:
        m = anndata.io.read_elem(f["/"])
    try:
        coo = m.tocoo()
    except Exception as e:  # noqa: BLE001
        raise CaseFailure(f"read_elem(...).tocoo() raised {type(e).__name__}: {e} "
                          f"(indices {m.indices.dtype}, indptr {m.indptr.dtype})")
    require(np.array_equal(coo.row, exp.rows()) and np.array_equal(coo.col, exp.indices)
            and same_bits(coo.data, exp.data), "tocoo() entries differ")


# ---- CSV output read by pandas

@case("csv-write")
def _(c: Case):
    triplets = mixed_triplets(SEED + 7)
    write_csv(c.i("x.csv"), triplets)
    exp, _, _ = canonical(triplets)
    c.runner.convert_ok(c.i("x.csv"), c.i("x.h5"))
    c.runner.convert_ok(c.i("x.h5"), c.o("out.csv"))
    df = pd.read_csv(c.o("out.csv"), dtype={0: str, 1: str}, keep_default_na=False,
                     float_precision="round_trip", encoding="utf-8")
    require(df.shape[1] == 3, f"pandas reads {df.shape[1]} columns ({list(df.columns)}), expected 3")
    require(len(df) == len(exp.data), f"{len(df)} rows, expected {len(exp.data)}")
    require(df.iloc[:, 2].dtype == np.float64, f"value column dtype {df.iloc[:, 2].dtype}")
    got = list(zip(df.iloc[:, 0], df.iloc[:, 1], df.iloc[:, 2].to_numpy()))
    want = exp.triplets()
    for k, (g, w) in enumerate(zip(got, want)):
        require(g[0] == w[0] and g[1] == w[1] and same_bits(np.array([g[2]]), np.array([w[2]])),
                f"row {k}: {g!r} vs expected {w!r}")


@case("text-writers-negative-zero")
def _(c: Case):
    # An explicitly stored -0.0 must survive h5 -> .mtx and h5 -> .csv bit for bit.
    csr = sp.csr_matrix((np.array([1.5, -0.0, 2.0]), np.array([0, 1, 0]), np.array([0, 2, 3])), shape=(2, 2))
    sp.save_npz(c.i("x.npz"), csr)
    c.runner.convert_ok(c.i("x.npz"), c.i("x.h5"))
    exp = Expected.from_scipy(csr)
    check_canonical(c.i("x.h5"), exp)
    c.runner.convert_ok(c.i("x.h5"), c.o("out.mtx"))
    got = sp.coo_matrix(scipy.io.mmread(c.o("out.mtx")))
    require(same_bits(got.data, exp.data), lambda: f".mtx values {got.data.tolist()} vs expected "
            f"{exp.data.tolist()} (file line: {open(c.o('out.mtx')).read().splitlines()[4]!r})")
    c.runner.convert_ok(c.i("x.h5"), c.o("out.csv"))
    df = pd.read_csv(c.o("out.csv"), float_precision="round_trip")
    require(same_bits(df.iloc[:, 2].to_numpy(np.float64), exp.data),
            lambda: f".csv values {df.iloc[:, 2].tolist()} vs expected {exp.data.tolist()}")


# ---- NumPy embeddings

def npy_case(c: Case, array: np.ndarray):
    np.save(c.i("emb.npy"), array)
    back = np.load(c.i("emb.npy"))
    require(back.dtype == array.dtype and back.flags.f_contiguous == array.flags.f_contiguous, "test setup")
    c.runner.convert_ok(c.i("emb.npy"), c.o("emb.h5"))
    with h5py.File(c.o("emb.h5"), "r") as f:
        require("item_factors" in f, f"no item_factors dataset (file holds {list(f)})")
        got = f["item_factors"][()]
    require(got.dtype == np.float64, f"item_factors dtype {got.dtype}, expected float64")
    require(got.shape == back.shape, f"item_factors shape {got.shape}, expected {back.shape}")
    require(same_bits(got.ravel(), back.astype(np.float64).ravel(order="C")),
            lambda: "item_factors differ: " + first_difference(got.ravel(), back.astype(np.float64).ravel(order="C")))


@case("npy-float32-C")
def _(c: Case):
    rng = np.random.default_rng(SEED + 8)
    npy_case(c, np.ascontiguousarray(rng.normal(size=(37, 8)).astype(np.float32)))


@case("npy-float64-Fortran")
def _(c: Case):
    rng = np.random.default_rng(SEED + 9)
    a = np.asfortranarray(rng.normal(size=(29, 6)))
    require(a.flags.f_contiguous and not a.flags.c_contiguous, "test setup")
    npy_case(c, a)


# ---- --item-ids-from

def write_items_h5(path, ids, k=4, seed=0, as_int=False, fixed_bytes=False):
    rng = np.random.default_rng(seed)
    with h5py.File(path, "w") as f:
        f.create_dataset("item_factors", data=rng.normal(size=(len(ids), k)))
        if as_int:
            f.create_dataset("item_ids", data=np.array([int(x) for x in ids], dtype=np.int64))
        elif fixed_bytes:
            f.create_dataset("item_ids", data=np.array([x.encode("utf-8") for x in ids]))   # dtype |S..
        else:
            f.create_dataset("item_ids", data=ids, dtype=h5py.string_dtype("utf-8"))


def item_order_data(seed, integer=False):
    rng = np.random.default_rng(seed)
    if integer:
        catalog = [str(x) for x in rng.choice(np.arange(1, 10 ** 6), size=70, replace=False)]
    else:
        catalog = ["item, with comma", "ünïcode-item", "say \"x\""] + [f"sku-{k:04d}" for k in range(67)]
    catalog = [catalog[k] for k in rng.permutation(len(catalog))]         # shuffled order
    users = string_users(rng, 30)
    used = catalog[:55]                                                   # 15 items never interacted
    triplets = random_triplets(rng, users, used, 300)
    return catalog, triplets


def item_ids_from_case(c: Case, integer: bool):
    catalog, triplets = item_order_data(SEED + 10 + integer, integer)
    write_items_h5(c.i("items.h5"), catalog, as_int=integer)
    write_csv(c.i("x.csv"), triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"), "--item-ids-from", c.i("items.h5"))
    exp, _, _ = canonical(triplets, item_order=catalog)
    require(exp.item_ids == catalog, "test setup")
    check_canonical(c.o("out.h5"), exp)


@case("item-ids-from")
def _(c: Case):
    item_ids_from_case(c, integer=False)


@case("item-ids-from-integer-ids")
def _(c: Case):
    item_ids_from_case(c, integer=True)


def with_unknown_item(triplets):
    # An interaction on an unknown item, for a user seen before (so first-seen user order is
    # the same with or without it).
    user = triplets[3][0]
    return triplets[:10] + [(user, "not-in-catalog", 4.5)] + triplets[10:]


@case("item-ids-from-fixed-length-bytes")
def _(c: Case):
    catalog, triplets = item_order_data(SEED + 10)
    write_items_h5(c.i("items.h5"), catalog, fixed_bytes=True)
    with h5py.File(c.i("items.h5"), "r") as f:
        require(f["item_ids"].dtype.kind == "S", "test setup")
    write_csv(c.i("x.csv"), triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"), "--item-ids-from", c.i("items.h5"))
    exp, _, _ = canonical(triplets, item_order=catalog)
    check_canonical(c.o("out.h5"), exp)


@case("item-ids-from-unknown-fails")
def _(c: Case):
    catalog, triplets = item_order_data(SEED + 10)
    write_items_h5(c.i("items.h5"), catalog)
    write_csv(c.i("x.csv"), with_unknown_item(triplets))
    proc = c.runner.convert_fails(c.i("x.csv"), c.o("out.h5"), "--item-ids-from", c.i("items.h5"))
    require("not-in-catalog" in proc.stderr, f"the error does not name the unknown item: {proc.stderr.strip()}")


@case("item-ids-from-drop-unknown")
def _(c: Case):
    catalog, triplets = item_order_data(SEED + 10)
    write_items_h5(c.i("items.h5"), catalog)
    data = with_unknown_item(triplets)
    write_csv(c.i("x.csv"), data)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"), "--item-ids-from", c.i("items.h5"), "--drop-unknown-items")
    exp, _, dropped = canonical(data, item_order=catalog, drop_unknown=True)
    require(dropped == 1, "test setup")
    check_canonical(c.o("out.h5"), exp)


# ---- duplicates

def duplicate_triplets(seed):
    rng = np.random.default_rng(seed)
    base = random_triplets(rng, string_users(rng, 20), [f"i{k}" for k in range(30)], 250)
    data = list(base)
    # pairs seen twice (a + b is exact in either order), one pair three times with values whose
    # sum is exact in any order, each repeat placed after the original
    for k in (5, 17, 42, 99):
        u, i, _ = base[k]
        data.insert(k + 30 + k, (u, i, float(rng.normal())))
    u, i, _ = base[60]
    data.insert(120, (u, i, 0.25))
    data.insert(200, (u, i, 1.5))
    return data


@case("duplicates-sum")
def _(c: Case):
    data = duplicate_triplets(SEED + 12)
    write_csv(c.i("x.csv"), data)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"))
    exp, repeats, _ = canonical(data, duplicates="sum")
    require(repeats == 6, "test setup")
    check_canonical(c.o("out.h5"), exp)


@case("duplicates-last")
def _(c: Case):
    data = duplicate_triplets(SEED + 12)
    write_csv(c.i("x.csv"), data)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"), "--duplicates", "last")
    exp, _, _ = canonical(data, duplicates="last")
    check_canonical(c.o("out.h5"), exp)


@case("duplicates-error")
def _(c: Case):
    data = duplicate_triplets(SEED + 12)
    write_csv(c.i("x.csv"), data)
    c.runner.convert_fails(c.i("x.csv"), c.o("out.h5"), "--duplicates", "error")


@case("duplicates-error-npz-coo")
def _(c: Case):
    coo = random_sparse(SEED + 13)
    r = np.r_[coo.row, coo.row[:3]]
    k = np.r_[coo.col, coo.col[:3]]
    v = np.r_[coo.data, [1.0, 2.0, 3.0]]
    sp.save_npz(c.i("x.npz"), sp.coo_matrix((v, (r, k)), shape=coo.shape))
    c.runner.convert_fails(c.i("x.npz"), c.o("out.h5"), "--duplicates", "error")


# ---- other failures: nothing left behind, an existing output is untouched

@case("fail-keeps-existing-output")
def _(c: Case):
    data = duplicate_triplets(SEED + 12)
    write_csv(c.i("x.csv"), data)
    c.runner.convert_ok(c.i("x.csv"), c.o("out.h5"))
    before = {"out.h5": open(c.o("out.h5"), "rb").read()}
    c.runner.convert_fails(c.i("x.csv"), c.o("out.h5"), "--duplicates", "error", before=before)


@case("fail-bad-value")
def _(c: Case):
    triplets = mixed_triplets(SEED)
    write_csv(c.i("x.csv"), triplets)
    with open(c.i("x.csv"), "a", encoding="utf-8") as fh:
        fh.write("alice,17,not-a-number\n")
    c.runner.convert_fails(c.i("x.csv"), c.o("out.h5"))
    c.runner.convert_fails(c.i("x.csv"), c.o("out.csv"))
    c.runner.convert_fails(c.i("x.csv"), c.o("out.mtx"))


@case("fail-overflowing-value")
def _(c: Case):
    """Values whose squares overflow (beyond 1e150) are refused at input, naming the line."""
    triplets = mixed_triplets(SEED)
    write_csv(c.i("x.csv"), triplets)
    with open(c.i("x.csv"), "a", encoding="utf-8") as fh:
        fh.write(f"alice,17,{np.finfo(np.float64).max!r}\n")
    c.runner.convert_fails(c.i("x.csv"), c.o("out.h5"))


@case("fail-output-is-directory")
def _(c: Case):
    # The write itself succeeds; the rename onto an existing directory fails: the temporary
    # file must be removed.
    triplets = mixed_triplets(SEED)
    write_csv(c.i("x.csv"), triplets)
    os.makedirs(c.o("out.h5"))
    proc = c.runner.run("convert", c.i("x.csv"), c.o("out.h5"))
    require(proc.returncode != 0, "exited 0 although the output path is a directory")
    require(len(proc.stderr.strip().splitlines()) == 1, f"expected a one-line error: {proc.stderr!r}")
    check_no_files(c.out, allowed=["out.h5"])
    require(os.listdir(c.o("out.h5")) == [], "the directory was written into")


# ---- mftool's outputs read by the real clients: .h5ad by anndata.read_h5ad, every other
# extension by the library that owns it; unknown extensions refused

def run_ok(c: Case, *args: str) -> subprocess.CompletedProcess:
    proc = c.runner.run(*args)
    require(proc.returncode == 0, lambda: f"mftool {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc


def read_h5ad(path: str):
    """anndata.read_h5ad, a failure reported as the case's."""
    try:
        return anndata.read_h5ad(path)
    except Exception as e:  # noqa: BLE001
        raise CaseFailure(f"anndata.read_h5ad({os.path.basename(path)}) raised {type(e).__name__}: {e}")


def check_h5ad_interactions(path: str, exp: Expected, fmt="csr", times=None, command=None):
    """An interactions .h5ad: X is the CSR (CSC) matrix, obs/var names the ids, the timestamps
    the layer 'timestamps' with X's sparsity, the provenance in uns['mftool']."""
    ad = read_h5ad(path)
    require(sp.issparse(ad.X) and ad.X.format == fmt, f"X is {type(ad.X).__name__}, expected {fmt}")
    x = sp.csr_matrix(ad.X)
    compare_csr("anndata X", x.shape, x.indptr, x.indices, x.data, exp)
    require(list(ad.obs_names) == exp.user_ids, lambda: f"obs_names {list(ad.obs_names)[:4]}... vs user ids {exp.user_ids[:4]}...")
    require(list(ad.var_names) == exp.item_ids, lambda: f"var_names {list(ad.var_names)[:4]}... vs item ids {exp.item_ids[:4]}...")
    if times is not None:
        require("timestamps" in ad.layers, f"no layer 'timestamps' (layers: {list(ad.layers)})")
        layer = sp.csr_matrix(ad.layers["timestamps"])
        require(np.array_equal(layer.indptr, x.indptr) and np.array_equal(layer.indices, x.indices),
                "the timestamps layer's sparsity differs from X's")
        require(same_bits(layer.data, np.asarray(times, np.float64)), lambda: "timestamps differ: " + first_difference(layer.data, times))
    if command is not None:
        got = ad.uns.get("mftool", {}).get("command")
        require(got == command, f"uns['mftool']['command'] is {got!r}, expected {command!r}")
    return ad


def timed_triplets(seed):
    """mixed_triplets with a distinct integer timestamp each (0 among them)."""
    triplets = mixed_triplets(seed)
    times = np.random.default_rng(seed).permutation(len(triplets)).astype(np.float64) * 1000.0
    return triplets, times


def write_timed_csv(path, triplets, times):
    df = pd.DataFrame({"user": [t[0] for t in triplets], "item": [t[1] for t in triplets],
                       "rating": np.array([t[2] for t in triplets]), "ts": times.astype(np.int64)})
    df.to_csv(path, index=False, encoding="utf-8")


def expected_times(triplets, times, exp: Expected):
    """The timestamps in the canonical CSR order of `exp`."""
    u_index = {u: k for k, u in enumerate(exp.user_ids)}
    i_index = {i: k for k, i in enumerate(exp.item_ids)}
    by_key = {(u_index[u], i_index[i]): t for (u, i, _), t in zip(triplets, times)}
    rows = exp.rows()
    return np.array([by_key[(int(rows[p]), int(exp.indices[p]))] for p in range(len(exp.data))])


@case("h5ad-out-convert")
def _(c: Case):
    triplets, times = timed_triplets(SEED + 40)
    write_timed_csv(c.i("x.csv"), triplets, times)
    exp, _, _ = canonical(triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("x.h5ad"), "--time-col", "ts")
    check_h5ad_interactions(c.o("x.h5ad"), exp, times=expected_times(triplets, times, exp), command="convert")
    c.runner.convert_ok(c.i("x.csv"), c.o("x_csc.h5ad"), "--time-col", "ts", "--layout", "csc")
    check_h5ad_interactions(c.o("x_csc.h5ad"), exp, fmt="csc", times=expected_times(triplets, times, exp))
    # mftool reads its .h5ad back to the same interactions: converted again to canonical HDF5.
    c.runner.convert_ok(c.o("x_csc.h5ad"), c.o("back.h5"))
    check_canonical(c.o("back.h5"), exp)


@case("h5ad-out-split-generate")
def _(c: Case):
    run_ok(c, "generate", "--users", "60", "--items", "35", "--nnz", "500", "--k", "3", "--seed", "4",
           "--out", c.o("r.h5ad"), "--items-out", c.o("v.h5ad"), "--users-out", c.o("u.h5ad"), "-q")
    r = read_h5ad(c.o("r.h5ad"))
    require(sp.issparse(r.X) and r.X.format == "csr" and r.shape == (60, 35), f"r.h5ad: X {type(r.X).__name__} {r.shape}")
    require(r.uns["mftool"]["command"] == "generate", "r.h5ad: no provenance in uns")
    for name, names, rows in [("v.h5ad", r.var_names, 35), ("u.h5ad", r.obs_names, 60)]:
        e = read_h5ad(c.o(name))
        require(isinstance(e.X, np.ndarray) and e.X.shape == (rows, 3), f"{name}: X {type(e.X).__name__} {getattr(e.X, 'shape', None)}")
        require(list(e.obs_names) == list(names), f"{name}: obs_names differ from r.h5ad's ids")
    run_ok(c, "split", "--interactions", c.o("r.h5ad"), "--train", c.o("tr.h5ad"), "--test", c.o("te.h5ad"), "--seed", "1", "-q")
    tr, te = read_h5ad(c.o("tr.h5ad")), read_h5ad(c.o("te.h5ad"))
    for part in (tr, te):
        require(list(part.obs_names) == list(r.obs_names) and list(part.var_names) == list(r.var_names),
                "split output's ids differ from the input's")
    total = sp.csr_matrix(tr.X) + sp.csr_matrix(te.X)
    require((total != sp.csr_matrix(r.X)).nnz == 0, "train + test differs from the input")
    require(sp.csr_matrix(tr.X).multiply(sp.csr_matrix(te.X)).nnz == 0, "train and test share an interaction")


@case("h5ad-out-factors")
def _(c: Case):
    run_ok(c, "generate", "--users", "50", "--items", "30", "--nnz", "400", "--k", "3", "--seed", "6",
           "--out", c.o("r.h5"), "--items-out", c.o("v.h5"), "-q")
    run_ok(c, "fit", "--method", "als", "--k", "2", "--epochs", "2", "--user-bias", "--offset", "global-mean",
           "--interactions", c.o("r.h5"), "--out", c.o("fu.h5ad"), "--items-out", c.o("fv.h5ad"), "-q")
    run_ok(c, "fit", "--method", "als", "--k", "2", "--epochs", "2", "--user-bias", "--offset", "global-mean",
           "--interactions", c.o("r.h5"), "--out", c.o("fu.h5"), "--items-out", c.o("fv.h5"), "-q")
    with h5py.File(c.o("fu.h5"), "r") as f:
        users, user_ids = f["user_factors"][()], read_ids(f["user_ids"], "user_ids")
    with h5py.File(c.o("fv.h5"), "r") as f:
        items, item_ids, bias = f["item_factors"][()], read_ids(f["item_ids"], "item_ids"), f["item_bias"][()]
    fu, fv = read_h5ad(c.o("fu.h5ad")), read_h5ad(c.o("fv.h5ad"))
    require(same_bits(fu.X, users) and list(fu.obs_names) == user_ids, "fu.h5ad: X or obs_names differ from fu.h5's")
    require(list(fu.var_names) == ["0", "1", "user_bias"], f"fu.h5ad: var_names {list(fu.var_names)}")
    require(same_bits(fv.X, items) and list(fv.obs_names) == item_ids, "fv.h5ad: X or obs_names differ from fv.h5's")
    require("item_bias" in fv.obs and same_bits(fv.obs["item_bias"].to_numpy(), bias), "fv.h5ad: obs['item_bias'] differs")
    require(float(fu.uns["mftool"]["lambda"]) == 0.1 and fu.uns["mftool"]["loss"] == "observed", "fu.h5ad: settings in uns")
    run_ok(c, "solve", "--interactions", c.o("r.h5"), "--items", c.o("v.h5"), "--out", c.o("s.h5ad"), "-q")
    s = read_h5ad(c.o("s.h5ad"))
    require(s.shape == (50, 3) and isinstance(s.X, np.ndarray), f"s.h5ad: {s.shape} {type(s.X).__name__}")


@case("h5ad-in-anndata-embeddings")
def _(c: Case):
    # Embeddings anndata wrote, obs_names = item ids in an order unlike the log's: solve joins by
    # id (no positional note) and gives the factors of the same embeddings as h5py item_ids.
    triplets = integer_triplets(SEED + 41)
    write_csv(c.i("x.csv"), triplets)
    exp, _, _ = canonical(triplets)
    rng = np.random.default_rng(SEED + 41)
    ids = list(exp.item_ids) + ["extra"]
    order = rng.permutation(len(ids))
    vectors = rng.normal(size=(len(ids), 5))
    # The same rows in the same order in both files (the solve's sums then run alike, bit for
    # bit), only the place of the ids differs.
    with h5py.File(c.i("v.h5"), "w") as f:
        f["item_factors"] = vectors[order]
        f.create_dataset("item_ids", data=[ids[k] for k in order], dtype=h5py.string_dtype("utf-8"))
    adata = anndata.AnnData(X=vectors[order], obs=pd.DataFrame(index=[ids[k] for k in order]))
    adata.obsm["X_umap"] = rng.normal(size=(len(ids), 2))
    adata.write_h5ad(c.i("v.h5ad"))
    for name in ("v.h5", "v.h5ad"):
        proc = run_ok(c, "solve", "--interactions", c.i("x.csv"), "--items", c.i(name), "--out", c.o(name + ".u.h5"), "-q")
        require("note:" not in proc.stderr, f"--items {name}: {proc.stderr.strip()}")
    with h5py.File(c.o("v.h5.u.h5"), "r") as a, h5py.File(c.o("v.h5ad.u.h5"), "r") as b:
        require(same_bits(a["user_factors"][()], b["user_factors"][()]), "factors via .h5ad differ from those via .h5")
    proc = run_ok(c, "inspect", c.i("v.h5ad"), "--json")
    shown = json.loads(proc.stdout)["item_ids"]
    require(shown == [ids[k] for k in order][:5], f"inspect shows item_ids {shown}")


@case("outputs-by-extension")
def _(c: Case):
    # Each extension the README lists, read by the library that owns it.
    triplets = mixed_triplets(SEED + 42)
    write_csv(c.i("x.csv"), triplets)
    exp, _, _ = canonical(triplets)
    c.runner.convert_ok(c.i("x.csv"), c.o("x.h5"))
    check_canonical(c.o("x.h5"), exp)
    c.runner.convert_ok(c.o("x.h5"), c.o("x.tsv"))
    df = pd.read_csv(c.o("x.tsv"), sep="\t", dtype={0: str, 1: str}, keep_default_na=False, float_precision="round_trip")
    got = list(zip(df.iloc[:, 0], df.iloc[:, 1], df.iloc[:, 2].to_numpy()))
    require(got == [(u, i, float(v)) for u, i, v in exp.triplets()], ".tsv triplets differ (pandas)")
    c.runner.convert_ok(c.o("x.h5"), c.o("x.mtx"))
    m = sp.csr_matrix(scipy.io.mmread(c.o("x.mtx")))
    require(m.shape == exp.shape and same_bits(m.data, exp.data), ".mtx differs (scipy.io.mmread)")
    run_ok(c, "generate", "--users", "40", "--items", "25", "--nnz", "300", "--k", "3", "--seed", "2",
           "--out", c.o("r.h5"), "--items-out", c.o("v.h5"), "--users-out", c.o("u.h5"), "-q")
    base = ("recommend", "--users", c.o("u.h5"), "--items", c.o("v.h5"), "--train", c.o("r.h5"), "--k", "4", "-q")
    for ext in ("csv", "jsonl", "h5", "parquet"):
        run_ok(c, *base, "--out", c.o("recs." + ext))
    csv = pd.read_csv(c.o("recs.csv"), float_precision="round_trip")
    jsonl = pd.read_json(c.o("recs.jsonl"), lines=True)
    with h5py.File(c.o("recs.h5"), "r") as f:
        h5_items, h5_scores = f["item_ids"][()], f["scores"][()]
    require(list(csv.columns) == ["user", "rank", "item", "score"] and len(csv) == 160, f"recs.csv: {list(csv.columns)}, {len(csv)} rows")
    require([list(x) for x in jsonl["items"]] == h5_items.tolist(), "recs.jsonl items differ from recs.h5's")
    require(same_bits(csv["score"].to_numpy(), h5_scores.ravel()), "recs.csv scores differ from recs.h5's")
    check_parquet_readers(c.o("recs.parquet"), csv, "user", "item")
    proc = run_ok(c, "eval", "--users", c.o("u.h5"), "--items", c.o("v.h5"), "--test", c.o("r.h5"), "--metrics", "rmse",
                  "--out", c.o("report.json"))
    with open(c.o("report.json"), encoding="utf-8") as fh:
        require("rmse" in json.load(fh), "report.json has no rmse")


# ---- Parquet written by pandas, polars, DuckDB and pyarrow datasets

def triplet_frame(triplets) -> "pd.DataFrame":
    """String users, int64 items, float64 ratings: the columns of mixed_triplets."""
    return pd.DataFrame({"user": [t[0] for t in triplets], "item": np.array([int(t[1]) for t in triplets], dtype=np.int64),
                         "rating": np.array([t[2] for t in triplets], dtype=np.float64)})


def frame_triplets(df: "pd.DataFrame"):
    return [(str(u), str(int(i)), float(v)) for u, i, v in zip(df["user"], df["item"], df["rating"])]


def parts_in_order(folder: str):
    """The part files of a dataset folder as mftool orders them: paths below the folder in byte
    order, names starting with _ or . skipped; with the key=value folders above each."""
    found = []
    for here, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
        for name in files:
            if not name.startswith(("_", ".")):
                found.append(os.path.relpath(os.path.join(here, name), folder))
    found.sort(key=lambda p: p.encode("utf-8"))
    return [(os.path.join(folder, rel), [part.split("=", 1) for part in rel.split(os.sep)[:-1] if "=" in part]) for rel in found]


def dataset_triplets(folder: str):
    """The rows of every part (pyarrow reading each file), partition values from the folders."""
    from urllib.parse import unquote
    rows = []
    for path, partitions in parts_in_order(folder):
        df = pq.read_table(path).to_pandas()
        for key, value in partitions:
            df[key] = unquote(value)
        rows += frame_triplets(df)
    return rows


def convert_parquet_ok(c: Case, source: str, triplets, name: str):
    c.runner.convert_ok(source, c.o(name + ".h5"))
    exp, _, _ = canonical(triplets)
    check_canonical(c.o(name + ".h5"), exp)


@case("parquet-pandas-pyarrow")
def _(c: Case):
    """pandas (pyarrow engine): every compression, dictionary on and off, data pages v1 and v2,
    row groups of one row and of all of them; each file converts to the CSR of its CSV twin."""
    triplets = mixed_triplets(SEED + 50)
    df = triplet_frame(triplets)
    variants = [(codec, dictionary, page, None) for codec in (None, "snappy", "gzip", "zstd")
                for dictionary in (True, False) for page in ("1.0", "2.0")] + [("snappy", True, "1.0", 1)]
    for k, (codec, dictionary, page, group) in enumerate(variants):
        path = c.i(f"x{k}.parquet")
        df.to_parquet(path, engine="pyarrow", index=False, compression=codec, use_dictionary=dictionary,
                      data_page_version=page, row_group_size=group)
        require(group is None or pq.read_metadata(path).num_row_groups == len(df), "row groups of one row (test setup)")
        convert_parquet_ok(c, path, triplets, f"x{k}")


@case("parquet-polars-duckdb")
def _(c: Case):
    """polars' and DuckDB's own Parquet writers, each codec they offer."""
    triplets = mixed_triplets(SEED + 51)
    df = triplet_frame(triplets)
    frame = pl.from_pandas(df)
    for codec in ("uncompressed", "snappy", "gzip", "zstd"):
        frame.write_parquet(c.i(f"polars-{codec}.parquet"), compression=codec)
        convert_parquet_ok(c, c.i(f"polars-{codec}.parquet"), triplets, f"polars-{codec}")
    con = duckdb.connect()
    con.register("frame", df)
    for codec in ("uncompressed", "snappy", "gzip", "zstd"):
        path = c.i(f"duckdb-{codec}.parquet")
        con.execute(f"COPY frame TO '{path}' (FORMAT PARQUET, COMPRESSION {codec})")
        convert_parquet_ok(c, path, triplets, f"duckdb-{codec}")


@case("parquet-datasets")
def _(c: Case):
    """Folders: pyarrow write_dataset parts, pandas partition_cols (hive key=value folders,
    percent-encoded ids) and a Spark-like folder with _SUCCESS and .crc files."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    triplets = mixed_triplets(SEED + 52)
    df = triplet_frame(triplets)
    ds.write_dataset(pa.Table.from_pandas(df, preserve_index=False), c.i("parts"), format="parquet",
                     max_rows_per_file=120, max_rows_per_group=50)
    df.to_parquet(c.i("by-user"), engine="pyarrow", index=False, partition_cols=["user"])
    spark = c.i("spark.parquet")
    os.makedirs(spark)
    for k in range(3):
        name = f"part-{k:05d}-3b1f.c000.snappy.parquet"
        df.iloc[k * 150:(k + 1) * 150].to_parquet(os.path.join(spark, name), engine="pyarrow", index=False, compression="snappy")
        open(os.path.join(spark, f".{name}.crc"), "wb").write(b"crc")
    open(os.path.join(spark, "_SUCCESS"), "wb").close()
    for folder in ("parts", "by-user", "spark.parquet"):
        rows = dataset_triplets(c.i(folder))
        require(sorted(rows) == sorted(triplets), f"{folder}: the parts do not hold the rows written (test setup)")
        require(folder != "parts" or len(parts_in_order(c.i(folder))) > 1, "write_dataset wrote one part (test setup)")
        convert_parquet_ok(c, c.i(folder), rows, folder.replace(".", "-"))


@case("parquet-embeddings")
def _(c: Case):
    """Item embeddings as pandas writes a DataFrame of vectors (one column per factor, the ids as
    its index) give the same factors as the same matrix in HDF5 (h5py)."""
    triplets = mixed_triplets(SEED + 53)
    items = list(dict.fromkeys(t[1] for t in triplets))
    rng = np.random.default_rng(SEED + 53)
    V = rng.normal(size=(len(items), 4))
    frame = pd.DataFrame(V, columns=[f"f{j}" for j in range(4)], index=pd.Index(items, name="item_id"))
    frame.to_parquet(c.i("items.parquet"), engine="pyarrow")
    with h5py.File(c.i("items.h5"), "w") as f:
        f["item_factors"] = V
        f["item_ids"] = np.array([int(x) for x in items], dtype=np.int64)
    write_csv(c.i("x.csv"), triplets)
    for name in ("items.parquet", "items.h5"):
        run_ok(c, "solve", "--interactions", c.i("x.csv"), "--items", c.i(name), "--out", c.o(name + ".u.h5"), "-q")
    with h5py.File(c.o("items.parquet.u.h5"), "r") as a, h5py.File(c.o("items.h5.u.h5"), "r") as b:
        require(same_bits(a["user_factors"][()], b["user_factors"][()]), "factors from items.parquet differ from items.h5's")
        require(read_ids(a["user_ids"], "user_ids") == read_ids(b["user_ids"], "user_ids"), "user ids differ")


def check_parquet_readers(path: str, csv: "pd.DataFrame", query: str, result: str):
    """The Parquet file at `path` read by pandas (pyarrow), polars and DuckDB equals `csv`: the
    same columns in order, ids of the same type (integers stay integers), scores bit for bit."""
    meta = pq.read_metadata(path)
    require(meta.row_group(0).column(0).compression == "ZSTD", f"{path}: compression {meta.row_group(0).column(0).compression}")
    require(b"mftool_command" in (meta.metadata or {}), f"{path}: no provenance in the key-value metadata")
    readers = {
        "pandas": pd.read_parquet(path),
        "polars": pl.read_parquet(path).to_pandas(),
        "duckdb": duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df(),
    }
    columns = [query, "rank", result, "score"]
    for name, df in readers.items():
        require(list(df.columns) == columns and len(df) == len(csv), f"{path} via {name}: {list(df.columns)}, {len(df)} rows")
        for col in (query, result):
            integer = pd.api.types.is_integer_dtype(csv[col])
            require(pd.api.types.is_integer_dtype(df[col]) == integer, f"{path} via {name}: {col} is {df[col].dtype}, the CSV's {csv[col].dtype}")
            require([str(x) for x in df[col]] == [str(x) for x in csv[col]], f"{path} via {name}: {col} values differ from the CSV")
        require(df["rank"].tolist() == csv["rank"].tolist(), f"{path} via {name}: ranks differ")
        require(same_bits(df["score"].to_numpy(dtype=np.float64), csv["score"].to_numpy(dtype=np.float64)), f"{path} via {name}: scores differ")


@case("parquet-string-ids")
def _(c: Case):
    """recommend and similar write Parquet that pandas, polars and DuckDB read as their CSV twins,
    with string ids as strings, and lists past one row group."""
    run_ok(c, "generate", "--users", "300", "--items", "1200", "--nnz", "3000", "--k", "3", "--seed", "4",
           "--out", c.i("r.h5"), "--items-out", c.i("v.h5"), "--users-out", c.i("u.h5"), "-q")
    with h5py.File(c.i("u.h5"), "r") as f:
        users = f["user_factors"][()]
    with h5py.File(c.i("us.h5"), "w") as f:
        f["user_factors"] = users
        f["user_ids"] = np.array([f"user {i}, é" for i in range(len(users))], dtype=h5py.string_dtype())
    base = ("recommend", "--include-seen", "--users", c.i("us.h5"), "--items", c.i("v.h5"), "--k", "500", "-q")
    for ext in ("csv", "parquet"):
        run_ok(c, *base, "--out", c.o("recs." + ext))
        run_ok(c, "similar", "--items", c.i("v.h5"), "--all", "--k", "3", "-q", "--out", c.o("sim." + ext))
    require(pq.read_metadata(c.o("recs.parquet")).num_row_groups > 1, "recs.parquet has one row group (test setup)")
    csv = pd.read_csv(c.o("recs.csv"), dtype={"user": str}, keep_default_na=False, float_precision="round_trip")
    check_parquet_readers(c.o("recs.parquet"), csv, "user", "item")
    check_parquet_readers(c.o("sim.parquet"), pd.read_csv(c.o("sim.csv"), float_precision="round_trip"), "item", "neighbor")


@case("unknown-output-extensions-refused")
def _(c: Case):
    run_ok(c, "generate", "--users", "20", "--items", "15", "--nnz", "100", "--k", "2", "--seed", "3",
           "--out", c.i("r.h5"), "--items-out", c.i("v.h5"), "--users-out", c.i("u.h5"), "-q")
    for args in (("convert", c.i("r.h5"), c.o("o.json")), ("convert", c.i("r.h5"), c.o("o.parquet")),
                 ("recommend", "--users", c.i("u.h5"), "--items", c.i("v.h5"), "--train", c.i("r.h5"), "--out", c.o("recs.json")),
                 ("solve", "--interactions", c.i("r.h5"), "--items", c.i("v.h5"), "--out", c.o("u.npy"))):
        proc = c.runner.run(*args)
        require(proc.returncode == 64, f"mftool {' '.join(args)} exited {proc.returncode}, expected 64: {proc.stderr.strip()}")
        require(".h5" in proc.stderr, f"the message lists no accepted extension: {proc.stderr.strip()}")
    check_no_files(c.out)


# --------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mftool", nargs="?", default=".build/debug/mftool")
    parser.add_argument("--keep", metavar="DIR", help="write the work files to DIR and keep them")
    parser.add_argument("-k", metavar="SUBSTRING", help="run only cases whose name contains SUBSTRING")
    parser.add_argument("-v", "--verbose", action="store_true", help="print tracebacks of unexpected errors")
    args = parser.parse_args()

    binary = os.path.abspath(args.mftool)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"interop_check: {args.mftool} is not an executable (build with: swift build --product mftool)",
              file=sys.stderr)
        return 2
    runner = Runner(binary, args.verbose)
    if args.keep:
        root = os.path.abspath(args.keep)
        if os.path.exists(root):
            shutil.rmtree(root)
        os.makedirs(root)
    else:
        root = tempfile.mkdtemp(prefix="mftool-interop-")
    passed = failed = 0
    try:
        for name, fn in CASES:
            if args.k and args.k not in name:
                continue
            try:
                fn(Case(root, name, runner))
                print(f"ok {name}", flush=True)
                passed += 1
            except CaseFailure as e:
                print(f"FAIL {name}: {e}", flush=True)
                failed += 1
            except Exception as e:  # noqa: BLE001 — an unexpected error is a failure of the case
                print(f"FAIL {name}: unexpected {type(e).__name__}: {e}", flush=True)
                if args.verbose:
                    traceback.print_exc()
                failed += 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
