"""Debian's docker-registry (distribution 2.8) for the image tests: plain HTTP on 127.0.0.1, or
TLS from a CA this helper makes plus htpasswd (basic) auth.  Each registry has its own temp
root and port and is stopped by the PID this helper started, never by name.
"""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
import ssl

REGISTRY = shutil.which("docker-registry") or "/usr/bin/docker-registry"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_ca_and_cert(d, host="127.0.0.1"):
    """A CA and a server certificate for `host` (IP SAN), signed by it."""
    ca_key, ca_crt = os.path.join(d, "ca.key"), os.path.join(d, "ca.crt")
    key, csr, crt = (os.path.join(d, n) for n in ("server.key", "server.csr", "server.crt"))
    ext = os.path.join(d, "ext.cnf")
    with open(ext, "w") as f:
        f.write(f"subjectAltName=IP:{host},DNS:localhost\n")
    run = lambda *a: subprocess.run(a, check=True, capture_output=True)
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out",
        ca_crt, "-days", "2", "-subj", "/CN=berth-test-ca")
    run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj",
        f"/CN={host}")
    run("openssl", "x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key,
        "-CAcreateserial", "-out", crt, "-days", "2", "-extfile", ext)
    return ca_crt, crt, key


class Registry:
    def __init__(self, tls=False, user=None, password=None):
        self.dir = tempfile.mkdtemp(prefix="berth-registry-")
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.tls = tls
        self.user, self.password = user, password
        self.proc = None
        self.ca = None
        self.certs_dir = None  # /etc/berth/certs.d/<host>, made for TLS

    def config(self):
        lines = ["version: 0.1", "log:", "  level: warn", "  accesslog:", "    disabled: true",
                 "storage:", "  filesystem:", f"    rootdirectory: {self.dir}/data",
                 "  delete:", "    enabled: true", "http:", f"  addr: {self.host}",
                 "  secret: berth-test"]
        if self.tls:
            self.ca, crt, key = make_ca_and_cert(self.dir)
            lines += ["  tls:", f"    certificate: {crt}", f"    key: {key}"]
        if self.user:
            htpasswd = os.path.join(self.dir, "htpasswd")
            out = subprocess.run(["htpasswd", "-Bbn", self.user, self.password],
                                 check=True, capture_output=True, text=True).stdout
            with open(htpasswd, "w") as f:
                f.write(out)
            lines += ["auth:", "  htpasswd:", "    realm: berth-test", f"    path: {htpasswd}"]
        path = os.path.join(self.dir, "config.yml")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def start(self):
        cfg = self.config() if self.proc is None and not os.path.exists(
            os.path.join(self.dir, "config.yml")) else os.path.join(self.dir, "config.yml")
        log = open(os.path.join(self.dir, "registry.log"), "ab")
        self.proc = subprocess.Popen([REGISTRY, "serve", cfg], stdout=log, stderr=log,
                                     stdin=subprocess.DEVNULL)
        if self.tls:
            self.certs_dir = f"/etc/berth/certs.d/{self.host}"
            os.makedirs(self.certs_dir, exist_ok=True)
            shutil.copy(self.ca, os.path.join(self.certs_dir, "ca.crt"))
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("docker-registry exited: " + self.log())
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("docker-registry did not listen: " + self.log())

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def cleanup(self):
        self.kill()
        if self.certs_dir:
            shutil.rmtree(self.certs_dir, ignore_errors=True)
        shutil.rmtree(self.dir, ignore_errors=True)

    def log(self):
        try:
            with open(os.path.join(self.dir, "registry.log"), errors="replace") as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def url(self, path):
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.host}{path}"

    def get(self, path, headers=None):
        req = urllib.request.Request(self.url(path), headers=headers or {})
        ctx = ssl.create_default_context(cafile=self.ca) if self.tls else None
        if self.user:
            import base64
            tok = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            req.add_header("Authorization", "Basic " + tok)
        with urllib.request.urlopen(req, context=ctx, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
