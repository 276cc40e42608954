#include "runtime/cgroups/cgroup.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "base/file.h"
#include "runtime/internal/rootfs.h"
#include "runtime/runtime.h"

namespace berth::runtime {
namespace {

class CgroupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-cgroup-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { (void)remove_all(root_); }
  std::string read(const std::string& rel) {
    auto t = read_file(root_ + "/" + rel);
    return t ? *t : "<missing>";
  }
  std::string root_;
};

oci::Resources limits() {
  oci::Resources r;
  r.memory = oci::MemoryResources{};
  r.memory->limit = 67108864;
  r.pids = oci::PidsResources{50};
  r.cpu = oci::CpuResources{};
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  return r;
}

TEST_F(CgroupTest, V1WritesEveryHierarchy) {
  for (auto d : {"memory", "pids", "cpu,cpuacct", "unified"})
    ASSERT_TRUE(make_dirs(root_ + "/" + d).ok());
  ASSERT_EQ(symlink("cpu,cpuacct", (root_ + "/cpu").c_str()), 0);
  auto cg = open_cgroup(root_, "/berth/c1", CgroupVersion::kV1);
  ASSERT_TRUE(cg.ok());
  ASSERT_TRUE((*cg)->create().ok());
  ASSERT_TRUE((*cg)->apply(limits()).ok());
  ASSERT_TRUE((*cg)->add(1234).ok());
  EXPECT_EQ((*cg)->dirs().size(), 4u);  // the cpu symlink is not a second hierarchy
  EXPECT_EQ(read("memory/berth/c1/memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(read("pids/berth/c1/pids.max"), "50");
  EXPECT_EQ(read("cpu,cpuacct/berth/c1/cpu.shares"), "1024");
  EXPECT_EQ(read("cpu,cpuacct/berth/c1/cpu.cfs_quota_us"), "50000");
  EXPECT_EQ(read("cpu,cpuacct/berth/c1/cpu.cfs_period_us"), "100000");
  EXPECT_EQ(read("unified/berth/c1/cgroup.procs"), "1234");
  auto pids = (*cg)->pids();
  ASSERT_TRUE(pids.ok());
  EXPECT_EQ(*pids, std::vector<pid_t>{1234});
  ASSERT_TRUE((*cg)->destroy().ok());
  EXPECT_FALSE(path_exists(root_ + "/memory/berth/c1"));
  EXPECT_TRUE(path_exists(root_ + "/memory/berth"));
}

TEST_F(CgroupTest, V2WritesOneDir) {
  ASSERT_TRUE(write_file(root_ + "/cgroup.controllers", "cpu memory pids io\n").ok());
  auto cg = open_cgroup(root_, "berth/c2", CgroupVersion::kV2);
  ASSERT_TRUE(cg.ok());
  ASSERT_TRUE((*cg)->create().ok());
  ASSERT_TRUE((*cg)->apply(limits()).ok());
  EXPECT_EQ(read("berth/c2/memory.max"), "67108864");
  EXPECT_EQ(read("berth/c2/pids.max"), "50");
  EXPECT_EQ(read("berth/c2/cpu.max"), "50000 100000");
  EXPECT_EQ(read("berth/c2/cpu.weight"), std::to_string(shares_to_weight(1024)));
  EXPECT_NE(read("cgroup.subtree_control"), "<missing>");
  ASSERT_TRUE(write_file(root_ + "/berth/c2/memory.events", "low 0\noom 1\noom_kill 1\n").ok());
  EXPECT_TRUE((*cg)->oom_killed());
  ASSERT_TRUE((*cg)->destroy().ok());
  EXPECT_FALSE(path_exists(root_ + "/berth/c2"));
}

TEST(CgroupPath, RootIsRejected) {
  EXPECT_FALSE(open_cgroup("/tmp", "/", CgroupVersion::kV2).ok());
}

TEST(SharesToWeight, MatchesRunc) {
  EXPECT_EQ(shares_to_weight(2), 1u);
  EXPECT_EQ(shares_to_weight(262144), 10000u);
  EXPECT_EQ(shares_to_weight(1024), 39u);
}

TEST(MountOptions, SplitsFlagsAndData) {
  auto o = parse_mount_options({"nosuid", "ro", "mode=755", "size=65536k", "rbind", "rprivate"});
  EXPECT_TRUE(o.bind);
  EXPECT_TRUE(o.flags & MS_RDONLY);
  EXPECT_TRUE(o.flags & MS_NOSUID);
  EXPECT_TRUE(o.flags & MS_REC);
  EXPECT_EQ(o.data, "mode=755,size=65536k");
  EXPECT_EQ(o.propagation, static_cast<unsigned long>(MS_PRIVATE | MS_REC));
}

TEST(Signals, Parse) {
  EXPECT_EQ(parse_signal("KILL"), 9);
  EXPECT_EQ(parse_signal("SIGTERM"), 15);
  EXPECT_EQ(parse_signal("2"), 2);
  EXPECT_EQ(parse_signal("NOPE"), 0);
}

}  // namespace
}  // namespace berth::runtime
