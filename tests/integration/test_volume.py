"""Docker's copy-up: the first time a new, empty volume (named or anonymous) is mounted where the
image has files, the files (owners, modes, symlinks) are copied into it.  Not into a volume that
already has data, not with nocopy / volume-nocopy, never into a bind mount."""
import json
import os
import subprocess
import uuid

import pytest

from conftest import binary

DOCKERFILE = """FROM busybox
RUN mkdir -p /data/sub && echo image-data > /data/f && ln -s f /data/link \\
 && echo deep > /data/sub/g && chown 1234:5678 /data/f && chmod 640 /data/f && chmod 1777 /data/sub
VOLUME /data
"""

# Prints what a user would check: content, owner and mode, the symlink, the nested dir.
SHOW = ["sh", "-c", "cat /data/f; stat -c '%u:%g %a' /data/f; readlink /data/link; "
        "stat -c '%a' /data/sub; cat /data/sub/g"]
EXPECTED = ["image-data", "1234:5678 640", "f", "1777", "deep"]


@pytest.fixture(scope="module")
def image(daemon, tmp_path_factory):
    ctx = tmp_path_factory.mktemp("copyup")
    (ctx / "Dockerfile").write_text(DOCKERFILE)
    tag = f"copyup-{uuid.uuid4().hex[:8]}:latest"
    r = subprocess.run([binary("berth"), "-H", daemon.host, "build", "-t", tag, str(ctx)],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stdout + r.stderr + daemon.log()
    yield tag
    subprocess.run([binary("berth"), "-H", daemon.host, "rmi", "-f", tag], capture_output=True)


def volume_of(docker, container, dest="/data"):
    mounts = json.loads(docker("inspect", container, check=True).stdout)[0]["Mounts"]
    return next(m for m in mounts if m["Destination"] == dest)


def test_fresh_anonymous_volume_gets_image_content(docker, image, name):
    r = docker("run", "--name", name, image, *SHOW, check=True)
    assert r.stdout.splitlines() == EXPECTED
    m = volume_of(docker, name)
    try:
        assert m["Type"] == "volume" and len(m["Name"]) == 64
        # The files are in the volume itself, not only in the image's layer below it.
        src = m["Source"]
        assert open(os.path.join(src, "f")).read() == "image-data\n"
        st = os.lstat(os.path.join(src, "f"))
        assert (st.st_uid, st.st_gid, st.st_mode & 0o7777) == (1234, 5678, 0o640)
        assert os.readlink(os.path.join(src, "link")) == "f"
    finally:
        docker("rm", "-v", name)


def test_new_named_volume_gets_image_content(docker, image, name):
    vol = name + "-v"
    try:
        r = docker("run", "--rm", "-v", f"{vol}:/data", image, *SHOW, check=True)
        assert r.stdout.splitlines() == EXPECTED
        # Copied once: a later container sees the volume's data, changes included.
        docker("run", "--rm", "-v", f"{vol}:/data", "busybox", "sh", "-c",
               "echo changed > /data/f", check=True)
        r = docker("run", "--rm", "-v", f"{vol}:/data", image, "cat", "/data/f", check=True)
        assert r.stdout == "changed\n"
    finally:
        docker("volume", "rm", vol)


def test_populated_named_volume_is_not_overwritten(docker, image, name):
    vol = name + "-v"
    try:
        docker("volume", "create", vol, check=True)
        docker("run", "--rm", "-v", f"{vol}:/data", "busybox", "sh", "-c",
               "echo mine > /data/f", check=True)
        r = docker("run", "--rm", "-v", f"{vol}:/data", image, "ls", "-A", "/data", check=True)
        assert r.stdout.split() == ["f"]
        r = docker("run", "--rm", "-v", f"{vol}:/data", image, "cat", "/data/f", check=True)
        assert r.stdout == "mine\n"
    finally:
        docker("volume", "rm", vol)


def test_nocopy_leaves_the_volume_empty(docker, image, name):
    vols = [name + "-a", name + "-b"]
    try:
        r = docker("run", "--rm", "--mount", f"type=volume,src={vols[0]},dst=/data,volume-nocopy",
                   image, "ls", "-A", "/data", check=True)
        assert r.stdout == ""
        r = docker("run", "--rm", "-v", f"{vols[1]}:/data:nocopy", image, "ls", "-A", "/data",
                   check=True)
        assert r.stdout == ""
        # Still a usable volume: data written now is kept.
        docker("run", "--rm", "-v", f"{vols[1]}:/data", "busybox", "sh", "-c",
               "echo later > /data/x", check=True)
        r = docker("run", "--rm", "-v", f"{vols[1]}:/data", image, "ls", "-A", "/data",
                   check=True)
        assert r.stdout.split() == ["x"]
    finally:
        docker("volume", "rm", *vols)


def test_bind_mount_gets_no_copy(docker, image, tmp_path):
    r = docker("run", "--rm", "-v", f"{tmp_path}:/data", image, "ls", "-A", "/data", check=True)
    assert r.stdout == ""
    assert os.listdir(tmp_path) == []
