#!/usr/bin/env python3
"""Write mftool's I/O test fixtures under ``fixtures/io/`` with the real libraries.

Regenerate with

    bash tools/venv.sh && tools/.venv/bin/python tools/make_fixtures.py

The script wipes ``fixtures/io/`` and writes it again from literal data and
fixed seeds (NumPy ``.npz`` zip timestamps are pinned to 1980-01-01 so that
reruns give the same bytes) plus ``README.md`` (this docstring).  Every file
is < 20 KB except ``anndata.h5ad`` (~25 KB, see below).  After writing,
it reads each good fixture back with the library that wrote it (pandas,
scipy.io.mmread, scipy.sparse.load_npz, numpy.load, h5py, anndata) and checks
that the result equals its ``.json``.

Expected results
----------------
For each GOOD interactions fixture ``NAME.EXT`` there is ``NAME.EXT.json``::

    {"shape": [m, n], "user_ids": [str...], "item_ids": [str...],
     "indptr": [int...], "indices": [int...], "data": [float...]}

(``duplicates.csv.json`` and ``duplicates.csv.last.json`` carry one more
field, ``"duplicates": 2``.)  This is the canonical CSR matrix mftool must
produce:

* ids are strings exactly as the token appears in the text (surrounding
  quotes and whitespace stripped), numbered in FIRST-SEEN order of the input
  (users by their first appearance as a user, items likewise: ``pd.unique``);
* rows in user-index order, column indices ascending within a row;
* duplicate (user, item) pairs are SUMMED (``duplicates.csv.last.json`` shows
  the keep-last alternative);
* no value column means value 1.0;
* index-based formats without ids (Matrix Market, ``.npz``, dense ``.npy``,
  HDF5 without id datasets, ``.h5ad``) get positional ids "0".."m-1" and rows
  and columns keep their index (so empty trailing rows/columns still count);
  integer HDF5 id datasets give the decimal strings;
* Matrix Market ``symmetric`` is expanded (off-diagonal entries mirrored),
  ``pattern`` entries are 1.0;
* a dense ``.npy`` interactions matrix means its nonzero entries.

For each GOOD embedding fixture ``NAME`` there is ``NAME.json``::

    {"shape": [n, k], "values": [row-major floats], "item_ids": [str...] | null}

Float32 data are written to JSON as the exact double of the float32 value.

Fixtures and what each one tests
--------------------------------
Text interactions (expected result derived by parsing the file with pandas):

* ``ratings.csv``          header ``user,item,rating``, string ids, a quoted id
                           (``"carol"`` is the same user as ``carol``), a full-line
                           ``# comment``, a space after a comma (`` alien``),
                           float ratings, users with several items.
* ``ratings_noheader.tsv`` no header, tabs, non-consecutive integer ids (10, 7, 42).
* ``u.data``               MovieLens-100K: ``user\\titem\\trating\\ttimestamp``, no header.
* ``ratings.dat``          MovieLens-1M: ``user::item::rating::timestamp``.
* ``ratings_latest.csv``   MovieLens latest: ``userId,movieId,rating,timestamp``.
* ``sample.inter``         RecBole atomic file, typed header
                           ``user_id:token\\titem_id:token\\trating:float\\ttimestamp:float``.
* ``implicit.csv``         header ``user,item``, no value column (all 1.0); the
                           file has NO trailing newline.
* ``whitespace.txt``       columns separated by runs of spaces, no header.
* ``duplicates.csv``       two (user,item) pairs repeated once each; ``.json`` is
                           the sum, ``.last.json`` keep-last; both have ``"duplicates": 2``.

Matrix Market (``scipy.io.mmwrite``), positional ids, 5x6 with an empty last
row and column unless noted:

* ``real.mtx``       coordinate real general.
* ``integer.mtx``    coordinate integer general.
* ``pattern.mtx``    coordinate pattern general (values 1.0).
* ``symmetric.mtx``  coordinate real symmetric 4x4 (lower triangle stored; expanded).

SciPy ``save_npz`` (float64 data), positional ids, 5x7 with empty row 2 and
empty last column:

* ``csr.npz``, ``csc.npz``, ``coo.npz`` (compressed, the default; the COO entries
  are stored in a shuffled, unsorted order), ``csr_uncompressed.npz``
  (``compressed=False``), ``csr_int64.npz`` (int64 ``indices``/``indptr``).
  NumPy writes zip64 extra fields in the local headers.

* ``dense.npy``      4x5 float64 C-order array with zeros; interactions = nonzeros.

HDF5 CSR groups (AnnData sparse encoding: datasets ``data``, ``indices``,
``indptr``; group attributes ``encoding-type="csr_matrix"``,
``encoding-version="0.1.0"``, ``shape`` = int64[2]):

* ``csr_root.h5``        group = file root, int32 indices/indptr, float32 data
                         (exactly representable), root datasets ``user_ids`` and
                         ``item_ids`` as variable-length UTF-8 strings (one
                         user id is non-ASCII: ``josé``).
* ``csr_group_gzip.h5``  group ``/X``, int64 indices/indptr, float64 data, 40x60
                         with 200 nonzeros, data/indices/indptr chunked (chunks smaller
                         than the dataset) and gzip-compressed; ``/user_ids`` and
                         ``/item_ids`` at the file ROOT as plain (contiguous) int64
                         datasets (one item id is > 2**32, ids not sorted).
* ``csr_noids.h5``       root group, no id datasets (positional ids), an empty row.
* ``anndata.h5ad``       ``anndata.AnnData(X=csr float32, obs, var).write_h5ad``;
                         read as ``anndata.h5ad:/X``; ids positional (obs/var
                         names are not read by mftool yet).  ~25 KB: the one
                         file over the 20 KB budget (anndata's group skeleton).

Embeddings:

* ``items_f32.npy``       6x3 float32 C order, no ids.
* ``items_f64.npy``       6x3 float64 C order, no ids.
* ``items_fortran.npy``   5x3 float64 Fortran order (json = logical row-major values).
* ``items.h5``            ``/item_factors`` float32 6x4 + ``/item_ids`` (vlen UTF-8):
                          the 5 items of ratings.csv plus ``zelig``, in an order
                          different from ratings.csv's first-seen order.
* ``items_custom.h5``     ``/model/emb`` float64 5x2 (the only 2-D dataset) and a
                          1-D ``/model/norms``; no ids.
* ``items_ambiguous.h5``  two 2-D datasets ``/a`` and ``/b``, no ``item_factors``:
                          mftool must fail and list both (no json).

* ``ratings.csv.by_items_h5.json``  ratings.csv with the item order taken from
  items.h5's ``item_ids`` (all 6 items, ``zelig`` has an empty column).

BAD fixtures are in ``fixtures/io/bad/``; ``BAD_FIXTURES`` below (also written
to ``bad/README.md``) says what is wrong with each and what the error should
mention.
"""

from __future__ import annotations

import json
import shutil
import struct
import sys
import warnings
import zipfile
from pathlib import Path

import anndata
import h5py
import numpy as np
import pandas as pd
import scipy.io
import scipy.sparse as sp

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "fixtures" / "io"
BAD = OUT / "bad"
MAX_BYTES = 20_000
# A minimal .h5ad written by anndata is ~25 KB of HDF5 group structure
# (obs, var, obsm, varm, obsp, varp, layers, uns); it is kept as anndata wrote it.
MAX_BYTES_EXCEPTIONS = {"anndata.h5ad": 32_000}

CSR_ATTRS = {"encoding-type": "csr_matrix", "encoding-version": "0.1.0"}


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

def write_text(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def write_json(path: Path, obj: dict) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False) + "\n", encoding="utf-8")


def canonical_from_pairs(users, items, values, keep: str = "sum",
                         item_order=None) -> dict:
    """Canonical result from parallel sequences of id strings and float values.

    Users/items are numbered in first-seen order (``pd.unique``) unless
    ``item_order`` gives the full item list.  Duplicates are summed
    (``keep="sum"``) or the last one wins (``keep="last"``).
    """
    df = pd.DataFrame({"u": list(users), "i": list(items), "v": np.asarray(values, dtype=np.float64)})
    user_ids = list(pd.unique(df["u"]))
    item_ids = list(pd.unique(df["i"])) if item_order is None else list(item_order)
    duplicates = int(df.duplicated(["u", "i"]).sum())
    if keep == "last":
        df = df.drop_duplicates(["u", "i"], keep="last")
    elif keep != "sum":
        raise ValueError(keep)
    rows = pd.Index(user_ids).get_indexer(df["u"])
    cols = pd.Index(item_ids).get_indexer(df["i"])
    assert (rows >= 0).all() and (cols >= 0).all()
    m = sp.coo_matrix((df["v"].to_numpy(), (rows, cols)), shape=(len(user_ids), len(item_ids))).tocsr()
    m.sum_duplicates()
    m.sort_indices()
    out = csr_json(m, user_ids, item_ids)
    return out, duplicates


def csr_json(m, user_ids=None, item_ids=None) -> dict:
    """JSON dict for a scipy CSR matrix (sorted, no duplicates).  Ids default to positional."""
    m = sp.csr_matrix(m)
    m.sum_duplicates()
    m.sort_indices()
    rows, cols = m.shape
    return {
        "shape": [int(rows), int(cols)],
        "user_ids": [str(x) for x in (user_ids if user_ids is not None else range(rows))],
        "item_ids": [str(x) for x in (item_ids if item_ids is not None else range(cols))],
        "indptr": [int(x) for x in m.indptr],
        "indices": [int(x) for x in m.indices],
        "data": [float(x) for x in m.data.astype(np.float64)],
    }


def embedding_json(arr: np.ndarray, item_ids=None) -> dict:
    arr = np.asarray(arr)
    assert arr.ndim == 2
    return {
        "shape": [int(arr.shape[0]), int(arr.shape[1])],
        "values": [float(x) for x in arr.astype(np.float64).ravel(order="C")],
        "item_ids": None if item_ids is None else [str(x) for x in item_ids],
    }


def pin_zip_timestamps(path: Path) -> None:
    """Set every zip entry's DOS time/date to 1980-01-01 00:00 in place.

    np.savez stamps entries with the current time; patching only those bytes
    keeps everything else (zip64 extras, compression) exactly as NumPy wrote it.
    """
    buf = bytearray(path.read_bytes())
    dos_time, dos_date = 0, (0 << 9) | (1 << 5) | 1
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        start_dir = zf.start_dir
    for info in infos:
        off = info.header_offset
        assert buf[off:off + 4] == b"PK\x03\x04"
        struct.pack_into("<HH", buf, off + 10, dos_time, dos_date)
    off = start_dir
    for _ in infos:
        assert buf[off:off + 4] == b"PK\x01\x02"
        struct.pack_into("<HH", buf, off + 12, dos_time, dos_date)
        n, m, k = struct.unpack_from("<HHH", buf, off + 28)
        off += 46 + n + m + k
    path.write_bytes(bytes(buf))


def write_csr_group(g: h5py.Group, data, indices, indptr, shape, **dset_kw) -> None:
    """Write an AnnData-style CSR group (datasets + encoding attributes)."""
    g.create_dataset("data", data=data, **dset_kw)
    g.create_dataset("indices", data=indices, **dset_kw)
    g.create_dataset("indptr", data=indptr, **dset_kw)
    for k, v in CSR_ATTRS.items():
        g.attrs[k] = v
    g.attrs["shape"] = np.asarray(shape, dtype=np.int64)


def vlen_strings(strings) -> np.ndarray:
    return np.array(list(strings), dtype=h5py.string_dtype("utf-8"))


# --------------------------------------------------------------------------
# Text interactions
# --------------------------------------------------------------------------

TEXT_FIXTURES = {
    "ratings.csv": (
        "user,item,rating\n"
        "alice,up,4.0\n"
        "alice,jaws,3.5\n"
        "# a comment line: ignored\n"
        "bob,heat,5.0\n"
        "\"carol\",up,2.5\n"
        "bob,up,1.0\n"
        "dave, alien,4.5\n"
        "alice,brazil,2.0\n"
        "carol,jaws,3.0\n"
        "erin,heat,0.5\n"
        "dave,up,5.0\n"
        "alice,heat,1.5\n"
        "bob,brazil,4.0\n",
        dict(comment="#", skipinitialspace=True, dtype={"user": str, "item": str}),
        ("user", "item", "rating"),
    ),
    "ratings_noheader.tsv": (
        "10\t3\t4.0\n"
        "7\t100\t2.0\n"
        "42\t3\t5.0\n"
        "10\t5\t3.0\n"
        "7\t3\t1.5\n"
        "42\t77\t4.0\n"
        "10\t100\t2.5\n",
        dict(sep="\t", header=None, names=["u", "i", "r"], dtype={"u": str, "i": str}),
        ("u", "i", "r"),
    ),
    "u.data": (
        "196\t242\t3\t881250949\n"
        "186\t302\t3\t891717742\n"
        "22\t377\t1\t878887116\n"
        "244\t51\t2\t880606923\n"
        "166\t346\t1\t886397596\n"
        "298\t474\t4\t884182806\n"
        "115\t265\t2\t881171488\n"
        "253\t465\t5\t891628467\n"
        "196\t302\t4\t881250950\n"
        "22\t242\t5\t878887200\n",
        dict(sep="\t", header=None, names=["u", "i", "r", "t"], dtype={"u": str, "i": str}),
        ("u", "i", "r"),
    ),
    "ratings.dat": (
        "1::1193::5::978300760\n"
        "1::661::3::978302109\n"
        "1::914::3::978301968\n"
        "2::1357::5::978298709\n"
        "2::3068::4::978299000\n"
        "2::1193::4::978299100\n"
        "3::661::2::978297000\n"
        "10::914::5::978296000\n",
        dict(sep="::", engine="python", header=None, names=["u", "i", "r", "t"], dtype={"u": str, "i": str}),
        ("u", "i", "r"),
    ),
    "ratings_latest.csv": (
        "userId,movieId,rating,timestamp\n"
        "1,1,4.0,964982703\n"
        "1,3,4.0,964981247\n"
        "1,6,4.0,964982224\n"
        "2,333,4.0,1445715029\n"
        "2,1,3.5,1445714835\n"
        "3,31,0.5,1306463578\n"
        "3,6,5.0,1306464000\n",
        dict(dtype={"userId": str, "movieId": str}),
        ("userId", "movieId", "rating"),
    ),
    "sample.inter": (
        "user_id:token\titem_id:token\trating:float\ttimestamp:float\n"
        "196\t242\t3\t881250949\n"
        "186\t302\t3\t891717742\n"
        "22\t377\t1\t878887116\n"
        "244\t51\t2\t880606923\n"
        "166\t346\t1\t886397596\n"
        "186\t242\t4.5\t891717800\n",
        dict(sep="\t", dtype={"user_id:token": str, "item_id:token": str}),
        ("user_id:token", "item_id:token", "rating:float"),
    ),
    # No trailing newline on purpose.
    "implicit.csv": (
        "user,item\n"
        "u1,a\n"
        "u2,b\n"
        "u1,c\n"
        "u3,a\n"
        "u2,a",
        dict(dtype=str),
        ("user", "item", None),
    ),
    "whitespace.txt": (
        "1   10   5.0\n"
        "2 20     3.5\n"
        "1  30  1.0\n"
        "3     10 2.0\n"
        "2    10    4.5\n",
        dict(sep=r"\s+", header=None, names=["u", "i", "r"], dtype={"u": str, "i": str}),
        ("u", "i", "r"),
    ),
    "duplicates.csv": (
        "user,item,rating\n"
        "x,p,1.0\n"
        "y,q,2.0\n"
        "x,q,3.0\n"
        "x,p,4.0\n"
        "z,p,1.5\n"
        "y,q,0.5\n",
        dict(dtype={"user": str, "item": str}),
        ("user", "item", "rating"),
    ),
}


def parse_text(name: str):
    """Parse a text fixture with pandas; returns (users, items, values)."""
    _, kw, (ucol, icol, vcol) = TEXT_FIXTURES[name]
    df = pd.read_csv(OUT / name, **kw)
    users = [str(s).strip() for s in df[ucol]]
    items = [str(s).strip() for s in df[icol]]
    values = np.ones(len(df)) if vcol is None else df[vcol].astype(np.float64).to_numpy()
    return users, items, values


def make_text() -> dict:
    expected = {}
    for name, (text, _, _) in TEXT_FIXTURES.items():
        write_text(OUT / name, text)
        users, items, values = parse_text(name)
        res, dups = canonical_from_pairs(users, items, values)
        if name == "duplicates.csv":
            assert dups == 2
            res["duplicates"] = dups
            last, _ = canonical_from_pairs(users, items, values, keep="last")
            last["duplicates"] = dups
            write_json(OUT / (name + ".last.json"), last)
        else:
            assert dups == 0, name
        write_json(OUT / (name + ".json"), res)
        expected[name] = res
    # Literal cross-checks of the pandas parse for the main fixture.
    r = expected["ratings.csv"]
    assert r["user_ids"] == ["alice", "bob", "carol", "dave", "erin"], r["user_ids"]
    assert r["item_ids"] == ["up", "jaws", "heat", "alien", "brazil"], r["item_ids"]
    assert r["shape"] == [5, 5] and len(r["data"]) == 12
    assert expected["ratings_noheader.tsv"]["user_ids"] == ["10", "7", "42"]
    assert expected["implicit.csv"]["data"] == [1.0] * 5
    return expected


# --------------------------------------------------------------------------
# Matrix Market
# --------------------------------------------------------------------------

def make_mtx() -> None:
    rows = np.array([3, 0, 1, 0, 2, 3, 1])
    cols = np.array([1, 0, 4, 2, 3, 4, 0])
    vals = np.array([2.5, 1.0, -0.75, 4.0, 3.25, 0.5, 1.5])
    shape = (5, 6)  # row 4 and column 5 are empty

    real = sp.coo_matrix((vals, (rows, cols)), shape=shape)
    scipy.io.mmwrite(OUT / "real.mtx", real, comment="real general, 5x6, last row and column empty")

    ivals = np.array([3, 1, 7, 2, 5, 4, 9], dtype=np.int64)
    integer = sp.coo_matrix((ivals, (rows, cols)), shape=shape)
    scipy.io.mmwrite(OUT / "integer.mtx", integer, comment="integer general")

    pattern = sp.coo_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
    scipy.io.mmwrite(OUT / "pattern.mtx", pattern, comment="pattern general", field="pattern")

    dense_sym = np.array([
        [2.0, 0.0, 1.5, 0.0],
        [0.0, 0.0, 3.0, 0.5],
        [1.5, 3.0, 0.0, 0.0],
        [0.0, 0.5, 0.0, 4.0],
    ])
    assert (dense_sym == dense_sym.T).all()
    scipy.io.mmwrite(OUT / "symmetric.mtx", sp.coo_matrix(dense_sym),
                     comment="real symmetric: lower triangle stored", symmetry="symmetric")

    expected = {
        "real.mtx": real,
        "integer.mtx": integer.astype(np.float64),
        "pattern.mtx": pattern,
        "symmetric.mtx": sp.csr_matrix(dense_sym),
    }
    for name, m in expected.items():
        write_json(OUT / (name + ".json"), csr_json(m))

    headers = {name: (OUT / name).read_text().splitlines()[0] for name in expected}
    assert headers["real.mtx"] == "%%MatrixMarket matrix coordinate real general", headers
    assert headers["integer.mtx"] == "%%MatrixMarket matrix coordinate integer general", headers
    assert headers["pattern.mtx"] == "%%MatrixMarket matrix coordinate pattern general", headers
    assert headers["symmetric.mtx"] == "%%MatrixMarket matrix coordinate real symmetric", headers


# --------------------------------------------------------------------------
# NumPy / SciPy
# --------------------------------------------------------------------------

def npz_base() -> sp.csr_matrix:
    dense = np.array([
        [1.0, 0.0, 2.5, 0.0, 0.0, 0.0, 0.0],
        [0.0, 3.0, 0.0, 0.0, 4.5, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.25, 0.0, 0.0, 5.0, 0.0, 1.0, 0.0],
        [0.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    ])
    return sp.csr_matrix(dense)


def make_npz() -> None:
    base = npz_base()
    exp = csr_json(base)

    sp.save_npz(OUT / "csr.npz", base)
    sp.save_npz(OUT / "csc.npz", base.tocsc())
    coo = base.tocoo()
    perm = np.random.default_rng(7).permutation(coo.nnz)
    coo_shuffled = sp.coo_matrix((coo.data[perm], (coo.row[perm], coo.col[perm])), shape=coo.shape)
    assert not (np.diff(coo_shuffled.row) >= 0).all()
    sp.save_npz(OUT / "coo.npz", coo_shuffled)
    sp.save_npz(OUT / "csr_uncompressed.npz", base, compressed=False)
    wide = base.copy()
    wide.indices = wide.indices.astype(np.int64)
    wide.indptr = wide.indptr.astype(np.int64)
    sp.save_npz(OUT / "csr_int64.npz", wide)
    with np.load(OUT / "csr_int64.npz") as z:
        assert z["indices"].dtype == np.int64 and z["indptr"].dtype == np.int64
    with np.load(OUT / "csr.npz") as z:
        assert z["indices"].dtype == np.int32

    for name in ["csr.npz", "csc.npz", "coo.npz", "csr_uncompressed.npz", "csr_int64.npz"]:
        pin_zip_timestamps(OUT / name)
        write_json(OUT / (name + ".json"), exp)

    dense = np.array([
        [0.0, 1.0, 0.0, 2.5, 0.0],
        [3.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [0.5, 4.0, 0.0, 0.0, 1.25],
    ], dtype=np.float64)
    np.save(OUT / "dense.npy", dense)
    write_json(OUT / "dense.npy.json", csr_json(sp.csr_matrix(dense)))


# --------------------------------------------------------------------------
# HDF5 / AnnData interactions
# --------------------------------------------------------------------------

ROOT_USERS = ["u_anna", "josé", "u_ben", "u_cleo"]
ROOT_ITEMS = ["i_a", "i_b", "i_c", "i_d", "i_e"]


def root_csr():
    dense = np.array([
        [1.0, 0.0, 2.5, 0.0, 0.0],
        [0.0, 0.5, 0.0, 0.0, 3.0],
        [0.0, 0.0, 0.0, 0.0, 0.0],
        [4.0, 0.0, 0.0, 1.5, 0.0],
    ], dtype=np.float32)
    return sp.csr_matrix(dense)


def make_h5() -> None:
    # csr_root.h5: root group, int32, float32, vlen UTF-8 ids.
    m = root_csr()
    with h5py.File(OUT / "csr_root.h5", "w") as f:
        write_csr_group(f, m.data.astype(np.float32), m.indices.astype(np.int32),
                        m.indptr.astype(np.int32), m.shape)
        f.create_dataset("user_ids", data=vlen_strings(ROOT_USERS))
        f.create_dataset("item_ids", data=vlen_strings(ROOT_ITEMS))
    write_json(OUT / "csr_root.h5.json", csr_json(m, ROOT_USERS, ROOT_ITEMS))

    # csr_noids.h5: root group, no ids.
    with h5py.File(OUT / "csr_noids.h5", "w") as f:
        write_csr_group(f, m.data.astype(np.float64), m.indices.astype(np.int32),
                        m.indptr.astype(np.int32), m.shape)
    write_json(OUT / "csr_noids.h5.json", csr_json(m))

    # csr_group_gzip.h5: /X, int64, float64, chunked + gzip, ids at the root as int64.
    rng = np.random.default_rng(20240611)
    n_users, n_items, nnz = 40, 60, 200
    flat = rng.choice(n_users * n_items, size=nnz, replace=False)
    rows, cols = np.divmod(flat, n_items)
    vals = rng.integers(1, 21, size=nnz) * 0.25  # 0.25 .. 5.0, exact in binary
    big = sp.coo_matrix((vals, (rows, cols)), shape=(n_users, n_items)).tocsr()
    big.sort_indices()
    user_ids = np.sort(rng.choice(np.arange(1, 100_000), size=n_users, replace=False)).astype(np.int64)
    user_ids = rng.permutation(user_ids)  # non-sorted order
    item_ids = rng.choice(np.arange(1, 1_000_000), size=n_items, replace=False).astype(np.int64)
    item_ids[7] = 5_000_000_007  # needs 64 bits
    with h5py.File(OUT / "csr_group_gzip.h5", "w") as f:
        g = f.create_group("X")
        g.create_dataset("data", data=big.data.astype(np.float64), chunks=(64,), compression="gzip", compression_opts=4)
        g.create_dataset("indices", data=big.indices.astype(np.int64), chunks=(64,), compression="gzip", compression_opts=4)
        g.create_dataset("indptr", data=big.indptr.astype(np.int64), chunks=(16,), compression="gzip", compression_opts=4)
        for k, v in CSR_ATTRS.items():
            g.attrs[k] = v
        g.attrs["shape"] = np.asarray(big.shape, dtype=np.int64)
        # Ids are plain contiguous datasets (each chunked dataset costs ~2 KB of
        # B-tree; this keeps the file under 20 KB).
        f.create_dataset("user_ids", data=user_ids)
        f.create_dataset("item_ids", data=item_ids)
    write_json(OUT / "csr_group_gzip.h5.json", csr_json(big, user_ids.tolist(), item_ids.tolist()))

    # anndata.h5ad
    ad_dense = np.array([
        [0.0, 1.0, 0.0, 0.0, 2.0, 0.0],
        [3.5, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 4.0, 0.5, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0, 0.0, 2.25],
    ], dtype=np.float32)
    X = sp.csr_matrix(ad_dense)
    obs = pd.DataFrame(index=[f"cell{i}" for i in range(X.shape[0])])
    var = pd.DataFrame(index=[f"gene{j}" for j in range(X.shape[1])])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        adata = anndata.AnnData(X=X, obs=obs, var=var)
        adata.write_h5ad(OUT / "anndata.h5ad")
    write_json(OUT / "anndata.h5ad.json", csr_json(X))


# --------------------------------------------------------------------------
# Embeddings
# --------------------------------------------------------------------------

RATINGS_ITEMS_FOR_H5 = ["heat", "zelig", "brazil", "up", "alien", "jaws"]


def make_embeddings(ratings_csv_expected: dict) -> None:
    rng = np.random.default_rng(42)

    a32 = rng.standard_normal((6, 3)).astype(np.float32)
    np.save(OUT / "items_f32.npy", a32)
    write_json(OUT / "items_f32.npy.json", embedding_json(a32))

    a64 = rng.standard_normal((6, 3))
    np.save(OUT / "items_f64.npy", a64)
    write_json(OUT / "items_f64.npy.json", embedding_json(a64))

    af = np.asfortranarray(rng.standard_normal((5, 3)))
    assert af.flags.f_contiguous and not af.flags.c_contiguous
    np.save(OUT / "items_fortran.npy", af)
    write_json(OUT / "items_fortran.npy.json", embedding_json(af))

    # items.h5: ratings.csv's items + one extra, in a different order.
    assert set(RATINGS_ITEMS_FOR_H5) == set(ratings_csv_expected["item_ids"]) | {"zelig"}
    assert RATINGS_ITEMS_FOR_H5 != ratings_csv_expected["item_ids"]
    factors = rng.standard_normal((len(RATINGS_ITEMS_FOR_H5), 4)).astype(np.float32)
    with h5py.File(OUT / "items.h5", "w") as f:
        f.create_dataset("item_factors", data=factors)
        f.create_dataset("item_ids", data=vlen_strings(RATINGS_ITEMS_FOR_H5))
    write_json(OUT / "items.h5.json", embedding_json(factors, RATINGS_ITEMS_FOR_H5))

    emb = rng.standard_normal((5, 2))
    with h5py.File(OUT / "items_custom.h5", "w") as f:
        g = f.create_group("model")
        g.create_dataset("emb", data=emb)
        g.create_dataset("norms", data=np.linalg.norm(emb, axis=1))
    write_json(OUT / "items_custom.h5.json", embedding_json(emb))

    with h5py.File(OUT / "items_ambiguous.h5", "w") as f:
        f.create_dataset("a", data=rng.standard_normal((4, 2)))
        f.create_dataset("b", data=rng.standard_normal((4, 2)))

    # ratings.csv with the item order of items.h5.
    users, items, values = parse_text("ratings.csv")
    reordered, _ = canonical_from_pairs(users, items, values, item_order=RATINGS_ITEMS_FOR_H5)
    write_json(OUT / "ratings.csv.by_items_h5.json", reordered)


# --------------------------------------------------------------------------
# Bad fixtures
# --------------------------------------------------------------------------

# file -> (what is wrong, what the error should mention)
BAD_FIXTURES = {
    "indptr_not_monotone.h5": (
        "CSR group at root, shape [4,5]: indptr = [0,2,1,4,5] decreases (row 1)",
        "indptr is not non-decreasing (position/row 1 or 2)"),
    "indptr_wrong_end.h5": (
        "indptr[-1] = 4 but data/indices have 5 entries",
        "indptr's last value (4) differs from the nnz / length of data and indices (5)"),
    "index_out_of_range.h5": (
        "an entry of indices is 5 with shape [4,5] (valid 0..4)",
        "column index 5 out of range for 5 columns"),
    "negative_index.h5": (
        "an entry of indices (int32) is -1",
        "negative column index -1"),
    "ids_length_mismatch.h5": (
        "root user_ids has 3 strings but shape[0] = 4",
        "user_ids length 3 does not match 4 rows"),
    "missing_indices.h5": (
        "CSR group at root with data and indptr but no indices dataset",
        "missing dataset 'indices'"),
    "truncated.h5": (
        "first half of the bytes of a valid csr_root.h5-like file",
        "truncated / unreadable HDF5 file (not a crash)"),
    "not_hdf5.h5": (
        "plain text with an .h5 extension",
        "not an HDF5 file (bad signature)"),
    "nan_value.csv": (
        "line 3 has rating `nan`",
        "non-finite value, line 3"),
    "inf_value.csv": (
        "line 4 has rating `inf`",
        "non-finite value, line 4"),
    "wrong_columns.csv": (
        "line 4 has 2 fields, header has 3",
        "wrong number of fields at line 4 (expected 3, got 2)"),
    "non_numeric.csv": (
        "line 3 has rating `abc`",
        "cannot parse 'abc' as a number, line 3"),
    "empty.csv": (
        "zero bytes",
        "empty input / no interactions"),
    "header_only.csv": (
        "only the header line `user,item,rating`",
        "no interactions (empty after the header)"),
    "mtx_out_of_range.mtx": (
        "size line says 3x3 but an entry has row index 4 (1-based)",
        "entry index out of range for a 3x3 matrix (line 5)"),
    "mtx_bad_header.mtx": (
        "banner `%%MatrixMarket matrix coordinate quaternion general` (unknown field)",
        "unsupported/invalid Matrix Market header or field 'quaternion'"),
    "npz_bad_indptr.npz": (
        "CSR .npz (np.savez of data/indices/indptr/format/shape, like save_npz) with indptr [0,2,1,3]",
        "indptr is not non-decreasing"),
    "items_3d.npy": (
        "3-D float64 array (2x3x4) given as an embedding",
        "expected a 2-D array, got 3 dimensions"),
}


def make_bad() -> None:
    BAD.mkdir()
    shape = (4, 5)
    data = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    indices = np.array([0, 3, 1, 2, 4], dtype=np.int32)
    indptr = np.array([0, 2, 3, 4, 5], dtype=np.int32)
    users = ["a", "b", "c", "d"]

    def h5(name, data=data, indices=indices, indptr=indptr, user_ids=None, skip=()):
        with h5py.File(BAD / name, "w") as f:
            for k, v in (("data", data), ("indices", indices), ("indptr", indptr)):
                if k not in skip:
                    f.create_dataset(k, data=v)
            for k, v in CSR_ATTRS.items():
                f.attrs[k] = v
            f.attrs["shape"] = np.asarray(shape, dtype=np.int64)
            if user_ids is not None:
                f.create_dataset("user_ids", data=vlen_strings(user_ids))

    h5("indptr_not_monotone.h5", indptr=np.array([0, 2, 1, 4, 5], dtype=np.int32))
    h5("indptr_wrong_end.h5", indptr=np.array([0, 2, 3, 4, 4], dtype=np.int32))
    h5("index_out_of_range.h5", indices=np.array([0, 3, 5, 2, 4], dtype=np.int32))
    h5("negative_index.h5", indices=np.array([0, 3, -1, 2, 4], dtype=np.int32))
    h5("ids_length_mismatch.h5", user_ids=users[:3])
    h5("missing_indices.h5", skip=("indices",))

    # Truncated: a valid file, cut in half.
    h5("truncated.h5", user_ids=users)
    full = (BAD / "truncated.h5").read_bytes()
    (BAD / "truncated.h5").write_bytes(full[: len(full) // 2])

    write_text(BAD / "not_hdf5.h5", "this is not an HDF5 file\nuser,item,rating\n")

    write_text(BAD / "nan_value.csv", "user,item,rating\na,x,1.0\nb,y,nan\nc,z,2.0\n")
    write_text(BAD / "inf_value.csv", "user,item,rating\na,x,1.0\nb,y,2.0\nc,z,inf\n")
    write_text(BAD / "wrong_columns.csv", "user,item,rating\na,x,1.0\nb,y,2.0\nc,z\nd,w,3.0\n")
    write_text(BAD / "non_numeric.csv", "user,item,rating\na,x,1.0\nb,y,abc\nc,z,2.0\n")
    write_text(BAD / "empty.csv", "")
    write_text(BAD / "header_only.csv", "user,item,rating\n")

    write_text(BAD / "mtx_out_of_range.mtx",
               "%%MatrixMarket matrix coordinate real general\n"
               "3 3 3\n"
               "1 1 1.0\n"
               "2 3 2.0\n"
               "4 1 3.0\n")
    write_text(BAD / "mtx_bad_header.mtx",
               "%%MatrixMarket matrix coordinate quaternion general\n"
               "2 2 1\n"
               "1 1 1.0\n")

    np.savez(BAD / "npz_bad_indptr.npz",
             indices=np.array([0, 1, 2], dtype=np.int32),
             indptr=np.array([0, 2, 1, 3], dtype=np.int32),
             format=b"csr",
             shape=(3, 3),
             data=np.array([1.0, 2.0, 3.0]))
    pin_zip_timestamps(BAD / "npz_bad_indptr.npz")

    np.save(BAD / "items_3d.npy", np.arange(24, dtype=np.float64).reshape(2, 3, 4))

    lines = [
        "# Bad I/O fixtures",
        "",
        "Written by `tools/make_fixtures.py`. Each file must make mftool fail with a",
        "clear error (never crash, never produce output). \"Error should mention\" is",
        "the gist, not an exact message. CSV line numbers are 1-based and count the header.",
        "",
        "| file | what is wrong | error should mention |",
        "| --- | --- | --- |",
    ]
    for name, (wrong, mention) in BAD_FIXTURES.items():
        lines.append(f"| `{name}` | {wrong} | {mention} |")
    write_text(BAD / "README.md", "\n".join(lines) + "\n")
    written = {p.name for p in BAD.iterdir()} - {"README.md"}
    assert written == set(BAD_FIXTURES), written ^ set(BAD_FIXTURES)


# --------------------------------------------------------------------------
# Read-back verification with the libraries
# --------------------------------------------------------------------------

def load_json(name: str) -> dict:
    return json.loads((OUT / name).read_text(encoding="utf-8"))


def same_csr(exp: dict, m, what: str) -> None:
    got = csr_json(m)
    for k in ("shape", "indptr", "indices", "data"):
        assert got[k] == exp[k], (what, k, got[k], exp[k])


def h5_ids(ds) -> list[str]:
    if ds.dtype.kind in "iu":
        return [str(int(x)) for x in ds[()]]
    return [s.decode("utf-8") if isinstance(s, bytes) else str(s) for s in ds.asstr()[()]]


def verify() -> None:
    for name in TEXT_FIXTURES:
        exp = load_json(name + ".json")
        users, items, values = parse_text(name)
        res, _ = canonical_from_pairs(users, items, values)
        res.pop("duplicates", None)
        exp.pop("duplicates", None)
        assert res == exp, name

    for name in ["real.mtx", "integer.mtx", "pattern.mtx", "symmetric.mtx"]:
        exp = load_json(name + ".json")
        m = scipy.io.mmread(OUT / name)
        same_csr(exp, m, name)
        assert exp["user_ids"] == [str(i) for i in range(m.shape[0])]
    sym = load_json("symmetric.mtx.json")
    assert sym["data"].count(1.5) == 2 and sym["data"].count(3.0) == 2  # mirrored

    for name in ["csr.npz", "csc.npz", "coo.npz", "csr_uncompressed.npz", "csr_int64.npz"]:
        same_csr(load_json(name + ".json"), sp.load_npz(OUT / name), name)
    with zipfile.ZipFile(OUT / "csr_uncompressed.npz") as z:
        assert all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist())
    with zipfile.ZipFile(OUT / "csr.npz") as z:
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())
    with np.load(OUT / "coo.npz") as z:
        assert z["format"].item() == b"coo"
    same_csr(load_json("dense.npy.json"), sp.csr_matrix(np.load(OUT / "dense.npy")), "dense.npy")

    for name, group in [("csr_root.h5", "/"), ("csr_noids.h5", "/"), ("csr_group_gzip.h5", "/X")]:
        exp = load_json(name + ".json")
        with h5py.File(OUT / name, "r") as f:
            g = f[group]
            assert g.attrs["encoding-type"] == "csr_matrix" and g.attrs["encoding-version"] == "0.1.0"
            assert g.attrs["shape"].dtype == np.int64
            m = sp.csr_matrix((g["data"][()], g["indices"][()], g["indptr"][()]), shape=tuple(g.attrs["shape"]))
            same_csr(exp, m, name)
            if "user_ids" in f:
                assert h5_ids(f["user_ids"]) == exp["user_ids"], name
                assert h5_ids(f["item_ids"]) == exp["item_ids"], name
            else:
                assert exp["user_ids"] == [str(i) for i in range(m.shape[0])]
            if name == "csr_group_gzip.h5":
                for k in ("data", "indices", "indptr"):
                    d = g[k]
                    assert d.compression == "gzip" and d.chunks[0] < d.shape[0], k
                    assert d.dtype == (np.float64 if k == "data" else np.int64), k
                assert f["user_ids"].dtype == np.int64 and f["item_ids"].dtype == np.int64
            if name == "csr_root.h5":
                assert g["data"].dtype == np.float32 and g["indices"].dtype == np.int32
                assert h5py.check_string_dtype(f["user_ids"].dtype).encoding == "utf-8"

    exp = load_json("anndata.h5ad.json")
    ad = anndata.read_h5ad(OUT / "anndata.h5ad")
    same_csr(exp, sp.csr_matrix(ad.X), "anndata.h5ad")
    with h5py.File(OUT / "anndata.h5ad", "r") as f:
        assert f["X"].attrs["encoding-type"] == "csr_matrix"

    for name in ["items_f32.npy", "items_f64.npy", "items_fortran.npy"]:
        exp = load_json(name + ".json")
        a = np.load(OUT / name)
        assert [float(x) for x in a.astype(np.float64).ravel()] == exp["values"], name
        assert list(a.shape) == exp["shape"] and exp["item_ids"] is None
    assert np.load(OUT / "items_f32.npy").dtype == np.float32
    assert np.load(OUT / "items_fortran.npy").flags.f_contiguous
    with h5py.File(OUT / "items.h5", "r") as f:
        exp = load_json("items.h5.json")
        assert [float(x) for x in f["item_factors"][()].astype(np.float64).ravel()] == exp["values"]
        assert h5_ids(f["item_ids"]) == exp["item_ids"]
    with h5py.File(OUT / "items_custom.h5", "r") as f:
        exp = load_json("items_custom.h5.json")
        assert [float(x) for x in f["model/emb"][()].ravel()] == exp["values"]

    # by_items_h5: same triples as ratings.csv, columns permuted.
    base, by = load_json("ratings.csv.json"), load_json("ratings.csv.by_items_h5.json")
    assert by["user_ids"] == base["user_ids"] and by["item_ids"] == RATINGS_ITEMS_FOR_H5

    def triples(d):
        out = set()
        for r in range(d["shape"][0]):
            for p in range(d["indptr"][r], d["indptr"][r + 1]):
                out.add((d["user_ids"][r], d["item_ids"][d["indices"][p]], d["data"][p]))
        return out
    assert triples(base) == triples(by)

    # Bad fixtures really are bad for the libraries too (where they check).
    try:
        with h5py.File(BAD / "truncated.h5", "r") as f:
            f["data"][()]
        raise AssertionError("truncated.h5 opened")
    except OSError:
        pass
    try:
        scipy.io.mmread(BAD / "mtx_out_of_range.mtx")
        raise AssertionError("mtx_out_of_range.mtx read")
    except (ValueError, IndexError, OSError):
        pass


# --------------------------------------------------------------------------

def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    expected = make_text()
    make_mtx()
    make_npz()
    make_h5()
    make_embeddings(expected["ratings.csv"])
    make_bad()
    write_text(OUT / "README.md",
               "# I/O fixtures\n\nGenerated by `tools/make_fixtures.py` (its module docstring, "
               "reproduced below); do not edit by hand.\n\n```text\n" + __doc__.strip() + "\n```\n")
    verify()

    files = sorted(p for p in OUT.rglob("*") if p.is_file())
    too_big = [(p, p.stat().st_size) for p in files
               if p.stat().st_size >= MAX_BYTES_EXCEPTIONS.get(p.name, MAX_BYTES)]
    assert not too_big, too_big
    total = sum(p.stat().st_size for p in files)
    print(f"wrote {len(files)} files, {total} bytes, under {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
