#include "oci/spec_json.h"

#include <gtest/gtest.h>

namespace berth::oci {
namespace {

TEST(SpecJson, DefaultSpecRoundTrips) {
  Spec s = default_spec();
  s.linux_->cgroups_path = "/berth/abc";
  s.linux_->resources = Resources{};
  s.linux_->resources->memory = MemoryResources{};
  s.linux_->resources->memory->limit = 64 << 20;
  s.linux_->resources->pids = PidsResources{100};
  s.linux_->resources->cpu = CpuResources{};
  s.linux_->resources->cpu->shares = 512;
  s.linux_->resources->cpu->quota = 50000;
  s.linux_->resources->cpu->period = 100000;
  s.linux_->namespaces.push_back({"network", "/proc/1/ns/net"});
  s.linux_->uid_mappings = {{0, 1000, 65536}};
  s.linux_->sysctl = {{"net.ipv4.ip_forward", "1"}};
  s.process.user.additional_gids = {10, 20};
  s.annotations = {{"a", "b"}};
  std::string text = spec_to_json(s);
  auto back = parse_spec(text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(spec_to_json(*back), text);
  EXPECT_EQ(back->process.args, std::vector<std::string>{"sh"});
  EXPECT_EQ(*back->linux_->resources->memory->limit, 64 << 20);
  EXPECT_EQ(back->linux_->resources->pids->limit, 100);
  EXPECT_EQ(back->mounts.size(), s.mounts.size());
  EXPECT_EQ(back->linux_->namespaces.back().path, "/proc/1/ns/net");
  EXPECT_EQ(back->process.user.additional_gids, (std::vector<uint32_t>{10, 20}));
}

TEST(SpecJson, ParsesRuncStyleConfig) {
  auto s = parse_spec(R"({"ociVersion":"1.0.2","process":{"terminal":false,"user":{"uid":1,"gid":2},
    "args":["echo","hi"],"env":["A=b"],"cwd":"/tmp","unknownField":1},
    "root":{"path":"rootfs","readonly":true},"hostname":"h",
    "mounts":[{"destination":"/proc","type":"proc","source":"proc"}],
    "linux":{"namespaces":[{"type":"pid"},{"type":"mount"}],"maskedPaths":["/proc/kcore"]}})");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->process.user.uid, 1u);
  EXPECT_EQ(s->process.cwd, "/tmp");
  EXPECT_TRUE(s->root->readonly);
  EXPECT_EQ(s->hostname, "h");
  EXPECT_NE(find_namespace(*s, "pid"), nullptr);
  EXPECT_EQ(find_namespace(*s, "network"), nullptr);
}

TEST(SpecJson, TypeErrorsAreInvalidArgument) {
  auto s = parse_spec(R"({"process":{"args":"not-a-list"}})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Code::kInvalidArgument);
  EXPECT_FALSE(parse_spec("{").ok());
}

TEST(StateJson, RoundTrips) {
  State st;
  st.id = "abc";
  st.status = Status::kRunning;
  st.pid = 42;
  st.bundle = "/b";
  auto back = parse_state(state_to_json(st));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, Status::kRunning);
  EXPECT_EQ(back->pid, 42);
  EXPECT_NE(state_to_json(st).find("\"status\":\"running\""), std::string::npos);
}

}  // namespace
}  // namespace berth::oci
