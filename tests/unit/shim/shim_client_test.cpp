// launch() and ShimClient against the real berth-shim; needs root and a built berth-shim
// ($BERTH_BUILD_DIR/bin/berth-shim), else skipped.
#include "shim/shim_client.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/file.h"
#include "oci/spec_json.h"

namespace berth::shim {
namespace {

class ShimClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The shim built with this test (build/bin/, next to the test binary's dir) unless
    // BERTH_BUILD_DIR names another build.
    const char* build = getenv("BERTH_BUILD_DIR");
    std::string dir = build ? build : "";
    if (dir.empty()) {
      char self[4096] = {};
      ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
      dir = n > 0 ? std::string(self, n) : "";
      dir = dir.substr(0, dir.rfind('/'));
    }
    binary_ = dir + "/bin/berth-shim";
    if (geteuid() != 0 || !path_exists(binary_) || !path_exists("/bin/busybox"))
      GTEST_SKIP() << "needs root, /bin/busybox and " << binary_;
    char tmpl[] = "/tmp/berth-shim-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    tmp_ = tmpl;
    std::string rootfs = tmp_ + "/bundle/rootfs";
    ASSERT_TRUE(make_dirs(rootfs + "/bin").ok());
    auto bb = read_file("/bin/busybox");
    ASSERT_TRUE(bb.ok());
    ASSERT_TRUE(write_file(rootfs + "/bin/busybox", *bb, 0755).ok());
    ASSERT_EQ(symlink("busybox", (rootfs + "/bin/sh").c_str()), 0);
    oci::Spec spec = oci::default_spec();
    spec.process.terminal = false;
    spec.process.args = {"sh", "-c", "echo out; echo err >&2; exit 7"};
    spec.linux_->cgroups_path = "/berth-shim-test/" + std::to_string(getpid());
    ASSERT_TRUE(write_file(tmp_ + "/bundle/config.json", oci::spec_to_json(spec)).ok());
  }
  void TearDown() override {
    if (shim_pid_ > 0) ::kill(shim_pid_, SIGKILL);
    if (!tmp_.empty()) (void)remove_all(tmp_);
    // The shim removed its leaf cgroup; the parent is ours to remove (rmdir: only if empty).
    auto ctrls = list_dir("/sys/fs/cgroup");
    if (ctrls)
      for (auto& c : *ctrls) ::rmdir(("/sys/fs/cgroup/" + c + "/berth-shim-test").c_str());
  }
  std::string binary_, tmp_;
  pid_t shim_pid_ = -1;
};

TEST_F(ShimClientTest, LaunchStartWait) {
  ShimLaunch l;
  l.shim_binary = binary_;
  l.id = "shimtest" + std::to_string(getpid());
  l.bundle = tmp_ + "/bundle";
  l.state_dir = tmp_ + "/shim";
  l.runtime_root = tmp_ + "/runtime";
  l.log_path = tmp_ + "/shim/json.log";
  auto pid = launch(l);
  ASSERT_TRUE(pid.ok()) << pid.error().message;
  shim_pid_ = *pid;
  ShimClient c(l.state_dir);
  EXPECT_EQ(read_exit_file(l.state_dir).error().code, Code::kNotFound);
  auto init = c.pid();
  ASSERT_TRUE(init.ok());
  EXPECT_GT(*init, 0);
  auto attach = c.attach(false, true, true);
  ASSERT_TRUE(attach.ok());
  ASSERT_TRUE(c.start().ok());
  auto st = c.wait();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(st->exit_code, 7);
  EXPECT_GT(st->finished_at, 0);
  auto stream = read_all(attach->get());
  ASSERT_TRUE(stream.ok());
  EXPECT_NE(stream->find("out\n"), std::string::npos);
  EXPECT_EQ(std::string("\x01\0\0\0\0\0\0\x04", 8), stream->substr(0, 8));
  auto exit = read_exit_file(l.state_dir);
  ASSERT_TRUE(exit.ok());
  EXPECT_EQ(exit->exit_code, 7);
  // Once the shim is gone, wait() answers from exit.json.
  for (int i = 0; i < 100 && ::kill(shim_pid_, 0) == 0 && path_exists(l.state_dir + "/shim.pid");
       ++i)
    usleep(20000);
  auto again = c.wait();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->exit_code, 7);
  EXPECT_EQ(c.start().error().code, Code::kUnavailable);
}

TEST_F(ShimClientTest, LaunchFailureLeavesNothing) {
  ShimLaunch l;
  l.shim_binary = binary_;
  l.id = "shimfail" + std::to_string(getpid());
  l.bundle = tmp_ + "/nonexistent";
  l.state_dir = tmp_ + "/shim";
  l.runtime_root = tmp_ + "/runtime";
  auto pid = launch(l);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(pid.error().message.find("nonexistent"), std::string::npos) << pid.error().message;
  EXPECT_FALSE(path_exists(l.runtime_root + "/" + l.id));
}

}  // namespace
}  // namespace berth::shim
