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
