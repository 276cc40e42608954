#include "engine/names.h"

#include <gtest/gtest.h>

#include "engine/engine.h"

namespace berth::engine {
namespace {

TEST(Names, GeneratedNamesAreValid) {
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(valid_container_name(random_container_name()));
}

TEST(Names, DockerNameRule) {
  EXPECT_TRUE(valid_container_name("web-1.a_b"));
  EXPECT_FALSE(valid_container_name("-web"));
  EXPECT_FALSE(valid_container_name("a b"));
  EXPECT_FALSE(valid_container_name("x"));
}

TEST(Signals, ParsesNamesAndNumbers) {
  EXPECT_EQ(parse_signal("SIGTERM"), 15);
  EXPECT_EQ(parse_signal("term"), 15);
  EXPECT_EQ(parse_signal("9"), 9);
  EXPECT_EQ(parse_signal("KILL"), 9);
  EXPECT_EQ(parse_signal("SIGNOPE"), 0);
  EXPECT_EQ(parse_signal("99"), 0);
}

}  // namespace
}  // namespace berth::engine
