"""Issue 15 item 5 (DoS budgets): what a client controls must not stall or kill berthd.
JSON nested 100,000 levels deep overflowed the stack of the recursive JSON code; /auth read a
1 GiB body into memory.  Both are a 400 now, and the daemon keeps answering."""
import socket

from test_security_api_content_type import request


def ping(daemon):
    status, body = request(daemon, "GET", "/_ping")
    assert (status, body) == (200, b"OK")


def test_deeply_nested_json_is_refused(daemon):
    for target in ("/v1.50/containers/create", "/v1.50/networks/create", "/v1.50/auth",
                   "/v1.50/volumes/create"):
        for body in (b"[" * 100_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000):
            status, reply = request(daemon, "POST", target, body,
                                    {"Content-Type": "application/json"})
            assert status == 400 and b"too deeply nested" in reply, (target, reply[:200])
            ping(daemon)


def test_nesting_in_strings_does_not_count(daemon, name):
    import json
    body = json.dumps({"Image": "busybox", "Cmd": ["echo", "[" * 5000],
                       "Labels": {"x": "{{{{" * 2000}}).encode()
    status, reply = request(daemon, "POST", f"/v1.50/containers/create?name={name}", body,
                            {"Content-Type": "application/json"})
    assert status == 201, reply
    assert request(daemon, "DELETE", f"/v1.50/containers/{name}?force=1")[0] == 204


def test_huge_auth_body_is_refused_without_reading_it(daemon):
    # Claims 1 GiB, sends 4 MiB and waits for the answer: the daemon stops at its limit.
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(daemon.socket)
    s.sendall(b"POST /v1.50/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: 1073741824\r\n\r\n")
    chunk = b"{\"username\":\"" + b"a" * 65536
    try:
        for _ in range(64):
            s.sendall(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass
    s.settimeout(10)
    reply = s.recv(65536)
    s.close()
    assert reply.startswith(b"HTTP/1.1 400") or reply.startswith(b"HTTP/1.1 413"), reply[:200]
    assert b"too large" in reply
    ping(daemon)


def test_large_json_bodies_under_the_limit_still_work(daemon, name):
    import json
    body = json.dumps({"Image": "busybox", "Cmd": ["true"],
                       "Env": [f"V{i}={'x' * 100}" for i in range(5000)]}).encode()
    assert len(body) < 1 << 20
    status, reply = request(daemon, "POST", f"/v1.50/containers/create?name={name}", body,
                            {"Content-Type": "application/json"})
    assert status == 201, reply
    assert request(daemon, "DELETE", f"/v1.50/containers/{name}?force=1")[0] == 204
