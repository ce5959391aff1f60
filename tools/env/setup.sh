#!/usr/bin/env bash
# Installs the Debian packages mftool builds against, when any is missing:
# LAPACKE + OpenBLAS (liblapacke-dev, libopenblas-dev), HDF5 (libhdf5-dev), zlib, Snappy and
# Zstandard (Parquet pages: libsnappy-dev, libzstd-dev) and pkg-config.
#
#   tools/env/setup.sh      # tools/test.sh and tools/demo.sh run it first
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$here/apt.sh" liblapacke-dev libopenblas-dev libhdf5-dev zlib1g-dev libsnappy-dev libzstd-dev pkg-config
command -v swift >/dev/null || { echo "setup.sh: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
