#!/usr/bin/env bash
# The built-in demo on a fresh Debian machine: system packages, a release build of mftool, then
# convert → inspect → solve (exact ridge) on the data shipped in fixtures/ridge (40 users × 30
# items, k = 5), printing what each step did.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
swift build -c release --product mftool >&2
bin=.build/release/mftool
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== convert: canonical HDF5 → Matrix Market and back"
$bin convert fixtures/ridge/problem.h5 "$out/problem.mtx"
$bin convert "$out/problem.mtx" "$out/problem.h5"
echo "== inspect"
$bin inspect "$out/problem.h5"
echo "== solve --method ridge (observed loss, user bias, global-mean offset)"
$bin solve --interactions fixtures/ridge/problem.h5 --items fixtures/ridge/items.h5 --out "$out/users.h5" \
  --lambda 0.3 --user-bias --offset global-mean --timings
echo "== solve --method ridge (implicit loss, α = 2, count regularization)"
$bin solve --interactions fixtures/ridge/problem.h5 --items fixtures/ridge/items.h5 --out "$out/users_implicit.h5" \
  --loss implicit --alpha 2 --reg count --lambda 0.3
$bin inspect "$out/users.h5"
