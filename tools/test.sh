#!/usr/bin/env bash
# The whole test suite on a fresh Debian machine: system packages, then `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/env/setup.sh
swift test "$@"
