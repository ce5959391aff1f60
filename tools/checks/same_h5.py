#!/usr/bin/env python3
"""Are two HDF5 files the same result, bit for bit?

Compares every dataset (dtype, shape and bytes) and every root attribute but provenance
(`mftool_*`) and a sharded part's record (`shard*`), which say how a file was made rather than
what it holds. Given dataset names, compares only those datasets and no attributes (fit's
files and a sharded ALS run's record different settings around the same factors). Prints each
difference and exits 1 when there is one.

    tools/checks/same_h5.py EXPECTED.h5 ACTUAL.h5 [DATASET...]
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
    f.visit(lambda key: names.append(key) if isinstance(f[key], h5py.Dataset) else None)
    return names


def differences(a, b, only=()):
    found = []
    with h5py.File(a, "r") as fa, h5py.File(b, "r") as fb:
        na, nb = datasets(fa), datasets(fb)
        if only:
            wanted = {name.lstrip("/") for name in only}
            na, nb = [k for k in na if k in wanted], [k for k in nb if k in wanted]
            found += [f"/{k}: in neither file" for k in sorted(wanted - set(na) - set(nb))]
        found += [f"/{k}: only in {a}" for k in sorted(set(na) - set(nb))]
        found += [f"/{k}: only in {b}" for k in sorted(set(nb) - set(na))]
        for key in sorted(set(na) & set(nb)):
            x, y = fa[key][()], fb[key][()]
            if x.dtype != y.dtype or x.shape != y.shape or x.tobytes() != y.tobytes():
                found.append(f"/{key}: differs ({x.dtype}{x.shape} vs {y.dtype}{y.shape})")
        if only:
            return found
        kept = lambda attrs: {k: str(v) for k, v in attrs.items() if not k.startswith(("mftool_", "shard"))}
        xa, xb = kept(fa.attrs), kept(fb.attrs)
        found += [f"attribute {k}: {xa.get(k)!r} vs {xb.get(k)!r}" for k in sorted(set(xa) | set(xb)) if xa.get(k) != xb.get(k)]
    return found


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    found = differences(sys.argv[1], sys.argv[2], sys.argv[3:])
    for line in found:
        print(f"{sys.argv[2]}{line}" if line.startswith("/") else f"{sys.argv[2]}: {line}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
