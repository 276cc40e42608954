"""`berth compose` against a real berthd: a web + db pair from busybox, health-gated
depends_on, volumes kept across down/up, convergence by config hash, and down leaving nothing.
Each test has its own project name (from the daemon's prefix) and directory."""
import json
import os
import socket
import textwrap
import time
import urllib.request
import uuid

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def project(daemon, berth, tmp_path):
    """Writes compose.yaml into a fresh directory; `run` calls berth compose there; the project
    is brought down (-v) afterwards whatever happened."""
    name = (daemon.prefix + "-" + uuid.uuid4().hex[:4]).lower()

    class Project:
        dir = tmp_path
        def __init__(self):
            self.name = name

        def write(self, text, file="compose.yaml"):
            (tmp_path / file).write_text(textwrap.dedent(text))

        def run(self, *args, check=True, timeout=120):
            r = berth("compose", "-p", name, "--project-directory", str(tmp_path),
                      "-f", str(tmp_path / "compose.yaml"), *args, timeout=timeout)
            if check and r.returncode != 0:
                raise AssertionError(f"compose {' '.join(args)} exited {r.returncode}:\n"
                                     f"{r.stdout}\n{r.stderr}\n{daemon.log()}")
            return r

        def containers(self, all=True):
            r = berth("ps", "-a" if all else "", "-q", "--no-trunc", "--filter",
                      f"label=com.docker.compose.project={name}", check=True)
            return [x for x in r.stdout.split() if x]

        def inspect(self, what):
            return json.loads(berth("inspect", what, check=True).stdout)[0]

    p = Project()
    yield p
    if (tmp_path / "compose.yaml").exists():
        p.run("down", "-v", "--remove-orphans", check=False)


def web_db(port, db_env="one"):
    return f"""
        services:
          web:
            image: busybox
            command: sh -c "mkdir -p /www && echo hello-from-web > /www/index.html && exec httpd -f -p 80 -h /www"
            ports: ["127.0.0.1:{port}:80"]
            depends_on: [db]
          db:
            image: busybox
            environment: {{MARK: "{db_env}"}}
            command: sh -c "mkdir -p /www && echo pong > /www/ping && exec httpd -f -p 5432 -h /www"
            volumes: ["data:/data"]
        volumes:
          data:
        """


def fetch(url, attempts=50):
    for _ in range(attempts):
        try:
            return urllib.request.urlopen(url, timeout=2).read().decode()
        except OSError:
            time.sleep(0.1)
    raise AssertionError("no answer from " + url)


def test_web_db_pair_names_labels_ports_and_dns(project, berth):
    port = free_port()
    project.write(web_db(port))
    r = project.run("up", "-d")
    assert f"Container {project.name}-web-1  Started" in r.stderr
    assert f"Network {project.name}_default  Created" in r.stderr
    assert fetch(f"http://127.0.0.1:{port}/index.html").strip() == "hello-from-web"
    # The web service reaches db by its service name on the project network.
    out = berth("exec", f"{project.name}-web-1", "wget", "-qO-", "http://db:5432/ping", check=True)
    assert out.stdout.strip() == "pong"
    web = project.inspect(f"{project.name}-web-1")
    labels = web["Config"]["Labels"]
    assert labels["com.docker.compose.project"] == project.name
    assert labels["com.docker.compose.service"] == "web"
    assert labels["com.docker.compose.container-number"] == "1"
    assert labels["com.docker.compose.oneoff"] == "False"
    assert labels["com.docker.compose.depends_on"] == "db:service_started:false"
    assert labels["com.docker.compose.project.working_dir"] == str(project.dir)
    assert labels["com.docker.compose.project.config_files"] == str(project.dir / "compose.yaml")
    assert len(labels["com.docker.compose.config-hash"]) == 64
    assert f"{project.name}_default" in web["NetworkSettings"]["Networks"]
    net = json.loads(berth("network", "inspect", f"{project.name}_default", check=True).stdout)[0]
    assert net["Labels"]["com.docker.compose.network"] == "default"
    vol = json.loads(berth("volume", "inspect", f"{project.name}_data", check=True).stdout)[0]
    assert vol["Labels"]["com.docker.compose.volume"] == "data"
    ps = project.run("ps")
    assert f"{project.name}-web-1" in ps.stdout and f"{project.name}-db-1" in ps.stdout
    assert project.run("ps", "--services").stdout.split() == ["db", "web"]
    logs = project.run("logs", "db")
    assert logs.returncode == 0


def test_no_change_up_recreates_nothing_and_a_change_recreates_only_that_service(project):
    port = free_port()
    project.write(web_db(port))
    project.run("up", "-d")
    web1 = project.inspect(f"{project.name}-web-1")["Id"]
    db1 = project.inspect(f"{project.name}-db-1")["Id"]
    r = project.run("up", "-d")
    assert "Creating" not in r.stderr and "Recreate" not in r.stderr
    assert f"Container {project.name}-web-1  Running" in r.stderr
    assert project.inspect(f"{project.name}-web-1")["Id"] == web1
    project.write(web_db(port, db_env="two"))
    r = project.run("up", "-d")
    assert f"Container {project.name}-db-1  Recreate" in r.stderr
    assert project.inspect(f"{project.name}-db-1")["Id"] != db1
    assert project.inspect(f"{project.name}-web-1")["Id"] == web1
    env = project.inspect(f"{project.name}-db-1")["Config"]["Env"]
    assert "MARK=two" in env


def test_health_gated_depends_on(project):
    project.write("""
        services:
          db:
            image: busybox
            command: sh -c "sleep 1; touch /tmp/ready; exec sleep 600"
            healthcheck:
              test: ["CMD", "test", "-f", "/tmp/ready"]
              interval: 200ms
              retries: 50
          app:
            image: busybox
            command: sleep 600
            depends_on:
              db: {condition: service_healthy}
        """)
    r = project.run("up", "-d")
    lines = r.stderr.splitlines()
    healthy = next(i for i, l in enumerate(lines) if f"{project.name}-db-1  Healthy" in l)
    started = next(i for i, l in enumerate(lines) if f"{project.name}-app-1  Started" in l)
    assert healthy < started, r.stderr
    db = project.inspect(f"{project.name}-db-1")
    app = project.inspect(f"{project.name}-app-1")
    assert db["State"]["Health"]["Status"] == "healthy"
    assert app["State"]["StartedAt"] > db["State"]["StartedAt"]


def test_unhealthy_dependency_stops_up_with_its_name(project):
    project.write("""
        services:
          db:
            image: busybox
            command: sleep 600
            healthcheck: {test: ["CMD", "false"], interval: 100ms, retries: 2}
          app:
            image: busybox
            command: sleep 600
            depends_on: {db: {condition: service_healthy}}
        """)
    r = project.run("up", "-d", check=False)
    assert r.returncode == 1
    assert f"container {project.name}-db-1 is unhealthy" in r.stderr
    assert not any(f"{project.name}-app-1" in l and "Created" in l for l in r.stderr.splitlines())


def test_volume_data_kept_across_down_and_up(project, berth):
    project.write("""
        services:
          box:
            image: busybox
            command: sleep 600
            volumes: ["data:/data"]
        volumes:
          data:
        """)
    project.run("up", "-d")
    berth("exec", f"{project.name}-box-1", "sh", "-c", "echo kept > /data/f", check=True)
    project.run("down")
    assert project.containers() == []
    project.run("up", "-d")
    out = berth("exec", f"{project.name}-box-1", "cat", "/data/f", check=True)
    assert out.stdout.strip() == "kept"


def test_down_leaves_nothing(project, berth):
    project.write(web_db(free_port()))
    project.run("up", "-d")
    project.run("down", "-v")
    assert project.containers() == []
    nets = berth("network", "ls", "-q", "--filter", f"label=com.docker.compose.project={project.name}",
                 check=True)
    assert nets.stdout.strip() == ""
    vols = berth("volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={project.name}",
                 check=True)
    assert vols.stdout.strip() == ""


def test_lifecycle_commands(project):
    project.write("""
        services:
          a:
            image: busybox
            command: sleep 600
        """)
    project.run("up", "-d")
    project.run("stop")
    assert project.inspect(f"{project.name}-a-1")["State"]["Running"] is False
    project.run("start")
    assert project.inspect(f"{project.name}-a-1")["State"]["Running"] is True
    project.run("restart")
    project.run("kill")
    project.run("rm", "-f")
    assert project.containers() == []


def test_bad_file_creates_nothing(project, berth):
    project.write("""
        services:
          web:
            image: busybox
            ports: [{bogus: 1}]
        """)
    r = project.run("up", "-d", check=False)
    assert r.returncode == 1
    assert "services.web.ports[0] additional property bogus is not allowed" in r.stderr
    assert project.containers() == []
    project.write("""
        services:
          web:
            image: "${NEEDED:?please set NEEDED}"
        """)
    r = project.run("up", "-d", check=False)
    assert "required variable NEEDED is missing a value: please set NEEDED" in r.stderr
    assert project.containers() == []
