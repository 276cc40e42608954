"""Issue 4: pull, push, tag, rmi, login and friends against Debian's docker-registry (plain
HTTP, and TLS with htpasswd auth), skopeo and the real docker CLI; malicious layers and
interrupted pulls against an in-process fake registry.  Runs as root; everything started here
is stopped by PID, and the certs.d entries made here are removed.
"""
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time

import pytest

from fake_registry import FakeRegistry, digest
from registry import Registry


@pytest.fixture(scope="module")
def reg():
    r = Registry().start()
    try:
        yield r
    finally:
        r.cleanup()


@pytest.fixture(scope="module")
def tls_reg():
    r = Registry(tls=True, user="berth", password="s3cret").start()
    try:
        yield r
    finally:
        r.cleanup()


@pytest.fixture
def fake():
    f = FakeRegistry().start()
    try:
        yield f
    finally:
        f.stop()


def sha(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def make_layer(files, compress=True):
    """files: name -> bytes (or ('symlink', target), ('hardlink', target)).  Returns (blob, diff_id)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as t:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if isinstance(data, tuple):
                info.type = tarfile.SYMTYPE if data[0] == "symlink" else tarfile.LNKTYPE
                info.linkname = data[1]
                t.addfile(info)
            else:
                info.size = len(data)
                info.mode = 0o755
                t.addfile(info, io.BytesIO(data))
    raw = buf.getvalue()
    blob = gzip.compress(raw, mtime=0) if compress else raw
    return blob, sha(raw)


def busybox_parts(berth):
    """The busybox image's (layer blob, diff_id, config) from `berth save`."""
    out = tempfile.mktemp(suffix=".tar")
    try:
        berth("save", "-o", out, "busybox", check=True)
        with tarfile.open(out) as t:
            idx = json.load(t.extractfile("index.json"))
            mdesc = idx["manifests"][0]
            m = json.load(t.extractfile("blobs/sha256/" + mdesc["digest"][7:]))
            cfg = json.load(t.extractfile("blobs/sha256/" + m["config"]["digest"][7:]))
            layer = t.extractfile("blobs/sha256/" + m["layers"][0]["digest"][7:]).read()
        return layer, cfg["rootfs"]["diff_ids"][0], cfg
    finally:
        if os.path.exists(out):
            os.unlink(out)


def image_config(base_cfg, diff_ids, label="x"):
    cfg = json.loads(json.dumps(base_cfg))
    cfg["rootfs"] = {"type": "layers", "diff_ids": diff_ids}
    cfg.setdefault("config", {})["Labels"] = {"berth.test": label}
    cfg["history"] = [{"created": "2024-01-01T00:00:00Z", "created_by": f"layer {i}"} for i in range(len(diff_ids))]
    return json.dumps(cfg).encode()


def image_id(berth, ref):
    r = berth("image", "inspect", "--format", "{{.Id}}", ref)
    return r.stdout.strip() if r.returncode == 0 else None


def data_root_files(daemon):
    """The store's blobs and layer dirs (to check that a failed pull leaves it as it was)."""
    out = set()
    for sub in ("content/blobs/sha256", "layers", "l"):
        d = os.path.join(daemon.data_root, sub)
        if os.path.isdir(d):
            out |= {sub + "/" + e for e in os.listdir(d)}
    return out


# --- references -------------------------------------------------------------------------------

def test_reference_errors(berth, docker):
    r = berth("pull", "Busybox")
    assert r.returncode != 0
    assert "invalid reference format: repository name (library/Busybox) must be lowercase" in r.stderr
    r = berth("pull", "a::b")
    assert r.returncode != 0 and "invalid reference format" in r.stderr
    r = berth("tag", "busybox", "bad//name")
    assert r.returncode != 0 and "invalid reference format" in r.stderr


def test_search_answers_a_clear_error(daemon):
    r = subprocess.run(["curl", "-s", "-w", "%{http_code}", "--unix-socket", daemon.socket,
                        "http://x/v1.50/images/search?term=busybox"], capture_output=True, text=True)
    assert r.stdout.endswith("501") and "search is not supported" in r.stdout


# --- push and pull against docker-registry -------------------------------------------------------

def test_push_rmi_pull_same_id(berth, reg):
    ref = f"{reg.host}/berth/busybox:1"
    berth("tag", "busybox", ref, check=True)
    want = image_id(berth, "busybox")
    r = berth("push", ref, check=True)
    assert "digest: sha256:" in r.stdout
    # skopeo reads what Berth pushed.
    s = subprocess.run(["skopeo", "inspect", "--tls-verify=false", f"docker://{ref}"],
                       capture_output=True, text=True, check=True)
    assert json.loads(s.stdout)["Architecture"]
    out = tempfile.mkdtemp()
    try:
        subprocess.run(["skopeo", "copy", "--src-tls-verify=false", f"docker://{ref}", f"dir:{out}/img"],
                       capture_output=True, check=True)
        assert os.path.exists(f"{out}/img/manifest.json")
    finally:
        shutil.rmtree(out)
    r = berth("rmi", ref, check=True)
    assert f"Untagged: {ref}" in r.stdout
    assert image_id(berth, ref) is None
    r = berth("pull", ref, check=True)
    assert "Status: " in r.stdout and "Digest: sha256:" in r.stdout
    assert image_id(berth, ref) == want
    r = berth("images", "--digests", check=True)
    assert f"{reg.host}/berth/busybox" in r.stdout and "sha256:" in r.stdout
    r = berth("run", "--rm", ref, "echo", "pulled")
    assert r.stdout == "pulled\n", r.stderr
    berth("rmi", ref)


def test_multi_layer_pull_reuses_present_layers(berth, reg, daemon):
    layer0, diff0, base = busybox_parts(berth)
    extra = [make_layer({f"etc/extra{i}": os.urandom(200_000)}) for i in range(3)]
    layers = [(layer0, diff0)] + extra
    cfg = image_config(base, [d for _, d in layers], "multi")
    # Copy into the registry with skopeo from an OCI layout this test writes.
    lay = tempfile.mkdtemp()
    try:
        os.makedirs(f"{lay}/blobs/sha256")
        def put(b):
            with open(f"{lay}/blobs/sha256/{sha(b)[7:]}", "wb") as f:
                f.write(b)
            return {"digest": sha(b), "size": len(b)}
        m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": dict(put(cfg), mediaType="application/vnd.oci.image.config.v1+json"),
             "layers": [dict(put(b), mediaType="application/vnd.oci.image.layer.v1.tar+gzip") for b, _ in layers]}
        mb = json.dumps(m).encode()
        d = put(mb)
        with open(f"{lay}/index.json", "w") as f:
            json.dump({"schemaVersion": 2, "manifests": [dict(d, mediaType=m["mediaType"], annotations={"org.opencontainers.image.ref.name": "v1"})]}, f)
        with open(f"{lay}/oci-layout", "w") as f:
            f.write('{"imageLayoutVersion":"1.0.0"}')
        ref = f"{reg.host}/berth/multi:v1"
        subprocess.run(["skopeo", "copy", "--dest-tls-verify=false", f"oci:{lay}:v1", f"docker://{ref}"],
                       capture_output=True, check=True)
    finally:
        shutil.rmtree(lay)
    r = berth("pull", ref, check=True)
    # busybox's layer is here already: only the three others come down.
    assert f"{sha(layer0)[7:19]}: Already exists" in r.stdout, r.stdout
    assert r.stdout.count("Pull complete") == 3, r.stdout
    assert berth("run", "--rm", ref, "test", "-f", "/etc/extra2").returncode == 0
    r = berth("history", ref, check=True)
    assert "layer 3" in r.stdout
    r = berth("images", "--filter", "label=berth.test=multi", "--format", "{{.Repository}}:{{.Tag}}", check=True)
    assert r.stdout.strip() == ref
    # Push it elsewhere in the same registry: the blobs mount instead of uploading.
    other = f"{reg.host}/berth/multi-copy:v1"
    berth("tag", ref, other, check=True)
    r = berth("push", other, check=True)
    assert "Mounted from berth/multi" in r.stdout or "Layer already exists" in r.stdout, r.stdout
    berth("rmi", other, check=True)
    r = berth("rmi", ref, check=True)
    assert "Deleted: sha256:" in r.stdout


def test_skopeo_docker_archive_into_registry_pulls_and_runs(berth, reg):
    out = tempfile.mktemp(suffix=".tar")
    try:
        berth("save", "-o", out, "busybox", check=True)
        ref = f"{reg.host}/skopeo/bb:arch"
        subprocess.run(["skopeo", "copy", "--dest-tls-verify=false", f"docker-archive:{out}", f"docker://{ref}"],
                       capture_output=True, check=True)
    finally:
        os.unlink(out)
    berth("pull", ref, check=True)
    assert berth("run", "--rm", ref, "echo", "ok").stdout == "ok\n"
    berth("rmi", ref, check=True)


def test_tls_registry_with_login(berth, tls_reg, daemon, tmp_path):
    env = {"DOCKER_CONFIG": str(tmp_path)}
    ref = f"{tls_reg.host}/secure/bb:1"
    berth("tag", "busybox", ref, check=True)
    r = berth("push", ref, env_extra=env)
    assert r.returncode != 0 and ("unauthorized" in r.stderr.lower() or "authentication" in r.stderr.lower()), r.stderr
    r = berth("login", "-u", "berth", "--password-stdin", tls_reg.host, input="wrong\n", env_extra=env)
    assert r.returncode != 0 and "401" in r.stderr
    r = berth("login", "-u", "berth", "--password-stdin", tls_reg.host, input="s3cret\n", env_extra=env)
    assert r.returncode == 0 and "Login Succeeded" in r.stdout, r.stderr
    cfg = json.load(open(tmp_path / "config.json"))
    assert cfg["auths"][tls_reg.host]["auth"] == "YmVydGg6czNjcmV0"
    berth("push", ref, env_extra=env, check=True)
    berth("rmi", ref, check=True)
    berth("pull", ref, env_extra=env, check=True)
    assert image_id(berth, ref) == image_id(berth, "busybox")
    r = berth("logout", tls_reg.host, env_extra=env, check=True)
    assert "Removing login credentials" in r.stdout
    berth("rmi", ref, check=True)


def test_docker_cli_pull_push_images_rmi(docker, reg):
    ref = f"{reg.host}/dockercli/bb:1"
    docker("tag", "busybox", ref, check=True)
    docker("push", ref, check=True)
    docker("rmi", ref, check=True)
    r = docker("pull", ref, check=True)
    assert "Digest: sha256:" in r.stdout
    r = docker("images", "--digests", check=True)
    assert "dockercli/bb" in r.stdout
    r = docker("run", "--rm", ref, "echo", "hi")
    assert r.stdout == "hi\n", r.stderr
    r = docker("rmi", ref, check=True)
    assert "Untagged" in r.stdout


def test_rmi_conflicts_and_force(berth, name):
    berth("tag", "busybox", "conflict/a:1", check=True)
    berth("tag", "busybox", "conflict/b:1", check=True)
    short = image_id(berth, "busybox")[7:19]
    r = berth("rmi", short)
    assert r.returncode == 1 and "image is referenced in multiple repositories" in r.stderr
    berth("create", "--name", name, "conflict/a:1", check=True)
    try:
        r = berth("rmi", "conflict/a:1", check=True)
        assert r.stdout.strip() == "Untagged: conflict/a:1"
        berth("rmi", "conflict/b:1", check=True)
    finally:
        berth("rm", "-f", name)
    assert image_id(berth, "busybox")


def test_system_df_and_prune(berth):
    r = berth("system", "df", check=True)
    assert r.stdout.startswith("TYPE") and "Images" in r.stdout
    r = berth("image", "prune", "-f", check=True)
    assert "Total reclaimed space" in r.stdout
    assert image_id(berth, "busybox")


# --- malicious and interrupted pulls ------------------------------------------------------------

@pytest.mark.parametrize("case", ["traversal", "symlink", "hardlink", "digest", "truncated", "missing"])
def test_malicious_pull_fails_cleanly(berth, daemon, fake, case):
    layer0, diff0, base = busybox_parts(berth)
    served, omit = {}, ()
    if case == "traversal":
        bad, diff = make_layer({"../../escape": b"x"})
    elif case == "symlink":
        bad, diff = make_layer({"link": ("symlink", "/etc"), "link/passwd": b"x"})
    elif case == "hardlink":
        bad, diff = make_layer({"h": ("hardlink", "../../../etc/passwd")})
    else:
        bad, diff = make_layer({"ok": b"fine" * 1000})
    if case == "digest":
        served = {sha(bad): make_layer({"other": b"y"})[0]}
    elif case == "truncated":
        served = {sha(bad): bad[: len(bad) // 2]}
    elif case == "missing":
        omit = (sha(bad),)
    fake.add_image("evil/img", "1", image_config(base, [diff0, diff]), [layer0, bad], served=served, omit=omit)
    berth("run", "--rm", "busybox", "true", check=True)  # busybox's layer unpacked beforehand
    before = data_root_files(daemon)
    r = berth("pull", f"{fake.host}/evil/img:1")
    assert r.returncode == 1
    expect = {"traversal": "escapes the layer", "symlink": "symlink", "hardlink": "escapes the layer",
              "digest": "verification failed", "truncated": "verification failed",
              "missing": "blob unknown"}[case]
    assert expect in r.stderr, r.stderr
    assert image_id(berth, f"{fake.host}/evil/img:1") is None
    assert data_root_files(daemon) == before
    assert not [f for f in os.listdir(os.path.join(daemon.data_root, "content/ingest"))]


def test_interrupted_pull_then_retry(berth, daemon, fake):
    layer0, diff0, base = busybox_parts(berth)
    big, diff = make_layer({"big": os.urandom(3_000_000)}, compress=False)
    fake.add_image("cut/img", "1", image_config(base, [diff0, diff]), [layer0, big])
    fake.cut_after[sha(big)] = 1_000_000  # the connection drops a third of the way in
    ref = f"{fake.host}/cut/img:1"
    r = berth("pull", ref)
    assert r.returncode == 1 and image_id(berth, ref) is None
    assert not os.listdir(os.path.join(daemon.data_root, "content/ingest"))
    del fake.cut_after[sha(big)]
    berth("pull", ref, check=True)
    assert image_id(berth, ref)
    assert berth("run", "--rm", ref, "ls", "-l", "/big").returncode == 0
    berth("rmi", ref, check=True)


def test_platform_selection_from_index(berth, fake):
    layer0, diff0, base = busybox_parts(berth)
    cfg = image_config(base, [diff0], "amd")
    mdig = fake.add_image("multi/arch", "amd", cfg, [layer0])
    bogus = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + "0" * 64, "size": 2},
             "layers": []}
    bb = json.dumps(bogus).encode()
    fake.manifests[("multi/arch", digest(bb))] = ("application/vnd.oci.image.manifest.v1+json", bb)
    fake.manifests[("multi/arch", mdig)] = fake.manifests[("multi/arch", "amd")]
    host = os.uname().machine
    arch = {"x86_64": "amd64", "aarch64": "arm64"}.get(host, host)
    idx = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
           "manifests": [
               {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": digest(bb), "size": len(bb),
                "platform": {"os": "linux", "architecture": "s390x"}},
               {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": mdig,
                "size": len(fake.manifests[("multi/arch", "amd")][1]), "platform": {"os": "linux", "architecture": arch}}]}
    ib = json.dumps(idx).encode()
    fake.manifests[("multi/arch", "latest")] = ("application/vnd.oci.image.index.v1+json", ib)
    r = berth("pull", "--platform", "linux/ppc64le", f"{fake.host}/multi/arch")
    assert r.returncode == 1 and "no matching manifest for linux/ppc64le" in r.stderr
    berth("pull", f"{fake.host}/multi/arch", check=True)
    r = berth("images", "--digests", "--format", "{{.Digest}}", f"{fake.host}/multi/arch")
    assert digest(ib) in r.stdout
    berth("rmi", f"{fake.host}/multi/arch", check=True)
