"""The typed model at the Engine API edge of networks, volumes and the system routes (issue 11):
request bodies decode into the model's types, so a member of the wrong type is a 400 that names
it; responses keep Docker's shapes (null vs [] vs {}, members present)."""
import json
import urllib.parse
import uuid

import pytest

import daemon_api


@pytest.fixture
def api(daemon):
    return lambda method, path, body=None: daemon_api.call(daemon.socket, method, path, body)


def q(filters):
    return urllib.parse.quote(json.dumps(filters))


def unique(prefix):
    return prefix + uuid.uuid4().hex[:10]


def test_network_create_wrong_types_are_400_naming_the_member(api):
    status, body = api("POST", "/networks/create", {"Name": 5})
    assert status == 400, body
    assert body["message"] == "Name: expected string"
    status, body = api("POST", "/networks/create",
                       {"Name": unique("m"), "Driver": "bridge", "IPAM": {"Config": "x"}})
    assert status == 400, body
    assert "IPAM.Config" in body["message"]
    status, body = api("POST", "/networks/create",
                       {"Name": unique("m"), "IPAM": {"Config": [{"Subnet": 10}]}})
    assert status == 400, body
    assert body["message"] == "IPAM.Config[0].Subnet: expected string"
    status, body = api("POST", "/networks/create", {"Name": unique("m"), "Internal": "yes"})
    assert status == 400, body
    assert body["message"] == "Internal: expected boolean" or "Internal" in body["message"]
    status, body = api("POST", "/networks/create", {"Name": unique("m"), "Labels": {"a": 1}})
    assert status == 400, body
    assert "Labels.a" in body["message"]


def test_network_connect_and_disconnect_wrong_types(api):
    name = unique("m")
    status, created = api("POST", "/networks/create", {"Name": name})
    assert status == 201, created
    try:
        status, body = api("POST", f"/networks/{name}/connect", {"Container": 5})
        assert status == 400 and body["message"] == "Container: expected string", body
        status, body = api("POST", f"/networks/{name}/connect",
                           {"Container": "x", "EndpointConfig": {"Aliases": "a"}})
        assert status == 400 and "EndpointConfig.Aliases" in body["message"], body
        status, body = api("POST", f"/networks/{name}/disconnect", {"Container": "x", "Force": 1})
        assert status == 400 and "Force" in body["message"], body
    finally:
        api("DELETE", f"/networks/{name}")


def test_network_shapes(api):
    name = unique("m")
    status, created = api("POST", "/networks/create",
                          {"Name": name, "Labels": {"tier": "a"}, "CheckDuplicate": True,
                           "SomethingNewer": {"x": 1}})
    assert status == 201, created
    assert set(created) == {"Id", "Warning"} and created["Warning"] == ""
    try:
        status, n = api("GET", f"/networks/{name}")
        assert status == 200
        assert n["Id"] == created["Id"] and n["Name"] == name and n["Driver"] == "bridge"
        assert n["Containers"] == {} and n["Options"] == {} and n["Labels"] == {"tier": "a"}
        assert n["IPAM"]["Driver"] == "default" and n["IPAM"]["Options"] is None
        assert len(n["IPAM"]["Config"]) == 1 and set(n["IPAM"]["Config"][0]) == {"Subnet", "Gateway"}
        assert n["ConfigFrom"] == {"Network": ""} and n["EnableIPv4"] is True
        assert not any(k.startswith("_") for k in n), n
        assert "Peers" not in n and "Services" not in n
        status, listed = api("GET", "/networks?filters=" + q({"name": [name]}))
        assert status == 200 and [x["Id"] for x in listed] == [created["Id"]]
        status, none = api("GET", "/networks?filters=" + q({"name": [unique("zz")]}))
        assert status == 200 and none == []
    finally:
        status, _ = api("DELETE", f"/networks/{name}")
        assert status == 204
    status, pruned = api("POST", "/networks/prune?filters=" + q({"label": ["none-such"]}))
    assert status == 200 and pruned == {"NetworksDeleted": []}


def test_volume_create_wrong_types_are_400_naming_the_member(api):
    status, body = api("POST", "/volumes/create", {"Name": 5})
    assert status == 400, body
    assert body["message"] == "Name: expected string"
    status, body = api("POST", "/volumes/create", {"Name": unique("v"), "Labels": {"a": 1}})
    assert status == 400 and body["message"] == "Labels.a: expected string", body
    status, body = api("POST", "/volumes/create", {"Name": unique("v"), "DriverOpts": []})
    assert status == 400 and "DriverOpts" in body["message"], body


def test_volume_shapes(api):
    name = unique("v")
    status, v = api("POST", "/volumes/create", {"Name": name, "Labels": {"k": "v"}})
    assert status == 201, v
    try:
        assert set(v) == {"CreatedAt", "Driver", "Labels", "Mountpoint", "Name", "Options", "Scope"}
        assert v["Labels"] == {"k": "v"} and v["Options"] == {} and v["Scope"] == "local"
        status, again = api("GET", f"/volumes/{name}")
        assert status == 200 and again == v
        status, listed = api("GET", "/volumes?filters=" + q({"name": [name]}))
        assert status == 200 and listed["Warnings"] == [] and listed["Volumes"] == [v]
    finally:
        status, _ = api("DELETE", f"/volumes/{name}")
        assert status == 204
    status, pruned = api("POST", "/volumes/prune?filters=" + q({"label": ["none-such"]}))
    assert status == 200 and pruned == {"VolumesDeleted": [], "SpaceReclaimed": 0}


def test_system_shapes(api):
    status, v = api("GET", "/version")
    assert status == 200
    assert v["ApiVersion"] == "1.50" and v["Os"] == "linux" and v["Platform"] == {"Name": "Berth"}
    assert v["Components"][0]["Name"] == "Engine"
    assert v["Components"][0]["Details"]["ApiVersion"] == "1.50"
    status, info = api("GET", "/info")
    assert status == 200
    assert info["Swarm"]["LocalNodeState"] == "inactive" and info["Swarm"]["RemoteManagers"] is None
    assert info["RegistryConfig"]["IndexConfigs"] == {} and info["RegistryConfig"]["Mirrors"] == []
    assert info["Plugins"]["Authorization"] is None and info["Plugins"]["Volume"] == ["local"]
    assert info["Labels"] == [] and info["Warnings"] == [] and info["GenericResources"] is None
    assert info["DriverStatus"] == [["Backing Filesystem", "extfs"]]
    assert info["Runtimes"] == {"berth": {"path": "berth-runtime"}}
    status, df = api("GET", "/system/df")
    assert status == 200
    assert df["Volumes"] == [] and df["BuildCache"] == [] and isinstance(df["Images"], list)


def test_image_shapes(api):
    status, images = api("GET", "/images/json")
    assert status == 200 and images, images
    busybox = [i for i in images if "busybox:latest" in i["RepoTags"]][0]
    assert busybox["SharedSize"] == -1 and busybox["Containers"] == -1 and "VirtualSize" not in busybox
    status, img = api("GET", "/images/busybox/json")
    assert status == 200
    assert img["Id"] == busybox["Id"] and img["GraphDriver"] == {"Name": "overlay2", "Data": None}
    assert img["RootFS"]["Type"] == "layers" and img["Config"]["Cmd"] == ["sh"]
    status, hist = api("GET", "/images/busybox/history")
    assert status == 200 and hist[0]["Id"] == img["Id"]
    status, body = api("DELETE", "/images/" + unique("nosuch"))
    assert status == 404 and body["message"].startswith("No such image: ")
