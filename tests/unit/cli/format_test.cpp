#include "cli/format/format.h"

#include <gtest/gtest.h>

#include "base/strings.h"
#include "cli/format/template.h"

namespace berth::cli {
namespace {

TEST(Format, JoinLabels) {
  EXPECT_EQ(join_labels({}), "");
  // Sorted as "k=v" strings, as docker sorts them ('.' before '=').
  EXPECT_EQ(join_labels({{"b", "2"}, {"a", "1"}, {"a.b", "3"}}), "a.b=3,a=1,b=2");
}

TEST(Format, EmptyPsHeader) {
  Table t;
  t.add_row(ps_header());
  EXPECT_EQ(t.render(), "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
}

TEST(Format, QuoteAndEllipsis) {
  EXPECT_EQ(go_quote("echo \"hi\"\n"), "\"echo \\\"hi\\\"\\n\"");
  EXPECT_EQ(ellipsis("short", 20), "short");
  EXPECT_EQ(ellipsis("abcdefghijklmnopqrstuvwxyz", 20), "abcdefghijklmnopqrs…");
  EXPECT_EQ(truncate_id("sha256:0123456789abcdef"), "0123456789ab");
  EXPECT_EQ(human_size(4261000, 3), "4.26MB");
  EXPECT_EQ(human_size(0, 3), "0B");
  EXPECT_EQ(human_size(2153000), "2.153MB");
  EXPECT_EQ(familiar_image("docker.io/library/busybox"), "busybox");
  EXPECT_EQ(familiar_image("docker.io/foo/bar"), "foo/bar");
  EXPECT_EQ(familiar_image("quay.io/x/y"), "quay.io/x/y");
}

TEST(Format, ImagesRows) {
  model::ImageSummary image;
  image.id = "sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741";
  image.repo_tags = {"busybox:latest", "busybox:1.36"};
  image.size = 4261000;
  auto rows = images_rows(image, true, 3600 * 24 * 3);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"busybox", "latest", "3f57d9401f8d", "3 days ago",
                                               "4.26MB"}));
  model::ImageSummary dangling;
  dangling.id = "sha256:ab";
  EXPECT_EQ(images_rows(dangling, true, 0)[0][0], "<none>");
  dangling.repo_digests = {"docker.io/library/busybox@sha256:cd"};
  EXPECT_EQ(images_rows(dangling, true, 0)[0][0], "busybox");
}

TEST(Template, FieldsAndJson) {
  auto j = parse_ordered_json(
      R"({"Id":"abc","State":{"Status":"running","Pid":42,"Running":true},"Args":["a","b"]})");
  ASSERT_TRUE(j.ok());
  auto out = render_template(
      "{{.Id}} {{.State.Status}} {{ .State.Pid }} {{.State.Running}} "
      "{{json .Args}} {{.Missing}}",
      *j);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out, "abc running 42 true [\"a\",\"b\"] <no value>");
  EXPECT_EQ(dump_indented(OrderedJson::array({*j})).substr(0, 16), "[\n    {\n        ");
}

}  // namespace
}  // namespace berth::cli
