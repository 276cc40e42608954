#!/usr/bin/env python3
"""Container management figures, in one run on one machine (issue 5): `ps -a` with 1,000
containers, 100 parallel `run -d`, `exec` latency, daemon idle memory and per-container memory
(daemon + shim, PSS).  Measures its own berthd and, when Debian's docker.io is installed, a
dockerd (+ containerd) started the same way beside it, and prints both with ratios.  Every daemon
runs with its own roots, socket and cgroup parent and is stopped by the PID started here.

  bench/bench_containers.py [--build DIR] [--containers N] [--no-docker]
"""
import argparse
import concurrent.futures
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
import docker_peer  # noqa: E402  (the integration suite's dockerd runner)
from host_cleanup import remove_cgroups_named  # noqa: E402


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def parent_pid(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def median_ms(argv, env=None, n=10):
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, env=env)
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def measure(cli, daemon_pids, containers, env=None, also_list=None):
    """The same figures for any daemon that the docker-compatible `cli` drives; `also_list`
    (argv, label) times one more client's `ps -a` over the same containers."""
    out = {}
    out["daemon idle PSS (MiB)"] = sum(pss_kib(p) for p in daemon_pids) / 1024

    def run_one(_):
        return subprocess.run(cli + ["run", "-d", "--network", "none", "busybox", "sleep", "600"],
                              capture_output=True, text=True, env=env).stdout.strip()
    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(100) as ex:
        ids = [i for i in ex.map(run_one, range(100)) if i]
    out["100 parallel run -d (s)"] = time.perf_counter() - t0
    pids = subprocess.run(cli + ["inspect", "-f", "{{.State.Pid}}"] + ids, capture_output=True,
                          text=True, env=env).stdout.split()
    # The shim is the container process's parent, for berth-shim and containerd-shim alike.
    shims = [pss_kib(parent_pid(int(p))) for p in pids if p.isdigit() and int(p) > 0]
    if shims:
        out["shim PSS per container (MiB)"] = statistics.median(shims) / 1024
    busy = sum(pss_kib(p) for p in daemon_pids) / 1024
    out["daemon PSS with 100 running (MiB)"] = busy
    if shims:
        out["per container, daemon + shim (MiB)"] = (
            (busy - out["daemon idle PSS (MiB)"]) / len(ids) + statistics.median(shims) / 1024)
    out["exec true median (ms)"] = median_ms(cli + ["exec", ids[0], "true"], env, n=20)
    # ps -a with N containers (the rest created, not started: the listing cost, not the runs)
    def create_one(_):
        subprocess.run(cli + ["create", "--network", "none", "busybox", "true"], check=True,
                       capture_output=True, env=env)
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        list(ex.map(create_one, range(containers - len(ids))))
    out[f"ps -a with {containers} (ms)"] = median_ms(cli + ["ps", "-a"], env)
    if also_list:
        out[also_list[1]] = median_ms(also_list[0] + ["ps", "-a"], env)
    subprocess.run(cli + ["rm", "-f"] + ids, capture_output=True, env=env)
    subprocess.run(cli + ["container", "prune", "-f"], capture_output=True, env=env)
    return out


def measure_berth(bin_dir, containers):
    base = tempfile.mkdtemp(prefix="berth-bench-ctr-")
    tag = uuid.uuid4().hex[:8]
    sock = os.path.join(base, "exec", "berth.sock")
    host = "unix://" + sock
    daemon = subprocess.Popen(
        [os.path.join(bin_dir, "berthd"), "-H", host, "--data-root", os.path.join(base, "data"),
         "--exec-root", os.path.join(base, "exec"), "--pidfile", os.path.join(base, "pid"),
         "--cgroup-parent", "berth-bench-" + tag, "--bridge", "bb" + tag,
         "--bip", f"10.{int(tag[:2], 16) % 200 + 20}.{int(tag[2:4], 16)}.1/24"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    berth = [os.path.join(bin_dir, "berth"), "-H", host]
    try:
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        subprocess.run(berth + ["image", "bootstrap"], check=True, capture_output=True)
        time.sleep(1)
        # The listing through the docker CLI as well, against the same berthd: the CLI's share.
        docker_cli = ([docker_peer.DOCKER, "-H", host], "docker CLI -> berthd ps -a (ms)")
        out = measure(berth, [daemon.pid], containers,
                      also_list=docker_cli if docker_peer.DOCKER else None)
        return out
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
        subprocess.run(["ip", "link", "del", "bb" + tag], capture_output=True)
        subprocess.run(["nft", "delete", "table", "ip", "berth_bb" + tag], capture_output=True)
        remove_cgroups_named("berth-bench-" + tag)
        subprocess.run(["umount", "-R", "-l", base], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def measure_dockerd(containers):
    peer = docker_peer.Peer()
    try:
        peer.start()
        archive = os.path.join(peer.base, "busybox.tar")
        docker_peer.busybox_archive(archive)
        r = peer.docker("load", "-i", archive)
        if r.returncode != 0:
            raise RuntimeError("docker load: " + r.stderr)
        time.sleep(1)
        return measure([docker_peer.DOCKER], [p.pid for p in peer.procs], containers, peer.env)
    finally:
        peer.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--containers", type=int, default=1000)
    ap.add_argument("--no-docker", action="store_true")
    args = ap.parse_args()
    ours = measure_berth(os.path.join(args.build, "bin"), args.containers)
    theirs = {}
    if not args.no_docker and docker_peer.available():
        theirs = measure_dockerd(args.containers)
    print(f"{'':<42}{'berthd':>10}" + (f"{'dockerd':>10}{'ratio':>8}" if theirs else ""))
    for k, v in ours.items():
        line = f"{k:<42}{v:>10.2f}"
        if k in theirs and theirs[k]:
            line += f"{theirs[k]:>10.2f}{v / theirs[k]:>8.2f}"
        print(line)


if __name__ == "__main__":
    main()
