#!/usr/bin/env bash
# Add the benchmark peers (tools/requirements-bench.txt: implicit, threadpoolctl) to
# tools/.venv, after making sure the base IO libraries are there (tools/venv.sh).
#
#   bash tools/venv-bench.sh      # idempotent; fast when already installed
#   tools/.venv/bin/python tools/bench_ridge.py --quick
#
# pip runs only when the requirements file (or the venv's python) changed: the
# sha256 of requirements-bench.txt plus the python version is stored in
# tools/.venv/.requirements-bench.sha256 after a successful install.
# Prints the venv python path on the last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements-bench.txt"
marker="$venv/.requirements-bench.sha256"

# Base venv (numpy scipy h5py pandas anndata); its own marker keeps this cheap.
bash "$here/venv.sh" >/dev/null

want="$( { sha256sum "$req" | cut -d' ' -f1; "$venv/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
have="$(cat "$marker" 2>/dev/null || true)"

if [[ "$want" != "$have" ]]; then
    echo "venv-bench.sh: installing $(grep -v '^#' "$req" | xargs)" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    # Verify the imports (including the compiled ALS kernels) before writing the marker.
    "$venv/bin/python" -c 'import implicit, threadpoolctl; from implicit.cpu import _als' >&2
    echo "$want" > "$marker"
else
    echo "venv-bench.sh: $venv up to date" >&2
fi

echo "$venv/bin/python"
