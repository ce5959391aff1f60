#!/usr/bin/env bash
# Builds Examples/FoldIn, a package of its own that depends on mftool's IO and Solvers
# products, runs it on generated ML-100K-shaped data, and has `mftool check` confirm that the
# factors it wrote are the exact minimizers of the objective it recorded (relative gap ≤ 1e-9).
#
#   tools/checks/foldin_example.sh MFTOOL
set -euo pipefail
cd "$(dirname "$0")/../.."
mftool="$(realpath "${1:?usage: tools/checks/foldin_example.sh MFTOOL}")"
work="$(mktemp -d "${TMPDIR:-/tmp}/mftool-foldin.XXXXXX")"
trap 'rm -rf "$work"' EXIT

"$mftool" generate --preset ml100k-shape --out "$work/r.h5" --items-out "$work/v.h5" --quiet
swift build --package-path Examples/FoldIn
Examples/FoldIn/.build/debug/FoldIn "$work/r.h5" "$work/v.h5" "$work/u.h5" 0.5
"$mftool" check --users "$work/u.h5" --interactions "$work/r.h5" --items "$work/v.h5" --check-tol 1e-9
echo "foldin_example: the example's factors are the exact solution"
