"""A tiny in-process /v2/ registry that serves what a test puts in it and can misbehave: wrong
bytes for a digest, a truncated blob, a missing blob, a connection cut mid-blob.  For the
malicious and interrupted-pull tests, which a real registry would refuse to store.
"""
import hashlib
import http.server
import json
import threading


def digest(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


class FakeRegistry:
    def __init__(self):
        self.manifests = {}   # (repo, ref) -> (media_type, bytes)
        self.blobs = {}       # digest -> bytes served
        self.cut_after = {}   # digest -> bytes to send before closing the connection
        self.hits = []
        reg = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *a):
                pass

            def do_GET(self):
                reg.hits.append(self.path)
                p = self.path
                if p == "/v2/":
                    return self.reply(200, b"{}", "application/json")
                parts = p[len("/v2/"):].split("/")
                if len(parts) >= 3 and parts[-2] == "manifests":
                    repo, ref = "/".join(parts[:-2]), parts[-1]
                    m = reg.manifests.get((repo, ref))
                    if not m:
                        return self.reply(404, json.dumps({"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}).encode(), "application/json")
                    return self.reply(200, m[1], m[0], {"Docker-Content-Digest": digest(m[1])})
                if len(parts) >= 3 and parts[-2] == "blobs":
                    d = parts[-1]
                    if d not in reg.blobs:
                        return self.reply(404, json.dumps({"errors": [{"code": "BLOB_UNKNOWN", "message": "blob unknown to registry"}]}).encode(), "application/json")
                    data = reg.blobs[d]
                    cut = reg.cut_after.get(d)
                    if cut is not None:
                        self.send_response(200)
                        self.send_header("Content-Length", str(len(data)))
                        self.send_header("Content-Type", "application/octet-stream")
                        self.end_headers()
                        self.wfile.write(data[:cut])
                        self.wfile.flush()
                        self.close_connection = True
                        return
                    return self.reply(200, data, "application/octet-stream")
                self.reply(404, b"{}", "application/json")

            do_HEAD = do_GET

            def reply(self, code, body, ctype, headers=None):
                self.send_response(code)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.host = f"127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def add_image(self, repo, tag, config, layers, layer_media="application/vnd.oci.image.layer.v1.tar+gzip",
                  served=None, omit=()):
        """config: bytes; layers: list of blob bytes.  served: digest -> other bytes to send."""
        cfg_d = digest(config)
        self.blobs[cfg_d] = config
        descs = []
        for blob in layers:
            d = digest(blob)
            if d not in omit:
                self.blobs[d] = (served or {}).get(d, blob)
            descs.append({"mediaType": layer_media, "digest": d, "size": len(blob)})
        m = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
             "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_d,
                        "size": len(config)}, "layers": descs}
        body = json.dumps(m).encode()
        self.manifests[(repo, tag)] = ("application/vnd.oci.image.manifest.v1+json", body)
        return digest(body)
