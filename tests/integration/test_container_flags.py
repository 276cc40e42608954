"""Container flags of issue 5 seen from inside the container, each through the real docker CLI
and through berth against the same berthd: --shm-size, --group-add, --dns*, no-new-privileges,
--oom-kill-disable, --mount bind-propagation and volume-opt, attach --detach-keys, --sig-proxy."""
import json
import os
import pty
import select
import signal
import subprocess
import tempfile
import time

import pytest


@pytest.fixture(params=["docker", "berth"])
def tool(request, docker, berth):
    return {"docker": docker, "berth": berth}[request.param]


def run_out(tool, *args):
    r = tool("run", "--rm", *args)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_shm_size(tool):
    out = run_out(tool, "--shm-size", "16m", "busybox", "df", "-k", "/dev/shm")
    assert out.splitlines()[1].split()[1] == "16384"


def test_group_add(tool):
    out = run_out(tool, "--group-add", "1234", "--group-add", "5678", "busybox", "id", "-G")
    assert {"1234", "5678"} <= set(out.split())


def test_dns_flags_in_resolv_conf(tool):
    out = run_out(tool, "--dns", "10.0.0.53", "--dns-search", "example.test", "--dns-option",
                  "ndots:2", "busybox", "cat", "/etc/resolv.conf")
    lines = [l for l in out.splitlines() if l and not l.startswith("#")]
    assert "nameserver 10.0.0.53" in lines
    assert "search example.test" in lines
    assert "options ndots:2" in lines


def test_no_new_privileges(tool):
    off = run_out(tool, "busybox", "grep", "NoNewPrivs", "/proc/self/status")
    on = run_out(tool, "--security-opt", "no-new-privileges", "busybox", "grep", "NoNewPrivs",
                 "/proc/self/status")
    assert off.split() == ["NoNewPrivs:", "0"]
    assert on.split() == ["NoNewPrivs:", "1"]


def test_oom_kill_disable(tool, name):
    tool("run", "-d", "--name", name, "--memory", "32m", "--oom-kill-disable", "busybox",
         "sleep", "60", check=True)
    try:
        hc = json.loads(tool("inspect", name, check=True).stdout)[0]["HostConfig"]
        assert hc["OomKillDisable"] is True and hc["Memory"] == 32 * 1024 * 1024
        pid = tool("inspect", "-f", "{{.State.Pid}}", name, check=True).stdout.strip()
        # cgroup v1 memory controller: the flag lands in memory.oom_control (v2 has no switch).
        for line in open(f"/proc/{pid}/cgroup").read().splitlines():
            _, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                control = f"/sys/fs/cgroup/memory{path}/memory.oom_control"
                assert "oom_kill_disable 1" in open(control).read()
                break
    finally:
        tool("rm", "-f", name)


def test_bind_propagation(tool, name):
    src = tempfile.mkdtemp(prefix="berth-prop-")
    try:
        tool("run", "-d", "--name", name, "--mount",
             f"type=bind,source={src},target=/m,bind-propagation=rshared", "busybox", "sleep",
             "60", check=True)
        mounts = json.loads(tool("inspect", name, check=True).stdout)[0]["Mounts"]
        assert [(m["Type"], m["Destination"], m["Propagation"]) for m in mounts] == \
            [("bind", "/m", "rshared")]
        info = tool("exec", name, "cat", "/proc/self/mountinfo", check=True).stdout
        line = next(l for l in info.splitlines() if l.split()[4] == "/m")
        assert "shared:" in line
    finally:
        tool("rm", "-f", name)
        os.rmdir(src)


def test_volume_opt_tmpfs(tool, name):
    vol = name + "-v"
    try:
        out = run_out(tool, "--mount",
                      f"type=volume,source={vol},target=/d,volume-opt=type=tmpfs,"
                      "volume-opt=device=tmpfs,volume-opt=o=size=1m", "busybox", "df", "-k", "/d")
        fields = out.splitlines()[1].split()
        assert fields[0] == "tmpfs" and fields[1] == "1024"
        v = json.loads(tool("volume", "inspect", vol, check=True).stdout)[0]
        assert v["Options"] == {"type": "tmpfs", "device": "tmpfs", "o": "size=1m"}
    finally:
        tool("volume", "rm", "-f", vol)


def read_until(fd, needle, timeout=10):
    buf = b""
    deadline = time.time() + timeout
    while needle not in buf and time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            buf += chunk
    return buf


def tool_argv(tool_name, daemon):
    if tool_name == "docker":
        return ["docker", "-H", daemon.host]
    from conftest import binary
    return [binary("berth"), "-H", daemon.host]


@pytest.mark.parametrize("tool_name", ["docker", "berth"])
def test_attach_detach_keys(tool_name, daemon, berth, name):
    berth("run", "-dit", "--name", name, "busybox", "sh", check=True)
    try:
        pid, fd = pty.fork()
        if pid == 0:
            argv = tool_argv(tool_name, daemon) + ["attach", "--detach-keys", "ctrl-x,y", name]
            env = dict(os.environ, DOCKER_CONFIG=os.path.join(daemon.base, "docker-config"))
            os.execvpe(argv[0], argv, env)
        try:
            # Attaching resizes the tty so the shell redraws its prompt.
            assert b"/ # " in read_until(fd, b"/ # ")
            os.write(fd, b"echo attached-$((6*7))\r")
            out = read_until(fd, b"attached-42\r\n")
            # The terminal is raw (no output processing): the container's CRLF arrives as is.
            assert b"attached-42\r\n" in out and b"\r\r\n" not in out
            os.write(fd, b"\x18y")
            # docker attach reports the detach as its error, with status 1.
            assert b"read escape sequence" in read_until(fd, b"read escape sequence")
            _, status = os.waitpid(pid, 0)
            pid = 0
            assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 1
        finally:
            if pid:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(fd)
        state = berth("inspect", "-f", "{{.State.Running}}", name, check=True).stdout.strip()
        assert state == "true"  # detaching leaves the container running
    finally:
        berth("rm", "-f", name)


TRAP = "trap 'echo got-term; exit 3' TERM; echo ready; while true; do sleep 0.1; done"


@pytest.mark.parametrize("tool_name", ["docker", "berth"])
@pytest.mark.parametrize("proxy", [True, False])
def test_sig_proxy(tool_name, proxy, daemon, berth, name):
    argv = tool_argv(tool_name, daemon) + ["run", "--name", name,
                                           f"--sig-proxy={'true' if proxy else 'false'}",
                                           "busybox", "sh", "-c", TRAP]
    env = dict(os.environ, DOCKER_CONFIG=os.path.join(daemon.base, "docker-config"))
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        assert p.stdout.readline() == b"ready\n"
        p.send_signal(signal.SIGTERM)
        if proxy:
            # The client forwards the signal: the container's trap runs and its code comes back.
            out, _ = p.communicate(timeout=20)
            assert b"got-term" in out and p.returncode == 3
        else:
            # The signal stays with the client; the container never sees it.
            time.sleep(1)
            st = berth("inspect", "-f", "{{.State.Running}}", name, check=True).stdout.strip()
            assert st == "true"
            logs = berth("logs", name, check=True).stdout
            assert "got-term" not in logs
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
        berth("rm", "-f", name)


def caps(text):
    return {l.split(":")[0]: l.split()[1] for l in text.splitlines() if l.startswith("Cap")}


def test_cap_drop_all_then_add(tool):
    c = caps(run_out(tool, "--cap-drop", "ALL", "--cap-add", "chown", "busybox", "grep", "Cap",
                     "/proc/self/status"))
    assert c["CapEff"] == c["CapPrm"] == c["CapBnd"] == "0000000000000001"
    # --privileged ignores the drops, as dockerd does.
    c = caps(run_out(tool, "--privileged", "--cap-drop", "ALL", "busybox", "grep", "Cap",
                     "/proc/self/status"))
    assert int(c["CapEff"], 16) != 0


def test_non_root_user_has_no_effective_caps_and_exec_keeps_the_user(tool, name):
    c = caps(run_out(tool, "-u", "1000", "busybox", "grep", "Cap", "/proc/self/status"))
    assert c["CapEff"] == c["CapPrm"] == "0000000000000000"
    assert c["CapBnd"] == "00000000a80425fb"  # Docker's default set stays the bounding set
    tool("run", "-d", "--name", name, "-u", "1000", "busybox", "sleep", "60", check=True)
    try:
        assert tool("exec", name, "id", "-u", check=True).stdout == "1000\n"
        out = tool("exec", "-u", "0", name, "grep", "CapEff", "/proc/self/status", check=True)
        assert out.stdout.split()[1] == "00000000a80425fb"
    finally:
        tool("rm", "-f", name)


def test_rm_v_removes_anonymous_volumes_only(tool, name):
    named = name + "-named"
    tool("create", "--name", name, "-v", "/anon", "-v", f"{named}:/named", "busybox", "true",
         check=True)
    mounts = json.loads(tool("inspect", name, check=True).stdout)[0]["Mounts"]
    anon = next(m["Name"] for m in mounts if m["Destination"] == "/anon")
    try:
        tool("rm", "-v", name, check=True)
        names = tool("volume", "ls", "-q", check=True).stdout.split()
        assert anon not in names  # the anonymous volume went with the container
        assert named in names     # a named one stays, as with docker rm -v
    finally:
        tool("rm", "-f", name)
        tool("volume", "rm", "-f", anon, named)
