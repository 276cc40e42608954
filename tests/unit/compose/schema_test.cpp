#include "compose/schema.h"

#include <gtest/gtest.h>

#include "compose/yaml.h"

namespace berth::compose {
namespace {

std::string check(const std::string& yaml) {
  auto doc = parse_yaml(yaml, "t");
  if (!doc.ok()) return "PARSE:" + doc.error().message;
  auto st = Schema::compose_spec().validate(*doc);
  return st.ok() ? "" : st.error().message;
}

TEST(Schema, AcceptsAValidFile) {
  EXPECT_EQ(
      check("services:\n  web:\n    image: busybox\n    ports: ['8080:80', {target: 81}]\n"
            "    environment: [A=1]\n    x-custom: {any: thing}\n"
            "    depends_on: {db: {condition: service_healthy}}\n"
            "  db:\n    image: busybox\n    healthcheck: {test: [CMD, 'true'], interval: 1s}\n"
            "volumes:\n  data: {}\nx-anything: 1\n"),
      "");
}

TEST(Schema, NamesTheKey) {
  EXPECT_EQ(check("services:\n  web:\n    image: busybox\n    ports: [{bad: 1}]\n"),
            "services.web.ports[0] additional property bad is not allowed");
  EXPECT_EQ(check("services:\n  web:\n    image: busybox\n    ports: [[1]]\n"),
            "services.web.ports[0] must be a number, string or object");
  EXPECT_EQ(check("services:\n  web:\n    imag: busybox\n"),
            "services.web additional property imag is not allowed");
  EXPECT_EQ(check("services:\n  web:\n    image: [busybox]\n"),
            "services.web.image must be a string");
  EXPECT_EQ(check("bogus: 1\n"), "(root) additional property bogus is not allowed");
  EXPECT_EQ(check("services:\n  web:\n    depends_on: {db: {condition: sometimes}}\n")
                .rfind("services.web.depends_on.db.condition must be one of", 0),
            0u);
  EXPECT_EQ(check("services:\n  web:\n    restart: [no]\n"),
            "services.web.restart must be a string");
}

TEST(Schema, InterpolatedStringsPassForNumbers) {
  auto doc = parse_yaml("services:\n  web:\n    image: busybox\n    use_api_socket: x\n", "t");
  ASSERT_TRUE(doc.ok());
  EXPECT_FALSE(Schema::compose_spec().validate(*doc).ok());
  Node& v = (*doc->find("services")->find("web"))["use_api_socket"];
  v = Node::string("true");
  v.set_interpolated(true);
  EXPECT_TRUE(Schema::compose_spec().validate(*doc).ok());
}

}  // namespace
}  // namespace berth::compose
