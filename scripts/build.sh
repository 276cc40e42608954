#!/usr/bin/env bash
# Configures and builds Berth into build/ (Ninja, ccache keyed to this checkout).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export CCACHE_BASEDIR="$top"
export CCACHE_DIR="${CCACHE_DIR:-/var/cache/berth-ccache}"
export CCACHE_NOHASHDIR=1
mkdir -p "$CCACHE_DIR"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C build -j"$(nproc)"
