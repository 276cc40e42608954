#include <gtest/gtest.h>

#include "compose/node_json.h"
#include "compose/project.h"
#include "test_dir.h"

namespace berth::compose {
namespace {

using testing::TestDir;

Result<Project> load(const TestDir& dir, LoadOptions o = {}) {
  if (o.working_dir.empty()) o.working_dir = dir.path();
  return load_project(o);
}

TEST(ProjectName, NormalisedAsCompose) {
  EXPECT_EQ(normalize_project_name("My App.v2"), "myappv2");
  EXPECT_EQ(normalize_project_name("__x-Y"), "x-y");
  EXPECT_EQ(check_project_name("ok_1-a"), "");
  EXPECT_NE(check_project_name("Bad"), "");
  EXPECT_NE(check_project_name("-x"), "");
}

TEST(Loader, FindsTheFileUpwardsWithItsOverride) {
  TestDir d;
  d.write("My Proj/compose.yaml", "services:\n  web:\n    image: busybox\n");
  d.write("My Proj/compose.override.yaml", "services:\n  web:\n    command: echo hi\n");
  d.write("My Proj/sub/deeper/.keep", "");
  LoadOptions o;
  o.working_dir = d.path() + "/My Proj/sub/deeper";
  auto p = load(d, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "myproj");
  EXPECT_EQ(p->working_dir, d.path() + "/My Proj");
  ASSERT_EQ(p->config_files.size(), 2u);
  const Node& web = *p->services().find("web");
  EXPECT_EQ(to_json_text(*web.find("command")), R"(["echo","hi"])");
  EXPECT_EQ(p->model.entries()[0].first, "name");
}

TEST(Loader, NoFile) {
  TestDir d;
  auto p = load(d);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message, "no configuration file provided: not found");
}

TEST(Loader, ProjectNamePrecedence) {
  TestDir d;
  d.write("compose.yaml", "name: FromFile\nservices:\n  a:\n    image: busybox\n");
  EXPECT_EQ(load(d)->name, "fromfile");
  LoadOptions o;
  o.os_env = {{"COMPOSE_PROJECT_NAME", "fromenv"}};
  EXPECT_EQ(load(d, o)->name, "fromenv");
  o.project_name = "fromflag";
  EXPECT_EQ(load(d, o)->name, "fromflag");
  o.project_name = "Bad Name";
  EXPECT_FALSE(load(d, o).ok());
  d.write(".env", "COMPOSE_PROJECT_NAME=dotenv\n");
  EXPECT_EQ(load(d)->name, "dotenv");
}

TEST(Loader, DotEnvEnvFileAndOsEnvironment) {
  TestDir d;
  d.write("compose.yaml",
          "services:\n  a:\n    image: \"busybox:${TAG:-latest}\"\n    environment:\n"
          "      - FROM_ENV=${X}\n      - BARE\n    env_file: [vars.env]\n");
  d.write(".env", "TAG=1.36\nX=dot\n");
  d.write("vars.env", "FILE_VAR=f\nFROM_ENV=loses\n");
  d.write("other.env", "TAG=other\n");
  LoadOptions o;
  o.os_env = {{"X", "os"}, {"BARE", "b"}};
  auto p = load(d, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Node& a = *p->services().find("a");
  EXPECT_EQ(a.str("image"), "busybox:1.36");
  EXPECT_EQ(a.find("environment")->str("FROM_ENV"), "os");
  EXPECT_EQ(a.find("environment")->str("BARE"), "b");
  EXPECT_EQ(a.find("environment")->str("FILE_VAR"), "f");
  EXPECT_FALSE(a.has("env_file"));
  o.env_files = {"other.env"};
  EXPECT_EQ(load(d, o)->services().find("a")->str("image"), "busybox:other");
}

TEST(Loader, RequiredVariableStopsTheLoad) {
  TestDir d;
  d.write("compose.yaml", "services:\n  a:\n    image: \"${IMG:?set IMG}\"\n");
  auto p = load(d);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("required variable IMG is missing a value: set IMG"),
            std::string::npos)
      << p.error().message;
  EXPECT_NE(p.error().message.find("compose.yaml"), std::string::npos);
}

TEST(Loader, SchemaErrorNamesFileAndKey) {
  TestDir d;
  std::string f =
      d.write("compose.yaml", "services:\n  web:\n    image: busybox\n    ports: [{x: 1}]\n");
  auto p = load(d);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().message,
            "validating " + f + ": services.web.ports[0] additional property x is not allowed");
}

TEST(Loader, SeveralFilesMergeAsTheSpecSays) {
  TestDir d;
  d.write("a.yaml",
          "services:\n  web:\n    image: busybox\n    command: [sleep, '1']\n"
          "    environment: [A=1, B=1]\n    ports: ['80:80']\n"
          "    volumes: ['./x:/data', 'v:/keep']\n    labels: {l1: a}\nvolumes: {v: {}}\n");
  d.write("b.yaml",
          "services:\n  web:\n    command: sleep 2\n    environment: {B: 2, C: 3}\n"
          "    ports: ['81:81']\n    volumes: ['./y:/data']\n    labels: [l2=b]\n");
  LoadOptions o;
  o.files = {"a.yaml", "b.yaml"};
  auto p = load(d, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Node& web = *p->services().find("web");
  EXPECT_EQ(to_json_text(*web.find("command")), R"(["sleep","2"])");
  EXPECT_EQ(to_json_text(*web.find("environment")), R"({"A":"1","B":"2","C":"3"})");
  EXPECT_EQ(web.find("ports")->items().size(), 2u);
  ASSERT_EQ(web.find("volumes")->items().size(), 2u);
  EXPECT_EQ(web.find("volumes")->items()[0].str("source"), d.path() + "/y");
  EXPECT_EQ(web.find("volumes")->items()[0].str("type"), "bind");
  EXPECT_EQ(to_json_text(*web.find("labels")), R"({"l1":"a","l2":"b"})");
  EXPECT_EQ(p->model.find("volumes")->find("v")->str("name"), p->name + "_v");
}

TEST(Loader, ResetAndOverrideTags) {
  TestDir d;
  d.write("a.yaml",
          "services:\n  web:\n    image: busybox\n    ports: ['80:80']\n"
          "    environment: {A: 1}\n");
  d.write("b.yaml", "services:\n  web:\n    ports: !reset []\n    environment: !override {B: 2}\n");
  LoadOptions o;
  o.files = {"a.yaml", "b.yaml"};
  auto p = load(d, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Node& web = *p->services().find("web");
  EXPECT_FALSE(web.has("ports"));
  EXPECT_EQ(to_json_text(*web.find("environment")), R"({"B":"2"})");
}

TEST(Loader, StdinFile) {
  TestDir d;
  LoadOptions o;
  o.files = {"-"};
  o.stdin_text = "services:\n  s:\n    image: busybox\n";
  auto p = load(d, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->working_dir, d.path());
  EXPECT_TRUE(p->services().has("s"));
}

TEST(Loader, ProjectDirectoryFlag) {
  TestDir d;
  d.write("files/compose.yaml", "services:\n  s:\n    build: ./ctx\n");
  d.write("proj/.env", "\n");
  LoadOptions o;
  o.files = {"files/compose.yaml"};
  o.project_directory = "proj";
  auto p = load(d, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->name, "proj");
  EXPECT_EQ(p->services().find("s")->find("build")->str("context"), d.path() + "/proj/ctx");
  EXPECT_EQ(p->services().find("s")->find("build")->str("dockerfile"), "Dockerfile");
}

TEST(Loader, ExtendsSameFileAndOtherFile) {
  TestDir d;
  d.write("compose.yaml",
          "services:\n"
          "  base:\n    image: busybox\n    environment: {A: 1}\n"
          "  mid:\n    extends: base\n    environment: {B: 2}\n"
          "  web:\n    extends: {service: mid}\n    command: [echo]\n"
          "  remote:\n    extends: {file: common/common.yaml, service: tmpl}\n");
  d.write("common/common.yaml",
          "services:\n  tmpl:\n    image: alpine\n    volumes: ['./data:/data']\n");
  auto p = load(d);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Node& web = *p->services().find("web");
  EXPECT_EQ(web.str("image"), "busybox");
  EXPECT_EQ(to_json_text(*web.find("environment")), R"({"A":"1","B":"2"})");
  EXPECT_FALSE(web.has("extends"));
  const Node& remote = *p->services().find("remote");
  EXPECT_EQ(remote.str("image"), "alpine");
  EXPECT_EQ(remote.find("volumes")->items()[0].str("source"), d.path() + "/common/data");
}

TEST(Loader, ExtendsCycle) {
  TestDir d;
  d.write("compose.yaml", "services:\n  a:\n    extends: b\n    image: x\n  b:\n    extends: a\n");
  auto p = load(d);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("circular reference"), std::string::npos) << p.error().message;
}

TEST(Loader, Include) {
  TestDir d;
  d.write("compose.yaml",
          "include:\n  - lib/db.yaml\nservices:\n  web:\n    image: busybox\n"
          "    depends_on: [db]\n");
  d.write("lib/db.yaml",
          "services:\n  db:\n    image: busybox\n    volumes: ['./init:/init', "
          "'dbdata:/data']\n    env_file: db.env\nvolumes:\n  dbdata: {}\n");
  d.write("lib/db.env", "PASS=${PASS_DEFAULT:-x}\n");
  auto p = load(d);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Node& db = *p->services().find("db");
  EXPECT_EQ(db.find("volumes")->items()[0].str("source"), d.path() + "/lib/init");
  EXPECT_EQ(db.find("environment")->str("PASS"), "x");
  EXPECT_EQ(p->model.find("volumes")->find("dbdata")->str("name"), p->name + "_dbdata");
  d.write("compose.yaml", "include:\n  - lib/db.yaml\nservices:\n  db:\n    image: busybox\n");
  auto conflict = load(d);
  ASSERT_FALSE(conflict.ok());
  EXPECT_NE(conflict.error().message.find("services.db conflicts with imported resource"),
            std::string::npos);
}

TEST(Loader, Profiles) {
  TestDir d;
  d.write("compose.yaml",
          "services:\n  web:\n    image: busybox\n"
          "  debug:\n    image: busybox\n    profiles: [debug]\n"
          "  tools:\n    image: busybox\n    profiles: [tools, debug]\n");
  auto p = load(d);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->service_names(), (std::vector<std::string>{"web"}));
  EXPECT_EQ(p->profiles, (std::vector<std::string>{"debug", "tools"}));
  LoadOptions o;
  o.profiles = {"tools"};
  EXPECT_EQ(load(d, o)->service_names(), (std::vector<std::string>{"tools", "web"}));
  LoadOptions e;
  e.os_env = {{"COMPOSE_PROFILES", "debug"}};
  EXPECT_EQ(load(d, e)->service_names(), (std::vector<std::string>{"debug", "tools", "web"}));
}

TEST(Loader, DependencyOnDisabledService) {
  TestDir d;
  d.write("compose.yaml",
          "services:\n  web:\n    image: busybox\n    depends_on: [db]\n"
          "  db:\n    image: busybox\n    profiles: [db]\n");
  auto p = load(d);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().message.find("not enabled by the active profiles"), std::string::npos);
}

TEST(Loader, UndefinedReferencesAndCycles) {
  TestDir d;
  auto err = [&](const std::string& yaml) {
    d.write("compose.yaml", yaml);
    auto p = load(d);
    return p.ok() ? std::string() : p.error().message;
  };
  EXPECT_EQ(err("services:\n  a:\n    image: x\n    depends_on: [nope]\n"),
            "service \"a\" depends on undefined service \"nope\": invalid compose project");
  EXPECT_EQ(err("services:\n  a:\n    image: x\n    networks: [back]\n"),
            "service \"a\" refers to undefined network back: invalid compose project");
  EXPECT_EQ(err("services:\n  a:\n    image: x\n    volumes: ['data:/d']\n"),
            "service \"a\" refers to undefined volume data: invalid compose project");
  EXPECT_EQ(err("services:\n  a:\n    image: x\n    secrets: [s]\n"),
            "service \"a\" refers to undefined secret s: invalid compose project");
  EXPECT_EQ(err("services:\n  a:\n    image: x\n    depends_on: [b]\n"
                "  b:\n    image: x\n    depends_on: [a]\n"),
            "dependency cycle detected: a -> b -> a");
}

TEST(Loader, NormalisedShapes) {
  TestDir d;
  d.write("compose.yaml",
          "services:\n  web:\n    image: busybox\n"
          "    ports: ['127.0.0.1:8000-8001:80-81/udp', 9000]\n"
          "    volumes: ['data:/data:ro,nocopy', '/tmp']\n"
          "    healthcheck: {test: 'wget -q localhost'}\n"
          "    depends_on: {db: {condition: service_healthy}}\n"
          "  db:\n    image: busybox\n    network_mode: none\n"
          "volumes:\n  data:\n  ext: {external: true}\n");
  auto p = load(d);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const Node& web = *p->services().find("web");
  EXPECT_EQ(
      to_json_text(*web.find("ports")),
      R"([{"mode":"ingress","host_ip":"127.0.0.1","target":80,"published":"8000","protocol":"udp"},)"
      R"({"mode":"ingress","host_ip":"127.0.0.1","target":81,"published":"8001","protocol":"udp"},)"
      R"({"mode":"ingress","target":9000,"protocol":"tcp"}])");
  EXPECT_EQ(
      to_json_text(*web.find("volumes")),
      R"([{"type":"volume","source":"data","target":"/data","read_only":true,"volume":{"nocopy":true}},)"
      R"({"type":"volume","target":"/tmp","volume":{}}])");
  EXPECT_EQ(to_json_text(*web.find("healthcheck")->find("test")),
            R"(["CMD-SHELL","wget -q localhost"])");
  EXPECT_EQ(to_json_text(*web.find("depends_on")),
            R"({"db":{"condition":"service_healthy","required":true}})");
  EXPECT_EQ(to_json_text(*web.find("networks")), R"({"default":null})");
  EXPECT_FALSE(p->services().find("db")->has("networks"));
  EXPECT_EQ(p->model.find("networks")->find("default")->str("name"), p->name + "_default");
  EXPECT_EQ(p->model.find("volumes")->find("ext")->str("name"), "ext");
}

}  // namespace
}  // namespace berth::compose
