"""Debian's dockerd (with its own containerd) on its own socket, data root, exec root and cgroup
parent, with no bridge and no iptables (it touches no host networking): the peer that the
runtime tests drive berth-runtime through and that the benchmarks measure beside berthd.
dockerd and containerd are stopped by the PIDs started here; everything is removed afterwards."""
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
import tempfile
import time

from host_cleanup import mounts_under, remove_cgroups_named

DOCKERD = shutil.which("dockerd") or "/usr/sbin/dockerd"
CONTAINERD = shutil.which("containerd") or "/usr/bin/containerd"
DOCKER = "/usr/bin/docker" if os.path.exists("/usr/bin/docker") else shutil.which("docker")


def available():
    return (os.geteuid() == 0 and os.path.exists(DOCKERD) and os.path.exists(CONTAINERD)
            and bool(DOCKER) and os.path.exists("/bin/busybox"))


def busybox_archive(path):
    """A `docker save` archive of one layer: /bin/busybox and its applet links."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as t:
        for d in ("bin", "tmp", "etc"):
            ti = tarfile.TarInfo(d)
            ti.type = tarfile.DIRTYPE
            ti.mode = 0o1777 if d == "tmp" else 0o755
            t.addfile(ti)
        t.add("/bin/busybox", "bin/busybox")
        for applet in ("sh", "echo", "cat", "true", "sleep", "ls", "id", "head", "tr", "test", "stty", "grep"):
            ti = tarfile.TarInfo("bin/" + applet)
            ti.type = tarfile.SYMTYPE
            ti.linkname = "busybox"
            t.addfile(ti)
    layer_bytes = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"Cmd": ["sh"], "Env": ["PATH=/bin"]},
                         "rootfs": {"type": "layers", "diff_ids": [diff_id]},
                         "history": [{"created_by": "berth test"}]}).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["busybox:latest"],
                            "Layers": ["layer/layer.tar"]}]).encode()
    with tarfile.open(path, "w") as t:
        for name, data in ((config_name, config), ("layer/layer.tar", layer_bytes), ("manifest.json", manifest)):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))


class Peer:
    def __init__(self, runtime=None):
        self.runtime = runtime  # registered as `--add-runtime berth=<runtime>` when given
        self.base = tempfile.mkdtemp(prefix="berth-peer-")
        os.chmod(self.base, 0o711)
        self.cgroup_parent = "berth-peer-%d" % os.getpid()
        self.sock = os.path.join(self.base, "docker.sock")
        self.ctr_sock = os.path.join(self.base, "containerd.sock")
        self.procs = []
        self.env = dict(os.environ, DOCKER_HOST="unix://" + self.sock,
                        DOCKER_CONFIG=os.path.join(self.base, "cli"))

    def start(self):
        cfg = os.path.join(self.base, "containerd.toml")
        with open(cfg, "w") as f:
            f.write('version = 2\nroot = "%s/containerd-root"\nstate = "%s/containerd-state"\n'
                    '[grpc]\n  address = "%s"\n[ttrpc]\n  address = "%s.ttrpc"\n'
                    '[debug]\n  address = ""\n[metrics]\n  address = ""\n'
                    'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'
                    % (self.base, self.base, self.ctr_sock, self.ctr_sock))
        log = open(os.path.join(self.base, "containerd.log"), "wb")
        self.procs.append(subprocess.Popen([CONTAINERD, "--config", cfg], stdout=log, stderr=log,
                                           stdin=subprocess.DEVNULL))
        self.wait_for(self.ctr_sock)
        log = open(os.path.join(self.base, "dockerd.log"), "wb")
        self.procs.append(subprocess.Popen(
            [DOCKERD, "-H", "unix://" + self.sock, "--containerd", self.ctr_sock,
             "--data-root", os.path.join(self.base, "data"), "--exec-root", os.path.join(self.base, "exec"),
             "--pidfile", os.path.join(self.base, "dockerd.pid"), "--bridge", "none",
             "--iptables=false", "--ip6tables=false", "--ip-masq=false", "--cgroup-parent", self.cgroup_parent,
             "--storage-driver", "vfs", "--config-file", self.write("daemon.json", "{}")]
            + (["--add-runtime", "berth=" + self.runtime] if self.runtime else []),
            stdout=log, stderr=log, stdin=subprocess.DEVNULL))
        self.wait_for(self.sock)
        for _ in range(100):
            if self.docker("version").returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError("dockerd did not answer: " + self.log())

    def write(self, name, text):
        p = os.path.join(self.base, name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def wait_for(self, path):
        for _ in range(300):
            if os.path.exists(path):
                return
            if any(p.poll() is not None for p in self.procs):
                raise RuntimeError("daemon exited: " + self.log())
            time.sleep(0.05)
        raise RuntimeError(path + " did not appear: " + self.log())

    def log(self):
        out = ""
        for n in ("containerd.log", "dockerd.log"):
            try:
                out += open(os.path.join(self.base, n), errors="replace").read()[-3000:]
            except OSError:
                pass
        return out

    def docker(self, *args, timeout=60, **kw):
        return subprocess.run([DOCKER, *args], capture_output=True, text=True, env=self.env,
                              timeout=timeout, **kw)

    def stop(self):
        if self.procs and self.procs[-1].poll() is None:
            ids = self.docker("ps", "-aq").stdout.split()
            if ids:
                self.docker("rm", "-f", *ids)
        for p in reversed(self.procs):  # dockerd, then containerd: by the PIDs we started
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
        # Shims left by a failure are children of containerd's session: reap what is ours.
        for m in sorted(mounts_under(self.base), key=len, reverse=True):
            subprocess.run(["umount", "-l", m], capture_output=True)
        remove_cgroups_named(self.cgroup_parent)
        shutil.rmtree(self.base, ignore_errors=True)
