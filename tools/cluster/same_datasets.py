#!/usr/bin/env python3
"""Are the datasets of two HDF5 files bitwise equal?

    tools/cluster/same_datasets.py A.h5 B.h5 [DATASET...]

Compares the named datasets (default: every dataset of either file) by dtype, shape and raw
bytes; attributes are left out (they record the command line and the shard). Prints one line per
difference and exits 1 when there is any.
"""
from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")

import h5py  # noqa: E402


def datasets(f):
    names = []
    f.visititems(lambda name, obj: names.append(name) if isinstance(obj, h5py.Dataset) else None)
    return names


def differences(a, b, names):
    found = []
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        for name in names or sorted(set(datasets(fa)) | set(datasets(fb))):
            missing = [path for path, f in ((a, fa), (b, fb)) if not isinstance(f.get(name), h5py.Dataset)]
            if missing:
                found.append(f"/{name}: missing from {', '.join(missing)}")
                continue
            x, y = fa[name][()], fb[name][()]
            if x.dtype != y.dtype or x.shape != y.shape:
                found.append(f"/{name}: {x.dtype}{list(x.shape)} in {a}, {y.dtype}{list(y.shape)} in {b}")
            elif x.tobytes() != y.tobytes():
                found.append(f"/{name}: the bytes differ")
    return found


def main():
    if len(sys.argv) < 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        sys.exit(0 if len(sys.argv) > 1 else 64)
    a, b, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    for path in (a, b):
        if not os.path.isfile(path):
            print(f"{path}: no such file")
            sys.exit(1)
    found = differences(a, b, names)
    for line in found:
        print(f"{a} vs {b}: {line}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
