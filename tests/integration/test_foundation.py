"""The foundation's end-to-end flows, through the real docker CLI, berth and the Python SDK."""
import io
import json
import os
import subprocess
import tarfile
import time

import pytest


def test_docker_run_echo(docker):
    r = docker("run", "--rm", "busybox", "echo", "hello")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hello\n"


def test_docker_run_exit_code(docker):
    r = docker("run", "--rm", "busybox", "sh", "-c", "exit 3")
    assert r.returncode == 3, r.stderr


def test_docker_kill_exit_code_is_128_plus_signal(docker, name):
    # The container's init is pid 1 of its namespace, which ignores signals it has no handler
    # for when sent from inside; from outside, SIGKILL ends it and the code is 128+9.
    docker("run", "-d", "--name", name, "busybox", "sleep", "30", check=True)
    docker("kill", name, check=True)
    r = docker("wait", name, check=True)
    assert r.stdout.strip() == "137"
    r = docker("inspect", "-f", "{{.State.ExitCode}} {{.State.Status}}", name, check=True)
    assert r.stdout.strip() == "137 exited"
    docker("rm", name, check=True)


def test_docker_run_stdout_and_stderr(docker):
    r = docker("run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "out\n"
    assert r.stderr == "err\n"


def test_docker_run_stdin(docker):
    r = docker("run", "-i", "--rm", "busybox", "cat", input="hi\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "hi\n"


def test_docker_detached_ps_logs_rm(docker, name):
    r = docker("run", "-d", "--name", name, "busybox", "sh", "-c", "echo started; sleep 60", check=True)
    cid = r.stdout.strip()
    assert len(cid) == 64
    r = docker("ps", check=True)
    assert cid[:12] in r.stdout and name in r.stdout
    assert "Up " in r.stdout
    deadline = time.time() + 10
    while time.time() < deadline:
        logs = docker("logs", name, check=True)
        if logs.stdout == "started\n":
            break
        time.sleep(0.1)
    assert logs.stdout == "started\n"
    docker("rm", "-f", name, check=True)
    r = docker("ps", "-a", check=True)
    assert name not in r.stdout
    r = docker("inspect", name)
    assert r.returncode != 0
    assert "No such object" in r.stderr or "No such container" in r.stderr


def test_docker_container_isolation(docker):
    r = docker("run", "--rm", "--hostname", "boxy", "busybox", "sh", "-c",
               "echo $$; hostname; cat /etc/hostname; test -c /dev/null && echo devnull; "
               "touch /sys/x 2>/dev/null || echo sysro; ls /proc/1/exe >/dev/null && echo proc")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split("\n")[:6] == ["1", "boxy", "boxy", "devnull", "sysro", "proc"]


def test_docker_run_user_env_workdir(docker):
    r = docker("run", "--rm", "-u", "nobody", "-e", "FOO=bar", "-w", "/tmp/work", "busybox", "sh", "-c",
               "id -u; id -g; echo $FOO; pwd")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["65534", "65534", "bar", "/tmp/work"]


def test_docker_missing_container_error(docker):
    r = docker("logs", "does-not-exist-xyz")
    assert r.returncode == 1
    assert "No such container: does-not-exist-xyz" in r.stderr


def test_docker_images(docker):
    r = docker("images", check=True)
    lines = r.stdout.splitlines()
    assert lines[0].split()[:3] == ["REPOSITORY", "TAG", "IMAGE"]
    assert any(line.split()[:2] == ["busybox", "latest"] for line in lines[1:])


def test_berth_run_flows(berth, name):
    r = berth("run", "--rm", "busybox", "echo", "hello")
    assert (r.returncode, r.stdout) == (0, "hello\n"), r.stderr
    r = berth("run", "--rm", "busybox", "sh", "-c", "exit 3")
    assert r.returncode == 3
    r = berth("run", "-i", "--rm", "busybox", "cat", input="hi\n")
    assert r.stdout == "hi\n"
    r = berth("run", "-d", "--name", name, "busybox", "sh", "-c", "echo bg; sleep 60", check=True)
    cid = r.stdout.strip()
    r = berth("ps", check=True)
    assert cid[:12] in r.stdout
    r = berth("ps", "-q", check=True)
    assert cid[:12] in r.stdout.split()
    deadline = time.time() + 10
    while time.time() < deadline and berth("logs", name).stdout != "bg\n":
        time.sleep(0.1)
    assert berth("logs", name).stdout == "bg\n"
    berth("rm", "-f", name, check=True)
    assert cid[:12] not in berth("ps", "-a").stdout


def test_python_sdk_run(daemon):
    code = (
        "import docker, sys\n"
        f"c = docker.DockerClient(base_url='{daemon.host}')\n"
        "out = c.containers.run('busybox', 'echo hi', remove=True)\n"
        "sys.stdout.write(repr(out))\n")
    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr + daemon.log()
    assert r.stdout == "b'hi\\n'"


def test_daemon_sigkill_live_restore(daemon, docker, name):
    docker("run", "-d", "--name", name, "busybox", "sh", "-c",
           "trap 'echo bye; exit 7' TERM; echo alive; while true; do sleep 0.1; done", check=True)
    time.sleep(0.3)
    daemon.kill()
    daemon.start()
    r = docker("inspect", "-f", "{{.State.Status}}", name, check=True)
    assert r.stdout.strip() == "running"
    assert docker("logs", name, check=True).stdout == "alive\n"
    docker("stop", name, check=True)
    r = docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name, check=True)
    assert r.stdout.strip() == "exited 7"
    assert docker("logs", name, check=True).stdout == "alive\nbye\n"
    docker("rm", name, check=True)


def test_daemon_sigkill_while_container_exits(daemon, docker, name):
    docker("run", "-d", "--name", name, "busybox", "sh", "-c", "sleep 1; exit 5", check=True)
    daemon.kill()
    time.sleep(1.5)
    daemon.start()
    r = docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", name, check=True)
    assert r.stdout.strip() == "exited 5"
    docker("rm", name, check=True)


def test_save_load_roundtrip(daemon, berth, tmp_path):
    archive = tmp_path / "busybox.tar"
    before = berth("inspect", "--format", "{{.Id}}", "busybox", check=True).stdout.strip()
    berth("save", "-o", str(archive), "busybox", check=True)
    with tarfile.open(archive) as t:
        names = t.getnames()
        assert "manifest.json" in names and "index.json" in names
        manifest = json.load(t.extractfile("manifest.json"))
    assert manifest[0]["RepoTags"] == ["busybox:latest"]
    r = berth("load", "-i", str(archive), check=True)
    assert "Loaded image: busybox:latest" in r.stdout
    after = berth("inspect", "--format", "{{.Id}}", "busybox", check=True).stdout.strip()
    assert before == after


def _tar_add(t, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 1700000000
    t.addfile(info, io.BytesIO(data))


def test_load_handmade_docker_archive(daemon, docker, tmp_path):
    # A legacy `docker save` layout: <id>/layer.tar, <config>.json, manifest.json.
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as lt:
        _tar_add(lt, "hello.txt", b"from a hand-made archive\n")
    layer_bytes = layer.getvalue()
    import hashlib
    diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux", "created": "2024-01-01T00:00:00Z",
        "config": {"Env": ["PATH=/bin"], "Cmd": ["/hello"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "hand"}],
    }).encode()
    config_hex = hashlib.sha256(config).hexdigest()
    archive = tmp_path / "hand.tar"
    with tarfile.open(archive, "w") as t:
        _tar_add(t, "abc123/layer.tar", layer_bytes)
        _tar_add(t, config_hex + ".json", config)
        _tar_add(t, "manifest.json", json.dumps([{
            "Config": config_hex + ".json", "RepoTags": ["handmade:v1"],
            "Layers": ["abc123/layer.tar"]}]).encode())
    r = docker("load", "-i", str(archive))
    assert r.returncode == 0, r.stderr + daemon.log()
    assert "Loaded image: handmade:v1" in r.stdout
    r = docker("image", "inspect", "-f", "{{.Id}}", "handmade:v1", check=True)
    assert r.stdout.strip() == "sha256:" + config_hex
