#include "base/file.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

namespace berth {
namespace {

class TreeSizeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-tree-size-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { (void)remove_all(dir_); }
  std::string dir_;
};

TEST_F(TreeSizeTest, CountsFilesAndSymlinksOnceNotDirectories) {
  ASSERT_TRUE(make_dirs(dir_ + "/a/b").ok());
  ASSERT_TRUE(write_file(dir_ + "/a/b/ten", "0123456789").ok());
  ASSERT_TRUE(write_file(dir_ + "/two", "xy").ok());
  ASSERT_EQ(::link((dir_ + "/two").c_str(), (dir_ + "/a/two-again").c_str()), 0);
  ASSERT_EQ(::symlink("abc", (dir_ + "/link").c_str()), 0);  // st_size 3
  auto size = tree_size(dir_);
  ASSERT_TRUE(size.ok()) << size.error().message;
  EXPECT_EQ(*size, 10 + 2 + 3);
}

TEST_F(TreeSizeTest, MissingPathIsZero) {
  auto size = tree_size(dir_ + "/nope");
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 0);
}

}  // namespace
}  // namespace berth
