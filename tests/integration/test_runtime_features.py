"""berth-runtime features seen from inside the container: capabilities, seccomp, no_new_privs,
rlimits, masked/read-only paths, cgroup limits (memory/OOM, pids, cpu, hugetlb, devices),
pause/resume, exec, user namespaces, hooks, sysctls, labels, stats.  Root; see test_runtime.py
for the conventions (own temp dir, ids and cgroups per test, everything removed after)."""
import hashlib
import json
import os
import socket
import subprocess
import time

import pytest

from test_runtime import (CGROUP_PARENT, Env, RUNTIME, assert_gone, kill_shim, launch_shim,
                          read_reply, request, wait_shim)

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/bin/busybox"),
                                reason="needs root and /bin/busybox")


@pytest.fixture
def env():
    e = Env()
    try:
        yield e
    finally:
        e.cleanup()


def edit(env, cid, args, fn=None):
    env.configure(cid, args)
    path = os.path.join(env.bundle, "config.json")
    with open(path) as f:
        c = json.load(f)
    if fn:
        fn(c)
    with open(path, "w") as f:
        json.dump(c, f)


def run(env, cid, args, fn=None, timeout=30):
    edit(env, cid, args, fn)
    return env.rt("run", "--bundle", env.bundle, cid, timeout=timeout)


def resources(c):
    return c["linux"].setdefault("resources", {})


def status_field(text, name):
    for line in text.splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    return None


def start_detached(env, cid, args, fn=None):
    edit(env, cid, args, fn)
    r = env.rt("run", "-d", "--bundle", env.bundle, cid, stdin=subprocess.DEVNULL,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, capture_output=False)
    assert r.returncode == 0
    return json.loads(env.rt("state", cid).stdout)["pid"]


# --- security -----------------------------------------------------------------------------------

def test_all_five_capability_sets(env):
    def caps(c):
        c["process"]["capabilities"] = {
            "bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_RAW"],
            "effective": ["CAP_NET_RAW"], "permitted": ["CAP_NET_RAW"],
            "inheritable": ["CAP_NET_RAW"], "ambient": ["CAP_NET_RAW"]}
    r = run(env, env.new_id(), ["cat", "/proc/self/status"], caps)
    assert r.returncode == 0, r.stderr
    assert int(status_field(r.stdout, "CapBnd"), 16) == (1 << 0) | (1 << 5) | (1 << 13)
    for s in ("CapEff", "CapPrm", "CapInh", "CapAmb"):
        assert int(status_field(r.stdout, s), 16) == 1 << 13, s


def test_seccomp_from_spec_blocks_with_eperm(env):
    def sc(c):
        c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
                                 "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
                                 "syscalls": [{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]}
    r = run(env, env.new_id(), ["sh", "-c", "grep Seccomp: /proc/self/status; mkdir /tmp/x"], sc)
    assert "Seccomp:\t2" in r.stdout
    assert r.returncode != 0 and "Operation not permitted" in r.stderr


def test_seccomp_without_no_new_privs(env):
    def sc(c):
        c["process"]["noNewPrivileges"] = False
        c["linux"]["seccomp"] = {"defaultAction": "SCMP_ACT_ALLOW",
                                 "syscalls": [{"names": ["chroot"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]}
    r = run(env, env.new_id(), ["sh", "-c", "grep -E 'Seccomp:|NoNewPrivs:' /proc/self/status; chroot / true"], sc)
    assert "Seccomp:\t2" in r.stdout and "NoNewPrivs:\t0" in r.stdout
    assert "Permission denied" in r.stderr


def test_no_new_privileges(env):
    r = run(env, env.new_id(), ["grep", "NoNewPrivs", "/proc/self/status"])
    assert r.stdout.split() == ["NoNewPrivs:", "1"]


def test_rlimits_and_clear_error_above_hard_limit(env):
    def nofile(n):
        return lambda c: c["process"].update(rlimits=[{"type": "RLIMIT_NOFILE", "soft": n, "hard": n}])
    r = run(env, env.new_id(), ["sh", "-c", "ulimit -n"], nofile(1000))
    assert r.stdout.strip() == "1000", r.stderr
    cid = env.new_id()
    t0 = time.time()
    r = run(env, cid, ["true"], nofile(10 ** 7), timeout=10)
    assert r.returncode != 0 and "setrlimit RLIMIT_NOFILE" in r.stderr and "hard limit" in r.stderr
    assert time.time() - t0 < 5
    assert_gone(env, cid)


def test_masked_and_readonly_paths_and_readonly_rootfs(env):
    script = ("echo kcore=$(wc -c < /proc/kcore); echo fw=$(ls -A /sys/firmware | wc -l); "
              "touch /x 2>&1; echo 1 > /proc/sys/kernel/domainname 2>&1; true")
    r = run(env, env.new_id(), ["sh", "-c", script])
    if os.path.exists("/proc/kcore"):  # this kernel may be built without it
        assert "kcore=0" in r.stdout, r.stdout + r.stderr
    assert "fw=0" in r.stdout, r.stdout + r.stderr
    assert (r.stdout + r.stderr).count("Read-only file system") == 2, r.stdout + r.stderr


def test_sysctl_oom_score_adj_and_labels_warn(env):
    def f(c):
        c["linux"]["sysctl"] = {"net.ipv4.ip_unprivileged_port_start": "80"}
        c["process"]["oomScoreAdj"] = 500
        c["process"]["apparmorProfile"] = "docker-default"
    r = run(env, env.new_id(), ["sh", "-c", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/self/oom_score_adj"], f)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["80", "500"]
    if not os.path.exists("/sys/module/apparmor"):
        assert "warning: apparmor is not enabled" in r.stderr


def test_escapes_without_capabilities(env):
    script = ("echo fds=$(ls /proc/self/fd); unshare -m true 2>&1; mount -t tmpfs x /dev/shm 2>&1; "
              "mknod /dev/sda b 8 0 2>&1; ls /dev; true")
    r = run(env, env.new_id(), ["sh", "-c", script])
    assert "fds=0 1 2 3\n" in r.stdout, r.stdout  # 3 is ls's own dir fd
    low = r.stdout.lower()
    assert low.count("operation not permitted") + low.count("permission denied") >= 3, r.stdout
    assert "sda" not in r.stdout.split()


# --- cgroups ------------------------------------------------------------------------------------

def test_memory_hog_is_oom_killed_and_reported(env):
    cid = env.new_id()
    def mem(c):
        resources(c)["memory"] = {"limit": 32 * 1024 * 1024, "swap": 32 * 1024 * 1024}
    edit(env, cid, ["sh", "-c", "x=$(head -c 200000000 /dev/zero | tr '\\0' a); echo survived"], mem)
    state_dir, log, shim_pid = launch_shim(env, cid)
    try:
        w = request(state_dir, "wait")
        assert read_reply(request(state_dir, "start")) == "ok\n"
        reply = read_reply(w).split()
        assert reply[0] == "ok" and reply[1] == "137" and reply[3] == "1", reply
        assert json.load(open(os.path.join(state_dir, "exit.json")))["oom_killed"] is True
        assert wait_shim(shim_pid)
    finally:
        kill_shim(shim_pid)


def test_fork_bomb_stopped_by_pids_limit(env):
    def pids(c):
        resources(c)["pids"] = {"limit": 8}
    r = run(env, env.new_id(), ["sh", "-c", "for i in $(seq 30); do sleep 3 & done 2>&1; read p < /sys/fs/cgroup/pids/pids.current; echo pids=$p; wait"], pids)
    assert "can't fork" in r.stdout or "Resource temporarily unavailable" in r.stdout, r.stdout
    # ash exits on a failed fork, so the line after the loop is never reached.
    assert "pids=" not in r.stdout


def test_cpu_memory_blkio_values_visible_in_cgroup(env):
    def f(c):
        resources(c).update(cpu={"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"},
                            memory={"limit": 64 * 1024 * 1024, "reservation": 32 * 1024 * 1024})
    r = run(env, env.new_id(), ["sh", "-c", "cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us /sys/fs/cgroup/cpu/cpu.shares "
                                "/sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/memory/memory.limit_in_bytes "
                                "/sys/fs/cgroup/memory/memory.soft_limit_in_bytes"], f)
    assert r.stdout.split() == ["50000", "512", "0", str(64 << 20), str(32 << 20)], r.stderr


def test_hugetlb_on_the_hybrid_unified_hierarchy(env):
    uni = "/sys/fs/cgroup/unified"
    if not os.path.exists(uni + "/cgroup.controllers") or "hugetlb" not in open(uni + "/cgroup.controllers").read():
        pytest.skip("no hugetlb controller on a v2 hierarchy here")
    cid = env.new_id()
    start_detached(env, cid, ["sleep", "30"],
                   lambda c: resources(c).update(hugepageLimits=[{"pageSize": "2MB", "limit": 0}]))
    with open("%s/%s/%s/hugetlb.2MB.max" % (uni, CGROUP_PARENT, cid)) as f:
        assert f.read().strip() == "0"
    st = json.loads(env.rt("events", "--stats", cid).stdout)
    assert "2MB" in st["data"]["hugetlb"]
    assert env.rt("delete", "--force", cid).returncode == 0
    assert_gone(env, cid)


def device_rules(c):
    resources(c)["devices"] = [{"allow": False, "access": "rwm"},
                               {"allow": True, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
                               {"allow": True, "type": "c", "major": 1, "minor": 9, "access": "rwm"}]
    c["linux"]["devices"] = [{"type": "c", "path": "/dev/kmsg", "major": 1, "minor": 11, "fileMode": 0o666}]


def test_device_not_in_allow_list_refused_v1(env):
    r = run(env, env.new_id(), ["sh", "-c", "echo ok > /dev/null && echo null-ok; head -c1 /dev/kmsg 2>&1; true"], device_rules)
    assert "null-ok" in r.stdout and "Operation not permitted" in r.stdout, r.stdout + r.stderr


def test_device_filter_ebpf_on_cgroup_v2(env):
    # The unified mount of this hybrid host is a real cgroup2: point the runtime at it.
    uni = "/sys/fs/cgroup/unified"
    if not os.path.exists(uni + "/cgroup.controllers"):
        pytest.skip("no cgroup2 mount")
    cid = env.new_id()
    edit(env, cid, ["sh", "-c", "echo ok > /dev/null && echo null-ok; head -c1 /dev/kmsg 2>&1; true"], device_rules)
    r = subprocess.run([RUNTIME, "--root", env.root, "--cgroup-root", uni, "run", "--bundle", env.bundle, cid],
                       capture_output=True, text=True, timeout=30)
    try:
        assert "null-ok" in r.stdout and "Operation not permitted" in r.stdout, r.stdout + r.stderr
    finally:
        subprocess.run([RUNTIME, "--root", env.root, "--cgroup-root", uni, "delete", "--force", cid], capture_output=True)
        for d in ("%s/%s/%s" % (uni, CGROUP_PARENT, cid), "%s/%s" % (uni, CGROUP_PARENT)):
            try:
                os.rmdir(d)
            except OSError:
                pass


def test_pause_resume_and_stats(env):
    cid = env.new_id()
    pid = start_detached(env, cid, ["sh", "-c", "while :; do :; done"])
    assert env.rt("pause", cid).returncode == 0
    assert json.loads(env.rt("state", cid).stdout)["status"] == "paused"
    ticks = lambda: int(open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()[11])
    t = ticks()
    time.sleep(0.3)
    assert ticks() == t, "a paused process ran"
    assert env.rt("resume", cid).returncode == 0
    assert json.loads(env.rt("state", cid).stdout)["status"] == "running"
    st = json.loads(env.rt("events", "--stats", cid).stdout)
    assert st["data"]["pids"]["current"] >= 1 and st["data"]["memory"]["usage"]["usage"] > 0
    ps = json.loads(env.rt("ps", "--format", "json", cid).stdout)
    assert pid in ps
    assert env.rt("kill", "--all", cid, "KILL").returncode == 0
    assert env.rt("delete", "--force", cid).returncode == 0
    assert_gone(env, cid)


# --- exec ---------------------------------------------------------------------------------------

def test_exec_flags_and_process_file(env):
    cid = env.new_id()
    start_detached(env, cid, ["sleep", "60"])
    r = env.rt("exec", "--env", "FOO=bar", "--cwd", "/bin", cid, "sh", "-c", "echo $FOO $(pwd) $(hostname); ls /proc/self/fd")
    assert r.returncode == 0, r.stderr
    first, fds = r.stdout.splitlines()[0], r.stdout.splitlines()[1:]
    assert first == "bar /bin berth-test"
    assert fds == ["0", "1", "2", "3"], fds  # no host fd leaked (CVE-2024-21626)
    proc = {"args": ["sh", "-c", "exit 7"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 0, "gid": 0}}
    pf = os.path.join(env.tmp, "process.json")
    json.dump(proc, open(pf, "w"))
    assert env.rt("exec", "--process", pf, cid).returncode == 7
    pidfile = os.path.join(env.tmp, "exec.pid")
    r = env.rt("exec", "-d", "--pid-file", pidfile, cid, "sleep", "5", stdin=subprocess.DEVNULL,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, capture_output=False)
    assert r.returncode == 0
    epid = int(open(pidfile).read())
    assert epid in json.loads(env.rt("ps", "--format", "json", cid).stdout)
    assert env.rt("exec", cid, "no-such-binary").returncode != 0
    assert env.rt("delete", "--force", cid).returncode == 0
    try:
        os.waitpid(epid, 0)
    except ChildProcessError:
        pass
    assert_gone(env, cid)


def recv_pty(listener):
    conn, _ = listener.accept()
    msg, anc, _, _ = conn.recvmsg(1, socket.CMSG_SPACE(4))
    conn.close()
    for level, typ, data in anc:
        if level == socket.SOL_SOCKET and typ == socket.SCM_RIGHTS:
            return int.from_bytes(data[:4], "little")
    raise AssertionError("no fd received")


def test_exec_tty_through_console_socket(env):
    cid = env.new_id()
    start_detached(env, cid, ["sleep", "60"])
    sock_path = os.path.join(env.tmp, "console.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path)
    listener.listen(1)
    p = subprocess.Popen([RUNTIME, "--root", env.root, "exec", "-t", "--console-socket", sock_path, cid,
                          "sh", "-c", "test -t 0 && echo tty-yes"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    env.procs.append(p)
    master = recv_pty(listener)
    listener.close()
    out = b""
    while True:
        try:
            chunk = os.read(master, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert p.wait(timeout=10) == 0, p.stderr.read()
    assert b"tty-yes" in out


def test_exec_cannot_overwrite_runtime_binary(env):
    cid = env.new_id()
    loop = ("while :; do for p in /proc/[0-9]*; do "
            "l=$(readlink $p/exe 2>/dev/null); case \"$l\" in *berth*|*memfd*) echo \"$l\" >> /tmp/seen; "
            "(printf X >> $p/exe) 2>/dev/null && echo WROTE $l >> /tmp/seen;; esac; done; done")
    start_detached(env, cid, ["sh", "-c", loop])
    before = hashlib.sha256(open(RUNTIME, "rb").read()).hexdigest()
    for _ in range(15):
        env.rt("exec", cid, "true")
    after = hashlib.sha256(open(RUNTIME, "rb").read()).hexdigest()
    seen = env.rt("exec", cid, "cat", "/tmp/seen").stdout
    assert before == after
    assert "WROTE" not in seen, seen
    assert "/berth-runtime" not in seen.replace("memfd:berth-runtime", ""), seen


# --- namespaces ---------------------------------------------------------------------------------

def test_user_namespace_maps_and_rootfs_ownership(env):
    os.chmod(env.tmp, 0o755)  # the mapped root must be able to reach its rootfs
    def userns(c):
        c["linux"]["namespaces"].append({"type": "user"})
        c["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
        c["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 200000, "size": 65536}]
    r = run(env, env.new_id(), ["sh", "-c", "cat /proc/self/uid_map; id -u; stat -c %u /bin/busybox; touch /w && echo writable"],
            lambda c: (userns(c), c["root"].update(readonly=False)))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["0", "200000", "65536"]
    assert lines[1:] == ["0", "0", "writable"], r.stdout


def test_join_namespace_by_path(env):
    a = env.new_id()
    pid = start_detached(env, a, ["sleep", "60"])
    def join(c):
        for ns in c["linux"]["namespaces"]:
            if ns["type"] in ("network", "uts", "ipc"):
                ns["path"] = "/proc/%d/ns/%s" % (pid, {"network": "net"}.get(ns["type"], ns["type"]))
    b = env.new_id()
    r = run(env, b, ["sh", "-c", "readlink /proc/self/ns/net"], join)
    assert r.stdout.strip() == os.readlink("/proc/%d/ns/net" % pid)


# --- hooks --------------------------------------------------------------------------------------

def test_all_six_hooks_with_state_and_timeout(env):
    out = os.path.join(env.tmp, "hooks")
    os.makedirs(out)
    def hooks(c):
        host = lambda name: {"path": "/bin/sh", "args": ["sh", "-c", "cat > %s/%s" % (out, name)]}
        c["hooks"] = {"prestart": [host("prestart")], "createRuntime": [host("createRuntime")],
                      "createContainer": [host("createContainer")],
                      "startContainer": [{"path": "/bin/sh", "args": ["sh", "-c", "cat > /hooks/startContainer"]}],
                      "poststart": [host("poststart")], "poststop": [host("poststop")]}
        c["mounts"].append({"destination": "/hooks", "type": "bind", "source": out, "options": ["rbind", "rw"]})
        c["root"]["readonly"] = False
    cid = env.new_id()
    r = run(env, cid, ["true"], hooks)
    assert r.returncode == 0, r.stderr
    for name in ("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"):
        st = json.load(open(os.path.join(out, name)))
        assert st["id"] == cid, name
    assert json.load(open(os.path.join(out, "poststop")))["status"] == "stopped"
    cid2 = env.new_id()
    t0 = time.time()
    r = run(env, cid2, ["true"], lambda c: c.update(hooks={"createRuntime": [{"path": "/bin/sleep", "args": ["sleep", "20"], "timeout": 1}]}))
    assert r.returncode != 0 and "timed out" in r.stderr
    assert time.time() - t0 < 10
    assert_gone(env, cid2)


def test_features_json():
    r = subprocess.run([RUNTIME, "features"], capture_output=True, text=True)
    f = json.loads(r.stdout)
    assert "user" in f["linux"]["namespaces"] and f["linux"]["seccomp"]["enabled"]
    assert len(f["hooks"]) == 6
