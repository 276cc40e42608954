"""A real peer drives berth-runtime: Debian's dockerd (with its own containerd and the runc v2
shim) started on its own socket, data root, exec root and cgroup parent, with
`--add-runtime berth=<berth-runtime>`, no bridge and no iptables (it touches no host
networking).  busybox is loaded from an archive made here from /bin/busybox.  dockerd and
containerd are stopped by the PIDs this test started; everything is removed afterwards."""
import os
import pty
import select
import time

import pytest

from docker_peer import DOCKER, Peer, available, busybox_archive, mounts_under
from test_runtime import RUNTIME

pytestmark = pytest.mark.skipif(
    not available(), reason="needs root, docker.io (dockerd, containerd, docker) and /bin/busybox")


@pytest.fixture(scope="module")
def peer():
    p = Peer(RUNTIME)
    try:
        p.start()
        archive = os.path.join(p.base, "busybox.tar")
        busybox_archive(archive)
        r = p.docker("load", "-i", archive)
        assert r.returncode == 0, r.stderr
        yield p
    finally:
        p.stop()
        assert not mounts_under(p.base), "mounts left behind"


def test_docker_run_echo(peer):
    r = peer.docker("run", "--runtime", "berth", "--rm", "busybox", "echo", "hi")
    assert r.returncode == 0, r.stderr + peer.log()
    assert r.stdout == "hi\n"


def test_docker_run_default_seccomp_and_caps(peer):
    r = peer.docker("run", "--runtime", "berth", "--rm", "busybox", "sh", "-c",
                    "grep -E '^(Seccomp|CapEff|NoNewPrivs):' /proc/self/status")
    assert r.returncode == 0, r.stderr
    fields = dict(l.split(":\t") for l in r.stdout.splitlines())
    assert fields["Seccomp"] == "2"
    assert int(fields["CapEff"], 16) == 0xa80425fb  # Docker's default capability set


def test_docker_run_memory(peer):
    r = peer.docker("run", "--runtime", "berth", "--rm", "--memory", "64m", "busybox",
                    "cat", "/sys/fs/cgroup/memory/memory.limit_in_bytes")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == str(64 << 20)


def test_docker_run_interactive_tty(peer):
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(DOCKER, [DOCKER, "run", "--runtime", "berth", "--rm", "-it", "busybox", "sh"], peer.env)
    out = b""
    try:
        os.write(fd, b"test -t 0 && echo TTY-$((6*7))\nexit 3\n")
        deadline = time.time() + 30
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], 0.5)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
    finally:
        _, status = os.waitpid(pid, 0)
        os.close(fd)
    assert b"TTY-42" in out, out
    assert os.WEXITSTATUS(status) == 3


def test_docker_exec_and_pause(peer):
    name = "berth-peer-%d" % os.getpid()
    r = peer.docker("run", "--runtime", "berth", "-d", "--name", name, "busybox", "sleep", "60")
    assert r.returncode == 0, r.stderr
    try:
        r = peer.docker("exec", name, "echo", "from-exec")
        assert r.stdout == "from-exec\n", r.stderr
        assert peer.docker("pause", name).returncode == 0
        assert peer.docker("inspect", "-f", "{{.State.Status}}", name).stdout.strip() == "paused"
        assert peer.docker("unpause", name).returncode == 0
        top = peer.docker("top", name)
        assert "sleep" in top.stdout, top.stderr
    finally:
        peer.docker("rm", "-f", name)
