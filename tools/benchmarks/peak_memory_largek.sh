#!/usr/bin/env bash
# Peak resident memory (VmHWM) of `mftool solve` on the whole ML-20M shape at one large k, for
# --form primal and --form auto in both precisions: the dual form keeps U = V·T, one more n × k
# matrix, beside the primal form's buffers. A whole solve at k = 1536 takes far longer than its
# allocations do, so each run is sampled every 0.5 s and stopped after SECONDS_PER_RUN seconds
# (default 100: every buffer of the solve is allocated within the first seconds); the figure is
# the largest VmHWM seen. Prints one line per case and auto's ratio to primal.
#
#   tools/benchmarks/peak_memory_largek.sh                 # k = 1536, 100 s per run
#   K=768 SECONDS_PER_RUN=60 tools/benchmarks/peak_memory_largek.sh
#
# Expects tools/bench's cached data (tools/.cache/ml20m/ratings.h5 and
# tools/.cache/largek/ml20m-items-kK.h5: run `tools/bench --only largek` once) and a release
# build in .build-bench (MFTOOL overrides the binary).
set -euo pipefail
cd "$(dirname "$0")/../.."
K=${K:-1536}
LIMIT=${SECONDS_PER_RUN:-100}
MFTOOL=${MFTOOL:-.build-bench/release/mftool}
RATINGS=tools/.cache/ml20m/ratings.h5
ITEMS=tools/.cache/largek/ml20m-items-k$K.h5
for f in "$MFTOOL" "$RATINGS" "$ITEMS"; do
    [ -e "$f" ] || { echo "peak_memory_largek: $f is missing (see the header of this script)" >&2; exit 1; }
done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Runs one solve, prints its largest VmHWM in kB.
peak() {
    "$MFTOOL" solve --interactions "$RATINGS" --items "$ITEMS" --loss implicit --threads 2 \
        --precision "$1" --form "$2" --quiet --out "$OUT/u.h5" &
    local pid=$! hwm=0 v
    for _ in $(seq 1 $((LIMIT * 2))); do
        sleep 0.5
        v=$(awk '/VmHWM/{print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [ -n "$v" ] && hwm=$v
        kill -0 "$pid" 2>/dev/null || break
    done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$hwm"
}

echo "mftool solve, implicit loss, ML-20M shape (138,493 × 26,744), k = $K; VmHWM over the first $LIMIT s"
for precision in double single; do
    primal=$(peak "$precision" primal)
    auto=$(peak "$precision" auto)
    awk -v p="$precision" -v a="$primal" -v b="$auto" \
        'BEGIN { printf "%-7s primal %8.1f MB   auto %8.1f MB   auto/primal %.2f\n", p, a / 1024, b / 1024, b / a }'
done
