#include "cli/flags/flags.h"

#include <gtest/gtest.h>

#include "cli/container/container_config.h"

namespace berth::cli {
namespace {

Flags run_flags() {
  Flags f;
  add_container_flags(f, true);
  return f;
}

TEST(Flags, RunStopsAtImage) {
  Flags f = run_flags();
  ASSERT_TRUE(f.parse({"--rm", "-it", "-e", "A=1", "--env=B=2", "-eC=3", "--name", "web", "busybox",
                       "sh", "-c", "echo -e hi", "--rm"},
                      false)
                  .ok());
  EXPECT_TRUE(f.get_bool("rm"));
  EXPECT_TRUE(f.get_bool("interactive"));
  EXPECT_TRUE(f.get_bool("tty"));
  EXPECT_EQ(f.get_list("env"), (std::vector<std::string>{"A=1", "B=2", "C=3"}));
  EXPECT_EQ(f.get_string("name"), "web");
  EXPECT_EQ(f.args(), (std::vector<std::string>{"busybox", "sh", "-c", "echo -e hi", "--rm"}));
}

TEST(Flags, ShortValueForms) {
  Flags f = run_flags();
  ASSERT_TRUE(f.parse({"-w/tmp", "-u=1000", "-h", "box", "-d", "img"}, false).ok());
  EXPECT_EQ(f.get_string("workdir"), "/tmp");
  EXPECT_EQ(f.get_string("user"), "1000");
  EXPECT_EQ(f.get_string("hostname"), "box");
  EXPECT_TRUE(f.get_bool("detach"));
  EXPECT_EQ(f.args(), (std::vector<std::string>{"img"}));
}

TEST(Flags, DoubleDashEndsFlags) {
  Flags f = run_flags();
  ASSERT_TRUE(f.parse({"--", "-notaflag"}, false).ok());
  EXPECT_EQ(f.args(), (std::vector<std::string>{"-notaflag"}));
}

TEST(Flags, InterspersedForOtherCommands) {
  Flags f;
  f.add_bool("force", 'f', "");
  ASSERT_TRUE(f.parse({"a", "-f", "b"}).ok());
  EXPECT_TRUE(f.get_bool("force"));
  EXPECT_EQ(f.args(), (std::vector<std::string>{"a", "b"}));
}

TEST(Flags, Errors) {
  Flags f = run_flags();
  auto st = f.parse({"--bogus", "img"}, false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "unknown flag: --bogus");
  Flags g = run_flags();
  st = g.parse({"-Z"}, false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "unknown shorthand flag: 'Z' in -Z");
  Flags h = run_flags();
  st = h.parse({"--name"}, false);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "flag needs an argument: --name");
}

TEST(Flags, HelpWithoutShortHWhenTaken) {
  Flags f;
  f.add_bool("all", 'a', "");
  ASSERT_TRUE(f.parse({"-h"}).ok());
  EXPECT_TRUE(f.help());
  Flags r = run_flags();
  ASSERT_TRUE(r.parse({"--help"}, false).ok());
  EXPECT_TRUE(r.help());
}

TEST(ContainerSpec, CreateBody) {
  Flags f = run_flags();
  ASSERT_TRUE(f.parse({"--rm", "-i", "-e", "X=1", "--entrypoint", "", "-p", "127.0.0.1:8080:80",
                       "alpine", "ls", "-l"},
                      false)
                  .ok());
  auto spec = build_container_spec(f, true);
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  const model::ContainerCreateRequest& b = spec->body;
  EXPECT_EQ(b.image, "alpine");
  EXPECT_EQ(b.cmd, (model::List<std::string>{"ls", "-l"}));
  EXPECT_EQ(b.env, (model::List<std::string>{"X=1"}));
  EXPECT_EQ(b.entrypoint, (model::List<std::string>{""}));
  EXPECT_TRUE(b.attach_stdin);
  EXPECT_TRUE(b.attach_stdout);
  EXPECT_TRUE(b.open_stdin);
  EXPECT_TRUE(b.stdin_once);
  EXPECT_FALSE(b.tty);
  ASSERT_TRUE(b.host_config.has_value());
  EXPECT_TRUE(b.host_config->auto_remove);
  EXPECT_EQ(b.host_config->port_bindings.at("80/tcp")[0].host_port, "8080");
  EXPECT_EQ(b.host_config->port_bindings.at("80/tcp")[0].host_ip, "127.0.0.1");
  EXPECT_TRUE(b.exposed_ports.count("80/tcp"));
}

TEST(ContainerSpec, DetachedDoesNotAttach) {
  Flags f = run_flags();
  ASSERT_TRUE(f.parse({"-d", "busybox"}, false).ok());
  auto spec = build_container_spec(f, true);
  ASSERT_TRUE(spec.ok());
  EXPECT_FALSE(spec->body.attach_stdout);
  EXPECT_TRUE(spec->body.cmd.is_null());
  EXPECT_TRUE(spec->body.entrypoint.is_null());
}

}  // namespace
}  // namespace berth::cli
