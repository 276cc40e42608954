#!/usr/bin/python3
"""Builds a small multi-stage Dockerfile three ways in one run: cold (--no-cache), no-op rebuild
(everything cached) and a rebuild after changing one source file; `berth build` against its own
berthd, and `DOCKER_BUILDKIT=0 docker build` against dockerd at $BENCH_DOCKER_HOST or, when
Debian's dockerd is installed, the integration suite's own dockerd peer (ratios printed).  Needs root; starts its own berthd and stops it by PID.

  bench/bench_build.py [--runs N] [--build DIR]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))

DOCKERFILE = """FROM busybox AS build
WORKDIR /src
COPY main.txt lib.txt ./
RUN cat main.txt lib.txt > /app.out
FROM busybox
COPY --from=build /app.out /app.out
CMD ["cat", "/app.out"]
"""


def timed(cmd, env=None):
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {r.stdout}{r.stderr}")
    return dt


def bench(build_cmd, ctx, runs, env=None):
    cold, noop, change = [], [], []
    for i in range(runs):
        cold.append(timed(build_cmd + ["--no-cache", ctx], env))
        noop.append(timed(build_cmd + [ctx], env))
        with open(os.path.join(ctx, "main.txt"), "w") as f:
            f.write(f"main {i} {time.time()}\n")
        change.append(timed(build_cmd + [ctx], env))
    return statistics.median(cold), statistics.median(noop), statistics.median(change)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--build", default=os.environ.get("BERTH_BUILD_DIR", os.path.join(REPO, "build")))
    a = ap.parse_args()
    os.environ["BERTH_BUILD_DIR"] = a.build
    import conftest
    import docker_peer
    base = tempfile.mkdtemp(prefix="berth-bench-build-")
    ctx = os.path.join(base, "ctx")
    os.makedirs(ctx)
    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
        f.write(DOCKERFILE)
    for n in ("main.txt", "lib.txt"):
        with open(os.path.join(ctx, n), "w") as f:
            f.write(n + "\n")
    d = conftest.Daemon(os.path.join(base, "d"))
    os.makedirs(d.base)
    berth = os.path.join(a.build, "bin", "berth")
    try:
        d.start()
        subprocess.run([berth, "-H", d.host, "image", "bootstrap"], check=True, capture_output=True)
        cmd = [berth, "-H", d.host, "build", "-q", "-t", "bench-build"]
        cold, noop, change = bench(cmd, ctx, a.runs)
        print(f"berth build  cold {cold * 1000:7.1f} ms  no-op {noop * 1000:6.1f} ms  "
              f"one-file change {change * 1000:7.1f} ms")
        host = os.environ.get("BENCH_DOCKER_HOST")
        peer = None
        if not host and docker_peer.available():
            # Debian's dockerd on its own roots (the integration suite's peer), busybox loaded.
            peer = docker_peer.Peer()
            peer.start()
            archive = os.path.join(peer.base, "busybox.tar")
            docker_peer.busybox_archive(archive)
            if peer.docker("load", "-i", archive).returncode == 0:
                host = peer.env["DOCKER_HOST"]
        if host and shutil.which("docker"):
            env = dict(os.environ, DOCKER_HOST=host, DOCKER_BUILDKIT="0")
            dcmd = ["docker", "build", "-q", "-t", "bench-build"]
            try:
                dc, dn, dch = bench(dcmd, ctx, a.runs, env)
                print(f"docker build cold {dc * 1000:7.1f} ms  no-op {dn * 1000:6.1f} ms  "
                      f"one-file change {dch * 1000:7.1f} ms  (classic builder, vfs)")
                print(f"ratio berth/docker  cold {cold / dc:.2f}  no-op {noop / dn:.2f}  "
                      f"one-file change {change / dch:.2f}")
            except RuntimeError as e:
                print("docker build skipped:", e)
    finally:
        if peer:
            peer.stop()
        d.cleanup()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
