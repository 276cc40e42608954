#include "image/layer_unpack.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "base/digest.h"
#include "base/file.h"
#include "test_util.h"

namespace berth::image {
namespace {

using testing::TarBuilder;
using testing::TempDir;

class LayerUnpackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    layers_ = tmp_.path() + "/data/layers";
    outside_ = tmp_.path() + "/outside";
    ASSERT_TRUE(make_dirs(layers_).ok());
    ASSERT_TRUE(make_dirs(outside_).ok());
  }
  // Writes `tar` as a blob and unpacks it to layers/<name>.
  Result<int64_t> unpack(const std::string& tar, const std::string& name = "l1",
                         std::string diff_id = "") {
    std::string blob = tmp_.path() + "/blob";
    EXPECT_TRUE(write_file(blob, tar).ok());
    if (diff_id.empty()) diff_id = sha256_digest(tar);
    return unpack_layer(blob, diff_id, layers_ + "/" + name);
  }
  void expect_nothing_left() {
    auto entries = list_dir(layers_);
    ASSERT_TRUE(entries.ok());
    EXPECT_TRUE(entries->empty()) << (*entries)[0];
    auto out = list_dir(outside_);
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out->empty());
    EXPECT_FALSE(path_exists(tmp_.path() + "/data/evil"));
    EXPECT_FALSE(path_exists(tmp_.path() + "/evil"));
  }
  TempDir tmp_;
  std::string layers_, outside_;
};

TEST_F(LayerUnpackTest, ChainIds) {
  std::string a = "sha256:" + std::string(64, 'a'), b = "sha256:" + std::string(64, 'b');
  auto ids = chain_ids({a, b});
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(ids[0], a);
  EXPECT_EQ(ids[1], sha256_digest(a + " " + b));
}

TEST_F(LayerUnpackTest, UnpacksFilesLinksAndModes) {
  std::string tar = TarBuilder()
                        .dir("bin/")
                        .file("bin/tool", "#!/bin/sh\n", 0755)
                        .hardlink("bin/tool2", "bin/tool")
                        .symlink("bin/sh", "/bin/tool")
                        .dir("tmp/", 01777)
                        .finish();
  auto r = unpack(tar);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string d = layers_ + "/l1";
  struct stat st;
  ASSERT_EQ(::stat((d + "/bin/tool").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0755u);
  EXPECT_EQ(st.st_nlink, 2u);
  ASSERT_EQ(::lstat((d + "/bin/sh").c_str(), &st), 0);
  EXPECT_TRUE(S_ISLNK(st.st_mode));
  ASSERT_EQ(::stat((d + "/tmp").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 01777u);
  EXPECT_EQ(st.st_mtime, 1000);
  // A second unpack of the same layer is a no-op.
  EXPECT_TRUE(unpack(tar).ok());
}

TEST_F(LayerUnpackTest, GzipLayer) {
  std::string tar = TarBuilder().file("a.txt", "hello").finish();
  std::string gz = TarBuilder(true).file("a.txt", "hello").finish();
  auto r = unpack(gz, "l1", sha256_digest(tar));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_file(layers_ + "/l1/a.txt").value_or(""), "hello");
}

TEST_F(LayerUnpackTest, Whiteouts) {
  if (::geteuid() != 0) GTEST_SKIP() << "mknod and trusted.* xattrs need root";
  std::string tar = TarBuilder()
                        .dir("etc/")
                        .file("etc/.wh.motd", "")
                        .dir("var/")
                        .file("var/.wh..wh..opq", "")
                        .finish();
  auto r = unpack(tar);
  ASSERT_TRUE(r.ok()) << r.error().message;
  struct stat st;
  ASSERT_EQ(::lstat((layers_ + "/l1/etc/motd").c_str(), &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
  EXPECT_EQ(st.st_rdev, 0u);
  EXPECT_FALSE(path_exists(layers_ + "/l1/etc/.wh.motd"));
  char val[4] = {};
  ssize_t n = ::getxattr((layers_ + "/l1/var").c_str(), "trusted.overlay.opaque", val, 4);
  if (n < 0 && errno == ENOTSUP) GTEST_SKIP() << "no trusted xattrs on /tmp";
  ASSERT_EQ(n, 1);
  EXPECT_EQ(val[0], 'y');
  EXPECT_FALSE(path_exists(layers_ + "/l1/var/.wh..wh..opq"));
}

TEST_F(LayerUnpackTest, RejectsDotDot) {
  auto r = unpack(TarBuilder().file("ok", "x").file("../evil", "x").finish());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("..\")"), std::string::npos) << r.error().message;
  expect_nothing_left();
  r = unpack(TarBuilder().file("a/../../evil", "x").finish());
  ASSERT_FALSE(r.ok());
  expect_nothing_left();
}

TEST_F(LayerUnpackTest, RejectsAbsolutePath) {
  auto r = unpack(TarBuilder().file(tmp_.path() + "/evil", "x").finish());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("absolute path"), std::string::npos) << r.error().message;
  expect_nothing_left();
}

TEST_F(LayerUnpackTest, RejectsWritingThroughSymlink) {
  auto r = unpack(TarBuilder().symlink("link", outside_).file("link/pwned", "x").finish());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("symlink"), std::string::npos) << r.error().message;
  expect_nothing_left();
  r = unpack(TarBuilder().symlink("up", "../../..").file("up/evil", "x").finish());
  ASSERT_FALSE(r.ok());
  expect_nothing_left();
}

TEST_F(LayerUnpackTest, RejectsHardLinkOutside) {
  struct stat before;
  ASSERT_EQ(::stat("/etc/passwd", &before), 0);
  auto r = unpack(TarBuilder().hardlink("passwd", "/etc/passwd").finish());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("absolute path"), std::string::npos) << r.error().message;
  expect_nothing_left();
  r = unpack(TarBuilder().hardlink("passwd", "../../../../../../etc/passwd").finish());
  ASSERT_FALSE(r.ok());
  expect_nothing_left();
  r = unpack(TarBuilder().symlink("etc", "/etc").hardlink("passwd", "etc/passwd").finish());
  ASSERT_FALSE(r.ok());
  expect_nothing_left();
  struct stat after;
  ASSERT_EQ(::stat("/etc/passwd", &after), 0);
  EXPECT_EQ(before.st_nlink, after.st_nlink);
}

TEST_F(LayerUnpackTest, DiffIdMismatchLeavesNothing) {
  std::string tar = TarBuilder().file("a", "x").finish();
  auto r = unpack(tar, "l1", "sha256:" + std::string(64, '0'));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Code::kDataLoss);
  EXPECT_NE(r.error().message.find("digest mismatch"), std::string::npos);
  expect_nothing_left();
}

TEST_F(LayerUnpackTest, TruncatedLayerFails) {
  std::string tar = TarBuilder().file("a", std::string(5000, 'x')).finish();
  auto r = unpack(tar.substr(0, 2000), "l1", sha256_digest(tar));
  ASSERT_FALSE(r.ok());
  expect_nothing_left();
}

}  // namespace
}  // namespace berth::image
