#!/usr/bin/env bash
# Berth's main job, shown: install, build, start the daemon on the default socket, make the
# busybox base image, and run a container with the real docker CLI and with berth.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/install-deps.sh
bash scripts/build.sh

sock=/run/berth/berth.sock
if ! curl -sf --unix-socket "$sock" http://berth/_ping >/dev/null 2>&1; then
  echo "starting berthd (log: /var/log/berthd.log)"
  setsid "$top/build/bin/berthd" >>/var/log/berthd.log 2>&1 < /dev/null &
  for _ in $(seq 100); do
    curl -sf --unix-socket "$sock" http://berth/_ping >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
"$top/build/bin/berth" image bootstrap busybox
"$top/build/bin/berth" run --rm busybox echo "hello from a Berth container"
if command -v docker >/dev/null; then
  DOCKER_HOST=unix://$sock docker run --rm busybox sh -c 'echo "and from the docker CLI: $(uname -sr)"'
fi
