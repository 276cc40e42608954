#include "base/path.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/file.h"

namespace berth {
namespace {

TEST(CleanPath, FoldsDotsAndSlashes) {
  EXPECT_EQ(clean_path("a/./b/../c"), "a/c");
  EXPECT_EQ(clean_path("/../x"), "/x");
  EXPECT_EQ(clean_path("//a//b/"), "/a/b");
  EXPECT_EQ(clean_path(""), ".");
}

TEST(JoinUnder, DotDotCannotClimbOut) {
  EXPECT_EQ(join_under("/root", "../../etc/passwd"), "/root/etc/passwd");
  EXPECT_EQ(join_under("/root", "/"), "/root");
  EXPECT_EQ(join_under("/root/", "a/b"), "/root/a/b");
}

TEST(ResolveInRoot, AbsoluteSymlinkStaysInside) {
  char tmpl[] = "/tmp/berth-path-test-XXXXXX";
  std::string root = ::mkdtemp(tmpl);
  ASSERT_TRUE(make_dirs(root + "/etc").ok());
  ASSERT_EQ(::symlink("/etc", (root + "/link").c_str()), 0);
  ASSERT_EQ(::symlink("../../../../etc", (root + "/up").c_str()), 0);
  auto a = resolve_in_root(root, "/link/passwd");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, root + "/etc/passwd");
  auto b = resolve_in_root(root, "up/shadow");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, root + "/etc/shadow");
  (void)remove_all(root);
}

}  // namespace
}  // namespace berth

#include "base/process.h"

namespace berth {
namespace {

TEST(Process, RunCaptureReturnsOutputAndExitCode) {
  std::string out;
  auto code = run_capture({"/bin/sh", "-c", "echo hi; exit 3"}, &out);
  ASSERT_TRUE(code.ok()) << code.error().message;
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(out, "hi\n");
}

TEST(Process, SignalledChildGives128PlusSignal) {
  auto code = run_capture({"/bin/sh", "-c", "kill -9 $$"}, nullptr);
  ASSERT_TRUE(code.ok());
  EXPECT_EQ(*code, 137);
}

}  // namespace
}  // namespace berth
