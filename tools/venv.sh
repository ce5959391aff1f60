#!/usr/bin/env bash
# Create (or reuse) tools/.venv with the libraries listed in tools/requirements-io.txt.
#
#   bash tools/venv.sh            # idempotent; fast when already installed
#   tools/.venv/bin/python tools/make_fixtures.py
#
# pip runs only when the venv is new or the requirements file changed: the
# sha256 of requirements-io.txt (plus the base python version) is stored in
# tools/.venv/.requirements-io.sha256 after a successful install.
# Prints the venv python path on the last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements-io.txt"
marker="$venv/.requirements-io.sha256"
py="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/python" ]]; then
    echo "venv.sh: creating $venv" >&2
    "$py" -m venv "$venv"
fi

want="$( { sha256sum "$req" | cut -d' ' -f1; "$venv/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
have="$(cat "$marker" 2>/dev/null || true)"

if [[ "$want" != "$have" ]]; then
    echo "venv.sh: installing $(grep -v '^#' "$req" | xargs)" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    # Verify the imports before writing the marker.
    "$venv/bin/python" -c 'import numpy, scipy, h5py, pandas, anndata' >&2
    echo "$want" > "$marker"
else
    echo "venv.sh: $venv up to date" >&2
fi

echo "$venv/bin/python"
