#include "api/server/router.h"

#include <gtest/gtest.h>

namespace berth::api::server {
namespace {

TEST(Router, StripsVersionPrefix) {
  std::string v;
  EXPECT_EQ(strip_version("/v1.50/containers/json", &v), "/containers/json");
  EXPECT_EQ(v, "1.50");
  EXPECT_EQ(strip_version("/containers/json", &v), "/containers/json");
  EXPECT_EQ(v, "");
  EXPECT_EQ(strip_version("/volumes", &v), "/volumes");  // 'v' then a letter: not a version
}

TEST(Router, ErrorCodesMapToDockerStatuses) {
  EXPECT_EQ(http_status(Code::kNotFound), 404);
  EXPECT_EQ(http_status(Code::kInvalidArgument), 400);
  EXPECT_EQ(http_status(Code::kConflict), 409);
  EXPECT_EQ(http_status(Code::kNotModified), 304);
  EXPECT_EQ(http_status(Code::kUnauthorized), 401);
  EXPECT_EQ(http_status(Code::kPermissionDenied), 403);
  EXPECT_EQ(http_status(Code::kNotImplemented), 501);
  EXPECT_EQ(http_status(Code::kUnavailable), 503);
  EXPECT_EQ(http_status(Code::kInternal), 500);
}

}  // namespace
}  // namespace berth::api::server
