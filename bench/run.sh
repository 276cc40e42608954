#!/usr/bin/env bash
# Runs every benchmark; needs a build (scripts/build.sh) and root.
set -euo pipefail
cd "$(dirname "$0")"
python3 bench_run.py "$@"
