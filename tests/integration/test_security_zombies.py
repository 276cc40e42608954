"""Issue 15 item 8 / issue 12 item 5: berthd is the shims' subreaper, so every shim (and anything
else re-parented to it) must be reaped; a zombie per `run` is a PID leak on a long-lived host."""
import glob
import time


def zombie_children(pid):
    zombies = []
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        try:
            with open(path) as f:
                children = f.read().split()
        except OSError:
            continue
        for child in children:
            try:
                with open(f"/proc/{child}/stat") as f:
                    stat = f.read()
            except OSError:
                continue
            # pid (comm) state ...: comm may hold spaces and parentheses.
            state = stat[stat.rindex(")") + 2]
            if state == "Z":
                zombies.append(stat[:stat.rindex(")") + 1])
    return zombies


def test_run_rm_leaves_no_zombie_children(daemon, docker):
    for _ in range(10):
        docker("run", "--rm", "busybox", "true", check=True)
    deadline = time.time() + 5
    while True:
        zombies = zombie_children(daemon.proc.pid)
        if not zombies or time.time() > deadline:
            break
        time.sleep(0.1)
    assert zombies == [], f"zombie children of berthd: {zombies}"


def test_exec_exit_codes_survive_the_reaper(daemon, docker, name):
    # The reaper must not steal the statuses of the children berthd waits for itself
    # (`berth-runtime exec`): exec's exit codes still arrive.
    docker("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        for code in (0, 3, 7, 42):
            r = docker("exec", name, "sh", "-c", f"exit {code}")
            assert r.returncode == code, r.stderr
        for _ in range(3):
            docker("exec", "-d", name, "true", check=True)
        deadline = time.time() + 5
        while zombie_children(daemon.proc.pid) and time.time() < deadline:
            time.sleep(0.1)
        assert zombie_children(daemon.proc.pid) == []
    finally:
        docker("rm", "-f", name)
