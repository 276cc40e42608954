#include "image/reference.h"

#include <gtest/gtest.h>

#include "image/image_store.h"

namespace berth::image {
namespace {

std::string norm(const std::string& s) {
  auto r = normalize_reference(s);
  return r.ok() ? *r : "ERR: " + r.error().message;
}
std::string full(const std::string& s) {
  auto r = parse_reference(s);
  return r.ok() ? r->full() : "ERR: " + r.error().message;
}

TEST(ReferenceTest, Familiar) {
  EXPECT_EQ(norm("busybox"), "busybox:latest");
  EXPECT_EQ(norm("busybox:1.36"), "busybox:1.36");
  EXPECT_EQ(norm("docker.io/library/busybox:1"), "busybox:1");
  EXPECT_EQ(norm("index.docker.io/library/busybox"), "busybox:latest");
  EXPECT_EQ(norm("user/app"), "user/app:latest");
  EXPECT_EQ(norm("docker.io/user/app:v2"), "user/app:v2");
  EXPECT_EQ(norm("host:5000/a:b"), "host:5000/a:b");
  EXPECT_EQ(norm("localhost/a/b"), "localhost/a/b:latest");
  EXPECT_EQ(norm("Example.com/a"), "Example.com/a:latest");
  EXPECT_EQ(norm("a_b.c-d__e--f"), "a_b.c-d__e--f:latest");
}

TEST(ReferenceTest, Full) {
  EXPECT_EQ(full("busybox"), "docker.io/library/busybox:latest");
  EXPECT_EQ(full("host:5000/a/b:v1"), "host:5000/a/b:v1");
  std::string d = "sha256:" + std::string(64, 'a');
  EXPECT_EQ(full("busybox@" + d), "docker.io/library/busybox@" + d);
  EXPECT_EQ(full("busybox:1@" + d), "docker.io/library/busybox:1@" + d);
  EXPECT_EQ(norm("busybox@" + d), "busybox@" + d);
}

TEST(ReferenceTest, Errors) {
  EXPECT_EQ(norm("Busybox"),
            "ERR: invalid reference format: repository name (library/Busybox) must be lowercase");
  EXPECT_EQ(norm("user/App"),
            "ERR: invalid reference format: repository name (user/App) must be lowercase");
  EXPECT_EQ(norm(""), "ERR: invalid reference format");
  EXPECT_EQ(norm("busybox:"), "ERR: invalid reference format");
  EXPECT_EQ(norm("bu sy"), "ERR: invalid reference format");
  EXPECT_EQ(norm("-abc"), "ERR: invalid reference format");
  EXPECT_EQ(norm("a//b"), "ERR: invalid reference format");
  EXPECT_EQ(norm("a:b:c"), "ERR: invalid reference format");
  EXPECT_EQ(norm("busybox:" + std::string(129, 'x')), "ERR: invalid reference format");
  EXPECT_EQ(norm("busybox@sha256:abc"), "ERR: invalid reference format: invalid digest format");
  EXPECT_EQ(norm(std::string(64, 'a')), "ERR: invalid repository name (" + std::string(64, 'a') +
                                            "), cannot specify 64-byte hexadecimal strings");
  auto r = normalize_reference("UPPER");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
}

}  // namespace
}  // namespace berth::image
