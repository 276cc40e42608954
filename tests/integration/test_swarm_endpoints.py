"""Docker fidelity (issue 12, item 10): Swarm's endpoints on a node in no swarm answer dockerd's
503s, through the real docker CLI and the Python SDK."""
import subprocess

import pytest

NOT_MANAGER = ('This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" '
               'to connect this node to swarm and try again.')


def sdk(daemon, body):
    code = "import docker, json\nc = docker.DockerClient(base_url=%r)\n" % daemon.host + body
    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stdout + r.stderr + daemon.log()


@pytest.mark.parametrize("args", [["node", "ls"], ["service", "ls"], ["secret", "ls"],
                                  ["config", "ls"], ["service", "ps", "x"], ["node", "inspect", "x"],
                                  ["secret", "rm", "x"]])
def test_swarm_manager_commands_without_swarm(docker, args):
    r = docker(*args)
    assert r.returncode == 1
    assert r.stderr.strip() == "Error response from daemon: " + NOT_MANAGER, r.stderr


def test_swarm_leave_without_swarm(docker):
    r = docker("swarm", "leave")
    assert r.returncode == 1
    assert r.stderr.strip() == "Error response from daemon: This node is not part of a swarm"


def test_swarm_sdk_without_swarm(daemon):
    sdk(daemon, f"""
import docker.errors
# docker-py's Swarm model takes a 503 from GET /swarm for "not in a swarm" (as from dockerd).
assert c.swarm.attrs == {{}}, c.swarm.attrs
for call in (lambda: c.swarm.reload(), lambda: c.api.inspect_swarm(), lambda: c.nodes.list(),
             lambda: c.services.list(), lambda: c.secrets.list(), lambda: c.configs.list(),
             lambda: c.api.tasks(), lambda: c.api.unlock_swarm('x'),
             lambda: c.api.get_unlock_key(), lambda: c.api.inspect_service('x'),
             lambda: c.api.create_secret('s', b'x'), lambda: c.api.remove_node('x')):
    try:
        call()
        raise AssertionError('no error')
    except docker.errors.APIError as e:
        assert e.status_code == 503, e
        assert e.explanation == {NOT_MANAGER!r}, e.explanation
try:
    c.swarm.leave()
    raise AssertionError('no error')
except docker.errors.APIError as e:
    assert e.status_code == 503 and e.explanation == 'This node is not part of a swarm', e
assert c.info()['Swarm']['LocalNodeState'] == 'inactive'
print('ok')
""")
