"""docker commit / berth commit: a container's changes (added files, deletions as whiteouts) as
a new image, with --change applied."""
import json
import uuid


def test_berth_commit(berth, name):
    tag = f"committed-{uuid.uuid4().hex[:8]}:v1"
    try:
        berth("run", "--name", name, "busybox", "sh", "-c",
              "echo hello > /hello.txt && rm /etc/group && mkdir -p /d/e && echo x > /d/e/f", check=True)
        r = berth("commit", "-m", "msg", "-a", "me", "-c", 'CMD ["cat", "/hello.txt"]',
                  "-c", "ENV A=b", "-c", "EXPOSE 80", name, tag, check=True)
        assert r.stdout.startswith("sha256:")
        out = berth("run", "--rm", tag, check=True)
        assert out.stdout == "hello\n"
        out = berth("run", "--rm", tag, "sh", "-c", "test ! -e /etc/group && cat /d/e/f", check=True)
        assert out.stdout == "x\n"
        img = json.loads(berth("image", "inspect", tag, check=True).stdout)[0]
        assert "A=b" in img["Config"]["Env"]
        assert "80/tcp" in img["Config"]["ExposedPorts"]
        assert img["Comment"] == "msg" and img["Author"] == "me"
        assert len(img["RootFS"]["Layers"]) == 2
    finally:
        berth("rm", "-f", name)
        berth("rmi", "-f", tag)


def test_docker_commit(docker, name):
    tag = f"dcommit-{uuid.uuid4().hex[:8]}"
    try:
        docker("run", "--name", name, "busybox", "sh", "-c", "echo from-docker > /f", check=True)
        docker("commit", "--change", 'CMD ["cat", "/f"]', name, tag, check=True)
        assert docker("run", "--rm", tag, check=True).stdout == "from-docker\n"
        # Nothing changed: no new layer, an empty_layer history entry.
        name2 = name + "-2"
        docker("create", "--name", name2, tag, check=True)
        docker("commit", name2, tag + ":same", check=True)
        a = json.loads(docker("image", "inspect", tag, check=True).stdout)[0]
        b = json.loads(docker("image", "inspect", tag + ":same", check=True).stdout)[0]
        assert a["RootFS"]["Layers"] == b["RootFS"]["Layers"]
        docker("rm", "-f", name2)
        docker("rmi", "-f", tag + ":same")
    finally:
        docker("rm", "-f", name)
        docker("rmi", "-f", tag)
