#include "api/server/container_views.h"

#include <gtest/gtest.h>

#include "model/container_json.h"

namespace berth::api::server {
namespace {

TEST(ContainerSummary, TextIsDockersSummary) {
  engine::Container c;
  c.id = std::string(64, 'a');
  c.name = "web \"1\"";
  c.image_ref = "busybox";
  c.image_id = "sha256:" + std::string(64, 'b');
  c.path = "sh";
  c.args = {"-c", "echo\thi"};
  c.created = 1700000000LL * 1000000000LL;
  c.config.labels = {{"a", "1"}};
  c.host_config.network_mode = "bridge";
  c.ports["80/tcp"] = {model::PortBinding{"0.0.0.0", "8080", {}}};
  c.ports["443/tcp"].set_null();
  c.networks["bridge"].ip_address = "10.0.0.2";
  c.networks["bridge"].veth = "hidden";
  auto j = parse_json(container_summary_json(c), "summary");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["Names"], Json::array({"/web \"1\""}));
  EXPECT_EQ((*j)["Command"], "sh -c echo\thi");
  EXPECT_EQ((*j)["Created"], 1700000000);
  EXPECT_EQ((*j)["Labels"], Json({{"a", "1"}}));
  EXPECT_EQ((*j)["State"], "created");
  EXPECT_EQ((*j)["HostConfig"], Json({{"NetworkMode", "bridge"}}));
  EXPECT_EQ((*j)["NetworkSettings"]["Networks"]["bridge"]["IPAddress"], "10.0.0.2");
  EXPECT_FALSE((*j)["NetworkSettings"]["Networks"]["bridge"].contains("_veth"));
  EXPECT_EQ((*j)["Ports"][0], Json({{"PrivatePort", 443}, {"Type", "tcp"}}));
  EXPECT_EQ((*j)["Ports"][1]["PublicPort"], 8080);
  EXPECT_EQ((*j)["Ports"][1]["IP"], "0.0.0.0");
  EXPECT_EQ((*j)["Mounts"], Json::array());
  // The fast text is the typed summary's encoding.
  EXPECT_EQ(container_summary(c), *j);
}

TEST(ContainerSummary, EmptyPartsAndMounts) {
  engine::Container c;
  c.id = std::string(64, 'c');
  c.name = "plain";
  c.mount_points.emplace_back();
  auto& mp = c.mount_points.back();
  mp.type = model::MountType::kBind;
  mp.source = "/src";
  mp.destination = "/dst";
  mp.rw = true;
  mp.propagation = model::MountPropagation::kRprivate;
  mp.copy_data = true;
  auto j = parse_json(container_summary_json(c), "summary");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["Ports"], Json::array());
  EXPECT_EQ((*j)["Labels"], Json::object());
  EXPECT_EQ((*j)["HostConfig"], Json({{"NetworkMode", "none"}}));
  EXPECT_EQ((*j)["NetworkSettings"], Json({{"Networks", Json::object()}}));
  EXPECT_EQ((*j)["Mounts"], Json::array({{{"Type", "bind"},
                                          {"Source", "/src"},
                                          {"Destination", "/dst"},
                                          {"Mode", ""},
                                          {"RW", true},
                                          {"Propagation", "rprivate"}}}));
  EXPECT_EQ(container_summary(c), *j);
}

}  // namespace
}  // namespace berth::api::server
