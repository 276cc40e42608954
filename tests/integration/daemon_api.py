"""Raw Engine API requests over a daemon's unix socket, for tests (and benches) that check the
HTTP edge itself (statuses, bodies) rather than what a client library makes of it."""
import http.client
import json
import socket


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=60):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def call(socket_path, method, path, body=None):
    """One request on its own connection: (status, decoded JSON body or None).  A dict or list
    body is sent as JSON; a str as it is, both as application/json."""
    conn = UnixHTTPConnection(socket_path)
    try:
        data = None if body is None else (body if isinstance(body, str) else json.dumps(body))
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, "/v1.50" + path, body=data, headers=headers)
        r = conn.getresponse()
        text = r.read().decode()
        return r.status, (json.loads(text) if text.strip() else None)
    finally:
        conn.close()
