#!/usr/bin/env bash
# Fetch MovieLens-100K in RecBole's atomic-file form (ml-100k.inter) from PyPI: the
# recbole 1.2.1 wheel ships it as recbole/dataset_example/ml-100k/ml-100k.inter.
#
#   tools/env/fetch_ml100k.sh     # idempotent; prints the .inter path on the last line
#
# Files (gitignored, never committed):
#   tools/.cache/recbole/recbole-1.2.1-py3-none-any.whl   (pip download --no-deps)
#   tools/.cache/ml-100k/ml-100k.inter                     (100,000 ratings, typed header
#                                                           user_id:token item_id:token rating:float timestamp:float)
# Uses the venv's pip when tools/.venv exists, else python3 -m pip; python's zipfile
# extracts the one member, so no unzip binary is needed.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
tools="$(dirname "$here")"
cache="$tools/.cache"
wheeldir="$cache/recbole"
outdir="$cache/ml-100k"
out="$outdir/ml-100k.inter"
member="recbole/dataset_example/ml-100k/ml-100k.inter"

if [[ -x "$tools/.venv/bin/python" ]]; then py="$tools/.venv/bin/python"; else py="${PYTHON:-python3}"; fi

# 100,000 ratings + 1 header line.
if [[ -s "$out" ]] && [[ "$(wc -l < "$out")" -eq 100001 ]]; then
    echo "fetch_ml100k.sh: $out present" >&2
    echo "$out"
    exit 0
fi

mkdir -p "$wheeldir" "$outdir"
wheel="$(ls "$wheeldir"/recbole-1.2.1-*.whl 2>/dev/null | head -n1 || true)"
if [[ -z "$wheel" ]]; then
    echo "fetch_ml100k.sh: pip download --no-deps recbole==1.2.1" >&2
    "$py" -m pip download --quiet --disable-pip-version-check --no-deps recbole==1.2.1 -d "$wheeldir" >&2
    wheel="$(ls "$wheeldir"/recbole-1.2.1-*.whl | head -n1)"
fi

# Extract to a temporary name, then rename, so an interrupted run leaves no half file.
"$py" - "$wheel" "$member" "$out" <<'PY'
import os, sys, zipfile
wheel, member, out = sys.argv[1:]
tmp = out + ".tmp"
with zipfile.ZipFile(wheel) as z, open(tmp, "wb") as f:
    f.write(z.read(member))
os.replace(tmp, out)
PY

lines="$(wc -l < "$out")"
if [[ "$lines" -ne 100001 ]]; then
    echo "fetch_ml100k.sh: $out has $lines lines, expected 100001" >&2
    exit 1
fi
echo "fetch_ml100k.sh: wrote $out" >&2
echo "$out"
