#!/usr/bin/env python3
"""Container management figures, in one run on one machine (issue 5): `ps -a` with 1,000
containers, 100 parallel `run -d`, `exec` latency, daemon idle memory and per-container memory
(daemon + shim, PSS).  Starts and stops its own berthd (by PID) with its own roots and bridge.

  bench/bench_containers.py [--build DIR] [--containers N]
"""
import argparse
import concurrent.futures
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import time
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def pss_kib(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    ap.add_argument("--containers", type=int, default=1000)
    args = ap.parse_args()
    bin_dir = os.path.join(args.build, "bin")
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
    env = dict(os.environ, DOCKER_HOST=host)
    berth = [os.path.join(bin_dir, "berth"), "-H", host]
    results = {}
    try:
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        subprocess.run(berth + ["image", "bootstrap"], check=True, capture_output=True)
        time.sleep(1)
        results["daemon idle PSS (MiB)"] = pss_kib(daemon.pid) / 1024

        # 100 parallel run -d
        def run_one(i):
            return subprocess.run(berth + ["run", "-d", "--network", "none", "busybox", "sleep", "600"],
                                  capture_output=True, text=True).stdout.strip()
        t0 = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(100) as ex:
            ids = list(ex.map(run_one, range(100)))
        results["100 parallel run -d (s)"] = time.perf_counter() - t0
        shim_pss = []
        for cid in ids:
            try:
                with open(os.path.join(base, "exec", "containers", cid, "shim.pid")) as f:
                    shim_pss.append(pss_kib(int(f.read())))
            except (OSError, ValueError):
                pass
        if shim_pss:
            results["shim PSS per container (MiB)"] = statistics.median(shim_pss) / 1024
        results["daemon PSS with 100 running (MiB)"] = pss_kib(daemon.pid) / 1024

        # exec latency
        samples = []
        for _ in range(20):
            t0 = time.perf_counter()
            subprocess.run(berth + ["exec", ids[0], "true"], check=True, capture_output=True)
            samples.append((time.perf_counter() - t0) * 1000)
        results["exec true median (ms)"] = statistics.median(samples)

        # ps -a with N containers (created, not started: the listing cost, not the runs)
        for _ in range(args.containers - 100):
            subprocess.run(berth + ["create", "--network", "none", "busybox", "true"],
                           check=True, capture_output=True)
        samples = []
        for _ in range(10):
            t0 = time.perf_counter()
            subprocess.run(berth + ["ps", "-a"], check=True, capture_output=True)
            samples.append((time.perf_counter() - t0) * 1000)
        results[f"ps -a with {args.containers} (ms)"] = statistics.median(samples)
        if shutil.which("docker"):
            samples = []
            for _ in range(10):
                t0 = time.perf_counter()
                subprocess.run(["docker", "ps", "-a"], check=True, capture_output=True, env=env)
                samples.append((time.perf_counter() - t0) * 1000)
            results[f"docker CLI ps -a with {args.containers} (ms)"] = statistics.median(samples)
        subprocess.run(berth + ["rm", "-f"] + ids, capture_output=True)
        subprocess.run(berth + ["container", "prune", "-f"], capture_output=True)
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
        subprocess.run(["ip", "link", "del", "bb" + tag], capture_output=True)
        subprocess.run(["nft", "delete", "table", "ip", "berth_bb" + tag], capture_output=True)
        for c in os.listdir("/sys/fs/cgroup"):
            d = f"/sys/fs/cgroup/{c}/berth-bench-{tag}"
            if os.path.isdir(d):
                for sub, dirs, _ in os.walk(d, topdown=False):
                    for x in dirs:
                        try:
                            os.rmdir(os.path.join(sub, x))
                        except OSError:
                            pass
                try:
                    os.rmdir(d)
                except OSError:
                    pass
        subprocess.run(["umount", "-R", "-l", base], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    for k, v in results.items():
        print(f"{k:<45}{v:>10.2f}")


if __name__ == "__main__":
    main()
