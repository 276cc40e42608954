#include "engine/log_attrs.h"

#include <gtest/gtest.h>

namespace berth::engine {
namespace {

Container container_with(std::map<std::string, std::string> log_opts) {
  Container c;
  c.id = std::string(64, 'a');
  c.name = "web";
  c.image_id = "sha256:" + std::string(64, 'b');
  c.config.image = "busybox";
  c.config.labels = {{"a", "1"}, {"app.tier", "front"}, {"other", "x"}};
  c.config.env = {"E=x", "PATH=/bin", "APP_MODE=prod", "NOVALUE"};
  c.host_config.log_config.type = "json-file";
  c.host_config.log_config.config = std::move(log_opts);
  return c;
}

TEST(LogAttrs, NamedAndMatchedLabelsAndEnvSortedByKey) {
  auto attrs = log_attributes(container_with({{"labels", "a,missing"},
                                              {"labels-regex", "^app\\."},
                                              {"env", "E,NOVALUE"},
                                              {"env-regex", "MODE"}}));
  ASSERT_TRUE(attrs.ok()) << attrs.error().message;
  shim::LogAttrs want = {{"APP_MODE", "prod"}, {"E", "x"}, {"a", "1"}, {"app.tier", "front"}};
  EXPECT_EQ(*attrs, want);
}

TEST(LogAttrs, NoneWithoutOptionsOrForTheNoneDriver) {
  EXPECT_TRUE(log_attributes(container_with({}))->empty());
  Container c = container_with({{"labels", "a"}});
  c.host_config.log_config.type = "none";
  EXPECT_TRUE(log_attributes(c)->empty());
}

TEST(LogAttrs, TagTemplate) {
  auto attrs = log_attributes(container_with({{"tag", "{{.Name}}/{{ .ID }}/{{.ImageName}}"}}));
  ASSERT_TRUE(attrs.ok()) << attrs.error().message;
  shim::LogAttrs want = {{"tag", "web/aaaaaaaaaaaa/busybox"}};
  EXPECT_EQ(*attrs, want);
  EXPECT_EQ(log_attributes(container_with({{"tag", "{{.Nope}}"}})).error().code,
            Code::kInvalidArgument);
}

TEST(LogAttrs, BadRegexIsAnError) {
  auto attrs = log_attributes(container_with({{"labels-regex", "("}}));
  ASSERT_FALSE(attrs.ok());
  EXPECT_NE(attrs.error().message.find("error parsing regexp"), std::string::npos);
}

TEST(LogAttrs, DetailsAreSortedAndQueryEscaped) {
  EXPECT_EQ(log_details({}), "");
  EXPECT_EQ(log_details({{"b", "2"}, {"a", "x y/z,="}}), "a=x+y%2Fz%2C%3D,b=2");
}

}  // namespace
}  // namespace berth::engine
