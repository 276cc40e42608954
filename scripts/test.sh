#!/usr/bin/env bash
# Installs, builds and runs every test: formatting, layering, unit tests (ctest), and the
# integration suite (pytest, as root, against daemons it starts itself).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

bash scripts/install-deps.sh
bash scripts/build.sh

echo "== formatting"
files=$(git ls-files 'src/*.cpp' 'src/*.h' 'cmd/*.cpp' 'tests/unit/*.cpp' 'tests/probe/*.c')
clang-format --dry-run --Werror $files

echo "== layering"
python3 scripts/check-layering.py

echo "== unit tests"
(cd build && ctest --output-on-failure -j2)

echo "== integration tests"
if [ "$(id -u)" != 0 ]; then
  echo "integration tests need root: skipped"
  exit 0
fi
BERTH_BUILD_DIR="$top/build" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/integration "$@"
