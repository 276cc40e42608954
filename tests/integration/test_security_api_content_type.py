"""Issue 15 item 6 (CSRF through a TCP listener): a web page can POST a "simple" request
(Content-Type text/plain, no preflight) with a JSON body.  As dockerd's httputils.CheckForJSON,
berthd refuses a JSON body whose Content-Type is not application/json, with a 400, and creates
nothing."""
import json
import socket


def request(daemon, method, target, body=b"", headers=None):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(daemon.socket)
    head = f"{method} {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
    for k, v in (headers or {}).items():
        head += f"{k}: {v}\r\n"
    if body or method == "POST":
        head += f"Content-Length: {len(body)}\r\n"
    s.sendall(head.encode() + b"\r\n" + body)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1]


def test_text_plain_create_is_refused_and_creates_nothing(daemon, name):
    body = json.dumps({"Image": "busybox", "Cmd": ["true"],
                       "HostConfig": {"Privileged": True, "Binds": ["/:/host"]}}).encode()
    status, reply = request(daemon, "POST", f"/v1.50/containers/create?name={name}", body,
                            {"Content-Type": "text/plain"})
    assert status == 400, reply
    assert b"unsupported Content-Type header (text/plain): must be 'application/json'" in reply
    status, _ = request(daemon, "GET", f"/v1.50/containers/{name}/json")
    assert status == 404


def test_form_and_missing_content_type_refused_on_every_json_route(daemon):
    body = b'{"Name": "x"}'
    for target in ("/v1.50/containers/create", "/v1.50/networks/create",
                   "/v1.50/volumes/create", "/v1.50/auth", "/v1.50/containers/x/exec",
                   "/v1.50/exec/x/start", "/v1.50/containers/x/update",
                   "/v1.50/networks/x/connect", "/v1.50/commit?container=x"):
        for ct in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data"):
            status, reply = request(daemon, "POST", target, body, {"Content-Type": ct})
            assert status == 400 and b"unsupported Content-Type header" in reply, (target, ct, reply)
        # No Content-Type with a body: malformed, as Go's mime.ParseMediaType("").
        status, reply = request(daemon, "POST", target, body)
        assert status == 400 and b"malformed Content-Type header ()" in reply, (target, reply)


def test_json_with_parameters_and_empty_bodies_are_accepted(daemon, name):
    body = json.dumps({"Image": "busybox", "Cmd": ["true"]}).encode()
    status, reply = request(daemon, "POST", f"/v1.50/containers/create?name={name}", body,
                            {"Content-Type": "application/json; charset=utf-8"})
    assert status == 201, reply
    try:
        # No Content-Type and no body is fine (dockerd: ContentLength 0).
        status, reply = request(daemon, "POST", "/v1.50/volumes/create")
        assert status == 201, reply
        vol = json.loads(reply)["Name"]
        assert request(daemon, "DELETE", f"/v1.50/volumes/{vol}")[0] == 204
    finally:
        request(daemon, "DELETE", f"/v1.50/containers/{name}?force=1")


def test_clients_still_send_json(daemon, docker, berth, name):
    docker("run", "-d", "--name", name, "busybox", "sleep", "60", check=True)
    try:
        assert docker("exec", name, "echo", "hi", check=True).stdout.strip() == "hi"
        assert berth("exec", name, "echo", "hi", check=True).stdout.strip() == "hi"
        docker("update", "--memory", "64m", "--memory-swap", "128m", name, check=True)
        berth("network", "create", name, check=True)
        berth("network", "connect", name, name, check=True)
        berth("network", "disconnect", name, name, check=True)
        berth("network", "rm", name, check=True)
        berth("volume", "create", name, check=True)
        berth("volume", "rm", name, check=True)
    finally:
        docker("rm", "-f", name)
