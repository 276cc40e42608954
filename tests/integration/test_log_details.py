"""Log attributes and `logs --details` (issue 5): the log-opts labels, labels-regex, env,
env-regex and tag recorded with every entry (json-file's "attrs" object, local's LogEntry.attrs)
and shown by `logs --details` as dockerd does: the k=v pairs sorted by key, query-escaped, joined
by ",", then a space (a lone space when there are none).  Through the real docker CLI and berth."""
import json
import os
import time

import pytest

ATTR_OPTS = ["--label", "a=1", "--label", "b=2", "--log-opt", "labels=a",
             "--log-opt", "env=E", "-e", "E=x", "-e", "F=y"]


def inspect(docker, name):
    return json.loads(docker("inspect", name, check=True).stdout)[0]


def local_log(daemon, cid):
    path = os.path.join(daemon.data_root, "containers", cid, "local-logs", "container.log")
    with open(path, "rb") as f:
        return f.read()


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_json_file_attrs_and_details(docker, berth, name, cli):
    run = docker if cli == "docker" else berth
    run("run", "--name", name, *ATTR_OPTS, "busybox", "sh", "-c", "echo hello; echo oops >&2",
        check=True)
    r = run("logs", "--details", name, check=True)
    assert r.stdout == "E=x,a=1 hello\n"
    assert r.stderr == "E=x,a=1 oops\n"
    assert run("logs", name, check=True).stdout == "hello\n"
    # Timestamps come first, then the details.
    ts = run("logs", "-t", "--details", name, check=True).stdout
    assert ts.endswith("Z E=x,a=1 hello\n") and ts[:4].isdigit()
    with open(inspect(docker, name)["LogPath"]) as f:
        first = f.readline()
    # jsonfilelog's field order: log, stream, attrs, time.
    assert first.startswith('{"log":"hello\\n","stream":"stdout","attrs":{"E":"x","a":"1"},"time":"')
    assert json.loads(first)["attrs"] == {"E": "x", "a": "1"}


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_local_attrs_and_details(daemon, docker, berth, name, cli):
    run = docker if cli == "docker" else berth
    run("run", "--name", name, "--log-driver", "local", *ATTR_OPTS, "busybox", "echo", "hello",
        check=True)
    assert run("logs", "--details", name, check=True).stdout == "E=x,a=1 hello\n"
    data = local_log(daemon, inspect(docker, name)["Id"])
    # LogEntry.attrs (field 6): repeated LogAttr{key = 1, value = 2}, sorted by key.
    assert b"\x32\x06\x0a\x01E\x12\x01x\x32\x06\x0a\x01a\x12\x011" in data


def test_details_without_attrs_is_a_leading_space(docker, berth, name):
    docker("run", "--name", name, "busybox", "echo", "hello", check=True)
    assert docker("logs", "--details", name, check=True).stdout == " hello\n"
    assert berth("logs", "--details", name, check=True).stdout == " hello\n"
    with open(inspect(docker, name)["LogPath"]) as f:
        assert '"attrs"' not in f.read()


def test_regex_escaping_and_tag(docker, name):
    docker("run", "--name", name, "--label", "app.tier=front end", "--label", "other=no",
           "--log-opt", "labels-regex=^app", "--log-opt", "env-regex=^MODE",
           "-e", "MODE_X=a,b", "--log-opt", "tag={{.Name}}", "busybox", "echo", "hello",
           check=True)
    assert docker("logs", "--details", name, check=True).stdout == (
        f"MODE_X=a%2Cb,app.tier=front+end,tag={name} hello\n")


def test_bad_regex_fails_the_start(docker, name):
    r = docker("run", "--name", name, "--log-opt", "labels-regex=(", "busybox", "true")
    assert r.returncode != 0
    assert "failed to initialize logging driver" in r.stderr and "regexp" in r.stderr


def test_attrs_survive_a_daemon_restart(daemon, docker, name):
    docker("run", "-d", "--name", name, "--log-driver", "local", *ATTR_OPTS, "busybox", "sh",
           "-c", "i=0; while true; do echo line $i; i=$((i+1)); sleep 0.1; done", check=True)
    time.sleep(0.5)
    daemon.kill()
    time.sleep(1)  # the shim goes on writing with no daemon
    daemon.start()
    before = len(docker("logs", name, check=True).stdout.splitlines())
    time.sleep(1)
    out = docker("logs", "--details", name, check=True).stdout.splitlines()
    docker("rm", "-f", name, check=True)
    assert len(out) > before > 5
    assert all(line.startswith("E=x,a=1 line ") for line in out), out[:3]
