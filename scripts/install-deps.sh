#!/usr/bin/env bash
# Installs what Berth needs to build, run and test on Debian 12, as root.  Skips apt when every
# package is already there, so a warm machine does not touch the network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache lld pkg-config clang-format
  libssl-dev libsqlite3-dev libarchive-dev nlohmann-json3-dev libseccomp-dev libcap-dev
  libnl-3-dev libnl-route-3-dev libnftables-dev nftables
  libgtest-dev
  busybox-static tini crun runc docker.io
  python3 python3-pytest python3-docker curl iproute2
  libcurl4-openssl-dev docker-registry skopeo apache2-utils
  libyaml-cpp-dev docker-compose
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# docker.io, containerd and docker-registry are tools the tests start themselves, on their own
# sockets and roots: keep apt from starting them as services (policy-rc.d 101 = "not allowed").
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
