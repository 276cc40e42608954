"""The `berth` binary as the docker CLI's compose plugin: `docker compose` (the real docker CLI,
with cli-plugins/docker-compose a symlink to berth) against the test daemon via DOCKER_HOST."""
import json
import os
import subprocess
import textwrap

from conftest import binary


def plugin_env(daemon, tmp_path):
    config = tmp_path / "docker-config"
    (config / "cli-plugins").mkdir(parents=True)
    os.symlink(binary("berth"), config / "cli-plugins" / "docker-compose")
    env = dict(os.environ, DOCKER_CONFIG=str(config), DOCKER_HOST=daemon.host)
    env.pop("BERTH_HOST", None)
    return env


def test_metadata(daemon, tmp_path):
    env = plugin_env(daemon, tmp_path)
    plugin = str(tmp_path / "docker-config" / "cli-plugins" / "docker-compose")
    for argv0 in (plugin, binary("berth")):
        r = subprocess.run([argv0, "docker-cli-plugin-metadata"], capture_output=True, text=True,
                           env=env, check=True)
        meta = json.loads(r.stdout)
        assert meta["SchemaVersion"] == "0.1.0"
        assert meta["Vendor"] == "Berth"
        assert meta["ShortDescription"] == "Docker Compose"
        assert meta["Version"].startswith("v2.")


def test_docker_compose_up_ps_down(daemon, tmp_path):
    env = plugin_env(daemon, tmp_path)
    name = (daemon.prefix + "-plug").lower()
    work = tmp_path / "app"
    work.mkdir()
    (work / "x.yaml").write_text(textwrap.dedent("""
        services:
          web:
            image: busybox
            command: sleep 600
            stop_grace_period: 1s
        """))

    def docker(*args, check=True):
        r = subprocess.run(["docker", *args], capture_output=True, text=True, env=env, cwd=work,
                           timeout=120)
        if check and r.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)}: {r.returncode}\n{r.stdout}{r.stderr}"
                                 f"\n{daemon.log()}")
        return r

    try:
        r = docker("compose", "version")
        assert r.stdout.startswith("Docker Compose version v2.")
        # The docker CLI lists the plugin from its metadata.
        assert any(line.split()[:3] == ["compose*", "Docker", "Compose"]
                   for line in docker("--help").stdout.splitlines())
        r = docker("compose", "-p", name, "-f", "x.yaml", "up", "-d")
        assert f"Container {name}-web-1  Started" in r.stderr
        # The container is on the docker CLI's daemon (DOCKER_HOST), seen by docker itself.
        assert docker("ps", "--format", "{{.Names}}").stdout.split().count(f"{name}-web-1") == 1
        ps = docker("compose", "-p", name, "-f", "x.yaml", "ps")
        assert f"{name}-web-1" in ps.stdout
        # Global docker flags reach the plugin: -H wins over DOCKER_HOST.
        env_bad = dict(env, DOCKER_HOST="unix:///nonexistent.sock")
        r = subprocess.run(["docker", "-H", daemon.host, "compose", "-p", name, "-f", "x.yaml",
                            "ps", "-q"], capture_output=True, text=True, env=env_bad, cwd=work)
        assert r.returncode == 0 and len(r.stdout.split()) == 1, r.stderr
        ls = json.loads(docker("compose", "ls", "--format", "json").stdout)
        assert [p["Status"] for p in ls if p["Name"] == name] == ["running(1)"]
        # Exit codes and output pass through the docker CLI.
        r = docker("compose", "-p", name, "-f", "x.yaml", "run", "--rm", "-T", "web", "sh", "-c",
                   "echo one-off; exit 4", check=False)
        assert r.returncode == 4 and "one-off" in r.stdout, r.stderr
        r = docker("compose", "-p", name, "-f", "x.yaml", "exec", "-T", "web", "echo", "in-web")
        assert r.stdout.strip() == "in-web"
        r = docker("compose", "-p", name, "-f", "x.yaml", "down")
        assert f"Container {name}-web-1  Removed" in r.stderr
        assert docker("ps", "-aq", "--filter", f"label=com.docker.compose.project={name}").stdout == ""
    finally:
        docker("compose", "-p", name, "-f", "x.yaml", "down", check=False)
