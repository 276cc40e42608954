#include "engine/spec_builder.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/file.h"
#include "engine/user_lookup.h"

namespace berth::engine {
namespace {

class RootfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-spec-test-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    ASSERT_TRUE(make_dirs(root_ + "/etc").ok());
    ASSERT_TRUE(write_file(root_ + "/etc/passwd",
                           "root:x:0:0:root:/root:/bin/sh\n"
                           "nobody:x:65534:65534:nobody:/home:/bin/false\n"
                           "app:x:1000:1000::/home/app:/bin/sh\n")
                    .ok());
    ASSERT_TRUE(write_file(root_ + "/etc/group", "root:x:0:\nstaff:x:50:app\napp:x:1000:\n").ok());
  }
  void TearDown() override { (void)remove_all(root_); }
  std::string root_;
};

TEST_F(RootfsTest, ResolvesNamesNumbersAndGroups) {
  auto app = resolve_user(root_, "app");
  ASSERT_TRUE(app.ok());
  EXPECT_EQ(app->uid, 1000u);
  EXPECT_EQ(app->gid, 1000u);
  EXPECT_EQ(app->additional_gids, std::vector<unsigned>{50});
  auto numeric = resolve_user(root_, "1234:5678");
  ASSERT_TRUE(numeric.ok());
  EXPECT_EQ(numeric->uid, 1234u);
  EXPECT_EQ(numeric->gid, 5678u);
  auto named_group = resolve_user(root_, "nobody:staff");
  ASSERT_TRUE(named_group.ok());
  EXPECT_EQ(named_group->gid, 50u);
  auto missing = resolve_user(root_, "ghost");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message,
            "unable to find user ghost: no matching entries in passwd file");
}

TEST_F(RootfsTest, PasswdSymlinkCannotEscapeRootfs) {
  ASSERT_TRUE(remove_all(root_ + "/etc/passwd").ok());
  ASSERT_EQ(::symlink("/etc/passwd", (root_ + "/etc/passwd").c_str()), 0);
  // The link resolves inside the rootfs, to itself: no host user "daemon" is found.
  EXPECT_FALSE(resolve_user(root_, "daemon").ok());
}

TEST_F(RootfsTest, SpecCarriesProcessMountsAndNamespaces) {
  Container c;
  c.id = std::string(64, 'a');
  c.path = "sh";
  c.args = {"-c", "echo hi"};
  c.config = Json{{"Hostname", "box"},
                  {"Env", {"FOO=bar"}},
                  {"User", "app"},
                  {"WorkingDir", "/work"},
                  {"Tty", true}};
  c.host_config = Json{{"Memory", 64 << 20}};
  auto spec = build_spec(c, {root_, "/cdir", "/berth/" + c.id});
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  const Json& s = *spec;
  EXPECT_EQ(s["process"]["args"], Json({"sh", "-c", "echo hi"}));
  EXPECT_EQ(s["process"]["user"]["uid"], 1000);
  EXPECT_EQ(s["process"]["cwd"], "/work");
  EXPECT_TRUE(is_directory(root_ + "/work"));  // Docker creates a missing working dir
  EXPECT_EQ(s["hostname"], "box");
  EXPECT_EQ(s["linux"]["resources"]["memory"]["limit"], 64 << 20);
  EXPECT_EQ(s["linux"]["cgroupsPath"], "/berth/" + c.id);
  auto env = s["process"]["env"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(env.begin(), env.end(), "FOO=bar"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "HOSTNAME=box"), env.end());
  EXPECT_NE(std::find(env.begin(), env.end(), "TERM=xterm"), env.end());
  bool has_hosts = false;
  for (auto& m : s["mounts"])
    if (m["destination"] == "/etc/hosts") has_hosts = m["source"] == "/cdir/hosts";
  EXPECT_TRUE(has_hosts);
  EXPECT_EQ(s["linux"]["namespaces"].size(), 6u);
}

TEST(ContainerRecord, RoundTrips) {
  Container c;
  c.id = std::string(64, 'b');
  c.name = "web";
  c.path = "sleep";
  c.args = {"10"};
  c.config = Json{{"Tty", true}};
  c.host_config = Json{{"AutoRemove", true}};
  c.state.status = RunState::kExited;
  c.state.exit_code = 3;
  auto back = container_from_record(dump_json(container_to_record(c)));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->name, "web");
  EXPECT_EQ(back->state.status, RunState::kExited);
  EXPECT_EQ(back->state.exit_code, 3);
  EXPECT_TRUE(back->tty());
  EXPECT_TRUE(back->auto_remove());
}

}  // namespace
}  // namespace berth::engine
