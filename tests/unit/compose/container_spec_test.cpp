#include "compose/container_spec.h"

#include <gtest/gtest.h>

#include "model/container_json.h"
#include "test_dir.h"

namespace berth::compose {
namespace {

using testing::TestDir;

TEST(ContainerSpec, DurationsAndSizes) {
  EXPECT_EQ(*parse_duration("1m30s", "k"), 90000000000LL);
  EXPECT_EQ(*parse_duration("200ms", "k"), 200000000LL);
  EXPECT_EQ(*parse_duration("10", "k"), 10000000000LL);
  EXPECT_FALSE(parse_duration("5 parsecs", "k").ok());
  EXPECT_EQ(*parse_bytes("64m", "k"), 64LL << 20);
  EXPECT_EQ(*parse_bytes("1gb", "k"), 1LL << 30);
}

TEST(ContainerSpec, CreateBodyNamesAndLabels) {
  TestDir d;
  d.write("compose.yaml",
          "services:\n  web:\n    image: busybox\n    command: httpd -f\n"
          "    environment: {A: 1}\n    ports: ['8080:80']\n    volumes: ['data:/d', './h:/h:ro']\n"
          "    depends_on: {db: {condition: service_healthy}}\n    restart: on-failure:3\n"
          "    healthcheck: {test: 'true', interval: 1s}\n    stop_grace_period: 5s\n"
          "  db:\n    image: busybox\nvolumes: {data: {}}\n");
  LoadOptions o;
  o.working_dir = d.path();
  o.project_name = "p";
  auto p = load_project(o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(container_name(*p, "web", 2), "p-web-2");
  auto req = container_request(*p, "web", 1, {});
  ASSERT_TRUE(req.ok()) << req.error().message;
  EXPECT_EQ(req->labels[kLabelDependsOn], "db:service_healthy:false");
  EXPECT_EQ(req->labels[kLabelNumber], "1");
  EXPECT_EQ(req->labels[kLabelConfigHash], config_hash(*p->services().find("web")));
  EXPECT_EQ(req->host_config->network_mode, "p_default");
  EXPECT_EQ(req->host_config->mounts[0].source, "p_data");
  EXPECT_EQ(req->host_config->binds[0], d.path() + "/h:/h:ro");
  EXPECT_EQ(req->host_config->port_bindings["80/tcp"][0].host_port, "8080");
  EXPECT_EQ(req->host_config->restart_policy.maximum_retry_count, 3);
  EXPECT_EQ(req->stop_timeout, 5);
  EXPECT_EQ(req->healthcheck->interval, 1000000000LL);
  EXPECT_EQ(model::dump(*req).find("\"OomKillDisable\":null"), std::string::npos);
}

TEST(ContainerSpec, HashIgnoresWhatComposeIgnores) {
  Node a = Node::map();
  a.set("image", Node::string("busybox"));
  Node b = a;
  b.set("depends_on", Node::map());
  b.set("profiles", Node::seq());
  b.set("build", Node::map());
  EXPECT_EQ(config_hash(a), config_hash(b));
  b.set("image", Node::string("other"));
  EXPECT_NE(config_hash(a), config_hash(b));
}

}  // namespace
}  // namespace berth::compose
