#!/usr/bin/env python3
"""Container start latency, in one run on one machine: `berth run --rm busybox true` (daemon
warm) and `berth-runtime run` on an OCI bundle against `crun run` and `runc run` on the same
bundle.  Prints each median and the ratios.  Needs root; starts (and stops, by PID) its own
berthd with its own roots.

  bench/bench_run.py [--runs N] [--build DIR]
"""
import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))
from host_cleanup import remove_cgroups_named  # noqa: E402


def timed(argv, runs, env=None):
    samples = []
    for i in range(runs + 2):
        t0 = time.perf_counter()
        r = subprocess.run(argv, capture_output=True, env=env)
        dt = time.perf_counter() - t0
        if r.returncode != 0:
            raise RuntimeError(f"{argv} failed: {r.stderr.decode(errors='replace')}")
        if i >= 2:  # warm-up
            samples.append(dt * 1000)
    return statistics.median(samples)


def make_bundle(base):
    rootfs = os.path.join(base, "rootfs")
    os.makedirs(os.path.join(rootfs, "bin"))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin/busybox"))
    for applet in ("sh", "true"):
        os.symlink("busybox", os.path.join(rootfs, "bin", applet))
    for d in ("proc", "dev", "sys", "tmp"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    subprocess.run(["crun", "spec"], cwd=base, check=True)
    with open(os.path.join(base, "config.json")) as f:
        spec = json.load(f)
    spec["process"]["terminal"] = False
    spec["process"]["args"] = ["/bin/true"]
    spec["root"] = {"path": "rootfs", "readonly": True}
    # Under this run's own cgroup parent (removed at the end), not each runtime's default.
    spec.setdefault("linux", {})["cgroupsPath"] = f"/berth-bench-{os.getpid()}/run"
    with open(os.path.join(base, "config.json"), "w") as f:
        json.dump(spec, f)
    return base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--build", default=os.path.join(REPO, "build"))
    args = ap.parse_args()
    base = tempfile.mkdtemp(prefix="berth-bench-")
    results = {}
    daemon = None
    try:
        bundle = make_bundle(os.path.join(base, "bundle"))
        n = 0

        def runtime_cmd(binary, root):
            nonlocal n
            n += 1
            return [binary, "--root", root, "run", "--bundle", bundle, f"bench-{os.getpid()}-{n}"]

        for name, binary in (("berth-runtime", os.path.join(args.build, "bin", "berth-runtime")),
                             ("crun", shutil.which("crun")), ("runc", shutil.which("runc"))):
            if not binary:
                print(f"{name}: not installed, skipped")
                continue
            root = os.path.join(base, name + "-state")
            samples = []
            for i in range(args.runs + 2):
                t0 = time.perf_counter()
                r = subprocess.run(runtime_cmd(binary, root), capture_output=True)
                dt = (time.perf_counter() - t0) * 1000
                if r.returncode != 0:
                    # crun 1.8 refuses hybrid cgroup hosts (v1 plus a v2 mount owning a
                    # controller): report it and go on with the others.
                    print(f"{name}: cannot run here: {r.stderr.decode(errors='replace').strip()}")
                    samples = []
                    break
                if i >= 2:
                    samples.append(dt)
            if samples:
                results[name + " run"] = statistics.median(samples)

        data, execr = os.path.join(base, "data"), os.path.join(base, "exec")
        sock = os.path.join(execr, "berth.sock")
        log = open(os.path.join(base, "berthd.log"), "wb")
        bridge = f"bb{os.getpid() % 100000}"
        daemon = subprocess.Popen([os.path.join(args.build, "bin", "berthd"), "-H", "unix://" + sock,
                                   "--data-root", data, "--exec-root", execr,
                                   "--pidfile", os.path.join(base, "berthd.pid"),
                                   "--cgroup-parent", f"berth-bench-{os.getpid()}",
                                   "--bridge", bridge, "--bip", f"10.{os.getpid() % 200 + 20}.250.1/24"],
                                  stdout=log, stderr=log)
        for _ in range(200):
            if os.path.exists(sock):
                break
            time.sleep(0.05)
        berth = [os.path.join(args.build, "bin", "berth"), "-H", "unix://" + sock]
        subprocess.run(berth + ["image", "bootstrap"], check=True, capture_output=True)
        results["berth run --rm"] = timed(berth + ["run", "--rm", "busybox", "true"], args.runs)
        results["berth run --rm --network none"] = timed(
            berth + ["run", "--rm", "--network", "none", "busybox", "true"], args.runs)
    finally:
        if daemon:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(10)
            subprocess.run(["ip", "link", "del", f"bb{os.getpid() % 100000}"], capture_output=True)
            subprocess.run(["nft", "delete", "table", "ip", f"berth_bb{os.getpid() % 100000}"],
                           capture_output=True)
        remove_cgroups_named(f"berth-bench-{os.getpid()}")
        shutil.rmtree(base, ignore_errors=True)

    print(f"{'what':<22}{'median ms':>10}")
    for k, v in results.items():
        print(f"{k:<22}{v:>10.1f}")
    crun = results.get("crun run")
    if crun:
        for k, v in results.items():
            print(f"ratio {k} / crun run: {v / crun:.2f}")
    if results.get("runc run") and results.get("berth-runtime run"):
        print(f"ratio berth-runtime run / runc run: {results['berth-runtime run'] / results['runc run']:.2f}")


if __name__ == "__main__":
    main()
