// BuildKit's pattern forms of parameter expansion: ${v#p} ${v##p} ${v%p} ${v%%p} ${v/p/r}.
#include "builder/expand.h"

#include <gtest/gtest.h>

namespace berth::builder {
namespace {

std::string x(const std::string& text, const Vars& v) {
  auto r = expand_word(text, v);
  EXPECT_TRUE(r.ok()) << text << ": " << r.error().message;
  return r.ok() ? *r : "<error>";
}

TEST(ExpandPatterns, PrefixAndSuffixRemoval) {
  Vars v = {{"P", "/usr/local/bin/tool.tar.gz"}, {"S", "a-b-c"}};
  EXPECT_EQ(x("${P#*/}", v), "usr/local/bin/tool.tar.gz");
  EXPECT_EQ(x("${P##*/}", v), "tool.tar.gz");
  EXPECT_EQ(x("${P%.*}", v), "/usr/local/bin/tool.tar");
  EXPECT_EQ(x("${P%%.*}", v), "/usr/local/bin/tool");
  EXPECT_EQ(x("${S#a-}", v), "b-c");
  EXPECT_EQ(x("${S%-?}", v), "a-b");
  EXPECT_EQ(x("${S#x}", v), "a-b-c");  // no match: unchanged
  EXPECT_EQ(x("${S%[bc]}", v), "a-b-");
  EXPECT_EQ(x("${U#a}", v), "");  // unset: empty
}

TEST(ExpandPatterns, Replacement) {
  Vars v = {{"S", "a-b-c"}, {"R", "+"}, {"F", "foo.bar.foo"}};
  EXPECT_EQ(x("${S/-/_}", v), "a_b-c");
  EXPECT_EQ(x("${S//-/_}", v), "a_b_c");
  EXPECT_EQ(x("${S/-/$R}", v), "a+b-c");        // the replacement expands
  EXPECT_EQ(x("${F/f*o/X}", v), "X");           // longest match
  EXPECT_EQ(x("${F/o/}", v), "fo.bar.foo");     // empty replacement
  EXPECT_EQ(x("${F/zz/y}", v), "foo.bar.foo");  // no match
  EXPECT_EQ(x("\"${S/-/ }\"", v), "a b-c");
}

TEST(ExpandPatterns, InsideWordsAndWithOtherForms) {
  Vars v = {{"V", "1.2.3"}};
  EXPECT_EQ(x("v${V%%.*}-x", v), "v1-x");
  EXPECT_EQ(x("${V:-d}", v), "1.2.3");
  auto words = expand_words("${V#1.} ${V//./_}", v);
  ASSERT_TRUE(words.ok());
  EXPECT_EQ(*words, (std::vector<std::string>{"2.3", "1_2_3"}));
}

}  // namespace
}  // namespace berth::builder
