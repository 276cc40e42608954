"""Issue 5: image, volume and network events as Docker names them, through the docker CLI,
`berth events` and the Python SDK, with `--since/--until` and the type/event/image/volume/network
filters."""
import os
import time

import docker as docker_sdk
import pytest

from registry import Registry

FMT = "{{.Type}} {{.Action}} {{.Actor.ID}} {{json .Actor.Attributes}}"


@pytest.fixture(scope="module")
def reg():
    r = Registry().start()
    try:
        yield r
    finally:
        r.cleanup()


def events(run, since, *filters, fmt=FMT):
    """The events between `since` and now, as (type, action, id, attributes) tuples."""
    import json
    args = ["events", "--since", since, "--until", str(time.time() + 0.5), "--format", fmt]
    for f in filters:
        args += ["--filter", f]
    r = run(*args, check=True)
    out = []
    for line in r.stdout.splitlines():
        typ, action, actor, attrs = line.split(" ", 3)
        out.append((typ, action, actor, json.loads(attrs)))
    return out


def image_id(docker, ref):
    return docker("image", "inspect", "--format", "{{.Id}}", ref, check=True).stdout.strip()


def test_image_events(docker, berth, reg, name, tmp_path):
    since = str(time.time() - 0.1)
    ref = f"{reg.host}/events/bb:1"
    bb = image_id(docker, "busybox")
    docker("tag", "busybox", ref, check=True)
    docker("push", ref, check=True)
    docker("rmi", ref, check=True)
    docker("pull", ref, check=True)
    archive = str(tmp_path / "bb.tar")
    docker("save", "-o", archive, ref, check=True)
    docker("rmi", ref, check=True)
    docker("load", "-i", archive, check=True)
    docker("rmi", ref, check=True)
    # A committed image: commit is the container's event, the tag and the delete the image's.
    docker("run", "--name", name, "busybox", "touch", "/x", check=True)
    try:
        docker("commit", name, "events-commit:v1", check=True)
        committed = image_id(docker, "events-commit:v1")
        docker("rmi", "events-commit:v1", check=True)
    finally:
        docker("rm", "-f", name)

    got = [(a, i, attrs.get("name")) for t, a, i, attrs in events(docker, since, "type=image")]
    assert got == [
        ("tag", bb, ref),
        ("push", ref, f"{reg.host}/events/bb"),
        ("untag", bb, bb),  # the tag, then the digest reference the push recorded
        ("untag", bb, bb),
        ("pull", ref, f"{reg.host}/events/bb"),
        ("save", bb, bb),
        ("untag", bb, bb),
        ("untag", bb, bb),
        ("load", bb, bb),
        ("untag", bb, bb),
        ("tag", committed, "events-commit:v1"),
        ("untag", committed, committed),
        ("delete", committed, committed),
    ], got
    # event= narrows to actions; image= matches a pull/push by its name, with or without tag.
    assert [a for _, a, _, _ in events(docker, since, "type=image", "event=untag")] == ["untag"] * 6
    by_name = [a for _, a, _, _ in events(docker, since, f"image={reg.host}/events/bb")]
    # (the tag's name is that reference too)
    assert by_name == ["tag", "push", "pull"], by_name
    assert [a for _, a, _, _ in events(berth, since, f"image={ref}")] == ["tag", "push", "pull"]
    # The container's commit stays a container event.
    r = docker("events", "--since", since, "--until", str(time.time()), "--filter",
               "event=commit", "--format", "{{.Type}} {{.Action}}", check=True)
    assert r.stdout.split("\n")[0] == "container commit"


def test_volume_and_network_events(docker, berth, daemon, name):
    since = str(time.time() - 0.1)
    vol, net = name + "-vol", name + "-net"
    docker("volume", "create", vol, check=True)
    net_id = docker("network", "create", net, check=True).stdout.strip()
    docker("create", "--name", name, "--network", net, "-v", f"{vol}:/data:ro", "busybox",
           "true", check=True)
    cid = docker("inspect", "--format", "{{.Id}}", name, check=True).stdout.strip()
    try:
        r = docker("start", "-a", name, check=True)
        docker("wait", name, check=True)
    finally:
        docker("rm", "-f", name)
    docker("network", "rm", net, check=True)
    docker("volume", "rm", vol, check=True)

    got = events(docker, since, "type=volume", f"volume={vol}")
    assert [(a, i) for _, a, i, _ in got] == [("create", vol), ("mount", vol), ("unmount", vol),
                                             ("destroy", vol)], got
    assert got[0][3] == {"driver": "local"}
    assert got[1][3] == {"driver": "local", "container": cid, "destination": "/data",
                         "read/write": "false", "propagation": ""}
    assert got[2][3] == {"driver": "local", "container": cid}

    got = events(docker, since, "type=network", f"network={net}")
    assert [(a, i) for _, a, i, _ in got] == [("create", net_id), ("connect", net_id),
                                             ("disconnect", net_id), ("destroy", net_id)], got
    assert got[0][3] == {"name": net, "type": "bridge"}
    assert got[1][3] == {"name": net, "type": "bridge", "container": cid}
    # The network filter takes an ID prefix too; event= narrows; berth sees the same.
    got = events(berth, since, f"network={net_id[:12]}", "event=connect")
    assert [(t, a) for t, a, _, _ in got] == [("network", "connect")], got
    # container= matches actors (ID or name prefix), not the container attribute of a mount.
    types = {t for t, _, _, _ in events(docker, since, f"container={cid}")}
    assert types == {"container"}, types


def test_network_connect_disconnect_events_and_sdk(docker, daemon, name):
    since = time.time() - 0.1
    net = name + "-net"
    docker("network", "create", net, check=True)
    docker("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        docker("network", "connect", net, name, check=True)
        docker("network", "disconnect", net, name, check=True)
    finally:
        docker("rm", "-f", name)
        docker("network", "rm", net)
    client = docker_sdk.DockerClient(base_url=daemon.host, version="auto")
    try:
        stream = client.events(decode=True, since=since, until=time.time() + 0.5,
                               filters={"type": "network", "network": net})
        got = [(e["Type"], e["Action"], e["Actor"]["Attributes"].get("name")) for e in stream]
    finally:
        client.close()
    assert got == [("network", "create", net), ("network", "connect", net),
                   ("network", "disconnect", net), ("network", "destroy", net)], got


def test_build_tag_event(berth, docker, name, tmp_path):
    """-t on a build names the image through the engine: a `tag` event as dockerd sends."""
    (tmp_path / "Dockerfile").write_text("FROM busybox\nLABEL built=yes\n")
    tag = f"{name.lower()}:built"
    since = str(time.time() - 0.1)
    berth("build", "-q", "-t", tag, str(tmp_path), check=True, timeout=120)
    try:
        built = image_id(docker, tag)
        got = events(docker, since, "type=image", "event=tag")
        # The image's labels come along in the attributes, as dockerd puts them.
        assert ("image", "tag", built, {"name": tag, "built": "yes"}) in got, got
    finally:
        berth("rmi", "-f", tag)
