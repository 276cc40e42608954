// docker ps rows from the typed ContainerSummary: the table cells and the --format context.
#include "cli/container/ps_format.h"

#include <gtest/gtest.h>

#include "cli/format/format.h"
#include "model/container_json.h"

namespace berth::cli {
namespace {

model::ContainerSummary summary() {
  auto c = model::parse<model::ContainerSummary>(
      R"({"Id":"4f66ad9a0b3e5a5fb4f2b3a2c6d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3",
          "Names":["/web"],"Image":"busybox","ImageID":"sha256:aaaa",
          "Command":"sh -c 'while true; do echo hi; sleep 1; done'","Created":1000,
          "Status":"Up 2 minutes","State":"running",
          "Ports":[{"IP":"0.0.0.0","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
                   {"IP":"::","PrivatePort":80,"PublicPort":8080,"Type":"tcp"},
                   {"PrivatePort":53,"Type":"udp"}],
          "Labels":{"b":"2","a":"1"},
          "Mounts":[{"Name":"0123456789abcdef0123","Source":"/x","Driver":"local"},
                    {"Source":"/host/dir","Destination":"/d"}],
          "NetworkSettings":{"Networks":{"bridge":{},"mynet":{}}},
          "SizeRw":1000,"SizeRootFs":4261000})",
      "summary");
  EXPECT_TRUE(c.ok()) << c.error().message;
  return c.ok() ? *c : model::ContainerSummary{};
}

TEST(PsFormat, TableLikeDocker) {
  Table t;
  t.add_row(ps_header());
  t.add_row(ps_row(summary(), true, 1000 + 180));
  std::string want =
      "CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         "
      "PORTS                                             NAMES\n"
      "4f66ad9a0b3e   busybox   \"sh -c 'while true; …\"   3 minutes ago   Up 2 minutes   "
      "0.0.0.0:8080->80/tcp, [::]:8080->80/tcp, 53/udp   web\n";
  EXPECT_EQ(t.render(), want);
}

TEST(PsFormat, ContextFields) {
  OrderedJson row = ps_context(summary(), true, 1180);
  EXPECT_EQ(row["Labels"], "a=1,b=2");
  EXPECT_EQ(row["Mounts"], "0123456789abcd…,/host/dir");
  EXPECT_EQ(row["LocalVolumes"], "1");
  EXPECT_EQ(row["Networks"], "bridge,mynet");
  EXPECT_EQ(row["Size"], "1kB (virtual 4.26MB)");
  EXPECT_EQ(row["State"], "running");
  EXPECT_EQ(row["@Label"]["b"], "2");
}

}  // namespace
}  // namespace berth::cli
