#!/usr/bin/env bash
# Runs every benchmark in turn (each starts and stops its own daemons); needs a build
# (scripts/build.sh) and root.  bench/run.sh [BUILD_DIR]  (default: build/)
set -euo pipefail
cd "$(dirname "$0")"
build=$(realpath "${1:-../build}")
py=/usr/bin/python3  # Debian's, which has python3-docker and pytest (conftest) installed
for bench in bench_run.py bench_runtime.py bench_containers.py bench_pull.py bench_build.py bench_model.py; do
  echo "== $bench"
  "$py" "$bench" --build "$build"
done
echo "== bench_network.py"
BERTH_BUILD_DIR="$build" "$py" bench_network.py
