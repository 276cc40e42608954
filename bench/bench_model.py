#!/usr/bin/env python3
"""The typed API model's cost (issue 11), side by side in one run: the daemon's time for
`GET /containers/json?all=1` with N created containers (what `ps -a` asks) and for
`GET /containers/{id}/json` (inspect), for this build and for a build of the version before the
typed model (`--before`, e.g. a build of commit 5a324bf), each with its own daemon, roots and
socket.  Times are medians of requests on one kept-alive unix-socket connection, so they are the
daemon's work plus the socket round trip, not the CLI's.

  bench/bench_model.py [--build DIR] [--before DIR] [--containers N] [--requests R]

Build time from clean is measured apart (see bench/README or the issue note):
  rm -rf build && time scripts/build.sh   (with CCACHE_DISABLE=1 for a cold figure)
"""
import argparse
import concurrent.futures
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
from daemon_api import UnixHTTPConnection  # noqa: E402
from host_cleanup import remove_cgroups_named  # noqa: E402


def median_ms(conn, url, n):
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", url)
        r = conn.getresponse()
        body = r.read()
        samples.append((time.perf_counter() - t0) * 1000)
        assert r.status == 200, (url, r.status, body[:200])
    return statistics.median(samples)


def measure(bin_dir, containers, requests):
    base = tempfile.mkdtemp(prefix="berth-bench-model-")
    tag = uuid.uuid4().hex[:8]
    sock = os.path.join(base, "exec", "berth.sock")
    host = "unix://" + sock
    daemon = subprocess.Popen(
        [os.path.join(bin_dir, "berthd"), "-H", host, "--data-root", os.path.join(base, "data"),
         "--exec-root", os.path.join(base, "exec"), "--pidfile", os.path.join(base, "pid"),
         "--cgroup-parent", "berth-bench-" + tag, "--bridge", "bm" + tag,
         "--bip", f"10.{int(tag[:2], 16) % 200 + 20}.{int(tag[2:4], 16)}.1/24"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    berth = [os.path.join(bin_dir, "berth"), "-H", host]
    try:
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        subprocess.run(berth + ["image", "bootstrap"], check=True, capture_output=True)

        def create(i):
            return subprocess.run(
                berth + ["create", "--network", "none", "-e", f"I={i}", "-l", f"n={i}", "-m", "64m",
                         "-v", "/data", "busybox", "sleep", "600"],
                capture_output=True, text=True, check=True).stdout.strip()

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            ids = list(pool.map(create, range(containers)))
        conn = UnixHTTPConnection(sock)
        out = {
            f"GET /containers/json?all=1, {containers} containers (ms)":
                median_ms(conn, "/v1.50/containers/json?all=1", requests),
            "GET /containers/{id}/json (ms)":
                median_ms(conn, f"/v1.50/containers/{ids[len(ids) // 2]}/json", requests * 10),
        }
        conn.close()
        return out
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
        subprocess.run(["ip", "link", "del", "bm" + tag], capture_output=True)
        subprocess.run(["nft", "delete", "table", "ip", "berth_bm" + tag], capture_output=True)
        remove_cgroups_named("berth-bench-" + tag)
        subprocess.run(["umount", "-R", "-l", base], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--before", help="a build dir (or a dir with bin/) of the version before")
    ap.add_argument("--containers", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=20)
    args = ap.parse_args()
    after = measure(os.path.join(args.build, "bin"), args.containers, args.requests)
    before = (measure(os.path.join(args.before, "bin"), args.containers, args.requests)
              if args.before else None)
    print(f"{'figure':55} {'this build':>11} {'before':>9} {'ratio':>6}")
    for k, v in after.items():
        if before:
            print(f"{k:55} {v:11.2f} {before[k]:9.2f} {v / before[k]:6.2f}")
        else:
            print(f"{k:55} {v:11.2f}")
    print(json.dumps({"after": after, "before": before}))


if __name__ == "__main__":
    main()
