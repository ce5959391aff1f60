#!/usr/bin/env bash
# The built-in demo on a fresh Debian machine: system packages, a release build of mftool, then on
# generated data (mftool generate):
#   1. the PyTorch seed problem (500 users × 1,000 items, k = 50, dense targets): the exact solve,
#      then 100 epochs of Adam (lr 0.001, weight_decay 0.001) checked against it, with the SVG curve;
#   2. a MovieLens-100K-shaped log: split → solve (observed loss, biases) → eval.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/env/setup.sh
swift build -c release --product mftool >&2
bin=.build/release/mftool
out=${DEMO_OUT:-$(mktemp -d)}
mkdir -p "$out"
step() { printf '\n== %s\n' "$*"; }
timed() { local t0=$(date +%s%N); "$@"; local ms=$(( ($(date +%s%N) - t0) / 1000000 )); printf '   (%d.%03d s)\n' $((ms / 1000)) $((ms % 1000)); }

step "generate the seed problem (500 × 1,000 dense targets, k = 50)"
timed $bin generate --preset seed --out "$out/seed.h5" --items-out "$out/seed_items.h5" --quiet
# MSELoss (mean over m·n) + Adam weight_decay w is the dense loss with λ = w·m·n/2 = 250.
step "exact solve: mftool solve --loss dense --lambda 250"
timed $bin solve --interactions "$out/seed.h5" --items "$out/seed_items.h5" --out "$out/seed_users.h5" --loss dense --lambda 250
step "100 epochs of Adam (lr 0.001, weight_decay 0.001), checked against the exact optimum"
timed $bin fit --method adam --lr 0.001 --weight-decay 0.001 --epochs 100 --loss dense --lambda 0 \
  --interactions "$out/seed.h5" --items "$out/seed_items.h5" --out "$out/seed_adam.h5" --check --plot "$out/adam.svg" --quiet
echo "   convergence curve: $out/adam.svg"

step "generate a MovieLens-100K-shaped log and split it 80/20 per user"
timed $bin generate --preset ml100k-shape --out "$out/ml.h5" --items-out "$out/ml_items.h5" --quiet
$bin split --interactions "$out/ml.h5" --train "$out/train.h5" --test "$out/test.h5" --seed 1
step "solve user factors on the training part (user bias, global mean, λ = 1)"
timed $bin solve --interactions "$out/train.h5" --items "$out/ml_items.h5" --out "$out/ml_users.h5" --user-bias --offset global-mean --lambda 1
step "evaluate on the held-out part"
timed $bin eval --users "$out/ml_users.h5" --items "$out/ml_items.h5" --test "$out/test.h5" --train "$out/train.h5" --k 10,100
