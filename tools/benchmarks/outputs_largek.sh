#!/usr/bin/env bash
# Time and peak resident memory of the commands that read factors at a model's k: split, solve,
# eval, recommend, similar --all and export --ann on bench_largek.py's power-law shape (5,000
# users × 26,744 items, k = 1536 by default), with the factor files in float64 and in float32
# (`--dtype float32`) and the scores in double and single precision. The array sizes are printed
# first: a peak near them means no command holds a float64 copy it does not need.
#
#   tools/benchmarks/outputs_largek.sh            # k = 1536
#   K=768 tools/benchmarks/outputs_largek.sh
#
# Expects bench_largek.py's cached data (tools/.cache/largek/powerlaw-kK/: run
# `tools/bench --only largek` once), a release build in .build-bench (MFTOOL overrides it) and
# GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/../.."
K=${K:-1536}
MFTOOL=${MFTOOL:-.build-bench/release/mftool}
DATA=tools/.cache/largek/powerlaw-k$K
for f in "$MFTOOL" "$DATA/ratings.h5" "$DATA/items.h5" /usr/bin/time; do
    [ -e "$f" ] || { echo "outputs_largek: $f is missing (see the header of this script)" >&2; exit 1; }
done
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# Runs one mftool command line under GNU time: its label, seconds and peak RSS.
run() {
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$MFTOOL" "$@" --quiet > /dev/null
    read -r seconds kb < "$OUT/time"
    awk -v l="$label" -v s="$seconds" -v m="$kb" 'BEGIN { printf "%-44s %8.2f s %9.1f MiB\n", l, s, m / 1024 }'
}

echo "power-law shape at k = $K (tools/.cache/largek/powerlaw-k$K), $(nproc) threads"
awk -v k="$K" 'BEGIN { printf "arrays: items 26,744 × %d = %.1f MiB in float64 (%.1f in float32); users 5,000 × %d = %.1f MiB (%.1f)\n",
    k, 26744 * k * 8 / 2^20, 26744 * k * 4 / 2^20, k, 5000 * k * 8 / 2^20, 5000 * k * 4 / 2^20 }'
run "split (random 20%)" split --interactions "$DATA/ratings.h5" --train "$OUT/train.h5" --test "$OUT/test.h5" --test-fraction 0.2 --seed 1
run "solve, --dtype float64" solve --interactions "$OUT/train.h5" --items "$DATA/items.h5" --out "$OUT/u64.h5" \
    --loss implicit --confidence linear --alpha 1 --threads 2
run "solve, --dtype float32" solve --interactions "$OUT/train.h5" --items "$DATA/items.h5" --out "$OUT/u32.h5" \
    --loss implicit --confidence linear --alpha 1 --threads 2 --dtype float32
for dtype in 64 32; do
    for precision in double single; do
        run "eval recall/ndcg@100, u float$dtype, $precision" eval --users "$OUT/u$dtype.h5" --items "$DATA/items.h5" \
            --test "$OUT/test.h5" --train "$OUT/train.h5" --k 100 --metrics recall,ndcg --precision "$precision"
        run "recommend top-100, u float$dtype, $precision" recommend --users "$OUT/u$dtype.h5" --items "$DATA/items.h5" \
            --train "$OUT/train.h5" --k 100 --precision "$precision" --out "$OUT/recs.h5"
    done
    run "export --ann, u float$dtype, --dtype float$dtype" export --ann --users "$OUT/u$dtype.h5" --items "$DATA/items.h5" \
        --dtype "float$dtype" --out "$OUT/ann.h5"
done
for precision in double single; do
    run "similar --all top-10, $precision" similar --all --items "$DATA/items.h5" --k 10 --precision "$precision" --out "$OUT/sim.h5"
done
