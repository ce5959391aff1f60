#!/usr/bin/env bash
# One-core rate of mftool's dense R·V kernel on the seed problem's shape, next to NumPy's
# single-threaded matmul of the same shape (OpenBLAS), from the same run; and the single-
# threaded GEMM rates of the shapes `mftool eval` could score in (users × items × 64), which
# chose its blocks of 512 users × panels of 512 items. Needs clang and tools/.venv (tools/venv.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
# The flags SwiftPM's release builds give C targets: with the frame pointer kept, one register
# fewer, a kernel can spill where plain -O2 does not.
clang -O2 -fPIC -fno-omit-frame-pointer -I Sources/CKernels/include tools/dense_kernel_bench.c Sources/CKernels/ridge_kernels.c -o "$out/bench" -lm
for rows in 12 64 500; do "$out/bench" "$rows"; done
tools/.venv/bin/python - <<'PY'
import time
import numpy as np
from threadpoolctl import threadpool_limits

def rate(m, n, k, dt, reps):
    a, b = np.random.rand(m, k).astype(dt), np.random.rand(n, k).astype(dt)
    c = np.empty((m, n), dt)
    best = 1e9
    for _ in range(7):
        t = time.perf_counter()
        for _ in range(reps):
            np.matmul(a, b.T, out=c)
        best = min(best, (time.perf_counter() - t) / reps)
    return best, 2 * m * n * k / best / 1e9

with threadpool_limits(1):
    d = np.random.rand(500, 1000)
    v = np.random.rand(1000, 50)
    best = 1e9
    for _ in range(200):
        t = time.perf_counter(); d @ v; best = min(best, time.perf_counter() - t)
    print(f"NumPy matmul 500x1000 @ 1000x50, 1 thread: best {best * 1e3:.3f} ms, {2 * 500 * 1000 * 50 / best / 1e9:.1f} GFLOP/s")
    for m, n in [(256, 2048), (512, 2048), (512, 512), (1024, 512), (2048, 512)]:
        for dt in (np.float32, np.float64):
            _, g = rate(m, n, 64, dt, 10)
            print(f"NumPy scores {m} users x {n} items x 64, {np.dtype(dt).name}, 1 thread: {g:.0f} GFLOP/s")
PY
rm -rf "$out"
