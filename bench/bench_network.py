#!/usr/bin/env python3
"""Cost of networking (issue 6): container start time on the default bridge versus
--network none, and the time to create (and start) 100 containers on one user network.

Runs its own berthd (own roots, bridge, subnet and nftables table; removed at the end), as root:
  BERTH_BUILD_DIR=build-net /usr/bin/python3 bench/bench_network.py [-n 20]
Start time is measured through the Engine API (POST /containers/{id}/start), which is the
daemon's work: netns + veth + addresses + rules + DNS, then the shim and the process."""
import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "integration"))
import subprocess  # noqa: E402

import docker  # noqa: E402
from conftest import binary  # noqa: E402
from test_network import NetDaemon  # noqa: E402


def time_starts(api, n, network):
    out = []
    for _ in range(n):
        c = api.create_container("busybox", ["sleep", "30"],
                                 host_config=api.create_host_config(network_mode=network))
        t = time.perf_counter()
        api.start(c)
        out.append((time.perf_counter() - t) * 1000)
        api.remove_container(c, force=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=20)
    args = ap.parse_args()
    base = tempfile.mkdtemp(prefix="berth-bench-net-")
    d = NetDaemon(base)
    try:
        d.start()
        subprocess.run([binary("berth"), "-H", d.host, "image", "bootstrap"], check=True,
                       capture_output=True)
        api = docker.APIClient(base_url=d.host)
        time_starts(api, 3, "none")  # warm up
        none = time_starts(api, args.n, "none")
        bridge = time_starts(api, args.n, "bridge")
        host = time_starts(api, args.n, "host")
        br = "bt" + uuid.uuid4().hex[:6]
        d.test_bridges.append(br)
        net = api.create_network("bench-" + uuid.uuid4().hex[:6], driver="bridge",
                                 options={"com.docker.network.bridge.name": br},
                                 ipam={"Driver": "default",
                                       "Config": [{"Subnet": f"10.{d.net_octet}.16.0/20"}]})
        t = time.perf_counter()
        ids = []
        for i in range(100):
            c = api.create_container("busybox", ["sleep", "60"],
                                     host_config=api.create_host_config(network_mode=net["Id"]))
            ids.append(c["Id"])
        create_s = time.perf_counter() - t
        t = time.perf_counter()
        for c in ids:
            api.start(c)
        start_s = time.perf_counter() - t
        for c in ids:
            api.remove_container(c, force=True)
        api.remove_network(net["Id"])
        med = statistics.median
        print(f"start, --network host:   median {med(host):.1f} ms (n={args.n})")
        print(f"start, --network none:   median {med(none):.1f} ms")
        print(f"start, default bridge:   median {med(bridge):.1f} ms")
        print(f"networking cost (bridge - none): {med(bridge) - med(none):.1f} ms")
        print(f"create 100 containers on one user network: {create_s:.2f} s")
        print(f"start those 100 containers:               {start_s:.2f} s")
    finally:
        d.cleanup()
        d.net_cleanup()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
