#include "compose/env_file.h"

#include <gtest/gtest.h>

namespace berth::compose {
namespace {

TEST(EnvFile, Syntax) {
  Lookup os = [](const std::string& k) -> std::optional<std::string> {
    if (k == "HOME") return "/root";
    return std::nullopt;
  };
  auto env = parse_env_file(
      "# comment\n"
      "A=1\n"
      "export B = two words  # trailing\n"
      "C='single $A'\n"
      "D=\"double $A\\n\"\n"
      "E=${A}-${HOME}\n"
      "HOME\n"
      "MISSING\n"
      "\n"
      "A=3\n",
      ".env", os);
  ASSERT_TRUE(env.ok()) << env.error().message;
  std::map<std::string, std::string> m(env->begin(), env->end());
  EXPECT_EQ(m["A"], "3");
  EXPECT_EQ(m["B"], "two words");
  EXPECT_EQ(m["C"], "single $A");
  EXPECT_EQ(m["D"], "double 1\n");
  EXPECT_EQ(m["E"], "1-/root");
  EXPECT_EQ(m["HOME"], "/root");
  EXPECT_EQ(m.count("MISSING"), 0u);
}

}  // namespace
}  // namespace berth::compose
