#include "engine/filters.h"

#include <gtest/gtest.h>

#include <map>

namespace berth::engine {
namespace {

Filters parse(const std::string& text) {
  auto j = parse_json(text, "filters");
  EXPECT_TRUE(j.ok());
  auto f = Filters::from_json(*j);
  EXPECT_TRUE(f.ok()) << f.error().message;
  return *f;
}

TEST(Filters, BothWireForms) {
  EXPECT_EQ(parse(R"({"name":{"a":true,"b":true}})").get("name"),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(parse(R"({"name":["b","a"]})").get("name"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(parse("{}").empty());
  auto bad = Filters::from_json(*parse_json(R"({"name":[1]})", "filters"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Code::kInvalidArgument);
}

TEST(Filters, LabelValuesAreAnded) {
  std::map<std::string, std::string> both{{"a", "1"}, {"b", "2"}}, only_a{{"a", "1"}};
  Filters f = parse(R"({"label":["a=1","b=2"]})");
  EXPECT_TRUE(f.match_kv_list("label", both));
  EXPECT_FALSE(f.match_kv_list("label", only_a));
  EXPECT_TRUE(parse(R"({"label":["a","b"]})").match_kv_list("label", both));
  EXPECT_FALSE(parse(R"({"label":["a=2"]})").match_kv_list("label", both));
  EXPECT_TRUE(parse("{}").match_kv_list("label", only_a));  // no values: everything
}

TEST(Filters, MatchIsExactOrExpressionAndOred) {
  Filters f = parse(R"({"name":["^web$","db"]})");
  EXPECT_TRUE(f.match("name", "web"));
  EXPECT_TRUE(f.match("name", "mydb1"));
  EXPECT_FALSE(f.match("name", "webby"));
  EXPECT_FALSE(parse(R"({"name":["("]})").match("name", "x"));  // a bad expression: no match
  EXPECT_TRUE(parse(R"({"name":["("]})").match("name", "("));   // but equality still counts
  EXPECT_TRUE(parse(R"({"driver":["local","x"]})").exact_match("driver", "local"));
  EXPECT_FALSE(parse(R"({"driver":["loc"]})").exact_match("driver", "local"));
}

TEST(Filters, ValidateNamesTheUnknownKey) {
  Filters f = parse(R"({"label":["a"],"nosuch":["x"]})");
  EXPECT_TRUE(f.validate({"label", "nosuch"}).ok());
  auto st = f.validate({"label"});
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, Code::kInvalidArgument);
  EXPECT_EQ(st.error().message, "Invalid filter 'nosuch'");
}

TEST(Filters, Bool) {
  EXPECT_TRUE(*parse(R"({"dangling":["true"]})").get_bool("dangling", false));
  EXPECT_FALSE(*parse(R"({"dangling":["0"]})").get_bool("dangling", true));
  EXPECT_TRUE(*parse("{}").get_bool("dangling", true));
  auto both = parse(R"({"dangling":["true","false"]})").get_bool("dangling", false);
  EXPECT_FALSE(both.ok());
  auto other = parse(R"({"dangling":["maybe"]})").get_bool("dangling", false);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, "Invalid filter 'dangling=maybe'");
}

TEST(Filters, Timestamp) {
  const int64_t now = 1700000000LL * 1000000000LL;
  EXPECT_EQ(*parse("{}").get_timestamp("until", now), 0);
  EXPECT_EQ(*parse(R"({"until":["1600000000"]})").get_timestamp("until", now),
            1600000000LL * 1000000000LL);
  EXPECT_EQ(*parse(R"({"until":["1h30m"]})").get_timestamp("until", now),
            now - 5400LL * 1000000000LL);
  EXPECT_EQ(*parse(R"({"until":["2020-09-13T12:26:40Z"]})").get_timestamp("until", now),
            1600000000LL * 1000000000LL);
  auto bad = parse(R"({"until":["soon"]})").get_timestamp("until", now);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "Invalid filter 'until=soon'");
  EXPECT_FALSE(parse(R"({"until":["1h","2h"]})").get_timestamp("until", now).ok());
}

}  // namespace
}  // namespace berth::engine
