"""The Dockerfile builder: the tests/dockerfiles corpus (each image run and inspected), the docker CLI's
classic builder against berthd, the cache proofs, bad input and .dockerignore."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import http.server
import uuid

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(REPO, "tests", "dockerfiles")


@pytest.fixture
def tags(berth):
    made = []

    def new(prefix="bt"):
        t = f"{prefix}-{uuid.uuid4().hex[:8]}:latest"
        made.append(t)
        return t
    yield new
    for t in made:
        berth("rmi", "-f", t)


def inspect(berth, ref):
    r = berth("image", "inspect", ref, check=True)
    return json.loads(r.stdout)[0]


def run(berth, ref, *cmd):
    r = berth("run", "--rm", ref, *cmd)
    return r


def build(berth, ctx, *args, check=True, input=None):
    return berth("build", *args, ctx, check=check, input=input, timeout=180)


def test_basic_corpus(berth, tags):
    t = tags()
    r = build(berth, os.path.join(CORPUS, "basic"), "-t", t, "--build-arg", "GREETING=hi",
              "--label", "extra=yes")
    assert "Successfully tagged" in r.stdout
    img = inspect(berth, t)
    c = img["Config"]
    assert "APP_HOME=/app" in c["Env"] and "MODE=prod mode" in c["Env"]
    assert c["Labels"]["org.example.title"] == 'Basic "case"'
    assert c["Labels"]["version"] == "1.0"
    assert c["Labels"]["maintainer"] == "Jane <jane@example.com>"
    assert c["Labels"]["extra"] == "yes"
    assert c["WorkingDir"] == "/app/sub"
    assert set(c["ExposedPorts"]) == {"80/tcp", "8080/udp"}
    assert "/data" in c["Volumes"]
    assert c["User"] == "1000:1000"
    assert c["StopSignal"] == "SIGUSR1"
    assert c["Healthcheck"]["Test"] == ["CMD-SHELL", "true"]
    assert c["Healthcheck"]["Interval"] == 5_000_000_000 and c["Healthcheck"]["Retries"] == 2
    assert c["OnBuild"] == ["RUN echo onbuild > /tmp/onbuild.txt"]
    assert c["Entrypoint"] == ["/bin/sh", "-c"] and c["Cmd"] == ["cat /greeting"]
    # GREETING came from --build-arg and is not in the image's environment.
    assert not any(e.startswith("GREETING=") for e in c["Env"])
    out = run(berth, t)
    assert out.stdout == "hi from prod mode\n", out.stderr
    hist = berth("history", "--no-trunc", "--format", "{{.CreatedBy}}", t, check=True).stdout
    assert "|1 GREETING=hi /bin/sh -c echo" in hist
    # An ONBUILD trigger runs in a child build.
    child = tags()
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write(f"FROM {t}\nUSER 0\nENTRYPOINT []\nCMD [\"cat\", \"/tmp/onbuild.txt\"]\n")
        build(berth, d, "-t", child)
        assert run(berth, child).stdout == "onbuild\n"
        assert inspect(berth, child)["Config"].get("OnBuild") in (None, [])
    finally:
        shutil.rmtree(d)


def test_multistage_only_needed_stages(berth, tags):
    t = tags()
    r = build(berth, os.path.join(CORPUS, "multistage"), "-t", t)
    assert "exit 7" not in r.stdout  # the unused stage is never built
    assert run(berth, t).stdout == "compiled\nother\n"
    # --target builds that stage (and fails here: the stage exits 7).
    t2 = tags()
    r = build(berth, os.path.join(CORPUS, "multistage"), "-t", t2, "--target", "unused", check=False)
    assert r.returncode != 0 and "returned a non-zero code: 7" in r.stderr
    assert berth("image", "inspect", t2).returncode != 0


def test_copy_semantics(berth, tags):
    t = tags()
    build(berth, os.path.join(CORPUS, "copy"), "-t", t)
    def sh(cmd):
        r = run(berth, t, "sh", "-c", cmd)
        assert r.returncode == 0, r.stderr
        return r.stdout
    assert sh("ls /wild") == "a.txt\nb.txt\n"
    assert sh("ls /class") == "a.txt\nb.txt\n"
    assert sh("cat /copied-dir/x.txt /copied-dir/nested/n.txt /copied-dir2/x.txt") == "x\nn\nx\n"
    assert sh("cat /renamed.txt") == "a\n"
    assert sh("cat /owned.stat") == "1000:1000 640\n"
    assert sh("cat '/json form/c.md'") == "c\n"
    assert sh("ls /excl") == "a.txt\narch.tar.gz\nb.txt\ndir\n"
    assert sh("cat /extracted/inner/file.txt") == "from-tar\n"


def test_heredocs(berth, tags):
    t = tags()
    build(berth, os.path.join(CORPUS, "heredoc"), "-t", t)
    assert run(berth, t).stdout == "one\ntwo\nkey=value\nliteral $HOME\n"


def test_dockerignore(berth, tags):
    t = tags()
    build(berth, os.path.join(CORPUS, "ignore"), "-t", t)
    files = sorted(run(berth, t).stdout.split())
    assert files == ["/ctx/.dockerignore", "/ctx/Dockerfile", "/ctx/keep/file",
                     "/ctx/logs/important.log"]


def test_docker_cli_classic_builder(docker, tags, daemon):
    t = tags()
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nCOPY msg /msg\nRUN echo ran >> /log\nCMD [\"cat\", \"/msg\", \"/log\"]\n")
        with open(os.path.join(d, "msg"), "w") as f:
            f.write("from docker\n")
        env = dict(os.environ, DOCKER_BUILDKIT="0", DOCKER_HOST=daemon.host,
                   DOCKER_CONFIG=os.path.join(daemon.base, "docker-config"))
        r = subprocess.run(["docker", "build", "-t", t, "--iidfile", os.path.join(d, "iid"), d],
                           capture_output=True, text=True, env=env, timeout=180)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "Successfully tagged" in r.stdout
        iid = open(os.path.join(d, "iid")).read().strip()
        assert iid.startswith("sha256:")
        out = docker("run", "--rm", t, check=True)
        assert out.stdout == "from docker\nran\n"
        r = subprocess.run(["docker", "build", "-q", "-t", t, d], capture_output=True, text=True,
                           env=env, timeout=180)
        assert r.returncode == 0 and r.stdout.strip() == iid, r.stdout + r.stderr
    finally:
        shutil.rmtree(d)


def test_cache(berth, tags, daemon):
    t = tags()
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nCOPY a /a\nRUN date +%s%N > /stamp\nCOPY b /b\nRUN cat /a /b > /ab\n")
        for n in "ab":
            with open(os.path.join(d, n), "w") as f:
                f.write(n + "\n")
        first = build(berth, d, "-t", t)
        assert "Running in" in first.stdout
        id1 = inspect(berth, t)["Id"]
        second = build(berth, d, "-t", t)
        assert "Running in" not in second.stdout and second.stdout.count("Using cache") == 4
        assert inspect(berth, t)["Id"] == id1
        # mtime only: still cached.
        os.utime(os.path.join(d, "a"), (1, 1))
        third = build(berth, d, "-t", t)
        assert "Running in" not in third.stdout and inspect(berth, t)["Id"] == id1
        # one file changes: exactly the steps after it rerun.
        stamp = run(berth, t, "cat", "/stamp").stdout
        with open(os.path.join(d, "b"), "w") as f:
            f.write("B\n")
        fourth = build(berth, d, "-t", t)
        assert fourth.stdout.count("Using cache") == 2 and fourth.stdout.count("Running in") == 1
        assert run(berth, t, "cat", "/stamp").stdout == stamp
        assert run(berth, t, "cat", "/ab").stdout == "a\nB\n"
        # --no-cache runs everything again.
        fifth = build(berth, d, "-t", t, "--no-cache")
        assert fifth.stdout.count("Running in") == 2 and "Using cache" not in fifth.stdout
        # The cache survives a daemon restart.
        daemon.stop()
        daemon.start()
        sixth = build(berth, d, "-t", t)
        assert "Running in" not in sixth.stdout
        # builder prune empties it.
        assert berth("builder", "prune", "-f", check=True).returncode == 0
        seventh = build(berth, d, "-t", t)
        assert seventh.stdout.count("Running in") == 2
    finally:
        shutil.rmtree(d)


def test_reproducible_with_source_date_epoch(berth, tags):
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nCOPY f /f\nRUN echo x > /x\nENV A=b\n")
        with open(os.path.join(d, "f"), "w") as f:
            f.write("f\n")
        ids = []
        for _ in range(2):
            t = tags()
            build(berth, d, "-t", t, "--no-cache", "--build-arg", "SOURCE_DATE_EPOCH=1700000000")
            ids.append(inspect(berth, t)["Id"])
        assert ids[0] == ids[1]
    finally:
        shutil.rmtree(d)


@pytest.mark.parametrize("dockerfile,message", [
    ("FROM busybox\nFOO bar\n", "Dockerfile:2:1: unknown instruction: FOO"),
    ("FROM busybox\nCOPY missing /x\n", "Dockerfile:2:1: COPY failed: file not found"),
    ("FROM busybox\nRUN exit 3\n", "Dockerfile:2:1: The command '/bin/sh -c exit 3' returned a non-zero code: 3"),
    ("FROM busybox\nARG\n", "Dockerfile:2:1: ARG requires exactly one argument"),
    ("FROM busybox AS a\nCOPY --from=b /x /x\nFROM busybox AS b\nCOPY --from=a /y /y\n",
     "circular dependency detected on stage"),
])
def test_bad_input(berth, tags, dockerfile, message):
    t = tags()
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write(dockerfile)
        r = build(berth, d, "-t", t, check=False)
        assert r.returncode != 0
        assert message in r.stderr, r.stderr
        assert berth("image", "inspect", t).returncode != 0
    finally:
        shutil.rmtree(d)


def test_dockerfile_outside_context_and_stdin(berth, tags):
    t = tags()
    d = tempfile.mkdtemp()
    df = tempfile.NamedTemporaryFile("w", suffix=".Dockerfile", delete=False)
    try:
        with open(os.path.join(d, "hello"), "w") as f:
            f.write("hi\n")
        df.write("FROM busybox\nCOPY hello /hello\nCMD [\"cat\", \"/hello\"]\n")
        df.close()
        build(berth, d, "-f", df.name, "-t", t)
        assert run(berth, t).stdout == "hi\n"
        t2 = tags()
        r = berth("build", "-t", t2, "-", input="FROM busybox\nCMD [\"echo\", \"stdin\"]\n", check=True)
        assert run(berth, t2).stdout == "stdin\n"
    finally:
        shutil.rmtree(d)
        os.unlink(df.name)


def test_add_url(berth, tags):
    d = tempfile.mkdtemp()
    srv_dir = tempfile.mkdtemp()
    with open(os.path.join(srv_dir, "payload.txt"), "w") as f:
        f.write("over http\n")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=srv_dir, **k)
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    th = threading.Thread(target=httpd.serve_forever, daemon=True)
    th.start()
    try:
        port = httpd.server_address[1]
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write(f"FROM busybox\nADD http://127.0.0.1:{port}/payload.txt /dl/\nCMD [\"cat\", \"/dl/payload.txt\"]\n")
        t = tags()
        build(berth, d, "-t", t)
        assert run(berth, t).stdout == "over http\n"
    finally:
        httpd.shutdown()
        httpd.server_close()
        shutil.rmtree(d)
        shutil.rmtree(srv_dir)


def test_run_mounts_and_cache_proof(berth, tags):
    """A RUN appending to a cache mount proves whether it ran: the cached rebuild appends nothing."""
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\n"
                    "RUN --mount=type=cache,target=/cache echo run >> /cache/log && wc -l < /cache/log > /count\n"
                    "RUN --mount=type=bind,source=data,target=/mnt cat /mnt/v > /from-bind\n"
                    "RUN --mount=type=tmpfs,target=/scratch touch /scratch/x && test ! -e /x\n"
                    "RUN --network=none echo offline > /net\n")
        os.makedirs(os.path.join(d, "data"))
        with open(os.path.join(d, "data", "v"), "w") as f:
            f.write("bound\n")
        t = tags()
        build(berth, d, "-t", t)
        assert run(berth, t, "cat", "/count", "/from-bind", "/net").stdout.split() == ["1", "bound", "offline"]
        r = build(berth, d, "-t", t)
        assert "Running in" not in r.stdout
        build(berth, d, "-t", t, "--no-cache")
        assert run(berth, t, "cat", "/count").stdout.strip() == "2"  # ran exactly twice in all
    finally:
        shutil.rmtree(d)


def test_output_local_and_tar(berth, tags):
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox AS b\nRUN echo art > /artifact\nFROM scratch\nCOPY --from=b /artifact /artifact\n")
        out = os.path.join(d, "out")
        build(berth, d, "-o", f"type=local,dest={out}")
        assert open(os.path.join(out, "artifact")).read() == "art\n"
        tarpath = os.path.join(d, "out.tar")
        build(berth, d, "--output", f"type=tar,dest={tarpath}")
        import tarfile
        with tarfile.open(tarpath) as tf:
            assert "artifact" in [m.name.lstrip("./") for m in tf.getmembers()]
    finally:
        shutil.rmtree(d)


def test_cache_from_a_saved_and_loaded_image(berth, docker, tags, daemon):
    """--cache-from: the image's history and layers replace a pruned cache (berth, then the docker
    CLI's classic builder); no RUN executes and the result is the same image."""
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nCOPY a /a\nRUN date +%s%N > /stamp\nENV X=1\n"
                    "RUN cat /a /stamp > /both\nCMD [\"cat\", \"/both\"]\n")
        with open(os.path.join(d, "a"), "w") as f:
            f.write("a\n")
        t = tags()
        first = build(berth, d, "-t", t)
        assert first.stdout.count("Running in") == 2
        img = inspect(berth, t)
        both = run(berth, t).stdout
        tar = os.path.join(d, "img.tar")
        env = dict(os.environ, DOCKER_BUILDKIT="0", DOCKER_HOST=daemon.host,
                   DOCKER_CONFIG=os.path.join(daemon.base, "docker-config"))
        for client in ("berth", "docker"):
            berth("save", "-o", tar, t, check=True)
            berth("rmi", t, check=True)
            berth("builder", "prune", "-a", "-f", check=True)
            assert berth("image", "inspect", img["Id"]).returncode != 0
            berth("load", "-i", tar, check=True)
            if client == "berth":
                r = build(berth, d, "-t", t, "--cache-from", t)
                out = r.stdout
            else:
                r = subprocess.run(["docker", "build", "--cache-from", t, "-t", t, d],
                                   capture_output=True, text=True, env=env, timeout=180)
                assert r.returncode == 0, r.stdout + r.stderr
                out = r.stdout
            assert "Running in" not in out and out.count("Using cache") == 5, out
            again = inspect(berth, t)
            assert again["Id"] == img["Id"] and again["Config"] == img["Config"]
            assert run(berth, t).stdout == both
        # Without a cache source (cache pruned, image untagged) the RUN steps run again.
        berth("rmi", t, check=True)
        berth("builder", "prune", "-a", "-f", check=True)
        assert build(berth, d, "-t", t).stdout.count("Running in") == 2
    finally:
        shutil.rmtree(d)


def test_intermediate_images_hidden_and_pruned_with_their_child(berth, docker, tags):
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write(f"FROM busybox\nRUN echo {uuid.uuid4().hex} > /one\nENV A=1\nRUN echo 2 > /two\n")
        t = tags()
        build(berth, d, "-t", t)
        chain = []
        p = inspect(berth, t)["Parent"]
        while p and p != inspect(berth, "busybox")["Id"]:
            chain.append(p)
            p = inspect(berth, p)["Parent"]
        assert len(chain) == 2  # ENV and the first RUN
        shown = berth("images", "-q", "--no-trunc", check=True).stdout.split()
        everything = berth("images", "-a", "-q", "--no-trunc", check=True).stdout.split()
        dangling = berth("images", "-q", "--no-trunc", "-f", "dangling=true", check=True).stdout.split()
        assert inspect(berth, t)["Id"] in shown
        for i in chain:
            assert i not in shown and i not in dangling and i in everything
        # The docker CLI sees the same.
        assert not set(chain) & set(docker("images", "-q", "--no-trunc", check=True).stdout.split())
        assert set(chain) <= set(docker("images", "-a", "-q", "--no-trunc", check=True).stdout.split())
        # An image others are built on is not deleted, even forced (dockerd's hard conflict).
        for tool in (berth, docker):
            r = tool("rmi", "-f", chain[0])
            assert r.returncode == 1
            assert ("conflict: unable to delete " + chain[0][7:19] +
                    " (cannot be forced) - image has dependent child images") in r.stderr
        # Removing the result removes its untagged parents.
        out = berth("rmi", t, check=True).stdout
        for i in chain:
            assert "Deleted: " + i in out
            assert berth("image", "inspect", i).returncode != 0
    finally:
        shutil.rmtree(d)


def test_run_secret_mounts(berth, tags, daemon):
    """--secret: readable by the RUN steps that mount it (file, custom target and mode, env), and
    nowhere afterwards: not in the image, its save archive, its history or the data root's
    layers and blobs."""
    import hashlib
    d = tempfile.mkdtemp()
    secret = "s3cr3t-" + uuid.uuid4().hex
    digest = hashlib.sha256(secret.encode()).hexdigest()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\n"
                    "RUN --mount=type=secret,id=tok sha256sum /run/secrets/tok | cut -c1-64 > /hash\n"
                    "RUN --mount=type=secret,id=tok,target=/etc/app/key,mode=0440,uid=1000,gid=1000 "
                    "stat -c '%a %u %g' /etc/app/key > /stat\n"
                    "RUN --mount=type=secret,id=tok,env=TOK echo -n \"$TOK\" | sha256sum | cut -c1-64 > /envhash\n"
                    "RUN --mount=type=secret,id=absent test ! -e /run/secrets/absent\n")
        with open(os.path.join(d, "tok.txt"), "w") as f:
            f.write(secret)
        t = tags()
        build(berth, d, "-t", t, "--secret", f"id=tok,src={os.path.join(d, 'tok.txt')}")
        assert run(berth, t, "cat", "/hash", "/envhash").stdout.split() == [digest, digest]
        assert run(berth, t, "cat", "/stat").stdout == "440 1000 1000\n"
        # Gone from the image: the files and the mount points made for them.
        assert run(berth, t, "cat", "/run/secrets/tok").returncode != 0
        assert run(berth, t, "sh", "-c", "test ! -e /run/secrets && test ! -e /etc/app").returncode == 0
        tar = os.path.join(d, "img.tar")
        berth("save", "-o", tar, t, check=True)
        assert secret.encode() not in open(tar, "rb").read()
        assert secret not in berth("history", "--no-trunc", t, check=True).stdout
        assert secret not in json.dumps(inspect(berth, t))
        for root, _, files in os.walk(daemon.data_root):
            for n in files:
                if n.startswith("berth.db"):
                    continue  # the step container's record (env=) is deleted with it
                p = os.path.join(root, n)
                if os.path.isfile(p) and not os.path.islink(p):
                    with open(p, "rb") as fh:
                        assert secret.encode() not in fh.read(), p
        # The secret from the CLI's environment; the cache does not depend on its value.
        r = build(berth, d, "-t", t, "--secret", "id=tok,env=BT_TOKEN", check=False)
        assert r.returncode != 0 and "BT_TOKEN" in r.stderr
        r = berth("build", "-t", t, "--secret", "id=tok,env=BT_TOKEN", d, check=True,
                  env_extra={"BT_TOKEN": "other"})
        assert "Running in" not in r.stdout
        # A required secret that was not given: a clear error, nothing tagged.
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nRUN --mount=type=secret,id=nope,required=true true\n")
        t2 = tags()
        r = build(berth, d, "-t", t2, check=False)
        assert r.returncode != 0 and "Dockerfile:2:1: secret nope: not found" in r.stderr, r.stderr
        assert berth("image", "inspect", t2).returncode != 0
    finally:
        shutil.rmtree(d)


def test_add_https_url(berth, tags, daemon, tmp_path, monkeypatch):
    """ADD over HTTPS with verified TLS (the daemon trusts the test CA through SSL_CERT_FILE, as
    Go's dockerd would), Docker's file metadata (mode 600, mtime from Last-Modified, name from the
    URL) and --checksum."""
    import hashlib
    import ssl
    from registry import make_ca_and_cert
    ca, crt, key = make_ca_and_cert(str(tmp_path))
    srv_dir = tmp_path / "srv"
    srv_dir.mkdir()
    payload = srv_dir / "payload.bin"
    payload.write_bytes(b"over https\n")
    os.utime(payload, (1600000000, 1600000000))  # SimpleHTTPRequestHandler's Last-Modified
    digest = "sha256:" + hashlib.sha256(b"over https\n").hexdigest()
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(srv_dir), **k)
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(crt, key)
    httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    th = threading.Thread(target=httpd.serve_forever, daemon=True)
    th.start()
    ctx = tmp_path / "ctx"
    ctx.mkdir()
    url = f"https://127.0.0.1:{httpd.server_address[1]}/payload.bin"
    try:
        (ctx / "Dockerfile").write_text(
            f"FROM busybox\nADD {url} /dl/\nADD --checksum={digest} {url} /named\n")
        t = tags()
        # An unknown CA is refused: verification is never turned off.
        r = build(berth, str(ctx), "-t", t, check=False)
        assert r.returncode != 0 and "certificate" in r.stderr.lower(), r.stderr
        monkeypatch.setenv("SSL_CERT_FILE", ca)
        daemon.stop()
        daemon.start()
        build(berth, str(ctx), "-t", t)
        out = run(berth, t, "sh", "-c", "stat -c '%a %Y' /dl/payload.bin /named; cat /dl/payload.bin /named")
        assert out.stdout == "600 1600000000\n600 1600000000\nover https\nover https\n", out.stderr
        (ctx / "Dockerfile").write_text(
            f"FROM busybox\nADD --checksum=sha256:{'0' * 64} {url} /named\n")
        r = build(berth, str(ctx), "-t", tags(), check=False)
        assert r.returncode != 0 and f"digest mismatch sha256:{'0' * 64}: {digest}" in r.stderr, r.stderr
    finally:
        httpd.shutdown()
        httpd.server_close()
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        if os.environ.get("SSL_CERT_FILE") is None:
            daemon.stop()
            daemon.start()


def test_squash(berth, tags):
    """--squash: the base image's layers plus one, the build's history kept as empty layers under
    a "merge" entry, files deleted by a later step gone."""
    d = tempfile.mkdtemp()
    try:
        with open(os.path.join(d, "Dockerfile"), "w") as f:
            f.write("FROM busybox\nRUN echo a > /a && echo x > /gone && mkdir -p /etc/sq\n"
                    "RUN rm /gone && echo b > /b && rm /bin/true\nENV S=1\nCOPY f /etc/sq/f\n")
        with open(os.path.join(d, "f"), "w") as f:
            f.write("f\n")
        t = tags()
        build(berth, d, "-t", t, "--squash")
        img, base = inspect(berth, t), inspect(berth, "busybox")
        layers, base_layers = img["RootFS"]["Layers"], base["RootFS"]["Layers"]
        assert len(layers) == len(base_layers) + 1 and layers[:-1] == base_layers
        assert img["Parent"] == base["Id"]
        assert "S=1" in img["Config"]["Env"]
        hist = berth("history", "--no-trunc", "--format", "{{.Size}}|{{.Comment}}|{{.CreatedBy}}", t,
                     check=True).stdout.splitlines()
        base_hist = berth("history", "-q", "busybox", check=True).stdout.splitlines()
        assert len(hist) == len(base_hist) + 5
        assert hist[0].split("|")[1].startswith("merge sha256:") and hist[0].endswith(" to " + base["Id"] + "|")
        assert all(h.split("|")[0] in ("0B", "0") for h in hist[1:5]), hist
        assert hist[0].split("|")[0].endswith("kB")  # the changes (kB), not busybox again (MB)
        r = run(berth, t, "sh", "-c", "cat /a /b /etc/sq/f && test ! -e /gone && test ! -e /bin/true && echo $S")
        assert r.stdout == "a\nb\nf\n1\n", r.stdout + r.stderr
    finally:
        shutil.rmtree(d)
