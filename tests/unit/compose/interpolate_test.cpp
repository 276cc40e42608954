#include "compose/interpolate.h"

#include <gtest/gtest.h>

#include <map>

namespace berth::compose {
namespace {

Lookup env(std::map<std::string, std::string> m) {
  return [m](const std::string& k) -> std::optional<std::string> {
    auto it = m.find(k);
    if (it == m.end()) return std::nullopt;
    return it->second;
  };
}

std::string run(const std::string& s, std::vector<std::string>* w = nullptr) {
  auto r = interpolate_string(s, env({{"SET", "v"}, {"EMPTY", ""}}), "k", w);
  return r.ok() ? *r : "ERR:" + r.error().message;
}

TEST(Interpolate, AllForms) {
  EXPECT_EQ(run("$SET ${SET}"), "v v");
  EXPECT_EQ(run("${UNSET:-d} ${EMPTY:-d} ${SET:-d}"), "d d v");
  EXPECT_EQ(run("${UNSET-d} ${EMPTY-d}"), "d ");
  EXPECT_EQ(run("${SET:+r} ${EMPTY:+r} ${UNSET:+r}"), "r  ");
  EXPECT_EQ(run("${SET+r} ${EMPTY+r} ${UNSET+r}"), "r r ");
  EXPECT_EQ(run("$$SET $${SET}"), "$SET ${SET}");
  EXPECT_EQ(run("${UNSET:-${SET}x}"), "vx");
  EXPECT_EQ(run("a${SET}b"), "avb");
}

TEST(Interpolate, RequiredVariables) {
  EXPECT_EQ(run("${UNSET:?need it}"), "ERR:required variable UNSET is missing a value: need it");
  EXPECT_EQ(run("${EMPTY:?}"), "ERR:required variable EMPTY is missing a value");
  EXPECT_EQ(run("${EMPTY?x}"), "");
  EXPECT_EQ(run("${UNSET?x}"), "ERR:required variable UNSET is missing a value: x");
}

TEST(Interpolate, UnsetWarnsOnce) {
  std::vector<std::string> w;
  EXPECT_EQ(run("$NOPE ${NOPE}", &w), " ");
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0], "The \"NOPE\" variable is not set. Defaulting to a blank string.");
}

TEST(Interpolate, InvalidFormatNamesTheKey) {
  EXPECT_NE(run("${").find("invalid interpolation format for k"), std::string::npos);
  EXPECT_NE(run("${}").find("invalid interpolation format"), std::string::npos);
  EXPECT_NE(run("$ x").find("invalid interpolation format"), std::string::npos);
  EXPECT_NE(run("${SET:x}").find("invalid interpolation format"), std::string::npos);
}

TEST(Interpolate, TreeValuesNotKeys) {
  Node n = Node::map();
  n.set("$KEY", Node::string("${SET}"));
  n["list"] = Node::seq();
  n["list"].push_back(Node::string("${UNSET:?boom}"));
  auto st = interpolate_tree(&n, env({{"SET", "v"}}), "", nullptr);
  ASSERT_FALSE(st.ok());
  n["list"] = Node::seq();
  ASSERT_TRUE(interpolate_tree(&n, env({{"SET", "v"}}), "", nullptr).ok());
  EXPECT_EQ(n.str("$KEY"), "v");
  EXPECT_TRUE(n.find("$KEY")->interpolated());
}

}  // namespace
}  // namespace berth::compose
