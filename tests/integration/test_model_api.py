"""The typed model at the API's edge (issue 11): request bodies are decoded into types, so a
member of the wrong type is a 400 naming it; members the model does not know survive; the
responses keep Docker's shapes (null vs [] vs {})."""
import json
import uuid

import pytest

import daemon_api


@pytest.fixture
def api(daemon):
    return lambda method, path, body=None: daemon_api.call(daemon.socket, method, path, body)


@pytest.fixture
def cname(daemon):
    name = f"{daemon.prefix}-model-{uuid.uuid4().hex[:6]}"
    yield name
    daemon_api.call(daemon.socket, "DELETE", f"/containers/{name}?force=1&v=1")


def test_wrong_type_in_create_is_400_naming_the_field(api, cname):
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": ["true"], "HostConfig": {"Memory": "64m"}})
    assert status == 400, body
    assert body["message"] == "HostConfig.Memory: expected integer"
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": ["true"], "Tty": "yes"})
    assert status == 400 and body["message"] == "Tty: expected boolean", body
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": ["true"],
                        "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": 8080}]}}})
    assert status == 400, body
    assert body["message"] == "HostConfig.PortBindings.80/tcp[0].HostPort: expected string"
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": ["true"],
                        "HostConfig": {"RestartPolicy": {"Name": "sometimes"}}})
    assert status == 400, body
    assert body["message"] == "invalid restart policy 'sometimes'"  # dockerd's words
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": ["true"],
                        "NetworkingConfig": {"EndpointsConfig": {"bridge": {"Aliases": "a"}}}})
    assert status == 400, body
    assert body["message"] == "NetworkingConfig.EndpointsConfig.bridge.Aliases: expected array"
    # Nothing was created by the refused requests.
    status, _ = api("GET", f"/containers/{cname}/json")
    assert status == 404


def test_create_inspect_keeps_dockers_shapes_and_unknown_members(api, cname):
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": "true", "FutureConfigField": {"a": 1},
                        "HostConfig": {"Memory": 67108864, "FutureHostField": [1, 2]}})
    assert status == 201, body
    assert body["Warnings"] == [] and len(body["Id"]) == 64
    status, c = api("GET", f"/containers/{cname}/json")
    assert status == 200
    cfg, hc = c["Config"], c["HostConfig"]
    assert cfg["Cmd"] == ["true"]  # a string Cmd is a one-item list (Go's StrSlice)
    assert cfg["FutureConfigField"] == {"a": 1} and hc["FutureHostField"] == [1, 2]
    assert hc["Memory"] == 67108864
    assert hc["RestartPolicy"] == {"Name": "no", "MaximumRetryCount": 0}
    assert hc["LogConfig"]["Type"] == "json-file"
    assert "_EndpointsConfig" not in hc
    assert cfg["Entrypoint"] is None and cfg["Volumes"] is None and cfg["OnBuild"] is None
    assert c["ExecIDs"] is None and c["Mounts"] == [] and c["Args"] == []
    assert c["NetworkSettings"]["Ports"] == {}
    assert c["State"]["Status"] == "created" and "Health" not in c["State"]
    ep = c["NetworkSettings"]["Networks"]["bridge"]
    assert ep["Aliases"] == [] and ep["IPAMConfig"] is None and ep["DNSNames"] is None
    assert not any(k.startswith("_") for k in ep)
    status, rows = api("GET", "/containers/json?all=1&filters=" +
                       json.dumps({"name": [cname]}).replace(" ", ""))
    assert status == 200 and len(rows) == 1
    row = rows[0]
    assert row["Names"] == ["/" + cname] and row["Ports"] == [] and row["Mounts"] == []
    assert row["Labels"] == {} and row["NetworkSettings"]["Networks"]["bridge"]["Aliases"] == []


def test_wrong_types_in_update_and_exec(api, cname):
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "Cmd": ["sleep", "60"]})
    assert status == 201, body
    status, body = api("POST", f"/containers/{cname}/update", {"Memory": "lots"})
    assert status == 400 and body["message"] == "update: Memory: expected integer", body
    status, _ = api("POST", f"/containers/{cname}/start")
    assert status == 204
    status, body = api("POST", f"/containers/{cname}/exec", {"Cmd": ["true"], "Tty": 1})
    assert status == 400 and body["message"] == "exec config: Tty: expected boolean", body
    status, body = api("POST", f"/containers/{cname}/exec",
                       {"Cmd": ["sh", "-c", "exit 3"], "AttachStdout": True})
    assert status == 201, body
    exec_id = body["Id"]
    status, body = api("GET", f"/exec/{exec_id}/json")
    assert status == 200
    assert body["ExitCode"] is None and body["Running"] is False
    assert body["ProcessConfig"]["entrypoint"] == "sh"
    assert body["ProcessConfig"]["arguments"] == ["-c", "exit 3"]
    status, body = api("POST", f"/containers/{cname}/update",
                       {"Memory": 33554432, "MemorySwap": -1, "CpuShares": 0})
    assert status == 200 and body == {"Warnings": []}, body
    status, c = api("GET", f"/containers/{cname}/json")
    assert c["HostConfig"]["Memory"] == 33554432 and c["HostConfig"]["MemorySwap"] == -1


def test_bad_enum_values_in_dockers_words(api, cname):
    """Enums of the model answer a value they do not list in Docker's words, as before the model:
    no container is left behind."""
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox", "HostConfig": {"RestartPolicy": {"Name": "bogus"}}})
    assert status == 400 and body["message"] == "invalid restart policy 'bogus'", body
    status, body = api("POST", f"/containers/create?name={cname}",
                       {"Image": "busybox",
                        "HostConfig": {"Mounts": [{"Type": "nfsish", "Target": "/x"}]}})
    assert status == 400 and body["message"] == 'mount type unknown: "nfsish"', body
    status, _ = api("GET", f"/containers/{cname}/json")
    assert status == 404
    # A single string where Docker takes a StrSlice (Cmd) is a one-item list, as dockerd reads it.
    status, body = api("POST", f"/containers/create?name={cname}", {"Image": "busybox", "Cmd": "true"})
    assert status == 201, body
    status, body = api("GET", f"/containers/{cname}/json")
    assert body["Config"]["Cmd"] == ["true"]
