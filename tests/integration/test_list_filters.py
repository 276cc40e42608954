"""Docker fidelity (issue 12, items 6 and 7): list filters as moby applies them (keys ANDed,
`label` values ANDed, other values ORed; unknown keys and values "Invalid filter"), through the
real docker CLI and the Python SDK."""
import subprocess

import pytest


def sdk(daemon, body):
    code = "import docker, json\nc = docker.DockerClient(base_url=%r)\n" % daemon.host + body
    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stdout + r.stderr + daemon.log()




@pytest.fixture
def labelled(docker, name):
    """Three containers (ab: a=1 b=2, a: a=1, b: b=2), an image, network and volume for each."""
    made = {"c": [], "i": [], "n": [], "v": []}
    for suffix, labels in (("ab", ["a=1", "b=2"]), ("a", ["a=1"]), ("b", ["b=2"])):
        lab = [x for l in labels for x in ("--label", l)]
        n = f"{name}-{suffix}"
        docker("create", "--name", n, *lab, "busybox", "true", check=True)
        made["c"].append(n)
        docker("commit", "--change", "LABEL " + " ".join(labels), n, n + "-img", check=True)
        made["i"].append(n + "-img")
        docker("network", "create", *lab, n + "-net", check=True)
        made["n"].append(n + "-net")
        docker("volume", "create", *lab, n + "-vol", check=True)
        made["v"].append(n + "-vol")
    yield name
    docker("rm", "-f", *made["c"])
    docker("rmi", "-f", *made["i"])
    docker("network", "rm", *made["n"])
    docker("volume", "rm", "-f", *made["v"])


LISTS = {
    "container": (["ps", "-a"], "{{.Names}}", ""),
    "image": (["images"], "{{.Repository}}", "-img"),
    "network": (["network", "ls"], "{{.Name}}", "-net"),
    "volume": (["volume", "ls"], "{{.Name}}", "-vol"),
}


@pytest.mark.parametrize("kind", sorted(LISTS))
def test_label_filters_are_anded(docker, labelled, kind):
    cmd, fmt, suffix = LISTS[kind]

    def ls(*filters):
        args = [x for f in filters for x in ("--filter", f)]
        r = docker(*cmd, *args, "--format", fmt, check=True)
        return sorted(n for n in r.stdout.split() if n.startswith(labelled))

    ab, a, b = (f"{labelled}-{s}{suffix}" for s in ("ab", "a", "b"))
    assert ls("label=a=1", "label=b=2") == [ab]
    assert ls("label=a=1") == sorted([ab, a])
    assert ls("label=a", "label=b") == [ab]
    assert ls("label=a=1", "label=b=3") == []
    # Another key ANDs with the labels; `name` values are ORed (and are expressions).
    if kind != "image":
        assert ls("label=b=2", f"name={a}$", f"name={b}$") == [b]


def test_label_filters_anded_sdk(daemon, labelled):
    sdk(daemon, f"""
p = {labelled!r}
def names(objs, attr):
    return sorted(n for n in (attr(o) for o in objs) if n.startswith(p))
both = {{'label': ['a=1', 'b=2']}}
assert names(c.containers.list(all=True, filters=both), lambda o: o.name) == [p + '-ab']
assert names(c.containers.list(all=True, filters={{'label': ['a=1']}}), lambda o: o.name) == \\
    [p + '-a', p + '-ab']
assert names(c.networks.list(filters=both), lambda o: o.name) == [p + '-ab-net']
assert names(c.volumes.list(filters=both), lambda o: o.name) == [p + '-ab-vol']
assert names(c.images.list(filters=both), lambda o: o.tags[0]) == [p + '-ab-img:latest']
# status values are ORed, keys ANDed.
got = names(c.containers.list(all=True, filters={{'status': ['created', 'running'],
                                                  'label': 'a=1'}}), lambda o: o.name)
assert got == [p + '-a', p + '-ab'], got
print('ok')
""")


@pytest.mark.parametrize("cmd", [["ps"], ["images"], ["network", "ls"], ["volume", "ls"]])
def test_invalid_filter_rejected(docker, cmd):
    r = docker(*cmd, "--filter", "nosuch=1")
    assert r.returncode != 0
    assert "Invalid filter 'nosuch'" in r.stderr, r.stderr


def test_invalid_filter_values_sdk(daemon):
    sdk(daemon, """
import docker.errors
for call in (lambda: c.containers.list(filters={'nosuch': 'x'}),
             lambda: c.containers.list(filters={'status': 'bogus'}),
             lambda: c.images.list(filters={'dangling': 'maybe'}),
             lambda: c.networks.list(filters={'nosuch': 'x'}),
             lambda: c.volumes.list(filters={'nosuch': 'x'})):
    try:
        call()
        raise AssertionError('no error')
    except docker.errors.APIError as e:
        assert e.status_code == 400, e
        assert 'Invalid filter' in str(e), e
print('ok')
""")


def test_image_until_filter(docker, labelled):
    def ls(*args):
        r = docker("images", *args, "--format", "{{.Repository}}", check=True)
        return sorted(n for n in r.stdout.split() if n.startswith(labelled))

    mine = sorted(f"{labelled}-{s}-img" for s in ("ab", "a", "b"))
    assert ls("--filter", "until=2000-01-01T00:00:00Z") == []
    assert ls("--filter", "until=0.001s") == mine  # made before a millisecond ago
    assert ls("--filter", "until=24h") == []
    r = docker("images", "--filter", "until=soon")
    assert r.returncode != 0 and "Invalid filter 'until=soon'" in r.stderr, r.stderr
