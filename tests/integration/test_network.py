"""Networks, published ports and volumes (issue 6) against a berthd with its own bridge, subnet and
nftables table, all chosen per run and removed afterwards.  Traffic goes only to loopback and to
addresses of namespaces and containers made here."""
import json
import os
import random
import re
import shutil
import subprocess
import tempfile
import time
import uuid

import pytest

import conftest
from conftest import Daemon, binary, mounts_under, cgroup_dirs


class NetDaemon(Daemon):
    def __init__(self, base):
        super().__init__(base)
        tag = uuid.uuid4().hex[:6]
        self.bridge = "bt" + tag
        self.net_octet = random.randint(64, 127)
        self.bip = f"10.{self.net_octet}.0.1/24"
        self.table = "berth_" + self.bridge
        self.test_bridges = []

    def net_cleanup(self):
        for br in [self.bridge] + self.test_bridges:
            subprocess.run(["ip", "link", "del", br], capture_output=True)
        subprocess.run(["nft", "delete", "table", "ip", self.table], capture_output=True)


@pytest.fixture(scope="module")
def nd():
    base = tempfile.mkdtemp(prefix="berth-net-")
    d = NetDaemon(base)
    try:
        d.start()
        r = subprocess.run([binary("berth"), "-H", d.host, "image", "bootstrap"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        yield d
    finally:
        d.cleanup()
        d.net_cleanup()
        leftover = mounts_under(base)
        shutil.rmtree(base, ignore_errors=True)
        assert not leftover, leftover


@pytest.fixture
def dk(nd):
    env = dict(os.environ, DOCKER_HOST=nd.host, DOCKER_CONFIG=os.path.join(nd.base, "dcfg"))

    def run(*args, check=True, timeout=60):
        r = subprocess.run(["docker", *args], capture_output=True, text=True, env=env,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"docker {args}: {r.stderr}\n{nd.log()}")
        return r
    return run


def uniq(nd, what):
    return f"{nd.prefix}-{what}-{uuid.uuid4().hex[:4]}"


HTTPD = ["sh", "-c", "mkdir -p /www && echo hello-$(hostname) > /www/index.html && "
         "exec httpd -f -p 80 -h /www"]


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def curl(url, timeout=3):
    return subprocess.run(["curl", "-s", "--max-time", str(timeout), url],
                          capture_output=True, text=True)


def wait_http(url, deadline=10):
    end = time.time() + deadline
    while time.time() < end:
        r = curl(url, 2)
        if r.returncode == 0 and r.stdout:
            return r
        time.sleep(0.2)
    return curl(url, 2)


# ---- volumes ----

def test_named_volume_persists(nd, dk):
    vol = uniq(nd, "vol")
    dk("volume", "create", "--label", "k=v", vol)
    dk("run", "--rm", "-v", f"{vol}:/data", "busybox", "sh", "-c", "echo kept > /data/f")
    out = dk("run", "--rm", "-v", f"{vol}:/data", "busybox", "cat", "/data/f").stdout
    assert out.strip() == "kept"
    info = json.loads(dk("volume", "inspect", vol).stdout)[0]
    assert info["Driver"] == "local" and info["Labels"] == {"k": "v"}
    assert info["Mountpoint"].endswith(f"/volumes/{vol}/_data")
    assert vol in dk("volume", "ls", "-q", "--filter", "label=k=v").stdout.split()
    dk("volume", "rm", vol)
    r = dk("volume", "inspect", vol, check=False)
    assert r.returncode != 0 and "no such volume" in r.stderr


def test_volume_in_use_refused(nd, dk):
    vol = uniq(nd, "vol")
    c = uniq(nd, "c")
    dk("create", "--name", c, "-v", f"{vol}:/data", "busybox", "true")
    r = dk("volume", "rm", vol, check=False)
    assert r.returncode != 0 and "volume is in use" in r.stderr
    mounts = json.loads(dk("inspect", c).stdout)[0]["Mounts"]
    assert mounts[0]["Type"] == "volume" and mounts[0]["Name"] == vol
    assert mounts[0]["Destination"] == "/data" and mounts[0]["RW"] is True
    dk("rm", c)
    dk("volume", "rm", vol)


def test_readonly_bind_and_tmpfs_and_mount(nd, dk, tmp_path):
    (tmp_path / "in.txt").write_text("from-host")
    r = dk("run", "--rm", "-v", f"{tmp_path}:/host:ro", "busybox", "sh", "-c",
           "cat /host/in.txt; touch /host/x", check=False)
    assert "from-host" in r.stdout and r.returncode != 0
    assert not (tmp_path / "x").exists()
    out = dk("run", "--rm", "--mount", f"type=bind,source={tmp_path},target=/b",
             "--mount", "type=tmpfs,target=/t,tmpfs-size=1048576", "busybox", "sh", "-c",
             "echo w > /b/w && grep ' /t ' /proc/mounts").stdout
    assert "tmpfs" in out and "size=1024k" in out
    assert (tmp_path / "w").read_text() == "w\n"


def test_anonymous_volume_and_volumes_from(nd, dk):
    a = uniq(nd, "a")
    dk("run", "--name", a, "-v", "/anon", "busybox", "sh", "-c", "echo shared > /anon/f")
    mounts = json.loads(dk("inspect", a).stdout)[0]["Mounts"]
    assert mounts[0]["Type"] == "volume" and len(mounts[0]["Name"]) == 64
    out = dk("run", "--rm", "--volumes-from", a, "busybox", "cat", "/anon/f").stdout
    assert out.strip() == "shared"
    dk("rm", a)
    dk("volume", "rm", mounts[0]["Name"])


def test_volume_opts_tmpfs(nd, dk):
    vol = uniq(nd, "tv")
    dk("volume", "create", "--opt", "type=tmpfs", "--opt", "device=tmpfs", "--opt", "o=size=2m",
       vol)
    out = dk("run", "--rm", "-v", f"{vol}:/v", "busybox", "grep", " /v ", "/proc/mounts").stdout
    assert "tmpfs" in out
    dk("volume", "rm", vol)


# ---- networks ----

def fetch_by_name(dk, cli, host, timeout="3"):
    """Fetches http://<host>:80/ from inside container `cli`, the name resolved through the
    container's DNS (127.0.0.11).

    Debian's static busybox links glibc statically: its getservbyname (a URL without a port)
    and wget's -T option crash there, so the URL names its port and busybox's timeout applet
    bounds the fetch."""
    return dk("exec", cli, "timeout", timeout, "wget", "-q", "-O", "-", f"http://{host}:80/",
              check=False)


def test_user_network_dns_alias_disconnect(nd, dk):
    net = uniq(nd, "net")
    br = "bt" + uuid.uuid4().hex[:6]
    nd.test_bridges.append(br)
    sub = f"10.{nd.net_octet}.1.0/24"
    dk("network", "create", "--subnet", sub, "--gateway", f"10.{nd.net_octet}.1.1",
       "--label", "t=1", "-o", f"com.docker.network.bridge.name={br}", net)
    srv = uniq(nd, "srv")
    dk("run", "-d", "--name", srv, "--network", net, "--network-alias", "web",
       "--ip", f"10.{nd.net_octet}.1.50", "busybox", *HTTPD)
    try:
        info = json.loads(dk("network", "inspect", net).stdout)[0]
        assert info["IPAM"]["Config"][0]["Subnet"] == sub and info["Labels"] == {"t": "1"}
        ips = [c["IPv4Address"] for c in info["Containers"].values()]
        assert ips == [f"10.{nd.net_octet}.1.50/24"]
        cli = uniq(nd, "cli")
        dk("run", "-d", "--name", cli, "--network", net, "busybox", "sleep", "300")
        for host in (srv, "web"):
            r = fetch_by_name(dk, cli, host)
            assert r.stdout.startswith("hello-"), (host, r.stdout, r.stderr, nd.log())
        resolv = dk("exec", cli, "cat", "/etc/resolv.conf").stdout
        assert "nameserver 127.0.0.11" in resolv
        dk("network", "disconnect", net, cli)
        r = fetch_by_name(dk, cli, f"10.{nd.net_octet}.1.50", "2")
        assert r.returncode != 0
        dk("network", "connect", net, cli)
        r = fetch_by_name(dk, cli, "web")
        assert r.stdout.startswith("hello-"), (r.stdout, r.stderr)
        dk("rm", "-f", cli)
    finally:
        dk("rm", "-f", srv, check=False)
    assert net in dk("network", "ls", "--format", "{{.Name}}").stdout
    dk("network", "rm", net)
    assert subprocess.run(["ip", "link", "show", br], capture_output=True).returncode != 0


def test_default_bridge_and_none_host(nd, dk):
    out = dk("run", "--rm", "busybox", "ip", "-4", "addr", "show", "eth0").stdout
    assert f"10.{nd.net_octet}.0." in out
    out = dk("run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net").stdout
    assert out.split() == ["lo"]
    names = dk("network", "ls", "--format", "{{.Name}}").stdout.split()
    assert {"bridge", "host", "none"} <= set(names)
    r = dk("network", "rm", "bridge", check=False)
    assert "pre-defined network" in r.stderr


def nft_rules(nd):
    return subprocess.run(["nft", "list", "table", "ip", nd.table], capture_output=True,
                          text=True).stdout


def port_in_nft(nd, port):
    """Whether host port `port` is a key of one of the daemon's DNAT maps ("8080 : 10.1.0.2 . 80"
    or "127.0.0.1 . 8080 : ...")."""
    return re.search(rf"(^|[{{ ,.]) *{port} : ", nft_rules(nd), re.M) is not None


def test_publish_loopback_and_stop(nd, dk):
    port = free_port()
    c = uniq(nd, "web")
    dk("run", "-d", "--name", c, "-p", f"127.0.0.1:{port}:80", "busybox", *HTTPD)
    r = wait_http(f"http://127.0.0.1:{port}/")
    assert r.stdout.startswith("hello-"), nd.log()
    assert port_in_nft(nd, port), nft_rules(nd)
    out = dk("port", c).stdout
    assert f"127.0.0.1:{port}" in out
    r = dk("run", "-d", "--name", c + "x", "-p", f"127.0.0.1:{port}:80", "busybox", *HTTPD,
           check=False)
    assert r.returncode != 0 and "port is already allocated" in r.stderr
    dk("rm", "-f", c + "x", check=False)
    dk("stop", "-t", "1", c)
    assert not port_in_nft(nd, port), nft_rules(nd)
    assert curl(f"http://127.0.0.1:{port}/", 2).returncode != 0
    dk("rm", c)


@pytest.fixture
def other_host(nd):
    """A netns with a veth to the host: addresses 10.<o>.200.1 (host) / .2 (netns)."""
    ns = "bn" + uuid.uuid4().hex[:6]
    vh = "vh" + uuid.uuid4().hex[:6]
    host_ip, peer_ip = f"10.{nd.net_octet}.200.1", f"10.{nd.net_octet}.200.2"
    cmds = [["ip", "netns", "add", ns],
            ["ip", "link", "add", vh, "type", "veth", "peer", "name", "eth0", "netns", ns],
            ["ip", "addr", "add", host_ip + "/30", "dev", vh], ["ip", "link", "set", vh, "up"],
            ["ip", "-n", ns, "addr", "add", peer_ip + "/30", "dev", "eth0"],
            ["ip", "-n", ns, "link", "set", "eth0", "up"],
            ["ip", "-n", ns, "link", "set", "lo", "up"]]
    try:
        for cmd in cmds:
            subprocess.run(cmd, check=True, capture_output=True)
        yield ns, host_ip
    finally:
        subprocess.run(["ip", "link", "del", vh], capture_output=True)
        subprocess.run(["ip", "netns", "del", ns], capture_output=True)


def test_publish_from_other_host_and_P(nd, dk, other_host):
    ns, host_ip = other_host
    port = free_port()
    c = uniq(nd, "pub")
    dk("run", "-d", "--name", c, "-p", f"{port}:80", "-p", f"{port}:81/udp", "--expose", "90",
       "-P", "busybox", *HTTPD)
    try:
        r = None
        for _ in range(30):
            r = subprocess.run(["ip", "netns", "exec", ns, "curl", "-s", "--max-time", "2",
                                f"http://{host_ip}:{port}/"], capture_output=True, text=True)
            if r.stdout:
                break
            time.sleep(0.2)
        assert r.stdout.startswith("hello-"), nd.log()
        ports = json.loads(dk("inspect", c).stdout)[0]["NetworkSettings"]["Ports"]
        assert ports["81/udp"][0]["HostPort"] == str(port)
        assert int(ports["90/tcp"][0]["HostPort"]) > 0
    finally:
        dk("rm", "-f", c)
    assert not port_in_nft(nd, port), nft_rules(nd)


def test_daemon_restart_keeps_state(nd, dk):
    vol = uniq(nd, "rv")
    net = uniq(nd, "rn")
    br = "bt" + uuid.uuid4().hex[:6]
    nd.test_bridges.append(br)
    dk("volume", "create", vol)
    dk("network", "create", "--subnet", f"10.{nd.net_octet}.2.0/24", "-o",
       f"com.docker.network.bridge.name={br}", net)
    port = free_port()
    c = uniq(nd, "rc")
    dk("run", "-d", "--name", c, "--network", net, "-p", f"127.0.0.1:{port}:80", "-v",
       f"{vol}:/data", "busybox", *HTTPD)
    ip = json.loads(dk("inspect", c).stdout)[0]["NetworkSettings"]["Networks"][net]["IPAddress"]
    assert wait_http(f"http://127.0.0.1:{port}/").stdout.startswith("hello-")
    nd.stop()
    nd.start()
    assert vol in dk("volume", "ls", "-q").stdout.split()
    assert net in dk("network", "ls", "--format", "{{.Name}}").stdout
    info = json.loads(dk("inspect", c).stdout)[0]
    assert info["State"]["Running"]
    assert info["NetworkSettings"]["Networks"][net]["IPAddress"] == ip
    assert wait_http(f"http://127.0.0.1:{port}/").stdout.startswith("hello-"), nd.log()
    c2 = uniq(nd, "rc2")
    dk("run", "-d", "--name", c2, "--network", net, "busybox", "sleep", "60")
    ip2 = json.loads(dk("inspect", c2).stdout)[0]["NetworkSettings"]["Networks"][net]["IPAddress"]
    assert ip2 != ip
    dk("rm", "-f", c, c2)
    dk("network", "rm", net)
    dk("volume", "rm", vol)


def test_python_sdk(nd):
    docker = pytest.importorskip("docker")
    client = docker.DockerClient(base_url=nd.host)
    vol = client.volumes.create(name=uniq(nd, "sdkv"), labels={"a": "b"})
    assert vol.attrs["Labels"] == {"a": "b"}
    assert vol.name in [v.name for v in client.volumes.list()]
    br = "bt" + uuid.uuid4().hex[:6]
    nd.test_bridges.append(br)
    net = client.networks.create(uniq(nd, "sdkn"), driver="bridge",
                                 options={"com.docker.network.bridge.name": br})
    c = client.containers.run("busybox", ["sleep", "60"], detach=True, name=uniq(nd, "sdkc"))
    net.connect(c, aliases=["sdkalias"])
    net.reload()
    assert c.id in net.attrs["Containers"]
    net.disconnect(c)
    c.remove(force=True)
    net.remove()
    vol.remove()


# A DNS client over TCP, run inside a container's netns by nsenter: sends each name's A query
# on one connection (two-byte length prefix, RFC 1035 4.2.2) and prints "rcode ip,ip" per name.
TCP_DNS_CLIENT = r"""
import socket, struct, sys
s = socket.create_connection(("127.0.0.11", 53), timeout=5)
def read(n):
    b = b""
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            raise SystemExit("connection closed")
        b += chunk
    return b
for i, name in enumerate(sys.argv[1:]):
    q = struct.pack(">HHHHHH", 0x4200 + i, 0x0100, 1, 0, 0, 0)
    q += b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
    q += struct.pack(">HH", 1, 1)
    s.sendall(struct.pack(">H", len(q)) + q)
    r = read(struct.unpack(">H", read(2))[0])
    assert r[:2] == q[:2], "reply to another query"
    count = struct.unpack(">H", r[6:8])[0]
    pos, ips = len(q), []
    for _ in range(count):
        while r[pos] and r[pos] < 0xc0:
            pos += r[pos] + 1
        pos += 2 if r[pos] >= 0xc0 else 1
        rtype, _, _, rdlen = struct.unpack(">HHIH", r[pos:pos + 10])
        pos += 10
        if rtype == 1:
            ips.append(socket.inet_ntoa(r[pos:pos + 4]))
        pos += rdlen
    print(r[3] & 0xf, ",".join(ips))
"""


def test_embedded_dns_answers_over_tcp(nd, dk):
    net = uniq(nd, "tnet")
    br = "bt" + uuid.uuid4().hex[:6]
    nd.test_bridges.append(br)
    dk("network", "create", "--subnet", f"10.{nd.net_octet}.3.0/24", "-o",
       f"com.docker.network.bridge.name={br}", net)
    srv, cli = uniq(nd, "tsrv"), uniq(nd, "tcli")
    try:
        dk("run", "-d", "--name", srv, "--network", net, "--network-alias", "tcpalias",
           "--ip", f"10.{nd.net_octet}.3.40", "busybox", "sleep", "300")
        dk("run", "-d", "--name", cli, "--network", net, "busybox", "sleep", "300")
        pid = json.loads(dk("inspect", cli).stdout)[0]["State"]["Pid"]
        r = subprocess.run(["nsenter", f"--net=/proc/{pid}/ns/net", "/usr/bin/python3", "-c",
                            TCP_DNS_CLIENT, srv, "tcpalias", "nosuchname"],
                           capture_output=True, text=True, timeout=30)
        assert r.returncode == 0, r.stderr + nd.log()
        lines = r.stdout.splitlines()
        want = f"0 10.{nd.net_octet}.3.40"
        assert lines == [want, want, "3 "], r.stdout
    finally:
        dk("rm", "-f", srv, cli, check=False)
        dk("network", "rm", net, check=False)


def test_default_address_pool(tmp_path):
    """--default-address-pool without --bip: the default bridge and networks created without
    --subnet get /26s carved in order from the pool, the same ones after a restart."""
    d = NetDaemon(str(tmp_path))
    o = d.net_octet
    d.bip = None  # the default bridge's subnet comes from the pool
    d.extra_args = ["--default-address-pool", f"base=10.{o}.128.0/17,size=26"]
    env = dict(os.environ, DOCKER_HOST=d.host, DOCKER_CONFIG=str(tmp_path / "dcfg"))

    def dk(*args):
        r = subprocess.run(["docker", *args], capture_output=True, text=True, env=env,
                           timeout=60)
        assert r.returncode == 0, f"docker {args}: {r.stderr}\n{d.log()}"
        return r.stdout

    def subnet(net):
        return json.loads(dk("network", "inspect", net))[0]["IPAM"]["Config"][0]

    try:
        d.start()
        r = subprocess.run([binary("berth"), "-H", d.host, "image", "bootstrap"],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert subnet("bridge") == {"Subnet": f"10.{o}.128.0/26", "Gateway": f"10.{o}.128.1"}
        nets = [f"{d.prefix}-pool{i}" for i in range(2)]
        for i, n in enumerate(nets):
            br = "bt" + uuid.uuid4().hex[:6]
            d.test_bridges.append(br)
            dk("network", "create", "-o", f"com.docker.network.bridge.name={br}", n)
        assert subnet(nets[0])["Subnet"] == f"10.{o}.128.64/26"
        assert subnet(nets[1])["Subnet"] == f"10.{o}.128.128/26"
        out = dk("run", "--rm", "--network", nets[1], "busybox", "ip", "-4", "addr", "show", "eth0")
        assert f"inet 10.{o}.128.130/26" in out
        out = dk("run", "--rm", "busybox", "ip", "-4", "addr", "show", "eth0")
        assert f"inet 10.{o}.128.2/26" in out
        d.stop()
        d.start()
        assert subnet("bridge")["Subnet"] == f"10.{o}.128.0/26"
        assert subnet(nets[0])["Subnet"] == f"10.{o}.128.64/26"
        for n in nets:
            dk("network", "rm", n)
    finally:
        d.cleanup()
        d.net_cleanup()
        assert not mounts_under(str(tmp_path))
