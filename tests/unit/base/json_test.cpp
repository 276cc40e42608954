#include "base/json.h"

#include <gtest/gtest.h>

namespace berth {
namespace {

std::string literal(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(AppendJsonString, EscapesAsDumpJsonDoes) {
  for (std::string text :
       {std::string("plain"), std::string("q\"b\\s/"), std::string("tab\tnl\ncr\r\x01\x1f"),
        std::string("caf\xc3\xa9"), std::string("bad \xff utf8"), std::string()}) {
    EXPECT_EQ(literal(text), dump_json(Json(text))) << text;
    auto back = parse_json(literal(text), "test");
    ASSERT_TRUE(back.ok());
  }
}

}  // namespace
}  // namespace berth

namespace berth {
// Issue 15 item 5: 100,000 levels of nesting overflowed the stack; refused before parsing.
TEST(ParseJson, RefusesDeepNesting) {
  auto deep = parse_json(std::string(100000, '['), "body");
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().message.find("too deeply nested"), std::string::npos);
  EXPECT_FALSE(parse_json(std::string(1001, '{'), "body").ok());
  std::string ok = std::string(1000, '[') + std::string(1000, ']');
  EXPECT_TRUE(parse_json(ok, "body").ok());
  // Brackets inside strings (escaped quotes too) are not nesting.
  EXPECT_TRUE(parse_json("{\"a\":\"\\\"" + std::string(5000, '[') + "\"}", "body").ok());
}
}  // namespace berth
