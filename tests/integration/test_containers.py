"""Issue 5's daemon side through the real docker CLI and the Python SDK: exec, pause, rename,
restart, update, top, stats, events, diff, cp, export, healthchecks, restart policies, prune."""
import io
import json
import os
import subprocess
import tarfile
import time

import pytest


def wait_for(pred, timeout=15, step=0.1):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    return pred()


def test_exec_exit_code_stdin_user_env_workdir(docker, name):
    docker("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        r = docker("exec", name, "sh", "-c", "echo out; echo err >&2; exit 4")
        assert (r.returncode, r.stdout, r.stderr) == (4, "out\n", "err\n")
        r = docker("exec", "-i", name, "cat", input="piped\n", check=True)
        assert r.stdout == "piped\n"
        r = docker("exec", "-u", "nobody", "-e", "X=1", "-w", "/tmp", name, "sh", "-c",
                   "id -u; echo $X; pwd", check=True)
        assert r.stdout.split() == ["65534", "1", "/tmp"]
        r = docker("exec", "-d", name, "sh", "-c", "echo bg > /tmp/bg", check=True)
        assert wait_for(lambda: docker("exec", name, "cat", "/tmp/bg").stdout == "bg\n")
    finally:
        docker("rm", "-f", name)


def test_exec_on_stopped_container_is_refused(docker, name):
    docker("create", "--name", name, "busybox", "true", check=True)
    r = docker("exec", name, "true")
    assert r.returncode != 0 and "is not running" in r.stderr
    docker("rm", name, check=True)


def test_pause_unpause_rename_restart(docker, name):
    docker("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        docker("pause", name, check=True)
        r = docker("inspect", "-f", "{{.State.Status}} {{.State.Paused}}", name, check=True)
        assert r.stdout.strip() == "paused true"
        assert "(Paused)" in docker("ps", "--format", "{{.Status}}", "-f", f"name={name}").stdout
        r = docker("pause", name)
        assert r.returncode != 0 and "already paused" in r.stderr
        docker("unpause", name, check=True)
        assert docker("inspect", "-f", "{{.State.Status}}", name).stdout.strip() == "running"
        docker("rename", name, name + "-new", check=True)
        assert docker("inspect", "-f", "{{.Name}}", name + "-new").stdout.strip() == "/" + name + "-new"
        pid1 = docker("inspect", "-f", "{{.State.Pid}}", name + "-new").stdout.strip()
        docker("restart", "-t", "1", name + "-new", check=True)
        r = docker("inspect", "-f", "{{.State.Status}} {{.State.Pid}}", name + "-new", check=True)
        status, pid2 = r.stdout.split()
        assert status == "running" and pid2 != pid1
    finally:
        docker("rm", "-f", name, name + "-new")


def test_update_memory_of_running_container(docker, name):
    docker("run", "-d", "--name", name, "-m", "32m", "busybox", "sleep", "60", check=True)
    try:
        docker("update", "--memory", "64m", "--memory-swap", "128m", name, check=True)
        assert docker("inspect", "-f", "{{.HostConfig.Memory}}", name).stdout.strip() == str(64 << 20)
        cid = docker("inspect", "-f", "{{.Id}}", name).stdout.strip()
        limits = [open(os.path.join(root, "memory.limit_in_bytes")).read().strip()
                  for root, _, files in os.walk("/sys/fs/cgroup/memory") if root.endswith(cid)
                  and "memory.limit_in_bytes" in files]
        assert limits == [str(64 << 20)]
    finally:
        docker("rm", "-f", name)


@pytest.mark.parametrize("cli", ["docker", "berth"])
def test_update_changes_only_what_is_given(docker, berth, name, cli):
    """An update sets the flags given and leaves the rest (dockerd treats a zero as unchanged):
    --cpus then --memory keeps the CPU limit; --restart sets the policy; a bad policy is refused
    in Docker's words."""
    run = docker if cli == "docker" else berth
    docker("create", "--name", name, "--cpus", "0.5", "-m", "32m", "--restart", "always",
           "busybox", "sleep", "60", check=True)
    try:
        run("update", "--memory", "64m", "--memory-swap", "128m", name, check=True)
        fmt = "{{.HostConfig.NanoCpus}} {{.HostConfig.Memory}} {{.HostConfig.RestartPolicy.Name}}"
        assert docker("inspect", "-f", fmt, name).stdout.split() == [
            "500000000", str(64 << 20), "always"]
        run("update", "--restart", "on-failure:2", name, check=True)
        fmt = "{{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}"
        assert docker("inspect", "-f", fmt, name).stdout.strip() == "on-failure:2"
        r = run("update", "--restart", "sometimes", name)
        assert r.returncode != 0 and "invalid restart policy" in r.stderr, r.stderr
        assert docker("inspect", "-f", "{{.HostConfig.NanoCpus}}", name).stdout.strip() == "500000000"
    finally:
        docker("rm", "-f", name)


def test_invalid_resources_get_dockers_errors(docker):
    r = docker("run", "--rm", "-m", "1m", "busybox", "true")
    assert r.returncode == 125 and "Minimum memory limit allowed is 6MB" in r.stderr
    r = docker("run", "--rm", "--cpus", "64", "busybox", "true")
    assert r.returncode == 125 and "Range of CPUs is from 0.01 to" in r.stderr


def test_top_stats_events(docker, name):
    since = str(time.time() - 1)
    docker("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        r = docker("top", name, check=True)
        assert r.stdout.splitlines()[0].split()[:2] == ["UID", "PID"] and "sleep 60" in r.stdout
        r = docker("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", name, check=True)
        assert r.stdout.strip() == f"{name} 1"
        docker("stop", "-t", "1", name, check=True)
        r = docker("events", "--since", since, "--until", str(time.time() + 1), "--filter",
                   f"container={name}", "--format", "{{.Action}}", check=True)
        actions = r.stdout.split()
        for want in ("create", "start", "kill", "die", "stop"):
            assert want in actions, actions
    finally:
        docker("rm", "-f", name)


def test_diff_cp_export(docker, name, tmp_path):
    docker("run", "--name", name, "busybox", "sh", "-c", "echo x > /etc/newfile; rm /bin/vi",
           check=True)
    try:
        r = docker("diff", name, check=True)
        assert r.stdout.splitlines() == ["C /bin", "D /bin/vi", "C /etc", "A /etc/newfile"]
        src = tmp_path / "in.txt"
        src.write_text("into the container\n")
        docker("cp", str(src), f"{name}:/tmp/in.txt", check=True)
        docker("cp", f"{name}:/tmp/in.txt", str(tmp_path / "back.txt"), check=True)
        assert (tmp_path / "back.txt").read_text() == "into the container\n"
        r = docker("cp", f"{name}:/nope", str(tmp_path / "x"))
        assert r.returncode != 0 and "Could not find the file /nope" in r.stderr
        out = tmp_path / "export.tar"
        docker("export", "-o", str(out), name, check=True)
        with tarfile.open(out) as t:
            names = t.getnames()
        assert "etc/newfile" in names and "bin/busybox" in names and "bin/vi" not in names
    finally:
        docker("rm", "-f", name)


def test_cp_cannot_escape_rootfs(docker, name, tmp_path):
    # A symlink inside the container pointing at the host's /etc resolves inside the rootfs.
    docker("run", "--name", name, "busybox", "ln", "-s", "/etc", "/escape", check=True)
    try:
        marker = tmp_path / "marker"
        marker.write_text("m\n")
        docker("cp", str(marker), f"{name}:/escape/berth-escape-marker", check=True)
        assert not os.path.exists("/etc/berth-escape-marker")
        r = docker("cp", f"{name}:/etc/berth-escape-marker", str(tmp_path / "got"), check=True)
        assert (tmp_path / "got").read_text() == "m\n"
    finally:
        docker("rm", "-f", name)


def test_healthcheck_status_and_event(docker, name):
    docker("run", "-d", "--name", name, "--health-cmd", "test -f /tmp/ok", "--health-interval",
           "1s", "--health-retries", "1", "busybox", "sleep", "60", check=True)
    try:
        assert wait_for(lambda: docker("inspect", "-f", "{{.State.Health.Status}}", name)
                        .stdout.strip() == "unhealthy")
        assert "(unhealthy)" in docker("ps", "--format", "{{.Status}}", "-f", f"name={name}").stdout
        # Unhealthy is not restarted by the engine.
        assert docker("inspect", "-f", "{{.RestartCount}}", name).stdout.strip() == "0"
        docker("exec", name, "touch", "/tmp/ok", check=True)
        assert wait_for(lambda: docker("inspect", "-f", "{{.State.Health.Status}}", name)
                        .stdout.strip() == "healthy")
    finally:
        docker("rm", "-f", name)


def test_healthcheck_timeout_kills_the_probe(docker, berth, name):
    # The probe outlives its 1s timeout: the probe process inside the container is killed (not
    # only the exec runtime), and the log says so with exit code -1.  The next probe is 5s away.
    docker("run", "-d", "--name", name, "--health-cmd", "sleep 30", "--health-timeout", "1s",
           "--health-interval", "5s", "busybox", "sleep", "1000", check=True)
    try:
        def log():
            r = docker("inspect", "-f", "{{json .State.Health.Log}}", name, check=True)
            return json.loads(r.stdout) or []
        assert wait_for(lambda: len(log()) >= 1, timeout=20)
        entry = log()[0]
        assert (entry["ExitCode"], entry["Output"]) == (-1, "Health check exceeded timeout (1s)")
        for run in (docker, berth):
            procs = run("top", name, check=True).stdout.splitlines()[1:]
            assert [p for p in procs if p.endswith("sleep 30")] == [], procs
            assert any(p.endswith("sleep 1000") for p in procs), procs
    finally:
        docker("rm", "-f", name)


def test_restart_policy_on_failure(docker, name):
    docker("run", "-d", "--name", name, "--restart", "on-failure:2", "busybox", "sh", "-c",
           "exit 1", check=True)
    try:
        assert wait_for(lambda: docker("inspect", "-f", "{{.RestartCount}} {{.State.Status}}",
                                       name).stdout.strip() == "2 exited", timeout=20)
    finally:
        docker("rm", "-f", name)


def test_stop_prevents_restart_always(docker, name):
    docker("run", "-d", "--name", name, "--restart", "always", "busybox", "sleep", "60", check=True)
    try:
        docker("stop", "-t", "1", name, check=True)
        time.sleep(1)
        assert docker("inspect", "-f", "{{.State.Status}}", name).stdout.strip() == "exited"
    finally:
        docker("rm", "-f", name)


def test_prune_removes_only_stopped(docker, name):
    docker("run", "--name", name + "-done", "busybox", "true", check=True)
    docker("run", "-d", "--name", name + "-live", "busybox", "sleep", "60", check=True)
    try:
        r = docker("container", "prune", "-f", check=True)
        assert "Total reclaimed space" in r.stdout
        names = docker("ps", "-a", "--format", "{{.Names}}").stdout.split()
        assert name + "-live" in names and name + "-done" not in names
    finally:
        docker("rm", "-f", name + "-done", name + "-live")


def test_python_sdk_container_calls(daemon, tmp_path):
    code = f"""
import docker, io, tarfile, json
c = docker.DockerClient(base_url='{daemon.host}')
ctr = c.containers.run('busybox', 'sh -c "echo started; sleep 60"', detach=True)
try:
    r = ctr.exec_run('sh -c "echo hi; exit 2"')
    assert (r.exit_code, r.output) == (2, b'hi\\n'), r
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode='w') as t:
        data = b'payload\\n'
        info = tarfile.TarInfo('put.txt'); info.size = len(data)
        t.addfile(info, io.BytesIO(data))
    assert ctr.put_archive('/tmp', buf.getvalue())
    stream, stat = ctr.get_archive('/tmp/put.txt')
    raw = b''.join(stream)
    with tarfile.open(fileobj=io.BytesIO(raw)) as t:
        assert t.extractfile('put.txt').read() == b'payload\\n'
    assert stat['name'] == 'put.txt'
    top = ctr.top()
    assert 'PID' in top['Titles']
    s = ctr.stats(stream=False)
    assert s['pids_stats']['current'] >= 1 and 'cpu_stats' in s
    logs = ctr.logs(stream=True)
    assert next(logs) == b'started\\n'
    img = ctr.commit(repository='sdk-commit', tag='v1')
    assert img.id.startswith('sha256:')
    ctr.kill()
    assert ctr.wait()['StatusCode'] == 137
finally:
    ctr.remove(force=True)
    try:
        c.images.remove('sdk-commit:v1')
    except Exception:
        pass
print('ok')
"""
    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr + daemon.log()


def test_interactive_tty_prompt_output_and_resize(daemon):
    import pty
    import fcntl
    import struct
    import termios
    env = dict(os.environ, DOCKER_HOST=daemon.host,
               DOCKER_CONFIG=os.path.join(daemon.base, "docker-config"))
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe("docker", ["docker", "run", "-it", "--rm", "busybox", "sh"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    out = b""

    def read_until(token, timeout=20):
        nonlocal out
        deadline = time.time() + timeout
        while token not in out and time.time() < deadline:
            try:
                import select
                if select.select([fd], [], [], 0.2)[0]:
                    out += os.read(fd, 4096)
            except OSError:
                break
        return token in out

    try:
        assert read_until(b"# "), out  # the shell's prompt
        os.write(fd, b"echo $((6*7))\n")
        assert read_until(b"42"), out
        # A window change reaches the container's tty through /resize.
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 41, 123, 0, 0))
        os.kill(pid, 28)  # SIGWINCH: the CLI sends the new size
        time.sleep(0.5)
        os.write(fd, b"stty size\n")
        assert read_until(b"41 123"), out
        os.write(fd, b"exit 3\n")
        _, status = os.waitpid(pid, 0)
        pid = 0
        assert os.WEXITSTATUS(status) == 3
    finally:
        if pid:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        os.close(fd)


def test_daemon_sigkill_during_busy_run_of_50(daemon, docker, name):
    names = [f"{name}-{i}" for i in range(50)]
    procs = [subprocess.Popen(["docker", "run", "-d", "--name", n, "--restart",
                               "always" if i % 10 == 0 else "no", "busybox", "sh", "-c",
                               f"echo log-{i}; " + ("sleep 60" if i % 2 == 0 else "exit 0")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env=dict(os.environ, DOCKER_HOST=daemon.host))
             for i, n in enumerate(names)]
    for p in procs:
        p.wait(120)
    daemon.kill()
    daemon.start()
    try:
        r = docker("ps", "-a", "--format", "{{.Names}} {{.State}}", check=True)
        states = dict(line.split() for line in r.stdout.splitlines() if line.startswith(name))
        assert set(states) == set(names)
        for i, n in enumerate(names):
            want = "running" if i % 2 == 0 else "exited"
            assert states[n] == want, (n, states[n])
            assert docker("logs", n, check=True).stdout == f"log-{i}\n"
        # Still managed: a restart policy applies after the restart.
        docker("kill", "-s", "KILL", names[10], check=True)
        docker("start", names[10], check=True)
        assert docker("inspect", "-f", "{{.State.Status}}", names[10]).stdout.strip() == "running"
    finally:
        docker("rm", "-f", *names)
