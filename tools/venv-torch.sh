#!/usr/bin/env bash
# Add PyTorch (tools/requirements-torch.txt) to tools/.venv, after making sure the
# base IO libraries are there (tools/venv.sh).
#
#   bash tools/venv-torch.sh      # idempotent; fast when already installed
#   tools/.venv/bin/python tools/torch_parity.py --mftool .build-torch/release/mftool
#
# pip runs only when the requirements file (or the venv's python) changed: the
# sha256 of requirements-torch.txt plus the python version is stored in
# tools/.venv/.requirements-torch.sha256 after a successful install.
# Prints the venv python path on the last line of stdout.
#
# Only PyPI is used. The default torch wheel there pulls the CUDA runtime wheels
# (several GB on disk); they are not needed on a CPU-only machine but do no harm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$here/.venv"
req="$here/requirements-torch.txt"
marker="$venv/.requirements-torch.sha256"

# Base venv (numpy scipy h5py pandas anndata); its own marker keeps this cheap.
bash "$here/venv.sh" >/dev/null

want="$( { sha256sum "$req" | cut -d' ' -f1; "$venv/bin/python" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
have="$(cat "$marker" 2>/dev/null || true)"

if [[ "$want" != "$have" ]]; then
    echo "venv-torch.sh: installing $(grep -v '^#' "$req" | xargs) (large download the first time)" >&2
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
    # Verify that torch imports and does float64 autograd + Adam on the CPU before
    # writing the marker.
    "$venv/bin/python" - >&2 <<'PY'
import torch
u = torch.zeros(3, 2, dtype=torch.float64, requires_grad=True)
opt = torch.optim.Adam([u], lr=0.1, weight_decay=0.001)
loss = ((u @ torch.ones(2, 4, dtype=torch.float64) - 1.0) ** 2).mean()
loss.backward()
opt.step()
assert torch.isfinite(u).all()
print("venv-torch.sh: torch", torch.__version__, "ok (cuda available:", torch.cuda.is_available(), ")")
PY
    echo "$want" > "$marker"
else
    echo "venv-torch.sh: $venv up to date" >&2
fi

echo "$venv/bin/python"
