#!/usr/bin/env bash
# Installs the Debian packages mftool builds against, when any is missing:
# LAPACKE + OpenBLAS (liblapacke-dev, libopenblas-dev), HDF5 (libhdf5-dev), zlib and pkg-config.
set -euo pipefail
packages=(liblapacke-dev libopenblas-dev libhdf5-dev zlib1g-dev pkg-config)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: swift is not on PATH (Swift 6 toolchain required)" >&2; exit 1; }
