"""`berth compose run`, `exec`, `ls`, `images`, `port` and `top` against a real berthd."""
import json
import time

from test_compose import free_port, project  # noqa: F401  (the fixture)


def app(port):
    return f"""
        services:
          web:
            image: busybox
            command: sh -c "mkdir -p /www && echo hi > /www/index.html && exec httpd -f -p 80 -h /www"
            ports: ["127.0.0.1:{port}:80"]
            environment: {{FROM_FILE: "yes"}}
            depends_on: [db]
            stop_grace_period: 1s
          db:
            image: busybox
            command: sleep 600
            stop_grace_period: 1s
        """


def compose(berth, project, *args, input="", timeout=120):
    return berth("compose", "-p", project.name, "--project-directory", str(project.dir),
                 "-f", str(project.dir / "compose.yaml"), *args, input=input, timeout=timeout)


def test_run_one_off_starts_dependencies_and_is_labelled(project, berth):
    project.write(app(free_port()))
    r = compose(berth, project, "run", "--rm", "-e", "EXTRA=1", "web", "sh", "-c",
                "echo out:$FROM_FILE:$EXTRA; exit 3")
    assert r.returncode == 3, r.stderr
    assert "out:yes:1" in r.stdout
    # The dependency was started first; the one-off container is gone (--rm).
    assert f"Container {project.name}-db-1  Started" in r.stderr
    ps = berth("ps", "-a", "--format", "{{.Names}}", "--filter",
               f"label=com.docker.compose.project={project.name}", check=True).stdout.split()
    assert ps == [f"{project.name}-db-1"]


def test_run_detached_name_labels_ports_entrypoint_volume(project, berth, tmp_path):
    port = free_port()
    project.write(app(port))
    host_dir = tmp_path / "shared"
    host_dir.mkdir()
    (host_dir / "f").write_text("from-host\n")
    r = compose(berth, project, "run", "-d", "--no-deps", "-v", f"{host_dir}:/shared",
                "--entrypoint", "sh -c", "web", "cat /shared/f; sleep 600")
    assert r.returncode == 0, r.stderr
    name = r.stdout.strip()
    assert name.startswith(f"{project.name}-web-run-") and len(name) == len(project.name) + 21
    c = project.inspect(name)
    labels = c["Config"]["Labels"]
    assert labels["com.docker.compose.oneoff"] == "True"
    assert labels["com.docker.compose.service"] == "web"
    assert c["Config"]["Entrypoint"] == ["sh", "-c"]
    # --no-deps: db was not started; ports are not published without --service-ports.
    assert berth("ps", "-q", "--filter", f"name={project.name}-db-1").stdout.strip() == ""
    assert not c["HostConfig"]["PortBindings"]
    for _ in range(50):
        if "from-host" in berth("logs", name, check=True).stdout:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the bind mount's file was not printed: " + json.dumps({k: project.inspect(name)[k] for k in ("State", "Mounts", "Path", "Args")}))
    # A one-off container is not a service replica: ps leaves it out.
    assert name not in project.run("ps").stdout
    r = compose(berth, project, "run", "-d", "--service-ports", "web", "sleep", "600")
    assert r.returncode == 0, r.stderr
    c = project.inspect(r.stdout.strip())
    assert c["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"] == str(port)
    # -d --rm: the daemon removes it when it exits.
    r = compose(berth, project, "run", "-d", "--rm", "--no-deps", "web", "true")
    gone = r.stdout.strip()
    for _ in range(100):
        if berth("ps", "-aq", "--filter", f"name={gone}").stdout.strip() == "":
            break
        time.sleep(0.1)
    else:
        raise AssertionError(gone + " was not removed")
    project.run("down", "--remove-orphans")
    assert berth("ps", "-aq", "--filter", f"label=com.docker.compose.project={project.name}",
                 check=True).stdout.strip() == ""


def test_exec_index_user_workdir_env(project, berth):
    project.write("""
        services:
          app:
            image: busybox
            command: sleep 600
            scale: 2
        """)
    project.run("up", "-d")
    r = compose(berth, project, "exec", "-T", "-u", "nobody", "-w", "/tmp", "-e", "X=42", "app",
                "sh", "-c", "echo $(id -un):$(pwd):$X:$(hostname)")
    assert r.returncode == 0, r.stderr
    user, cwd, x, host = r.stdout.strip().split(":")
    assert (user, cwd, x) == ("nobody", "/tmp", "42")
    c1 = project.inspect(f"{project.name}-app-1")["Config"]["Hostname"]
    assert host == c1
    r = compose(berth, project, "exec", "-T", "--index", "2", "app", "hostname")
    assert r.stdout.strip() == project.inspect(f"{project.name}-app-2")["Config"]["Hostname"]
    r = compose(berth, project, "exec", "-T", "app", "sh", "-c", "exit 7")
    assert r.returncode == 7
    r = compose(berth, project, "exec", "-T", "--index", "5", "app", "true")
    assert r.returncode != 0 and "not running" in r.stderr


def test_ls_images_port_top(project, berth):
    port = free_port()
    project.write(app(port))
    project.run("up", "-d")
    r = compose(berth, project, "ls", "--format", "json")
    mine = [p for p in json.loads(r.stdout) if p["Name"] == project.name]
    assert mine == [{"Name": project.name, "Status": "running(2)",
                     "ConfigFiles": str(project.dir / "compose.yaml")}]
    table = compose(berth, project, "ls").stdout.splitlines()
    assert table[0].split() == ["NAME", "STATUS", "CONFIG", "FILES"]
    assert any(line.split()[:2] == [project.name, "running(2)"] for line in table)
    project.run("stop", "web")
    r = compose(berth, project, "ls", "--format", "json")
    assert [p["Status"] for p in json.loads(r.stdout) if p["Name"] == project.name] == ["running(1)"]
    r = compose(berth, project, "ls", "-a", "--format", "json", "--filter", f"name={project.name}")
    assert [p["Status"] for p in json.loads(r.stdout)] == ["exited(1), running(1)"]
    project.run("stop")
    assert project.name not in compose(berth, project, "ls", "-q").stdout.split()
    assert project.name in compose(berth, project, "ls", "-aq").stdout.split()
    project.run("start")

    assert project.run("port", "web", "80").stdout.strip() == f"127.0.0.1:{port}"
    assert project.run("port", "web", "81", check=False).returncode != 0

    images = project.run("images").stdout.splitlines()
    assert images[0].split() == ["CONTAINER", "REPOSITORY", "TAG", "IMAGE", "ID", "SIZE"]
    rows = [line.split() for line in images[1:]]
    assert sorted(r[0] for r in rows) == [f"{project.name}-db-1", f"{project.name}-web-1"]
    assert all(r[1:3] == ["busybox", "latest"] for r in rows)
    j = json.loads(project.run("images", "--format", "json").stdout)
    assert {i["ContainerName"] for i in j} == {f"{project.name}-db-1", f"{project.name}-web-1"}

    top = project.run("top", "db").stdout
    assert top.splitlines()[0] == f"{project.name}-db-1"
    assert "PID" in top and "sleep 600" in top
