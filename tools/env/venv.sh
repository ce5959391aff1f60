#!/usr/bin/env bash
# Creates (or brings up to date) tools/.venv with the Python libraries of the named sets:
#
#   io     tools/env/requirements-io.txt     NumPy, SciPy, h5py, pandas, anndata, pyarrow (always installed)
#   bench  tools/env/requirements-bench.txt  implicit 0.7.3, threadpoolctl
#   torch  tools/env/requirements-torch.txt  PyTorch (a large download the first time)
#
#   tools/env/venv.sh              # io only
#   tools/env/venv.sh bench torch  # io, bench and torch
#
# Python scripts under tools/ call this by themselves (tools/env/bootstrap.py), so it is rarely
# run by hand. pip runs for a set only when the venv is new or the set's requirements file (or the
# venv's Python) changed: a sha256 of both is kept in tools/.venv/.requirements-SET.sha256 after
# a successful install and import check. Installs python3 and python3-venv when missing (Debian).
# Prints the venv's python path on the last line of stdout.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(dirname "$here")/.venv"
py="${PYTHON:-python3}"

# The import (or small computation) that proves a set is usable before its marker is written.
verify() {
  case "$1" in
    io) "$venv/bin/python" -c 'import numpy, scipy, h5py, pandas, anndata, pyarrow.parquet, polars, duckdb' ;;
    bench) "$venv/bin/python" -c 'import implicit, threadpoolctl; from implicit.cpu import _als' ;;
    torch) "$venv/bin/python" - <<'PY'
import torch
u = torch.zeros(3, 2, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([u], lr=0.1, weight_decay=0.001)
loss = ((u @ torch.ones(2, 4, dtype=torch.float64) - 1.0) ** 2).mean()
loss.backward()
opt.step()
assert torch.isfinite(u).all()
print("venv.sh: torch", torch.__version__, "ok (cuda available:", torch.cuda.is_available(), ")")
PY
    ;;
    *) echo "venv.sh: unknown set '$1' (io, bench, torch)" >&2; return 64 ;;
  esac
}

sets=(io)
for s in "$@"; do [[ "$s" == io ]] || sets+=("$s"); done
for s in "${sets[@]}"; do
  [[ -f "$here/requirements-$s.txt" ]] || { echo "venv.sh: unknown set '$s' (io, bench, torch)" >&2; exit 64; }
done

# The venv is made once pip is in it: `python -m venv` writes bin/python before ensurepip installs
# pip, so a venv whose making stopped there (interrupted, or ensurepip failed) is made again.
if [[ ! -x "$venv/bin/python" || ! -x "$venv/bin/pip" ]]; then
  if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then
    "$here/apt.sh" python3 python3-venv
    py=python3
  fi
  echo "venv.sh: creating $venv" >&2
  "$py" -m venv --clear "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
fi

for s in "${sets[@]}"; do
  req="$here/requirements-$s.txt"
  marker="$venv/.requirements-$s.sha256"
  want="$( { sha256sum "$req" | cut -d' ' -f1; "$venv/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
  if [[ "$want" != "$(cat "$marker" 2>/dev/null || true)" ]]; then
    echo "venv.sh: installing $(grep -v '^#' "$req" | xargs)" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    verify "$s" >&2
    echo "$want" > "$marker"
  fi
done

echo "$venv/bin/python"
