"""Black-box tests of berth-runtime (runc's command line) and berth-shim on a busybox bundle.

Run as root: /usr/bin/python3 -m pytest tests/integration/test_runtime.py
Binaries come from $BERTH_BUILD_DIR/bin (default /work/main/build).  Every test uses its own
temp dir, runtime root, container id and cgroup (/berth-test-<pid>/<id>), and removes all of them
even when it fails; processes are only killed by the pid this test started.
"""
import ctypes
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import time

import pytest

BUILD = os.environ.get("BERTH_BUILD_DIR", os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "build"))
RUNTIME = os.path.join(BUILD, "bin", "berth-runtime")
SHIM = os.path.join(BUILD, "bin", "berth-shim")
CGROUP_ROOT = "/sys/fs/cgroup"
CGROUP_PARENT = "berth-test-%d" % os.getpid()

# Detached shims are reparented to us rather than to pid 1, so the tests reap what they started.
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/bin/busybox"),
                                reason="needs root and /bin/busybox")


def cgroup_dirs(rel):
    out = []
    for name in sorted(os.listdir(CGROUP_ROOT)):
        base = os.path.join(CGROUP_ROOT, name)
        if os.path.islink(base) or not os.path.isdir(base):
            continue
        out.append(os.path.join(base, rel))
    return out


class Env:
    counter = 0

    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="berth-rt-")
        self.root = os.path.join(self.tmp, "state")
        self.bundle = os.path.join(self.tmp, "bundle")
        self.ids = []
        self.procs = []
        rootfs = os.path.join(self.bundle, "rootfs")
        os.makedirs(os.path.join(rootfs, "bin"))
        shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
        applets = subprocess.run(["/bin/busybox", "--list-full"], capture_output=True, text=True).stdout.split()
        for applet in applets:
            path = os.path.join(rootfs, applet)
            if applet == "bin/busybox" or os.path.lexists(path):
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.symlink("/bin/busybox", path)
        subprocess.run([RUNTIME, "spec", "--bundle", self.bundle], check=True)

    def new_id(self):
        Env.counter += 1
        cid = "bt%d-%d" % (os.getpid(), Env.counter)
        self.ids.append(cid)
        return cid

    def configure(self, cid, args, **extra):
        with open(os.path.join(self.bundle, "config.json")) as f:
            c = json.load(f)
        c["process"]["terminal"] = False
        c["process"]["args"] = args
        c["hostname"] = "berth-test"
        c["linux"]["cgroupsPath"] = "/%s/%s" % (CGROUP_PARENT, cid)
        for k, v in extra.items():
            c[k] = v
        with open(os.path.join(self.bundle, "config.json"), "w") as f:
            json.dump(c, f)

    def rt(self, *args, **kw):
        kw.setdefault("capture_output", True)
        kw.setdefault("text", True)
        kw.setdefault("timeout", 30)
        return subprocess.run([RUNTIME, "--root", self.root] + list(args), **kw)

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
                p.wait()
        for cid in self.ids:
            if os.path.exists(os.path.join(self.root, cid)):
                self.rt("delete", "--force", cid)
            for d in cgroup_dirs("%s/%s" % (CGROUP_PARENT, cid)):
                if os.path.isdir(d):
                    try:
                        os.rmdir(d)
                    except OSError:
                        pass
        for d in cgroup_dirs(CGROUP_PARENT):
            if os.path.isdir(d):
                try:
                    os.rmdir(d)
                except OSError:
                    pass
        shutil.rmtree(self.tmp, ignore_errors=True)
        # As subreaper we inherited the shims' intermediate processes and orphaned inits: all
        # are descendants of this test, so reaping every exited child reaps only our own.
        while True:
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    break
            except ChildProcessError:
                break


@pytest.fixture
def env():
    e = Env()
    try:
        yield e
    finally:
        e.cleanup()
    with open("/proc/self/mountinfo") as f:
        assert e.tmp not in f.read(), "a mount leaked into the host namespace"


def assert_gone(env, cid):
    assert not os.path.exists(os.path.join(env.root, cid)), "state dir left behind"
    for d in cgroup_dirs("%s/%s" % (CGROUP_PARENT, cid)):
        assert not os.path.exists(d), "cgroup left behind: " + d


def test_run_prints_output(env):
    cid = env.new_id()
    env.configure(cid, ["echo", "hello"])
    r = env.rt("run", "--bundle", env.bundle, cid)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hello\n"
    assert_gone(env, cid)


def test_exit_code_propagates(env):
    cid = env.new_id()
    env.configure(cid, ["sh", "-c", "exit 3"])
    assert env.rt("run", "-b", env.bundle, cid).returncode == 3
    assert_gone(env, cid)


def test_signal_gives_128_plus_n(env):
    cid = env.new_id()
    env.configure(cid, ["sleep", "100"])
    p = subprocess.Popen([RUNTIME, "--root", env.root, "run", "--bundle", env.bundle, cid],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    env.procs.append(p)
    for _ in range(100):
        s = env.rt("state", cid)
        if s.returncode == 0 and json.loads(s.stdout)["status"] == "running":
            break
        time.sleep(0.05)
    assert env.rt("kill", cid, "KILL").returncode == 0
    assert p.wait(timeout=10) == 137
    assert_gone(env, cid)


def test_container_view(env):
    cid = env.new_id()
    script = ("echo pid=$$; echo host=$(hostname); test -r /proc/self/stat && echo proc; "
              "touch /sys/x 2>/dev/null || echo sys-ro; test -c /dev/null && echo devnull; "
              "test -c /dev/zero && test -L /dev/ptmx && test -L /dev/fd && echo devs; "
              "grep -q ' /sys sysfs ro' /proc/mounts && echo sys-mounted-ro")
    env.configure(cid, ["sh", "-c", script])
    r = env.rt("run", "--bundle", env.bundle, cid)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split()
    assert lines == ["pid=1", "host=berth-test", "proc", "sys-ro", "devnull", "devs", "sys-mounted-ro"], r.stdout


def test_create_start_state_kill_delete(env):
    cid = env.new_id()
    env.configure(cid, ["sleep", "100"])
    pid_file = os.path.join(env.tmp, "pid")
    # The container inherits create's stdio: no pipes here, or reading them would wait for it.
    r = env.rt("create", "--bundle", env.bundle, "--pid-file", pid_file, cid,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, capture_output=False)
    assert r.returncode == 0
    st = json.loads(env.rt("state", cid).stdout)
    assert st["status"] == "created" and st["id"] == cid
    assert st["pid"] == int(open(pid_file).read()) and st["pid"] > 0
    assert st["bundle"] == os.path.realpath(env.bundle)
    cg = [d for d in cgroup_dirs("%s/%s" % (CGROUP_PARENT, cid)) if os.path.isdir(d)]
    assert cg, "no cgroup created"
    procs = open(os.path.join(cg[0], "cgroup.procs")).read().split()
    assert str(st["pid"]) in procs
    assert env.rt("start", cid).returncode == 0
    assert json.loads(env.rt("state", cid).stdout)["status"] == "running"
    assert env.rt("delete", cid).returncode != 0, "deleting a running container must fail"
    assert env.rt("kill", cid, "SIGKILL").returncode == 0
    for _ in range(100):
        if json.loads(env.rt("state", cid).stdout)["status"] == "stopped":
            break
        time.sleep(0.05)
    assert json.loads(env.rt("state", cid).stdout)["status"] == "stopped"
    r = env.rt("delete", cid)
    assert r.returncode == 0, r.stderr
    assert env.rt("state", cid).returncode != 0
    assert_gone(env, cid)


def test_delete_force_created(env):
    cid = env.new_id()
    env.configure(cid, ["true"])
    assert env.rt("create", "-b", env.bundle, cid, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                  capture_output=False).returncode == 0
    r = env.rt("delete", "--force", cid)
    assert r.returncode == 0, r.stderr
    assert_gone(env, cid)


def test_create_failure_leaves_nothing(env):
    cid = env.new_id()
    env.configure(cid, ["no-such-binary"])
    r = env.rt("create", "-b", env.bundle, cid)
    assert r.returncode == 1
    assert "executable file not found" in r.stderr
    assert_gone(env, cid)


# --- berth-shim ---------------------------------------------------------------------------------

def launch_shim(env, cid, *flags):
    state_dir = os.path.join(env.tmp, "shim-" + cid)
    os.makedirs(state_dir)
    log = os.path.join(state_dir, "json.log")
    rd, wr = os.pipe()
    p = subprocess.Popen([SHIM, "--id", cid, "--bundle", env.bundle, "--state-dir", state_dir,
                          "--runtime-root", env.root, "--log-path", log, "--ready-fd", str(wr)] + list(flags),
                         pass_fds=(wr,), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    os.close(wr)
    assert p.wait(timeout=10) == 0  # the first process exits once the shim detached
    with os.fdopen(rd) as f:
        ready = f.readline()
    assert ready.startswith("ok "), ready
    shim_pid = int(ready.split()[1])
    return state_dir, log, shim_pid


def request(state_dir, line):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(os.path.join(state_dir, "shim.sock"))
    s.sendall((line + "\n").encode())
    return s


def read_reply(s):
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(1)
        if not chunk:
            break
        data += chunk
    return data.decode()


def wait_shim(pid, timeout=10):
    """Waits for a shim we became the subreaper of; True once it exited and was reaped."""
    end = time.time() + timeout
    while time.time() < end:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return True
        except ChildProcessError:
            return not os.path.exists("/proc/%d" % pid)
        time.sleep(0.02)
    return False


def kill_shim(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    wait_shim(pid)


def test_shim_logs_and_exit_file(env):
    cid = env.new_id()
    env.configure(cid, ["sh", "-c", "echo hello; echo oops >&2; echo world; exit 5"])
    state_dir, log, shim_pid = launch_shim(env, cid)
    try:
        assert open(os.path.join(state_dir, "shim.pid")).read().strip() == str(shim_pid)
        s = request(state_dir, "pid")
        assert read_reply(s).startswith("ok ")
        att = request(state_dir, "attach 0 1 1")
        assert read_reply(att) == "ok\n"
        w = request(state_dir, "wait")
        assert read_reply(request(state_dir, "start")) == "ok\n"
        reply = read_reply(w).split()
        assert reply[0] == "ok" and reply[1] == "5" and reply[3] == "0"
        # The attach stream: Docker's multiplexed frames, then the shim closes it.
        frames, buf = [], b""
        while True:
            chunk = att.recv(4096)
            if not chunk:
                break
            buf += chunk
        while buf:
            stream, size = struct.unpack(">BxxxI", buf[:8])
            frames.append((stream, buf[8:8 + size]))
            buf = buf[8 + size:]
        out = b"".join(d for st, d in frames if st == 1)
        err = b"".join(d for st, d in frames if st == 2)
        assert out == b"hello\nworld\n" and err == b"oops\n"
        assert wait_shim(shim_pid), "shim did not exit"
        entries = [json.loads(l) for l in open(log).read().splitlines()]
        assert sorted((e["stream"], e["log"]) for e in entries) == \
            [("stderr", "oops\n"), ("stdout", "hello\n"), ("stdout", "world\n")]
        assert all(e["time"].endswith("Z") for e in entries)
        ex = json.load(open(os.path.join(state_dir, "exit.json")))
        assert ex["exit_code"] == 5 and ex["oom_killed"] is False and ex["finished_at"] > 0
        assert not os.path.exists(os.path.join(state_dir, "shim.sock"))
        assert_gone(env, cid)
    finally:
        kill_shim(shim_pid)


def test_shim_kill_and_stdin(env):
    cid = env.new_id()
    env.configure(cid, ["sh", "-c", "read line; echo got:$line; sleep 100"])
    state_dir, log, shim_pid = launch_shim(env, cid, "--open-stdin")
    try:
        att = request(state_dir, "attach 1 1 0")
        assert read_reply(att) == "ok\n"
        assert read_reply(request(state_dir, "start")) == "ok\n"
        att.sendall(b"ping\n")
        buf = b""
        while b"got:ping" not in buf:
            chunk = att.recv(4096)
            assert chunk, "attach closed early"
            buf += chunk
        assert read_reply(request(state_dir, "kill 9")) == "ok\n"
        reply = read_reply(request(state_dir, "wait")).split()
        assert reply[:2] == ["ok", "137"]
        assert wait_shim(shim_pid), "shim did not exit"
        assert json.load(open(os.path.join(state_dir, "exit.json")))["exit_code"] == 137
        assert_gone(env, cid)
    finally:
        kill_shim(shim_pid)


def test_shim_reports_create_errors(env):
    cid = env.new_id()
    env.configure(cid, ["no-such-binary"])
    state_dir = os.path.join(env.tmp, "shim-" + cid)
    os.makedirs(state_dir)
    rd, wr = os.pipe()
    p = subprocess.Popen([SHIM, "--id", cid, "--bundle", env.bundle, "--state-dir", state_dir,
                          "--runtime-root", env.root, "--ready-fd", str(wr)], pass_fds=(wr,),
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(wr)
    p.wait(timeout=10)
    with os.fdopen(rd) as f:
        line = f.readline()
    assert line.startswith("error ") and "executable file not found" in line
    assert_gone(env, cid)


def test_shim_tty(env):
    cid = env.new_id()
    env.configure(cid, ["sh", "-c", "test -t 0 && test -t 1 && echo tty-ok; stty size"])
    state_dir, log, shim_pid = launch_shim(env, cid, "--tty", "--open-stdin")
    try:
        assert read_reply(request(state_dir, "resize 30 100")) == "ok\n"
        att = request(state_dir, "attach 0 1 1")
        assert read_reply(att) == "ok\n"
        assert read_reply(request(state_dir, "start")) == "ok\n"
        buf = b""
        while True:
            chunk = att.recv(4096)
            if not chunk:
                break
            buf += chunk
        assert b"tty-ok\r\n" in buf and b"30 100" in buf, buf  # raw bytes, no frames
        for _ in range(100):
            if os.path.exists(os.path.join(state_dir, "exit.json")):
                break
            time.sleep(0.05)
        assert json.load(open(os.path.join(state_dir, "exit.json")))["exit_code"] == 0
        assert any("tty-ok" in json.loads(l)["log"] for l in open(log).read().splitlines())
    finally:
        kill_shim(shim_pid)
