"""berth network / berth volume beside the real docker CLI against the same berthd: printed ids
and names, ls tables and --format, inspect JSON, rm/prune output and exit codes."""
import json
import random
import re

import pytest


def both(docker, berth, *args, **kw):
    return docker(*args, **kw), berth(*args, **kw)


def subnet():
    return f"10.{random.randint(180, 250)}.{random.randint(0, 255)}.0/24"


@pytest.fixture
def net(berth, docker, name):
    sn = subnet()
    gw = sn.replace(".0/24", ".1")
    r = berth("network", "create", "--driver", "bridge", "--subnet", sn, "--gateway", gw,
              "--ip-range", sn.replace(".0/24", ".128/25"), "--internal", "--label", "a=1",
              "--label", "b=2", "-o", "com.example.x=y", name + "-n")
    assert r.returncode == 0, r.stderr
    assert re.fullmatch(r"[0-9a-f]{64}\n", r.stdout), r.stdout
    yield name + "-n", r.stdout.strip(), sn, gw
    berth("network", "rm", "-f", name + "-n")


def test_network_ls_matches_docker(docker, berth, net):
    n, nid, _, _ = net
    d, b = both(docker, berth, "network", "ls", "--filter", "name=" + n)
    assert b.returncode == d.returncode == 0, b.stderr + d.stderr
    assert b.stdout == d.stdout
    assert b.stdout.splitlines()[0].split() == ["NETWORK", "ID", "NAME", "DRIVER", "SCOPE"]
    assert b.stdout.splitlines()[1].split()[0] == nid[:12]
    for args in (["-q"], ["-q", "--no-trunc"], ["--format", "{{.Name}} {{.Driver}} {{.Internal}}"],
                 ["--format", "table {{.Name}}\t{{.Scope}}\t{{.IPv6}}"]):
        d, b = both(docker, berth, "network", "ls", "--filter", "name=" + n, *args)
        assert b.returncode == d.returncode == 0, b.stderr + d.stderr
        assert b.stdout == d.stdout, args
    # docker joins the labels in Go map order
    d, b = both(docker, berth, "network", "ls", "--filter", "name=" + n, "--format", "{{.Labels}}")
    assert sorted(b.stdout.strip().split(",")) == sorted(d.stdout.strip().split(",")) == ["a=1", "b=2"]
    d, b = both(docker, berth, "network", "ls", "-f", "bad")
    assert b.returncode == d.returncode == 125


def test_network_inspect_matches_docker(docker, berth, net):
    n, nid, sn, gw = net
    d, b = both(docker, berth, "network", "inspect", n)
    assert b.returncode == d.returncode == 0, b.stderr + d.stderr
    assert json.loads(b.stdout) == json.loads(d.stdout)
    bj = json.loads(b.stdout)[0]
    assert bj["Id"] == nid and bj["Internal"] is True and bj["Labels"] == {"a": "1", "b": "2"}
    assert bj["IPAM"]["Config"][0]["Subnet"] == sn and bj["IPAM"]["Config"][0]["Gateway"] == gw
    assert bj["Options"].get("com.example.x") == "y"
    fmt = "{{.Name}} {{.Driver}} {{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{json .Labels}}"
    d, b = both(docker, berth, "network", "inspect", "-f", fmt, n)
    assert b.stdout == d.stdout and b.returncode == 0
    d, b = both(docker, berth, "network", "inspect", "nope-no-such-net")
    assert b.returncode == d.returncode == 1
    assert b.stdout.strip() == d.stdout.strip() == "[]"


def test_network_create_same_as_docker_create(docker, berth, name):
    made = []
    try:
        outs = {}
        for cli, tool in (("d", docker), ("b", berth)):
            nn = f"{name}-{cli}"
            r = tool("network", "create", "--subnet", subnet(), "--label", "k=v", nn)
            assert r.returncode == 0, r.stderr
            made.append(nn)
            j = json.loads(berth("network", "inspect", nn, check=True).stdout)[0]
            for k in ("Id", "Name", "Created", "IPAM"):
                j.pop(k)
            outs[cli] = j
        assert outs["b"] == outs["d"]
        d, b = both(docker, berth, "network", "create", made[0])
        assert b.returncode == d.returncode != 0
        assert b.stderr == d.stderr
        d, b = both(docker, berth, "network", "create")
        assert b.returncode == d.returncode
    finally:
        for nn in made:
            berth("network", "rm", nn)


def test_network_rm_and_prune(docker, berth, name):
    for i in range(2):
        berth("network", "create", "--label", "prune=" + name, f"{name}-{i}", check=True)
    b = berth("network", "rm", f"{name}-0")
    assert b.returncode == 0 and b.stdout == f"{name}-0\n"
    d, b = both(docker, berth, "network", "rm", f"{name}-0")
    assert b.returncode == d.returncode == 1
    assert b.stderr == d.stderr
    b = berth("network", "prune", "-f", "--filter", "label=prune=" + name)
    assert b.returncode == 0, b.stderr
    assert b.stdout == f"Deleted Networks:\n{name}-1\n"
    d, b = both(docker, berth, "network", "prune", "-f", "--filter", "label=prune=" + name)
    assert b.stdout == d.stdout and b.returncode == d.returncode == 0


def test_network_connect_disconnect(docker, berth, net, name):
    n, _, sn, _ = net
    ip = sn.replace(".0/24", ".200")
    berth("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        b = berth("network", "connect", "--ip", ip, "--alias", "svc", n, name)
        assert b.returncode == 0 and b.stdout == "", b.stderr
        eps = json.loads(berth("inspect", name, check=True).stdout)[0]["NetworkSettings"]["Networks"]
        assert n in eps and eps[n]["IPAddress"] == ip
        assert "svc" in (eps[n].get("Aliases") or [])
        b = berth("network", "disconnect", "-f", n, name)
        assert b.returncode == 0 and b.stdout == "", b.stderr
        eps = json.loads(berth("inspect", name, check=True).stdout)[0]["NetworkSettings"]["Networks"]
        assert n not in eps
        d, b = both(docker, berth, "network", "connect", n)
        assert b.returncode == d.returncode == 1
    finally:
        berth("rm", "-f", name)


def test_volume_create_ls_inspect_rm(docker, berth, name):
    v = name + "-v"
    b = berth("volume", "create", "--driver", "local", "--label", "a=1", "-o", "type=tmpfs",
              "-o", "device=tmpfs", "-o", "o=size=1m", v)
    assert b.returncode == 0 and b.stdout == v + "\n", b.stderr
    try:
        d, b = both(docker, berth, "volume", "ls", "--filter", "name=" + v)
        assert b.returncode == d.returncode == 0, b.stderr + d.stderr
        assert b.stdout == d.stdout
        assert b.stdout.splitlines()[0].split() == ["DRIVER", "VOLUME", "NAME"]
        for args in (["-q"], ["--format", "{{.Name}} {{.Driver}} {{.Labels}} {{.Mountpoint}}"],
                     ["--format", "table {{.Name}}\t{{.Scope}}"], ["--filter", "label=a=1", "-q"]):
            d, b = both(docker, berth, "volume", "ls", "--filter", "name=" + v, *args)
            assert b.returncode == d.returncode == 0, b.stderr + d.stderr
            assert b.stdout == d.stdout, args
        d, b = both(docker, berth, "volume", "inspect", v)
        assert b.returncode == d.returncode == 0
        assert json.loads(b.stdout) == json.loads(d.stdout)
        assert json.loads(b.stdout)[0]["Labels"] == {"a": "1"}
        d, b = both(docker, berth, "volume", "inspect", "-f", "{{.Name}} {{json .Options}}", v)
        assert b.stdout == d.stdout
        d, b = both(docker, berth, "volume", "inspect", "nope-no-such-vol")
        assert b.returncode == d.returncode == 1
        d, b = both(docker, berth, "volume", "create", "a", "b")
        assert b.returncode == d.returncode
    finally:
        b = berth("volume", "rm", v)
    assert b.returncode == 0 and b.stdout == v + "\n", b.stderr
    d, b = both(docker, berth, "volume", "rm", v)
    assert b.returncode == d.returncode == 1
    assert b.stderr == d.stderr


def test_volume_prune(docker, berth, name):
    for i in range(2):
        berth("volume", "create", "--label", "prune=" + name, f"{name}-{i}", check=True)
    b = berth("volume", "prune", "-f", "--filter", "label=prune=" + name)
    assert b.returncode == 0 and "Deleted Volumes" not in b.stdout  # named volumes need -a
    b = berth("volume", "prune", "-f", "-a", "--filter", "label=prune=" + name)
    assert b.returncode == 0, b.stderr
    lines = b.stdout.splitlines()
    assert lines[0] == "Deleted Volumes:" and sorted(lines[1:3]) == [f"{name}-0", f"{name}-1"]
    assert lines[3] == "" and lines[4].startswith("Total reclaimed space: ")
    d, b = both(docker, berth, "volume", "prune", "-f", "-a", "--filter", "label=prune=" + name)
    assert b.stdout == d.stdout and b.returncode == d.returncode == 0


def test_network_without_subnet_avoids_host_routes(docker, name):
    """As dockerd: a network created without --subnet skips a pool subnet the host already
    routes (here through a bridge the test makes and removes)."""
    import ipaddress
    import subprocess
    import uuid

    def subnet_of(net):
        r = docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", net,
                   check=True)
        return ipaddress.ip_network(r.stdout.strip())

    docker("network", "create", name + "-a", check=True)
    first = subnet_of(name + "-a")
    docker("network", "rm", name + "-a", check=True)
    link = "btr" + uuid.uuid4().hex[:8]
    subprocess.run(["ip", "link", "add", link, "type", "bridge"], check=True)
    try:
        subprocess.run(["ip", "link", "set", link, "up"], check=True)
        subprocess.run(["ip", "route", "add", str(first), "dev", link], check=True)
        docker("network", "create", name + "-b", check=True)
        second = subnet_of(name + "-b")
        assert not second.overlaps(first), (first, second)
    finally:
        docker("network", "rm", name + "-b")
        subprocess.run(["ip", "link", "del", link], capture_output=True)
