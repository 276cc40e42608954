"""Attached `berth compose up` (no -d): prefixed log streaming, --no-log-prefix,
--abort-on-container-exit, --exit-code-from, and Ctrl-C stopping the project gracefully."""
import json
import os
import signal
import subprocess
import time

from conftest import binary
from test_compose import project  # noqa: F401  (the fixture)


def test_streams_each_service_with_its_prefix_until_all_exit(project):
    project.write("""
        services:
          alpha:
            image: busybox
            command: sh -c "echo hello-alpha; echo oops-alpha >&2"
          b:
            image: busybox
            command: sh -c "sleep 1; echo hello-b; echo second-b"
        """)
    r = project.run("up")
    assert r.returncode == 0
    out = r.stdout.splitlines()
    assert out[0] == "Attaching to alpha-1, b-1"
    assert "alpha-1  | hello-alpha" in out
    assert "b-1      | hello-b" in out and "b-1      | second-b" in out
    assert out.index("b-1      | hello-b") < out.index("b-1      | second-b")
    assert "alpha-1  | oops-alpha" in r.stderr.splitlines()
    assert "alpha-1 exited with code 0" in out and "b-1 exited with code 0" in out
    assert "\x1b[" not in r.stdout  # colours only on a terminal
    r = project.run("up", "--no-log-prefix")
    assert "hello-alpha" in r.stdout.splitlines() and "second-b" in r.stdout.splitlines()


def test_abort_on_container_exit_returns_its_code_and_stops_the_rest(project, berth):
    project.write("""
        services:
          quick:
            image: busybox
            command: sh -c "echo bye; exit 3"
          slow:
            image: busybox
            command: sleep 600
            stop_grace_period: 1s
        """)
    r = project.run("up", "--abort-on-container-exit", check=False)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "quick-1  | bye" in r.stdout
    assert "Aborting on container exit..." in r.stdout
    assert f"Container {project.name}-slow-1  Stopped" in r.stderr
    assert project.inspect(f"{project.name}-slow-1")["State"]["Running"] is False


def test_exit_code_from_a_service(project):
    project.write("""
        services:
          helper:
            image: busybox
            command: sleep 600
            stop_grace_period: 1s
          tester:
            image: busybox
            command: sh -c "echo testing; exit 5"
        """)
    r = project.run("up", "--exit-code-from", "tester", check=False)
    assert r.returncode == 5, r.stdout + r.stderr
    assert "tester-1  | testing" in r.stdout
    # When another service exits first, the named one is stopped: its code is what stopping gave.
    project.write("""
        services:
          first:
            image: busybox
            command: sh -c "exit 0"
          tester:
            image: busybox
            command: sleep 600
            stop_grace_period: 1s
        """)
    r = project.run("up", "--exit-code-from", "tester", check=False)
    assert r.returncode == 137, r.stdout + r.stderr
    r = project.run("up", "-d", "--exit-code-from", "tester", check=False)
    assert r.returncode != 0 and "incompatible" in r.stderr


def test_sigint_stops_the_project_gracefully(project, daemon):
    project.write("""
        services:
          server:
            image: busybox
            command: sh -c "echo serving; exec sleep 600"
            stop_grace_period: 1s
        """)
    env = dict(os.environ)
    env.pop("BERTH_HOST", None)
    p = subprocess.Popen([binary("berth"), "-H", daemon.host, "compose", "-p", project.name,
                          "--project-directory", str(project.dir), "-f",
                          str(project.dir / "compose.yaml"), "up"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.time() + 60
        seen = ""
        while "server-1  | serving" not in seen:
            assert time.time() < deadline, seen
            seen += p.stdout.readline()
        p.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None:
            p.kill()
    assert "Gracefully stopping... (press Ctrl+C again to force)" in err
    assert f"Container {project.name}-server-1  Stopped" in err
    assert p.returncode == 130
    state = project.inspect(f"{project.name}-server-1")["State"]
    assert state["Running"] is False
    assert json.dumps(state)  # inspectable: stopped, not removed
