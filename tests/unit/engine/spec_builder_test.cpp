#include "engine/spec_builder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/file.h"
#include "engine/user_lookup.h"

namespace berth::engine {
namespace {

class RootfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-spec-test-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    ASSERT_TRUE(make_dirs(root_ + "/etc").ok());
    ASSERT_TRUE(write_file(root_ + "/etc/passwd",
                           "root:x:0:0:root:/root:/bin/sh\n"
                           "nobody:x:65534:65534:nobody:/home:/bin/false\n"
                           "app:x:1000:1000::/home/app:/bin/sh\n")
                    .ok());
    ASSERT_TRUE(write_file(root_ + "/etc/group", "root:x:0:\nstaff:x:50:app\napp:x:1000:\n").ok());
  }
  void TearDown() override { (void)remove_all(root_); }
  std::string root_;
};

TEST_F(RootfsTest, ResolvesNamesNumbersAndGroups) {
  auto app = resolve_user(root_, "app");
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->uid, 1000u);
  EXPECT_EQ(app->gid, 1000u);
  EXPECT_EQ(app->additional_gids, std::vector<unsigned>{50});
  auto numeric = resolve_user(root_, "1234:5678");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->uid, 1234u);
  EXPECT_EQ(numeric->gid, 5678u);
  auto named_group = resolve_user(root_, "nobody:staff");
  ASSERT_TRUE(named_group.ok());
  EXPECT_EQ(named_group->gid, 50u);
  auto missing = resolve_user(root_, "ghost");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "unable to find user ghost: no matching entries in passwd file");
}

TEST_F(RootfsTest, PasswdSymlinkCannotEscapeRootfs) {
  ASSERT_TRUE(remove_all(root_ + "/etc/passwd").ok());
  ASSERT_EQ(::symlink("/etc/passwd", (root_ + "/etc/passwd").c_str()), 0);
  // The link resolves inside the rootfs, to itself: no host user "daemon" is found.
  EXPECT_FALSE(resolve_user(root_, "daemon").ok());
}

TEST_F(RootfsTest, SpecCarriesProcessMountsAndNamespaces) {
  Container c;
  c.id = std::string(64, 'a');
  c.path = "sh";
  c.args = {"-c", "echo hi"};
  c.config.hostname = "box";
  c.config.env = {"FOO=bar"};
  c.config.user = "app";
  c.config.working_dir = "/work";
  c.config.tty = true;
  c.host_config.memory = 64 << 20;
  auto spec = build_spec(c, {root_, "/cdir", "/berth/" + c.id});
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  const Json& s = *spec;
  EXPECT_EQ(s["process"]["args"], Json({"sh", "-c", "echo hi"}));
  EXPECT_EQ(s["process"]["user"]["uid"], 1000);
  EXPECT_EQ(s["process"]["cwd"], "/work");
  EXPECT_TRUE(is_directory(root_ + "/work"));  // Docker creates a missing working dir
  EXPECT_EQ(s["hostname"], "box");
  EXPECT_EQ(s["linux"]["resources"]["memory"]["limit"], 64 << 20);
  EXPECT_EQ(s["linux"]["cgroupsPath"], "/berth/" + c.id);
  auto env = s["process"]["env"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(env.begin(), env.end(), "FOO=bar"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "HOSTNAME=box"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "TERM=xterm"), env.end());
  bool has_hosts = false;
  for (auto& m : s["mounts"])
    if (m["destination"] == "/etc/hosts") has_hosts = m["source"] == "/cdir/hosts";
  EXPECT_TRUE(has_hosts);
  EXPECT_EQ(s["linux"]["namespaces"].size(), 6u);
}

TEST(ContainerRecord, RoundTrips) {
  Container c;
  c.id = std::string(64, 'b');
  c.name = "web";
  c.path = "sleep";
  c.args = {"10"};
  c.config.tty = true;
  c.host_config.auto_remove = true;
  c.state.status = RunState::kExited;
  c.state.exit_code = 3;
  auto back = container_from_record(dump_container_record(c));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->name, "web");
  EXPECT_EQ(back->state.status, RunState::kExited);
  EXPECT_EQ(back->state.exit_code, 3);
  EXPECT_TRUE(back->tty());
  EXPECT_TRUE(back->auto_remove());
  // Empty lists and maps are written as the engine always wrote them.
  auto j = parse_json(dump_container_record(c), "record");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["mount_points"], Json::array());
  EXPECT_EQ((*j)["networks"], Json::object());
  EXPECT_EQ((*j)["ports"], Json::object());
  EXPECT_EQ((*j)["state"]["health"], nullptr);
  EXPECT_FALSE(j->contains("endpoints_config"));
}

// A record as the engine wrote it before the typed model (tests/integration/fixtures), with the
// keys the typed record does not name and the create request's _EndpointsConfig in host_config.
constexpr const char* kOldRecord = R"({"args": ["600"], "config": {"AttachStderr": true,
  "Cmd": ["sleep", "600"], "Entrypoint": null, "Env": ["A=1"], "ExposedPorts": {"80/tcp": {}},
  "Healthcheck": {"Interval": 5000000000, "Test": ["CMD-SHELL", "true"]}, "Hostname": "webhost",
  "Image": "busybox", "Labels": {"com.example": "x"}, "OnBuild": null, "Volumes": {"/anon": {}}},
  "created": 1796234499913291457, "host_config": {"AutoRemove": false, "Binds": ["v0data:/data"],
  "BlkioDeviceReadBps": [], "CapAdd": ["CAP_NET_ADMIN"], "CapDrop": null, "Memory": 67108864,
  "MemorySwappiness": -1, "NetworkMode": "host", "PortBindings": {"80/tcp": [{"HostIp": "",
  "HostPort": "8080"}]}, "RestartPolicy": {"MaximumRetryCount": 3, "Name": "on-failure"},
  "Tmpfs": {"/run/t": "size=1m"}, "_EndpointsConfig": {"host": {"Aliases": ["web"]}}},
  "id": "19a9422058025cbb3f266c349523edf7c2794d98303376406097820e0b86b9dc",
  "image_id": "sha256:a8e7", "image_ref": "busybox", "manually_stopped": false,
  "mount_points": [{"CopyData": true, "Destination": "/data", "Driver": "local", "Mode": "z",
  "Name": "v0data", "Propagation": "", "RW": true, "Source": "/v/_data", "Type": "volume"},
  {"Anonymous": true, "CopyData": true, "Destination": "/anon", "Driver": "local", "Mode": "",
  "Name": "661e", "Propagation": "", "RW": true, "Source": "/v2", "Type": "volume"},
  {"CopyData": false, "Destination": "/t", "Driver": "", "Mode": "", "Name": "",
  "Propagation": "", "RW": true, "Source": "", "TmpfsOptions": ["size=1000"], "Type": "tmpfs"}],
  "name": "v0web", "networks": {"v0net": {"Aliases": ["web"], "DNSNames": null,
  "EndpointID": "vethc31ade0b29b", "Gateway": "10.231.7.1", "GlobalIPv6Address": "",
  "GlobalIPv6PrefixLen": 0, "IPAMConfig": {"IPv4Address": "10.231.7.9"},
  "IPAddress": "10.231.7.9", "IPPrefixLen": 24, "IPv6Gateway": "", "Links": null,
  "MacAddress": "02:42:0a:e7:07:09", "NetworkID": "64a6", "_veth": "vethc31ade0"}},
  "path": "sleep", "ports": {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}],
  "443/tcp": null}, "restart_count": 2, "state": {"error": "", "exit_code": 0,
  "finished_at": 0, "health": {"Status": "healthy", "FailingStreak": 0, "Log": []},
  "oom_killed": false, "pid": 16160, "started_at": 1796234500110412629, "status": "running"}})";

TEST(ContainerRecord, ReadsRecordsFromBeforeTheTypedModel) {
  auto c = container_from_record(kOldRecord);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->name, "v0web");
  EXPECT_EQ(c->restart_count, 2);
  EXPECT_EQ(c->state.status, RunState::kRunning);
  EXPECT_EQ(c->state.pid, 16160);
  ASSERT_TRUE(c->state.health.has_value());
  EXPECT_EQ(c->state.health->status, "healthy");
  EXPECT_EQ(c->config.hostname, "webhost");
  EXPECT_EQ(c->config.cmd, (model::List<std::string>{"sleep", "600"}));
  EXPECT_TRUE(c->config.entrypoint.is_null());
  ASSERT_TRUE(c->config.healthcheck.has_value());
  EXPECT_EQ(c->config.healthcheck->interval, 5000000000);
  EXPECT_EQ(c->host_config.memory, 67108864);
  EXPECT_EQ(c->host_config.memory_swappiness, -1);
  EXPECT_EQ(c->host_config.restart_policy.name, model::RestartPolicyMode::kOnFailure);
  EXPECT_EQ(c->host_config.port_bindings["80/tcp"][0].host_port, "8080");
  EXPECT_EQ(c->host_config.tmpfs["/run/t"], "size=1m");
  // _EndpointsConfig moved out of HostConfig into its own field.
  EXPECT_TRUE(c->host_config.unknown_fields.empty());
  ASSERT_EQ(c->endpoints_config.count("host"), 1u);
  EXPECT_EQ(c->endpoints_config["host"].aliases, (model::List<std::string>{"web"}));
  ASSERT_EQ(c->mount_points.size(), 3u);
  EXPECT_EQ(c->mount_points[0].type, model::MountType::kVolume);
  EXPECT_EQ(c->mount_points[0].name, "v0data");
  EXPECT_TRUE(c->mount_points[0].copy_data);
  EXPECT_TRUE(c->mount_points[1].anonymous);
  EXPECT_EQ(c->mount_points[2].tmpfs_options, (model::List<std::string>{"size=1000"}));
  const auto& ep = c->networks["v0net"];
  EXPECT_EQ(ep.veth, "vethc31ade0");
  EXPECT_EQ(ep.ip_address, "10.231.7.9");
  ASSERT_TRUE(ep.ipam_config.has_value());
  EXPECT_EQ(ep.ipam_config->ipv4_address, "10.231.7.9");
  EXPECT_TRUE(c->ports["443/tcp"].is_null());

  // Written again: the same keys with the same values (the engine's own keys included), the
  // legacy _EndpointsConfig as endpoints_config.
  auto again = parse_json(dump_container_record(*c), "record");
  auto old = parse_json(kOldRecord, "record");
  ASSERT_TRUE(again.ok() && old.ok());
  for (const char* key : {"args", "created", "id", "image_id", "image_ref", "manually_stopped",
                          "name", "path", "ports", "restart_count", "state"})
    EXPECT_EQ((*again)[key], (*old)[key]) << key;
  EXPECT_EQ((*again)["networks"]["v0net"]["_veth"], "vethc31ade0");
  EXPECT_EQ((*again)["networks"]["v0net"]["IPAMConfig"], (*old)["networks"]["v0net"]["IPAMConfig"]);
  EXPECT_EQ((*again)["mount_points"][0]["CopyData"], true);
  EXPECT_EQ((*again)["mount_points"][1]["Anonymous"], true);
  EXPECT_EQ((*again)["host_config"]["Memory"], 67108864);
  EXPECT_EQ((*again)["host_config"]["BlkioDeviceReadBps"], Json::array());
  EXPECT_EQ((*again)["host_config"]["CapDrop"], nullptr);
  EXPECT_FALSE((*again)["host_config"].contains("_EndpointsConfig"));
  EXPECT_EQ((*again)["endpoints_config"]["host"]["Aliases"], Json::array({"web"}));
  for (auto& [key, value] : (*old)["config"].items())
    EXPECT_EQ((*again)["config"][key], value) << key;
  // And read again, it is the same container.
  auto twice = container_from_record(dump_container_record(*c));
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(container_to_record(*twice), container_to_record(*c));
}

TEST(ContainerRecord, WrongTypesAndMissingIdAreErrors) {
  EXPECT_EQ(container_from_record(R"({"name": "x"})").error().code, Code::kDataLoss);
  auto bad = container_from_record(R"({"id": "a", "host_config": {"Memory": "64m"}})");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("host_config.Memory: expected integer"), std::string::npos);
}

}  // namespace
}  // namespace berth::engine
