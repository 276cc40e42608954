#!/usr/bin/env python3
"""OCI runtime latency, berth-runtime against crun and runc in one run on one bundle:
create + start + wait + delete of `true` (median of N, sequential), then 100 containers
created+started concurrently (wall time until all started, then all waited and deleted).
Needs root.  Each runtime gets its own --root; containers use the runtime's default cgroup
(/<id> for crun and runc, /berth/<id> for Berth); everything is deleted afterwards.

  bench/bench_runtime.py [--runs N] [--concurrent N] [--build DIR]
"""
import argparse
import ctypes
import json
import os
import select
import shutil
import statistics
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER: inits are reparented to us


def make_bundle(base):
    rootfs = os.path.join(base, "rootfs")
    os.makedirs(os.path.join(rootfs, "bin"))
    shutil.copy("/bin/busybox", os.path.join(rootfs, "bin/busybox"))
    for applet in ("sh", "true"):
        os.symlink("busybox", os.path.join(rootfs, "bin", applet))
    for d in ("proc", "dev", "sys", "tmp"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    subprocess.run(["runc", "spec"], cwd=base, check=True)
    with open(os.path.join(base, "config.json")) as f:
        spec = json.load(f)
    spec["process"]["terminal"] = False
    spec["process"]["args"] = ["/bin/true"]
    spec["root"] = {"path": "rootfs", "readonly": True}
    with open(os.path.join(base, "config.json"), "w") as f:
        json.dump(spec, f)
    return base


class Runtime:
    def __init__(self, name, binary, base, bundle):
        self.name, self.binary, self.bundle = name, binary, bundle
        self.root = os.path.join(base, name + "-state")
        self.pids = os.path.join(base, name + "-pids")
        os.makedirs(self.pids, exist_ok=True)

    def rt(self, *args):
        # Not a pipe: init inherits stderr and would hold it open past create.
        with tempfile.TemporaryFile() as err:
            r = subprocess.run([self.binary, "--root", self.root, *args], stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=err)
            if r.returncode != 0:
                err.seek(0)
                raise RuntimeError(f"{self.name} {args[0]} failed: {err.read().decode(errors='replace')}")

    def create_start(self, cid):
        pid_file = os.path.join(self.pids, cid)
        self.rt("create", "--bundle", self.bundle, "--pid-file", pid_file, cid)
        self.rt("start", cid)
        with open(pid_file) as f:
            return int(f.read())

    def wait_delete(self, cid, pid):
        try:
            fd = os.pidfd_open(pid)
            select.select([fd], [], [], 10)
            os.close(fd)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)  # ours as subreaper
        except ChildProcessError:
            pass
        self.rt("delete", cid)

    def cycle(self, cid):
        t0 = time.perf_counter()
        pid = self.create_start(cid)
        self.wait_delete(cid, pid)
        return (time.perf_counter() - t0) * 1000


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--concurrent", type=int, default=100)
    ap.add_argument("--build", default=os.environ.get("BERTH_BUILD_DIR", os.path.join(REPO, "build")))
    args = ap.parse_args()
    base = tempfile.mkdtemp(prefix="berth-bench-rt-")
    os.chmod(base, 0o755)
    bundle = make_bundle(os.path.join(base, "bundle"))
    tag = "bb%d" % os.getpid()
    runtimes = []
    for name, binary in (("berth-runtime", os.path.join(args.build, "bin", "berth-runtime")),
                         ("crun", shutil.which("crun")), ("runc", shutil.which("runc"))):
        if binary and os.path.exists(binary):
            runtimes.append(Runtime(name, binary, base, bundle))
        else:
            print(f"{name}: not installed, skipped")
    seq, conc, failed = {}, {}, {}
    try:
        for r in runtimes:
            try:
                samples = [r.cycle(f"{tag}-{r.name}-{i}") for i in range(args.runs + 3)][3:]
                seq[r.name] = statistics.median(samples)
            except RuntimeError as e:
                failed[r.name] = str(e).strip().splitlines()[-1]
                continue
            ids = [f"{tag}-{r.name}-c{i}" for i in range(args.concurrent)]
            t0 = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrent) as ex:
                pids = list(ex.map(r.create_start, ids))
            conc[r.name] = (time.perf_counter() - t0) * 1000
            with ThreadPoolExecutor(max_workers=16) as ex:
                list(ex.map(lambda a: r.wait_delete(*a), zip(ids, pids)))
    finally:
        for r in runtimes:
            if os.path.isdir(r.root):
                for cid in os.listdir(r.root):
                    subprocess.run([r.binary, "--root", r.root, "delete", "--force", cid], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
    print(f"{'runtime':<16}{'create+start+wait+delete median ms':>36}{'100 concurrent starts ms':>26}")
    for name in seq:
        print(f"{name:<16}{seq[name]:>36.2f}{conc.get(name, float('nan')):>26.0f}")
    for name, why in failed.items():
        print(f"{name}: failed on this machine: {why}")
    for other in ("crun", "runc"):
        if other in seq and "berth-runtime" in seq:
            print(f"ratio berth-runtime / {other}: sequential {seq['berth-runtime'] / seq[other]:.2f}, "
                  f"concurrent {conc['berth-runtime'] / conc[other]:.2f}")


if __name__ == "__main__":
    main()
