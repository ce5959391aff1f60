#!/usr/bin/env python3
"""Write a synthetic, MovieLens-20M-shaped rating data set for benchmarks (deterministic).

Default shape: 138,493 users x 26,744 items, 16,000,000 (user, item, rating) triplets.

- Item popularity is Zipf-like (Zipf-Mandelbrot, p(rank) ~ 1/(rank + 30)); popularity rank is
  unrelated to the item id. Every item gets at least one rating (items that the sampling left
  out get one extra rating each from a random user, so nnz may exceed --nnz by a handful).
- User activity is log-normal (sigma 1.2, ML-20M's mean/median ratio), scaled to --nnz,
  clipped to [1, 35% of the items]. No (user, item) pair repeats.
- Ratings are 0.5 .. 5.0 in half steps with ML-20M's marginal frequencies.
- Users have ids 1..m and appear in that order; a user's items are in random order (like
  timestamps), so the first-seen item order is not the sorted one. Item ids are a random
  sample of 1..131,262 (ML-20M's movieId range).

Outputs in --out (default tools/.cache/ml20m/, gitignored):
  ratings.csv  header `user,item,rating`, integer ids, ratings like `4.5`
  items.h5     item_factors float64 (n x k) ~ N(0,1)/8, item_ids int64 in ascending id order
               (deliberately not the CSV's first-seen order, so mftool's alignment is exercised)
  meta.json    the parameters, used by the bench scripts to reuse an up-to-date cache

Usage:
  tools/benchmarks/gen_ml20m_shape.py                      # full ML-20M shape
  tools/benchmarks/gen_ml20m_shape.py --users 20000 --items 5000 --nnz 1500000 \
      --out tools/.cache/quick
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "env"))
from bootstrap import use_venv  # noqa: E402

use_venv("io")  # re-runs this script under tools/.venv's Python

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(os.path.dirname(HERE), ".cache", "ml20m")

ML20M = dict(users=138_493, items=26_744, nnz=16_000_000, k=64, seed=20_000_263)
QUICK = dict(users=20_000, items=5_000, nnz=1_500_000, k=64, seed=20_000_263)

# ML-20M's rating frequencies for 0.5, 1.0, ..., 5.0.
RATING_P = np.array([1.1, 3.3, 1.2, 7.2, 4.4, 21.3, 11.0, 26.6, 7.6, 14.5])
ZIPF_SHIFT = 30.0
ZIPF_EXPONENT = 1.0
ACTIVITY_SIGMA = 1.2
MAX_ACTIVITY = 0.35     # of the item count
HEAVY = 0.02            # users above this share of the items are sampled by Gumbel top-k
MAX_ITEM_ID = 131_262


def user_degrees(rng, m, n, nnz):
    """Log-normal activity, each in [1, cap], summing to nnz (when feasible)."""
    cap = max(1, int(MAX_ACTIVITY * n))
    if nnz > m * cap:
        sys.exit(f"--nnz {nnz} is more than {m} users x {cap} items each allow")
    raw = np.exp(rng.standard_normal(m) * ACTIVITY_SIGMA)
    scale = nnz / raw.sum()
    for _ in range(50):         # rescale until the clipped sum is close, then fix the rest
        d = np.clip(np.rint(raw * scale), 1, cap).astype(np.int64)
        if abs(d.sum() - nnz) <= m // 100:
            break
        scale *= nnz / d.sum()
    diff = int(nnz - d.sum())
    while diff != 0:            # spread the remainder over random users with room
        room = np.flatnonzero(d < cap) if diff > 0 else np.flatnonzero(d > 1)
        pick = rng.choice(room, size=min(abs(diff), room.size), replace=False)
        d[pick] += 1 if diff > 0 else -1
        diff = int(nnz - d.sum())
    return d


def sorted_unique(x):
    """np.unique for int64 via sort + flag (np.unique is pathologically slow in numpy 2.4 here)."""
    x = np.sort(x)
    keep = np.empty(x.size, dtype=bool)
    keep[:1] = True
    np.not_equal(x[1:], x[:-1], out=keep[1:])
    return x[keep]


def sample_light(rng, users, degrees, n, cdf):
    """Weighted sampling without replacement by repeated draws + dedupe (light users).

    Returns sorted unique keys user*n + item with exactly degrees[u] items per user.
    """
    keys = np.empty(0, dtype=np.int64)
    have = np.zeros(users.size, dtype=np.int64)
    while True:
        need = degrees - have
        todo = need > 0
        if not todo.any():
            return keys
        # Oversample a little so most users finish in one round.
        draw = np.where(todo, need + (need >> 3) + 2, 0)
        who = np.repeat(users, draw)
        items = np.searchsorted(cdf, rng.random(who.size), side="right").clip(0, n - 1)
        keys = sorted_unique(np.concatenate([keys, who * n + items]))
        owner = keys // n
        counts = np.bincount(np.searchsorted(users, owner), minlength=users.size)
        over = counts > degrees
        if over.any():
            # Keep a uniformly random subset of degrees[u] keys for users with too many.
            slot = np.searchsorted(users, owner)
            order = np.argsort((slot << 40) | rng.integers(0, 1 << 40, size=keys.size))
            start = np.concatenate([[0], np.cumsum(counts)[:-1]])
            rank = np.empty(keys.size, dtype=np.int64)
            rank[order] = np.arange(keys.size) - start[slot[order]]
            keys = keys[rank < degrees[slot]]
            counts = np.minimum(counts, degrees)
        have = counts


def sample_heavy(rng, users, degrees, n, logp):
    """Weighted sampling without replacement by Gumbel top-k (one user at a time)."""
    out = []
    for u, d in zip(users.tolist(), degrees.tolist()):
        g = logp - np.log(-np.log(rng.random(n)))
        top = np.argpartition(-g, d - 1)[:d] if d < n else np.arange(n)
        out.append(u * n + np.sort(top))
    return np.concatenate(out) if out else np.empty(0, dtype=np.int64)


def format_int_column(v, width):
    """ASCII digits of non-negative ints, right-aligned in `width` columns, + validity mask."""
    digits = np.empty((v.size, width), dtype=np.uint8)
    x = v.copy()
    for j in range(width - 1, -1, -1):
        digits[:, j] = (x % 10) + 48
        x //= 10
    ndig = np.maximum(1, np.floor(np.log10(np.maximum(v, 1))).astype(np.int64) + 1)
    mask = np.arange(width)[None, :] >= (width - ndig)[:, None]
    return digits, mask


def write_csv(path, user_ids, item_ids, rating_codes, chunk=2_000_000):
    """Vectorized CSV writer: fixed-width byte rows, then drop the padding with a mask."""
    table = np.frombuffer(b"".join(f"{0.5 * (c + 1):.1f}".encode() for c in range(10)), dtype=np.uint8).reshape(10, 3)
    uw = len(str(int(user_ids.max())))
    iw = len(str(int(item_ids.max())))
    with open(path, "wb") as f:
        f.write(b"user,item,rating\n")
        for s in range(0, user_ids.size, chunk):
            u, i, r = user_ids[s:s + chunk], item_ids[s:s + chunk], rating_codes[s:s + chunk]
            ud, um = format_int_column(u, uw)
            idg, im = format_int_column(i, iw)
            rows = u.size
            comma = np.full((rows, 1), ord(","), dtype=np.uint8)
            nl = np.full((rows, 1), ord("\n"), dtype=np.uint8)
            line = np.hstack([ud, comma, idg, comma, table[r], nl])
            ones = np.ones((rows, 1), dtype=bool)
            mask = np.hstack([um, ones, im, ones, np.ones((rows, 3), dtype=bool), ones])
            f.write(line[mask].tobytes())


def write_items(path, item_ids_sorted, k, rng):
    import h5py
    factors = rng.standard_normal((item_ids_sorted.size, k)) / 8.0
    with h5py.File(path, "w") as h:
        h.create_dataset("item_factors", data=factors.astype(np.float64))
        h.create_dataset("item_ids", data=item_ids_sorted.astype(np.int64))


def generate(users, items, nnz, k, seed, out, quiet=False):
    t0 = time.perf_counter()
    log = (lambda *a: None) if quiet else (lambda *a: print(*a, file=sys.stderr, flush=True))
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(seed)
    m, n = users, items

    # Item index j has popularity rank j; its id is a random sample of ML-20M's id range.
    weights = 1.0 / (np.arange(1, n + 1) + ZIPF_SHIFT) ** ZIPF_EXPONENT
    p = weights / weights.sum()
    cdf = np.cumsum(p)
    cdf[-1] = 1.0
    item_id_of = rng.choice(np.arange(1, max(MAX_ITEM_ID, n) + 1), size=n, replace=False).astype(np.int64)

    d = user_degrees(rng, m, n, nnz)
    heavy = d > max(1, int(HEAVY * n))
    log(f"gen: degrees done, max {d.max()}, median {int(np.median(d))}, {heavy.sum()} heavy users "
        f"({time.perf_counter() - t0:.1f}s)")
    uidx = np.arange(m, dtype=np.int64)
    keys = np.concatenate([sample_light(rng, uidx[~heavy], d[~heavy], n, cdf),
                           sample_heavy(rng, uidx[heavy], d[heavy], n, np.log(p))])
    keys.sort()
    log(f"gen: sampled {keys.size} pairs ({time.perf_counter() - t0:.1f}s)")

    # Every item rated at least once.
    seen = np.bincount(keys % n, minlength=n)
    missing = np.flatnonzero(seen == 0)
    if missing.size:
        extra = rng.integers(0, m, size=missing.size) * n + missing
        keys = np.sort(np.concatenate([keys, extra]))
        log(f"gen: gave {missing.size} unrated items one rating each")
    u = keys // n
    j = keys % n
    assert np.all(np.diff(keys) > 0), "duplicate pairs"

    # Random order within each user (stable by user).
    order = np.argsort((u << 40) | rng.integers(0, 1 << 40, size=keys.size))
    u, j = u[order], j[order]
    codes = rng.choice(10, size=keys.size, p=RATING_P / RATING_P.sum()).astype(np.int64)

    csv = os.path.join(out, "ratings.csv")
    write_csv(csv + ".tmp", u + 1, item_id_of[j], codes)
    os.replace(csv + ".tmp", csv)
    log(f"gen: wrote {csv} ({os.path.getsize(csv) / 1e6:.1f} MB, {time.perf_counter() - t0:.1f}s)")

    items_h5 = os.path.join(out, "items.h5")
    write_items(items_h5 + ".tmp", np.sort(item_id_of), k, np.random.default_rng(seed + 1))
    os.replace(items_h5 + ".tmp", items_h5)

    meta = dict(users=m, items=n, nnz_requested=nnz, nnz=int(keys.size), k=k, seed=seed,
                zipf_shift=ZIPF_SHIFT, zipf_exponent=ZIPF_EXPONENT, activity_sigma=ACTIVITY_SIGMA,
                generator_version=1)
    with open(os.path.join(out, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    log(f"gen: done: {m} users x {n} items, nnz {keys.size}, k {k} -> {out} "
        f"({time.perf_counter() - t0:.1f}s)")
    return meta


def ensure(users, items, nnz, k, seed, out, quiet=False):
    """Generate into `out` unless meta.json there already records these parameters."""
    try:
        with open(os.path.join(out, "meta.json")) as f:
            meta = json.load(f)
        if (meta.get("users"), meta.get("items"), meta.get("nnz_requested"), meta.get("k"), meta.get("seed"),
                meta.get("generator_version")) == (users, items, nnz, k, seed, 1) and all(
                os.path.exists(os.path.join(out, x)) for x in ("ratings.csv", "items.h5")):
            return meta
    except (OSError, ValueError):
        pass
    return generate(users, items, nnz, k, seed, out, quiet)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--users", type=int, default=ML20M["users"])
    ap.add_argument("--items", type=int, default=ML20M["items"])
    ap.add_argument("--nnz", type=int, default=ML20M["nnz"])
    ap.add_argument("--k", type=int, default=ML20M["k"])
    ap.add_argument("--seed", type=int, default=ML20M["seed"])
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--force", action="store_true", help="regenerate even when the cache matches")
    a = ap.parse_args()
    if a.force:
        generate(a.users, a.items, a.nnz, a.k, a.seed, a.out)
    else:
        meta = ensure(a.users, a.items, a.nnz, a.k, a.seed, a.out)
        print(json.dumps(meta))


if __name__ == "__main__":
    main()
