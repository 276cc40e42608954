"""A data root written by the version before the typed model (fixtures/dataroot_v0.json: the
records that berthd wrote at commit 5a324bf) is read by this berthd unchanged: its containers,
volumes and networks are listed and inspected with every field the old version stored, and the
containers start with their volumes, network, address and limits."""
import json
import os
import sqlite3
import subprocess
import tempfile
import shutil

import pytest

from conftest import Daemon, binary, cgroup_dirs, mounts_under

FIXTURE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "dataroot_v0.json")


def _rewrite(text, old_new):
    for old, new in old_new:
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def old_root():
    """A fresh daemon with the busybox image, stopped, then given the old version's records."""
    with open(FIXTURE) as f:
        fx = json.load(f)
    base = tempfile.mkdtemp(prefix="berth-v0-")
    d = Daemon(base)
    try:
        d.start()
        r = subprocess.run([binary("berth"), "-H", d.host, "image", "bootstrap"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        image_id = subprocess.run(
            [binary("berth"), "-H", d.host, "image", "inspect", "-f", "{{.Id}}", "busybox"],
            capture_output=True, text=True, check=True).stdout.strip()
        d.stop()

        db = sqlite3.connect(os.path.join(d.data_root, "berth.db"))
        # The predefined networks are made anew by every daemon: map the old IDs to the new ones.
        new_ids = {}
        for key, value in db.execute("select key, value from networks"):
            new_ids[json.loads(value)["Name"]] = key
        swaps = [(fx["data_root"], d.data_root), (fx["exec_root"], d.exec_root),
                 (fx["image_id"], image_id)]
        for n in fx["networks"]:
            name = n["value"]["Name"]
            if name in new_ids:
                swaps.append((n["key"], new_ids[name]))
        for n in fx["networks"]:
            if n["value"]["Name"] not in new_ids:
                db.execute("insert into networks (key, value) values (?, ?)",
                           (n["key"], _rewrite(json.dumps(n["value"]), swaps)))
        for v in fx["volumes"]:
            value = json.loads(_rewrite(json.dumps(v["value"]), swaps))
            db.execute("insert into volumes (key, value) values (?, ?)", (v["key"], json.dumps(value)))
            os.makedirs(value["mountpoint"], exist_ok=True)
        for c in fx["containers"]:
            db.execute("insert into containers (key, value) values (?, ?)",
                       (c["key"], _rewrite(json.dumps(c["value"]), swaps)))
            for sub in ("diff", "work", "rootfs"):
                os.makedirs(os.path.join(d.data_root, "containers", c["key"], sub), exist_ok=True)
        db.commit()
        db.close()
        d.start()
        yield d, fx
    finally:
        # The fixture's user network made its own bridge when a container joined it: remove it
        # through the API, and by name if the daemon could not.
        if d.proc is not None:
            _docker(d, "rm", "-f", "v0web", "v0done", "v0plain", "v0running", check=False)
            _docker(d, "network", "rm", "v0net", check=False)
        d.cleanup()
        for n in fx["networks"]:
            bridge = n["value"].get("_bridge", "")
            if bridge.startswith("br-"):
                subprocess.run(["ip", "link", "del", bridge], capture_output=True)
        leftover = mounts_under(base), cgroup_dirs(d.cgroup_parent)
        shutil.rmtree(base, ignore_errors=True)
        assert leftover == ([], []), f"left behind: {leftover}"


def _docker(d, *args, check=True):
    env = dict(os.environ, DOCKER_HOST=d.host, DOCKER_CONFIG=os.path.join(d.base, "docker-config"))
    r = subprocess.run(["docker", *args], capture_output=True, text=True, env=env, timeout=60)
    if check:
        assert r.returncode == 0, f"docker {' '.join(args)}: {r.stderr}\n{d.log()}"
    return r


def _inspect(d, what):
    return json.loads(_docker(d, "inspect", what).stdout)[0]


def test_old_containers_listed(old_root):
    d, _ = old_root
    names = set(_docker(d, "ps", "-a", "--format", "{{.Names}}").stdout.split())
    assert {"v0web", "v0done", "v0plain", "v0running"} <= names


def test_old_container_fields_intact(old_root):
    d, _ = old_root
    c = _inspect(d, "v0web")
    hc, cfg = c["HostConfig"], c["Config"]
    assert hc["Memory"] == 64 * 1024 * 1024
    assert hc["NanoCpus"] == 500000000
    assert hc["RestartPolicy"] == {"Name": "on-failure", "MaximumRetryCount": 3}
    assert hc["PortBindings"]["80/tcp"] == [{"HostIp": "", "HostPort": "8080"}]
    assert hc["PortBindings"]["53/udp"][0]["HostIp"] == "127.0.0.1"
    assert hc["CapAdd"] == ["CAP_NET_ADMIN"]
    assert hc["Dns"] == ["10.0.0.53"] and hc["ExtraHosts"] == ["db:10.1.1.1"]
    assert hc["Ulimits"] == [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]
    assert hc["LogConfig"] == {"Type": "json-file", "Config": {"max-size": "1m"}}
    assert hc["Tmpfs"] == {"/run/t": "size=1m"}
    assert cfg["Hostname"] == "webhost" and cfg["User"] == "0:0" and cfg["WorkingDir"] == "/tmp"
    assert "A=1" in cfg["Env"] and cfg["Labels"]["com.example"] == "x"
    assert cfg["Healthcheck"]["Test"] == ["CMD-SHELL", "true"]
    assert cfg["Healthcheck"]["Interval"] == 5000000000
    assert cfg["Cmd"] == ["sleep", "600"]
    mounts = {m["Destination"]: m for m in c["Mounts"]}
    assert mounts["/data"]["Name"] == "v0data" and mounts["/data"]["Type"] == "volume"
    assert mounts["/anon"]["Type"] == "volume"
    ep = c["NetworkSettings"]["Networks"]["v0net"]
    assert ep["IPAMConfig"]["IPv4Address"] == "10.231.7.9"
    assert "web" in ep["Aliases"]


def test_old_exit_state_intact(old_root):
    d, _ = old_root
    c = _inspect(d, "v0done")
    assert c["State"]["Status"] == "exited" and c["State"]["ExitCode"] == 3
    assert c["Config"]["Tty"] is True


def test_old_volume_and_network_intact(old_root):
    d, _ = old_root
    v = json.loads(_docker(d, "volume", "inspect", "v0data").stdout)[0]
    assert v["Labels"] == {"app": "web"} and v["Driver"] == "local"
    n = json.loads(_docker(d, "network", "inspect", "v0net").stdout)[0]
    assert n["IPAM"]["Config"][0]["Subnet"] == "10.231.7.0/24"
    assert n["Labels"] == {"tier": "front"}


def test_old_container_starts_with_its_volume_address_and_limits(old_root):
    d, _ = old_root
    _docker(d, "start", "v0web")
    try:
        out = _docker(d, "exec", "v0web", "sh", "-c",
                      "echo kept > /data/f && cat /data/f && ip -4 addr show eth0 && hostname").stdout
        assert "kept" in out and "10.231.7.9/24" in out and "webhost" in out
        c = _inspect(d, "v0web")
        assert c["State"]["Running"] is True
        assert c["NetworkSettings"]["Ports"]["80/tcp"][0]["HostPort"] == "8080"
    finally:
        _docker(d, "rm", "-f", "v0web", "v0done", "v0plain", "v0running", check=False)
    vol = _docker(d, "run", "--rm", "-v", "v0data:/data", "busybox", "cat", "/data/f").stdout
    assert vol.strip() == "kept"
