"""The Python docker SDK (Debian's python3-docker) against berthd for the calls the other files do
not make: containers.create/start/attach/stop/reload/rename, images.build, and low-level
create_container with host_config. Each call's result is asserted."""
import subprocess


def sdk(daemon, body):
    code = "import docker, io, json\nc = docker.DockerClient(base_url=%r)\n" % daemon.host + body
    r = subprocess.run(["/usr/bin/python3", "-c", code], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stdout + r.stderr + daemon.log()


def test_sdk_create_start_attach_stop(daemon, name):
    sdk(daemon, f"""
ctr = c.containers.create('busybox', ['sh', '-c',
    "trap 'echo bye; exit 0' TERM; echo hello; while true; do sleep 0.1; done"],
    name={name!r}, labels={{'k': 'v'}}, environment={{'A': '1'}})
try:
    assert ctr.status == 'created', ctr.status
    ctr.start()
    out = ctr.attach(stream=True, logs=True)
    buf = b''
    for chunk in out:
        buf += chunk
        if b'hello' in buf:
            break
    assert buf == b'hello\\n', buf
    ctr.stop(timeout=5)
    ctr.reload()
    assert ctr.status == 'exited' and ctr.attrs['State']['ExitCode'] == 0, ctr.attrs['State']
    assert ctr.logs() == b'hello\\nbye\\n', ctr.logs()
    assert ctr.labels == {{'k': 'v'}} and 'A=1' in ctr.attrs['Config']['Env']
    ctr.rename({name!r} + '-renamed')
    ctr.reload()
    assert ctr.name == {name!r} + '-renamed'
finally:
    ctr.remove(force=True)
print('ok')
""")


def test_sdk_low_level_host_config(daemon, name):
    sdk(daemon, f"""
api = c.api
hc = api.create_host_config(mem_limit='64m', cap_drop=['ALL'], cap_add=['CHOWN'],
                            read_only=True, tmpfs={{'/scratch': 'size=1m'}})
cid = api.create_container('busybox', ['sh', '-c', 'touch /x 2>/dev/null || echo ro; '
                           'df -k /scratch | tail -1; grep CapEff /proc/self/status'],
                           host_config=hc, name={name!r})['Id']
try:
    api.start(cid)
    assert api.wait(cid)['StatusCode'] == 0
    out = api.logs(cid).decode()
    lines = out.splitlines()
    assert lines[0] == 'ro', out
    assert lines[1].split()[1] == '1024', out
    assert lines[2].split() == ['CapEff:', '0000000000000001'], out
    info = api.inspect_container(cid)
    assert info['HostConfig']['Memory'] == 64 * 1024 * 1024
    assert info['HostConfig']['ReadonlyRootfs'] is True
finally:
    api.remove_container(cid, force=True)
print('ok')
""")


def test_sdk_images_build(daemon, name):
    tag = name.lower() + ':sdk'
    sdk(daemon, f"""
df = b'FROM busybox\\nARG WHO=world\\nRUN echo "hello $WHO" > /greeting\\nCMD ["cat", "/greeting"]\\n'
img, logs = c.images.build(fileobj=io.BytesIO(df), tag={tag!r}, buildargs={{'WHO': 'sdk'}}, rm=True)
try:
    lines = [l.get('stream', '') for l in logs]
    assert any('Successfully built' in l for l in lines), lines
    assert {tag!r} in img.tags
    assert c.containers.run({tag!r}, remove=True) == b'hello sdk\\n'
finally:
    c.images.remove({tag!r}, force=True)
print('ok')
""")
