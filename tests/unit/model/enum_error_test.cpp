// Enums whose schema names Docker's own error for a value not listed ("invalid"): the decode error
// is that text, as dockerd words it, not the generic "<path>: invalid value".
#include <gtest/gtest.h>

#include "model/container_json.h"

namespace berth::model {
namespace {

TEST(EnumError, RestartPolicyInDockersWords) {
  auto hc = from_json<HostConfig>(Json::parse(R"({"RestartPolicy": {"Name": "bogus"}})"));
  ASSERT_FALSE(hc.ok());
  EXPECT_EQ(hc.error().message, "invalid restart policy 'bogus'");
  EXPECT_EQ(hc.error().code, Code::kInvalidArgument);
}

TEST(EnumError, MountTypeInBerthsWords) {
  auto m = from_json<Mount>(Json::parse(R"({"Type": "nfsish", "Target": "/x"})"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "mount type unknown: \"nfsish\"");
}

TEST(EnumError, OtherEnumsNameThePath) {
  auto m = from_json<Mount>(Json::parse(R"({"BindOptions": {"Propagation": "sideways"}})"));
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message, "BindOptions.Propagation: invalid value \"sideways\"");
}

}  // namespace
}  // namespace berth::model
