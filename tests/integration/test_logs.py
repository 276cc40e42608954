"""Log drivers (issue 5, I/O): json-file with rotation, Docker's local format, none; their options
validated at create with Docker's errors; the daemon's --log-driver/--log-opt defaults; logs read
back across rotated files (also with -f, and after a daemon restart, the shims having outlived
it).  Through the real docker CLI and through berth."""
import json
import os
import subprocess
import time

import pytest

from conftest import binary


def count_loop(n, burst=0, pause="0.05", prefix="line"):
    """A shell loop printing `<prefix> 0` .. `<prefix> n-1`, pausing after each burst lines."""
    pause_cmd = f'[ $((i % {burst})) -eq 0 ] && sleep {pause}; ' if burst else ""
    return f'i=0; while [ $i -lt {n} ]; do echo "{prefix} $i"; i=$((i+1)); {pause_cmd}done'


def lines(a, b, prefix="line"):
    return "".join(f"{prefix} {i}\n" for i in range(a, b))


def wait_exited(docker, name):
    docker("wait", name, check=True, timeout=120)


def inspect(docker, name):
    return json.loads(docker("inspect", name, check=True).stdout)[0]


def log_files(path):
    """The live file and its rotated siblings that exist, oldest first."""
    out, n = [], 1
    while os.path.exists(f"{path}.{n}"):
        out.insert(0, f"{path}.{n}")
        n += 1
    return out + ([path] if os.path.exists(path) else [])


def consecutive_tail(text, last, prefix="line"):
    """Asserts text is `prefix k` .. `prefix last` for some k (the oldest rotated away); returns k."""
    got = text.splitlines()
    assert got, "no log lines"
    first = int(got[0].split()[-1])
    assert text == lines(first, last + 1, prefix), text[:300]
    return first


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_json_file_rotation_bounded_and_read_in_order(docker, berth, name, cli):
    run = docker if cli == "docker" else berth
    # ~31 KB of records into 10 KB files: four files, nothing rotated away.
    run("run", "-d", "--name", name, "--log-opt", "max-size=10k", "--log-opt", "max-file=5",
        "busybox", "sh", "-c", count_loop(400), check=True)
    wait_exited(docker, name)
    info = inspect(docker, name)
    assert info["HostConfig"]["LogConfig"] == {"Type": "json-file",
                                               "Config": {"max-file": "5", "max-size": "10k"}}
    path = info["LogPath"]
    files = log_files(path)
    assert files[-1] == path and len(files) >= 3, files
    for f in files:
        # Docker checks the size before each write: a file passes 10 kB by one record at most.
        assert os.path.getsize(f) <= 10000 + 200, (f, os.path.getsize(f))
    assert run("logs", name, check=True).stdout == lines(0, 400)
    assert run("logs", "--tail", "3", name, check=True).stdout == lines(397, 400)
    stamped = run("logs", "-t", "--tail", "1", name, check=True).stdout
    assert stamped.endswith("Z line 399\n") and stamped.startswith("20"), stamped
    # --until before the container existed: nothing.
    assert run("logs", "--until", "2000-01-01T00:00:00Z", name, check=True).stdout == ""


def test_json_file_rotation_drops_the_oldest(docker, name):
    docker("run", "-d", "--name", name, "--log-opt", "max-size=2k", "--log-opt", "max-file=2",
           "busybox", "sh", "-c", count_loop(300), check=True)
    wait_exited(docker, name)
    path = inspect(docker, name)["LogPath"]
    assert log_files(path) == [path + ".1", path]
    first = consecutive_tail(docker("logs", name, check=True).stdout, 299)
    assert first > 0  # the oldest went with the rotations


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_follow_keeps_going_across_rotations(daemon, docker, berth, name, cli):
    docker("run", "-d", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=3",
           "busybox", "sh", "-c", "sleep 1; " + count_loop(200, burst=10, pause="0.2"), check=True)
    args = (["docker"] if cli == "docker" else [binary("berth"), "-H", daemon.host]) + [
        "logs", "-f", name]
    out = subprocess.run(args, capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, DOCKER_HOST=daemon.host))
    assert out.returncode == 0, out.stderr
    # Each burst (~800 bytes) rotates about once; the follower misses none of them.  (A reader
    # that falls two rotations behind loses a file, with Docker too: the pace leaves it 0.4 s.)
    assert out.stdout == lines(0, 200)
    path = inspect(docker, name)["LogPath"]
    assert len(log_files(path)) == 3


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_local_driver_round_trip(daemon, docker, berth, name, cli):
    run = docker if cli == "docker" else berth
    run("run", "-d", "--name", name, "--log-driver", "local", "busybox", "sh", "-c",
        "echo err1 >&2; sleep 0.2; echo out1; printf 'no newline'; echo; echo out2", check=True)
    wait_exited(docker, name)
    info = inspect(docker, name)
    assert info["HostConfig"]["LogConfig"] == {"Type": "local", "Config": {}}
    assert info["LogPath"] == ""  # Docker keeps the local driver's files out of the API
    path = os.path.join(daemon.data_root, "containers", info["Id"], "local-logs", "container.log")
    with open(path, "rb") as f:
        data = f.read()
    # Docker's framing: big-endian length, LogEntry, the same length again.
    n = int.from_bytes(data[:4], "big")
    assert data[4 + n:8 + n] == data[:4] and b"err1" in data[4:4 + n]
    r = run("logs", name, check=True)
    assert r.stdout == "out1\nno newline\nout2\n"
    assert r.stderr == "err1\n"
    assert run("logs", "--tail", "1", name, check=True).stdout == "out2\n"


def test_local_driver_follow_and_rotation(daemon, docker, name):
    docker("run", "-d", "--name", name, "--log-driver", "local", "--log-opt", "max-size=1k",
           "--log-opt", "max-file=4", "busybox", "sh", "-c", "sleep 1; " + count_loop(200, burst=10, pause="0.2"),
           check=True)
    out = subprocess.run(["docker", "logs", "-f", name], capture_output=True, text=True,
                         timeout=120, env=dict(os.environ, DOCKER_HOST=daemon.host))
    assert out.returncode == 0, out.stderr
    assert out.stdout == lines(0, 200)
    cid = inspect(docker, name)["Id"]
    path = os.path.join(daemon.data_root, "containers", cid, "local-logs", "container.log")
    files = log_files(path)
    assert len(files) == 4, files
    # Reading back after the fact: the oldest went, the rest is whole and in order.
    consecutive_tail(docker("logs", name, check=True).stdout, 199)
    assert docker("logs", "--tail", "2", name, check=True).stdout == lines(198, 200)


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_none_driver_stores_nothing_and_logs_errors(daemon, docker, berth, name, cli):
    run = docker if cli == "docker" else berth
    # Attached output does not go through the log: it still arrives.
    assert run("run", "--name", name, "--log-driver", "none", "busybox", "echo", "hi",
               check=True).stdout == "hi\n"
    cid = inspect(docker, name)["Id"]
    cdir = os.path.join(daemon.data_root, "containers", cid)
    assert not [f for f in os.listdir(cdir) if "log" in f]
    r = run("logs", name)
    assert r.returncode == 1
    assert r.stderr.strip() == ("Error response from daemon: configured logging driver does not "
                                "support reading")


@pytest.mark.parametrize("cli", ["docker", "berth"])
@pytest.mark.parametrize("flags,error", [
    (["--log-opt", "foo=bar"], "unknown log opt 'foo' for json-file log driver"),
    (["--log-driver", "local", "--log-opt", "foo=bar"], "unknown log opt 'foo' for log driver local"),
    (["--log-driver", "foo"], "logger: no log driver named 'foo' is registered"),
    (["--log-opt", "max-size=abc"], "invalid size: 'abc'"),
    (["--log-opt", "max-file=0"], "max-file cannot be less than 1"),
    (["--log-driver", "local", "--log-opt", "max-file=1"],
     "compression cannot be enabled when max file count is 1"),
])
def test_bad_driver_or_options_rejected_at_create(docker, berth, name, cli, flags, error):
    run = docker if cli == "docker" else berth
    # docker create prints the daemon's refusal bare and exits 1.
    r = run("create", "--name", name, *flags, "busybox", "true")
    assert (r.returncode, r.stderr) == (1, f"Error response from daemon: {error}\n")
    assert docker("inspect", name).returncode != 0  # nothing was created
    # docker run: its prefix, its hint, 125.
    r = run("run", "--name", name, *flags, "busybox", "true")
    assert r.returncode == 125, r.stderr
    assert r.stderr.startswith(f"{cli}: Error response from daemon: {error}"), r.stderr


def test_daemon_defaults_info_and_live_restore(daemon, docker, berth, name):
    # A container logging (and rotating) across a daemon restart.
    docker("run", "-d", "--name", name, "--log-opt", "max-size=1k", "--log-opt", "max-file=3",
           "busybox", "sh", "-c", count_loop(100000, burst=10, pause="0.2"), check=True)
    time.sleep(0.5)
    daemon.kill()
    time.sleep(1)  # the shim goes on writing and rotating with no daemon
    daemon.extra_args = ["--log-driver", "local", "--log-opt", "max-size=2k",
                         "--log-opt", "max-file=4"]
    try:
        daemon.start()
        assert docker("info", "--format", "{{.LoggingDriver}}", check=True).stdout == "local\n"
        assert "Logging Driver: local" in berth("info", check=True).stdout
        # After the restart the reader finds the rotated files of the still-running shim.
        text = docker("logs", name, check=True).stdout
        last = int(text.splitlines()[-1].split()[-1])
        assert consecutive_tail(text, last) >= 0
        path = inspect(docker, name)["LogPath"]
        assert len(log_files(path)) == 3
        # -f after the restart: follows on across rotations, no gap, until the container stops.
        follow = subprocess.Popen(["docker", "logs", "--tail", "1", "-f", name],
                                  stdout=subprocess.PIPE, text=True,
                                  env=dict(os.environ, DOCKER_HOST=daemon.host))
        time.sleep(3)
        docker("kill", name, check=True)
        out, _ = follow.communicate(timeout=60)
        end = int(out.splitlines()[-1].split()[-1])
        assert consecutive_tail(out, end) >= last and end > last + 50

        # New containers take the daemon's driver and options; explicit ones still win.
        d2 = name + "-d"
        berth("run", "-d", "--name", d2, "busybox", "echo", "default", check=True)
        wait_exited(docker, d2)
        assert inspect(docker, d2)["HostConfig"]["LogConfig"] == {
            "Type": "local", "Config": {"max-file": "4", "max-size": "2k"}}
        assert berth("logs", d2, check=True).stdout == "default\n"
        d3 = name + "-j"
        docker("run", "-d", "--name", d3, "--log-driver", "json-file", "busybox", "true",
               check=True)
        assert inspect(docker, d3)["HostConfig"]["LogConfig"] == {"Type": "json-file",
                                                                  "Config": {}}
    finally:
        daemon.stop()
        daemon.extra_args = []
        daemon.start()


def test_bad_daemon_default_refuses_to_start(daemon, tmp_path):
    r = subprocess.run([binary("berthd"), "--data-root", str(tmp_path / "d"), "--exec-root",
                        str(tmp_path / "e"), "-H", "unix://" + str(tmp_path / "s.sock"),
                        "--log-opt", "bogus=1"], capture_output=True, text=True, timeout=20)
    assert r.returncode != 0
    assert "unknown log opt 'bogus' for json-file log driver" in r.stderr
