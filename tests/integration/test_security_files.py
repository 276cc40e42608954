"""Issue 15 item 7 (CVE-2021-41091 class): a data root left 0755 lets any local user run setuid
binaries out of image layers, and a 0644 berth.db lets them read containers' environment
secrets.  berthd makes the root 0711 (0700/0710/0701 below) and the database files 0600, also on
a data root an earlier version left open."""
import os
import shutil
import stat
import subprocess
import tempfile

from conftest import Daemon, binary, cgroup_dirs, mounts_under


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_existing_open_data_root_is_closed_and_containers_still_run():
    base = tempfile.mkdtemp(prefix="berth-it-files-")
    d = Daemon(base)
    try:
        d.start()
        r = subprocess.run([binary("berth"), "-H", d.host, "image", "bootstrap"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        d.stop()
        # As an earlier version left it: everything world-readable.
        os.chmod(d.data_root, 0o755)
        for entry in os.listdir(d.data_root):
            p = os.path.join(d.data_root, entry)
            os.chmod(p, 0o755 if os.path.isdir(p) else 0o644)
        d.start()
        assert mode(d.data_root) == 0o711
        for entry in os.listdir(d.data_root):
            p = os.path.join(d.data_root, entry)
            if entry.startswith("berth.db"):
                assert mode(p) == 0o600, entry
            elif os.path.isdir(p):
                assert mode(p) & 0o077 in (0, 0o010, 0o001), (entry, oct(mode(p)))
        # Nothing below the root is readable or searchable by others except volumes' traversal.
        assert mode(os.path.join(d.data_root, "containers")) == 0o710
        # Containers still run, as root and as an unprivileged user.
        env = dict(os.environ, DOCKER_HOST=d.host)
        for user in ("0", "65534"):
            r = subprocess.run(["docker", "run", "--rm", "-u", user, "busybox", "sh", "-c",
                                "echo hi > /tmp/x && cat /tmp/x && ls /bin/busybox"],
                               capture_output=True, text=True, env=env, timeout=60)
            assert r.returncode == 0 and "hi" in r.stdout, r.stderr + d.log()
    finally:
        d.cleanup()
        leftover = mounts_under(base)
        leftover_cgroups = cgroup_dirs(d.cgroup_parent)
        shutil.rmtree(base, ignore_errors=True)
        assert not leftover, leftover
        assert not leftover_cgroups, leftover_cgroups


def test_new_database_is_private(daemon):
    for suffix in ("", "-wal", "-shm"):
        p = os.path.join(daemon.data_root, "berth.db" + suffix)
        if os.path.exists(p):
            assert mode(p) == 0o600, p
    assert mode(daemon.data_root) == 0o711
