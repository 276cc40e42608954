#include "api/server/container_views.h"

#include <gtest/gtest.h>

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
  c.config = Json{{"Labels", {{"a", "1"}}}};
  c.host_config = Json{{"NetworkMode", "bridge"}};
  c.ports = Json{{"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "8080"}}}}};
  c.networks = Json{{"bridge", {{"IPAddress", "10.0.0.2"}, {"_veth", "hidden"}}}};
  auto j = parse_json(container_summary_json(c), "summary");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["Names"], Json::array({"/web \"1\""}));
  EXPECT_EQ((*j)["Command"], "sh -c echo\thi");
  EXPECT_EQ((*j)["Created"], 1700000000);
  EXPECT_EQ((*j)["Labels"], Json({{"a", "1"}}));
  EXPECT_EQ((*j)["State"], "created");
  EXPECT_EQ((*j)["HostConfig"], Json({{"NetworkMode", "bridge"}}));
  EXPECT_EQ((*j)["NetworkSettings"]["Networks"], Json({{"bridge", {{"IPAddress", "10.0.0.2"}}}}));
  EXPECT_EQ((*j)["Ports"][0]["PublicPort"], 8080);
  EXPECT_EQ((*j)["Mounts"], Json::array());
  EXPECT_EQ(container_summary(c), *j);
}

}  // namespace
}  // namespace berth::api::server
