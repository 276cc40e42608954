#!/usr/bin/python3
"""Cold pull of a ~200 MB image of several gzip layers from a local docker-registry (plain
HTTP on 127.0.0.1), in one run: `berth pull` (download, verify, unpack), `skopeo copy` to a
directory (download and verify only, no unpacking), and `docker pull` when a dockerd is
reachable at $BENCH_DOCKER_HOST.  Prints medians and ratios.  Needs root; starts its own
berthd and registry and stops them by PID.

  bench/bench_pull.py [--runs N] [--mb 200] [--layers 5] [--build DIR]
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(REPO, "tests", "integration"))


def sha(b):
    return "sha256:" + hashlib.sha256(b).hexdigest()


def make_layout(path, total_mb, layers):
    """An OCI layout whose layers are gzip tars of half-compressible files (like binaries)."""
    os.makedirs(f"{path}/blobs/sha256")
    per = total_mb * 1_000_000 // layers
    descs, diffs = [], []

    def put(b):
        with open(f"{path}/blobs/sha256/{sha(b)[7:]}", "wb") as f:
            f.write(b)
        return {"digest": sha(b), "size": len(b)}
    for i in range(layers):
        buf = io.BytesIO()
        with tarfile.open(fileobj=buf, mode="w") as t:
            for j in range(8):
                data = os.urandom(per // 16) + bytes(per // 16)
                info = tarfile.TarInfo(f"layer{i}/file{j}")
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
        raw = buf.getvalue()
        diffs.append(sha(raw))
        descs.append(dict(put(gzip.compress(raw, compresslevel=1, mtime=0)),
                          mediaType="application/vnd.oci.image.layer.v1.tar+gzip"))
    cfg = json.dumps({"architecture": "amd64", "os": "linux", "config": {"Cmd": ["sh"]},
                      "rootfs": {"type": "layers", "diff_ids": diffs}}).encode()
    m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
         "config": dict(put(cfg), mediaType="application/vnd.oci.image.config.v1+json"),
         "layers": descs}
    md = put(json.dumps(m).encode())
    with open(f"{path}/index.json", "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [dict(md, mediaType=m["mediaType"],
                   annotations={"org.opencontainers.image.ref.name": "v1"})]}, f)
    with open(f"{path}/oci-layout", "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    return sum(d["size"] for d in descs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--mb", type=int, default=200)
    ap.add_argument("--layers", type=int, default=5)
    ap.add_argument("--build", default=os.environ.get("BERTH_BUILD_DIR", os.path.join(REPO, "build")))
    args = ap.parse_args()
    os.environ["BERTH_BUILD_DIR"] = args.build
    from conftest import Daemon  # noqa: E402  (the integration suite's berthd runner)
    from registry import Registry  # noqa: E402

    base = tempfile.mkdtemp(prefix="berth-bench-pull-")
    reg = Registry().start()
    daemon = Daemon(base)
    try:
        daemon.start()
        lay = os.path.join(base, "layout")
        size = make_layout(lay, args.mb, args.layers)
        ref = f"{reg.host}/bench/big:v1"
        subprocess.run(["skopeo", "copy", "--dest-tls-verify=false", f"oci:{lay}:v1", f"docker://{ref}"],
                       check=True, capture_output=True)
        berth = [os.path.join(args.build, "bin", "berth"), "-H", daemon.host]
        results = {}

        def run(name, prepare, cmd):
            samples = []
            for _ in range(args.runs):
                prepare()
                t0 = time.perf_counter()
                r = subprocess.run(cmd, capture_output=True)
                dt = time.perf_counter() - t0
                if r.returncode != 0:
                    raise RuntimeError(f"{name}: {r.stderr.decode(errors='replace')}")
                samples.append(dt)
            results[name] = statistics.median(samples)

        run("berth pull", lambda: subprocess.run(berth + ["rmi", ref], capture_output=True),
            berth + ["pull", "-q", ref])
        dest = os.path.join(base, "skopeo-dir")
        run("skopeo copy (dir, no unpack)", lambda: shutil.rmtree(dest, ignore_errors=True),
            ["skopeo", "copy", "--src-tls-verify=false", f"docker://{ref}", f"dir:{dest}"])
        dh = os.environ.get("BENCH_DOCKER_HOST")
        if dh:
            d = ["docker", "-H", dh]
            run("docker pull", lambda: subprocess.run(d + ["rmi", ref], capture_output=True),
                d + ["pull", "-q", ref])
        print(f"image: {args.layers} layers, {size / 1e6:.0f} MB compressed, {args.runs} cold runs each")
        ours = results["berth pull"]
        for k, v in results.items():
            ratio = "" if k == "berth pull" else f"   berth is {v / ours:.2f}x faster" if v >= ours else f"   berth is {ours / v:.2f}x slower"
            print(f"{k:32s} median {v:6.3f} s{ratio}")
    finally:
        daemon.cleanup()
        reg.cleanup()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
