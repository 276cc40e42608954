#!/usr/bin/env bash
# Runs every benchmark in turn (each starts and stops its own daemons); needs a build
# (scripts/build.sh) and root.  Arguments (e.g. --build DIR) go to each script.
set -euo pipefail
cd "$(dirname "$0")"
for bench in bench_run.py bench_runtime.py bench_containers.py bench_network.py bench_pull.py \
             bench_build.py; do
  echo "== $bench"
  python3 "$bench" "$@"
done
