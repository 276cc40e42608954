#include "compose/yaml.h"

#include <gtest/gtest.h>

#include "compose/node_json.h"

namespace berth::compose {
namespace {

TEST(Yaml, ScalarsResolveAsYaml12Core) {
  auto n = parse_yaml("a: 80\nb: '80'\nc: 8080:80\nd: yes\ne: true\nf: ~\ng: 1.5\nh: 0x10\n", "t");
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_TRUE(n->find("a")->is_int());
  EXPECT_TRUE(n->find("b")->is_string());
  EXPECT_EQ(n->find("c")->as_string(), "8080:80");
  EXPECT_EQ(n->find("d")->as_string(), "yes");
  EXPECT_TRUE(n->find("e")->as_bool());
  EXPECT_TRUE(n->find("f")->is_null());
  EXPECT_DOUBLE_EQ(n->find("g")->as_float(), 1.5);
  EXPECT_EQ(n->find("h")->as_int(), 16);
}

TEST(Yaml, AnchorsAliasesAndMergeKeys) {
  auto n = parse_yaml(
      "x-base: &base\n  image: busybox\n  environment: {A: '1'}\n"
      "services:\n  web:\n    <<: *base\n    image: nginx\n  db: *base\n",
      "t");
  ASSERT_TRUE(n.ok()) << n.error().message;
  const Node& web = *n->find("services")->find("web");
  EXPECT_EQ(web.str("image"), "nginx");  // explicit keys win over merged ones
  EXPECT_EQ(web.find("environment")->str("A"), "1");
  EXPECT_EQ(n->find("services")->find("db")->str("image"), "busybox");
  EXPECT_FALSE(web.has("<<"));
}

TEST(Yaml, MergeKeyListFirstWins) {
  auto n = parse_yaml("a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc:\n  <<: [*a, *b]\n", "t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->find("c")->find("x")->as_int(), 1);
  EXPECT_EQ(n->find("c")->find("y")->as_int(), 2);
}

TEST(Yaml, ErrorsNameTheFileAndLine) {
  auto n = parse_yaml("services:\n  web:\n    image: [\n", "compose.yaml");
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.error().message.find("compose.yaml: yaml: line"), std::string::npos)
      << n.error().message;
  auto dup = parse_yaml("a: 1\na: 2\n", "f.yaml");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("already defined"), std::string::npos);
}

TEST(Yaml, TagsAreKept) {
  auto n = parse_yaml("ports: !reset []\ncommand: !override [a]\n", "t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->find("ports")->tag(), "!reset");
  EXPECT_EQ(n->find("command")->tag(), "!override");
}

TEST(Yaml, EmitQuotesAmbiguousStrings) {
  Node m = Node::map();
  m.set("port", Node::string("80"));
  m.set("flag", Node::string("true"));
  m.set("num", Node::integer(3));
  m.set("s", Node::string("busybox"));
  std::string out = emit_yaml(m);
  EXPECT_NE(out.find("port: \"80\""), std::string::npos) << out;
  EXPECT_NE(out.find("flag: \"true\""), std::string::npos) << out;
  EXPECT_NE(out.find("num: 3"), std::string::npos) << out;
  EXPECT_NE(out.find("s: busybox"), std::string::npos) << out;
  auto back = parse_yaml(out, "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, m);
}

TEST(NodeJson, RoundTripKeepsOrder) {
  auto n = parse_yaml("b: 1\na: [x, 2, null, true]\n", "t");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(to_json_text(*n), R"({"b":1,"a":["x",2,null,true]})");
  auto back = from_json_text(to_json_text(*n), "t");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->find("a")->items().size(), 4u);
}

}  // namespace
}  // namespace berth::compose
