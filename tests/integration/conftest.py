"""Fixtures for integration tests: each test session runs its own berthd with its own data root,
exec root, socket and cgroup parent, and removes all of it afterwards, even when tests fail.

Tests run as root against the real kernel.  Binaries come from $BERTH_BUILD_DIR (default
<repo>/build).  Processes are stopped by the PIDs this file started, never by name.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import pytest

from host_cleanup import cgroup_dirs, mounts_under, remove_cgroup_tree  # noqa: F401 (re-exported)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BERTH_BUILD_DIR", os.path.join(REPO, "build"))


def binary(name):
    path = os.path.join(BUILD, "bin", name)
    if not os.path.exists(path):
        pytest.fail(f"{path} is missing: build first")
    return path


class Daemon:
    """One berthd: start, stop (SIGTERM), kill (SIGKILL), restart, with its own roots."""

    def __init__(self, base):
        self.base = base
        self.prefix = "berth-test-" + uuid.uuid4().hex[:8]
        self.data_root = os.path.join(base, "data")
        self.exec_root = os.path.join(base, "exec")
        self.socket = os.path.join(self.exec_root, "berth.sock")
        self.host = "unix://" + self.socket
        self.cgroup_parent = self.prefix
        # Its own bridge, subnet and nftables table, so it never touches the host's or another
        # run's networking.
        tag = uuid.uuid4().hex[:8]
        self.bridge = "bt" + tag
        self.bip = f"10.{int(tag[:2], 16) % 200 + 20}.{int(tag[2:4], 16)}.1/24"
        self.nft_table = "berth_" + self.bridge
        self.log_path = os.path.join(base, "berthd.log")
        self.proc = None
        self.extra_args = []  # more berthd flags for the next start()

    def start(self):
        # daemon.json sets what dockerd's would; the flags name the roots.
        with open(os.path.join(self.base, "daemon.json"), "w") as f:
            json.dump({"log-level": "debug"}, f)
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [binary("berthd"), "-H", self.host, "--data-root", self.data_root,
             "--exec-root", self.exec_root, "--pidfile", os.path.join(self.base, "berthd.pid"),
             "--cgroup-parent", self.cgroup_parent, "--config-file", os.path.join(self.base, "daemon.json"),
             "--bridge", self.bridge, *(["--bip", self.bip] if self.bip else []),
             *self.extra_args],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("berthd exited: " + self.log())
            if os.path.exists(self.socket):
                r = subprocess.run(["curl", "-s", "--unix-socket", self.socket, "http://x/_ping"],
                                   capture_output=True, text=True)
                if r.stdout == "OK":
                    return
            time.sleep(0.05)
        raise RuntimeError("berthd did not answer: " + self.log())

    def log(self):
        try:
            with open(self.log_path, errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def shim_pids(self):
        pids = []
        containers = os.path.join(self.exec_root, "containers")
        if os.path.isdir(containers):
            for cid in os.listdir(containers):
                try:
                    with open(os.path.join(containers, cid, "shim.pid")) as f:
                        pids.append(int(f.read().strip()))
                except (OSError, ValueError):
                    pass
        return pids

    def cleanup(self):
        """Everything this daemon made: containers (through their shims), mounts, cgroups."""
        self.kill()
        for pid in self.shim_pids():
            try:
                # The shim's container processes live in the cgroup below; SIGKILL the shim's
                # whole session (it made its own) so nothing it started survives.
                os.killpg(os.getpgid(pid), signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        for d in cgroup_dirs(self.cgroup_parent):
            for dirpath, _, files in os.walk(d):
                if "cgroup.procs" in files:
                    try:
                        with open(os.path.join(dirpath, "cgroup.procs")) as f:
                            for pid in f.read().split():
                                try:
                                    os.kill(int(pid), signal.SIGKILL)
                                except ProcessLookupError:
                                    pass
                    except OSError:
                        pass
        time.sleep(0.2)
        for m in sorted(mounts_under(self.base), key=len, reverse=True):
            subprocess.run(["umount", "-l", m], capture_output=True)
        for d in cgroup_dirs(self.cgroup_parent):
            remove_cgroup_tree(d)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
        subprocess.run(["nft", "delete", "table", "ip", self.nft_table], capture_output=True)


@pytest.fixture(scope="session")
def daemon():
    base = tempfile.mkdtemp(prefix="berth-it-")
    d = Daemon(base)
    try:
        d.start()
        r = subprocess.run([binary("berth"), "-H", d.host, "image", "bootstrap"], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("bootstrap failed: " + r.stdout + r.stderr + d.log())
        yield d
    finally:
        d.cleanup()
        leftover_mounts = mounts_under(base)
        leftover_cgroups = cgroup_dirs(d.cgroup_parent)
        shutil.rmtree(base, ignore_errors=True)
        assert not leftover_mounts, f"mounts left behind: {leftover_mounts}"
        assert not leftover_cgroups, f"cgroups left behind: {leftover_cgroups}"


@pytest.fixture
def docker(daemon):
    """Runs the real docker CLI against the test daemon."""
    env = dict(os.environ, DOCKER_HOST=daemon.host, DOCKER_CONFIG=os.path.join(daemon.base, "docker-config"))

    def run(*args, input=None, timeout=60, check=False):
        r = subprocess.run(["docker", *args], capture_output=True, text=True, input=input,
                           timeout=timeout, env=env)
        if check and r.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} exited {r.returncode}: {r.stderr}\n{daemon.log()}")
        return r
    return run


@pytest.fixture
def berth(daemon):
    """Runs the berth CLI against the test daemon."""
    def run(*args, input=None, timeout=60, check=False, env_extra=None):
        env = dict(os.environ)
        env.pop("BERTH_HOST", None)
        if env_extra:
            env.update(env_extra)
        r = subprocess.run([binary("berth"), "-H", daemon.host, *args], capture_output=True, text=True,
                           input=input, timeout=timeout, env=env)
        if check and r.returncode != 0:
            raise AssertionError(f"berth {' '.join(args)} exited {r.returncode}: {r.stderr}\n{daemon.log()}")
        return r
    return run


@pytest.fixture
def name(daemon, request):
    """A container name unique to this test run."""
    return f"{daemon.prefix}-{request.node.name[:30].replace('[', '-').replace(']', '')}-{uuid.uuid4().hex[:4]}"
