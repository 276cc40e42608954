// The --format engine against outputs the docker CLI gives for the same templates.
#include "cli/format/template.h"

#include <gtest/gtest.h>

#include "cli/container/ps_format.h"
#include "cli/format/list_format.h"
#include "model/container_json.h"

namespace berth::cli {
namespace {

OrderedJson inspect_data() {
  return parse_ordered_json(R"({
    "Id": "4f66ad9a0b3e5a5f",
    "Name": "/web",
    "Args": ["-c", "echo hi"],
    "State": {"Status": "running", "Running": true, "Pid": 42, "ExitCode": 0,
              "Health": null},
    "Config": {"Labels": {"b": "2", "a": "1", "com.example.x": "y"},
               "Env": ["A=1", "B=2"], "Tty": false, "Cmd": null},
    "NetworkSettings": {"Networks": {"bridge": {"IPAddress": "172.17.0.2"}}},
    "Size": 1.5
  })")
      .value();
}

std::string render(const std::string& tmpl, const OrderedJson& data = inspect_data()) {
  auto r = render_template(tmpl, data);
  return r.ok() ? *r : "ERROR: " + r.error().message;
}

TEST(Template, FieldsAndNested) {
  EXPECT_EQ(render("{{.Id}} {{.State.Status}} {{ .State.Pid }} {{.State.Running}}"),
            "4f66ad9a0b3e5a5f running 42 true");
  EXPECT_EQ(render("{{.Missing}}"), "<no value>");
  EXPECT_EQ(render("{{.Args}}"), "[-c echo hi]");
  EXPECT_EQ(render("{{.Config.Labels}}"), "map[a:1 b:2 com.example.x:y]");
  EXPECT_EQ(render("{{.Size}}"), "1.5");
  EXPECT_EQ(render("a{{/* comment */}}b"), "ab");
}

TEST(Template, Json) {
  EXPECT_EQ(render("{{json .Args}}"), R"(["-c","echo hi"])");
  EXPECT_EQ(render("{{json .State}}"),
            R"({"Status":"running","Running":true,"Pid":42,"ExitCode":0,"Health":null})");
  EXPECT_EQ(render("{{json .Config.Cmd}}"), "null");
  EXPECT_EQ(render("{{json \"<a&b>\"}}"), "\"<a&b>\"");
}

TEST(Template, RangeAndVariables) {
  EXPECT_EQ(render("{{range .Config.Env}}[{{.}}]{{end}}"), "[A=1][B=2]");
  EXPECT_EQ(render("{{range $i, $e := .Config.Env}}{{$i}}={{$e}} {{end}}"), "0=A=1 1=B=2 ");
  EXPECT_EQ(render("{{range $k, $v := .Config.Labels}}{{$k}}:{{$v}},{{end}}"),
            "a:1,b:2,com.example.x:y,");
  EXPECT_EQ(render("{{range $v := .Args}}<{{$v}}>{{end}}"), "<-c><echo hi>");
  EXPECT_EQ(render("{{range .Config.Cmd}}x{{else}}none{{end}}"), "none");
  EXPECT_EQ(render("{{range $n, $c := .NetworkSettings.Networks}}{{$n}} {{$c.IPAddress}}{{end}}"),
            "bridge 172.17.0.2");
  EXPECT_EQ(render("{{range .Args}}{{if eq . \"-c\"}}{{continue}}{{end}}{{.}}{{end}}"), "echo hi");
  EXPECT_EQ(render("{{range .Args}}{{.}}{{break}}{{end}}"), "-c");
  EXPECT_EQ(render("{{$x := .Name}}{{$x}}{{$x = \"z\"}}{{$x}}"), "/webz");
  EXPECT_EQ(render("{{range .Args}}{{$.Name}}{{end}}"), "/web/web");
}

TEST(Template, Conditions) {
  EXPECT_EQ(render("{{if .State.Running}}up{{else}}down{{end}}"), "up");
  EXPECT_EQ(render("{{if eq .State.Status \"exited\"}}x{{else if eq .State.Pid 42}}p{{end}}"), "p");
  EXPECT_EQ(render("{{if ne .State.ExitCode 0}}bad{{else}}ok{{end}}"), "ok");
  EXPECT_EQ(render("{{if not .Config.Tty}}notty{{end}}"), "notty");
  EXPECT_EQ(render("{{if and .State.Running (eq .State.Pid 42)}}y{{end}}"), "y");
  EXPECT_EQ(render("{{if or .Config.Tty .Config.Cmd}}y{{else}}n{{end}}"), "n");
  EXPECT_EQ(render("{{or .Config.Cmd \"default\"}}"), "default");
  EXPECT_EQ(render("{{if eq .State.Status \"a\" \"running\"}}any{{end}}"), "any");
  EXPECT_EQ(render("{{with .State}}{{.Status}}{{end}}"), "running");
  EXPECT_EQ(render("{{with .Config.Cmd}}x{{else}}empty{{end}}"), "empty");
  EXPECT_EQ(render("{{if lt .State.Pid 100}}small{{end}}"), "small");
}

TEST(Template, Functions) {
  EXPECT_EQ(render("{{index .Config.Labels \"com.example.x\"}}"), "y");
  EXPECT_EQ(render("{{index .Config.Labels \"nope\"}}"), "<no value>");
  EXPECT_EQ(render("{{index .Args 1}}"), "echo hi");
  EXPECT_EQ(render("{{join .Args \" \"}}"), "-c echo hi");
  EXPECT_EQ(render("{{lower \"ABC\"}} {{upper .State.Status}} {{title \"hello world\"}}"),
            "abc RUNNING Hello World");
  EXPECT_EQ(render("{{truncate .Id 5}}"), "4f66a");
  EXPECT_EQ(render("{{truncate \"ab\" 5}}"), "ab");
  EXPECT_EQ(render("{{split \"a:b:c\" \":\"}}"), "[a b c]");
  EXPECT_EQ(render("{{len .Args}} {{len .Config.Labels}}"), "2 3");
  EXPECT_EQ(render("{{println .Name}}"), "/web\n");
  EXPECT_EQ(render("{{println \"a\" 1 2}}"), "a 1 2\n");
  EXPECT_EQ(render("{{print \"a\" 1 2 \"b\"}}"), "a1 2b");
  EXPECT_EQ(render("{{printf \"%s has pid %d\" .Name .State.Pid}}"), "/web has pid 42");
  EXPECT_EQ(render("{{printf \"%-6s|%5d|%q|%v|%.2f\" \"ab\" 7 \"q\" .Args 3.14159}}"),
            "ab    |    7|\"q\"|[-c echo hi]|3.14");
  EXPECT_EQ(render("{{printf \"%d\"}}"), "%!d(MISSING)");
  EXPECT_EQ(render("{{pad \"x\" 1 2}}|"), " x  |");
}

TEST(Template, Pipelines) {
  EXPECT_EQ(render("{{.Name | upper}}"), "/WEB");
  EXPECT_EQ(render("{{.State.Status | printf \"%s!\"}}"), "running!");
}

TEST(Template, Trimming) {
  EXPECT_EQ(render("a  {{- .Name -}}  \n b"), "a/webb");
  EXPECT_EQ(render("{{range .Args -}}\n  {{.}}\n{{- end}}"), "-cecho hi");
  EXPECT_EQ(render("{{-3}}"), "-3");
}

TEST(Template, Errors) {
  EXPECT_EQ(render("{{.Name"), "ERROR: template: :1: unclosed action");
  EXPECT_EQ(render("{{nope .Name}}"), "ERROR: template: :1: function \"nope\" not defined");
  EXPECT_EQ(render("{{if .Name}}x"), "ERROR: template: :1: unexpected EOF");
  EXPECT_EQ(render("{{.State.Health.Status}}"),
            "ERROR: template: :1:2: executing \"\" at <.State.Health.Status>: nil pointer "
            "evaluating interface {}.Status");
  TemplateOptions strict;
  strict.strict_type = "*formatter.ContainerContext";
  auto r = render_template("{{.Foo}}", OrderedJson{{"ID", "x"}}, strict);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type "
            "*formatter.ContainerContext");
}

model::ContainerSummary ps_item() {
  return *model::parse<model::ContainerSummary>(R"({
    "Id": "4f66ad9a0b3e5a5fb4f2b3a2c6d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3",
    "Names": ["/web"], "Image": "busybox", "ImageID": "sha256:aaaa",
    "Command": "sleep 100", "Created": 1000, "State": "running", "Status": "Up 2 minutes",
    "Ports": [], "Labels": {"b": "2", "a": "1"},
    "NetworkSettings": {"Networks": {"bridge": {}}}, "Mounts": []})",
                                                "ps item");
}

TEST(ListFormat, PsTableAndFields) {
  std::vector<OrderedJson> rows = {ps_context(ps_item(), true, 1180)};
  ListFormat lf{"table {{.ID}}\\t{{.Names}}\\t{{.Status}}", kPsDefaultTable, ps_header_context(),
                kPsType};
  EXPECT_EQ(format_list(lf, rows).value(),
            "CONTAINER ID   NAMES     STATUS\n"
            "4f66ad9a0b3e   web       Up 2 minutes\n");
  lf.format = "{{.Names}} {{.Label \"a\"}} {{.Labels}} {{.Networks}} {{.State}} {{.Command}}";
  EXPECT_EQ(format_list(lf, rows).value(), "web 1 a=1,b=2 bridge running \"sleep 100\"\n");
  lf.format = "{{.Label \"missing\"}}|";
  EXPECT_EQ(format_list(lf, rows).value(), "|\n");
  lf.format = "table {{.Names | upper}}\t{{.Label \"a\"}}";
  EXPECT_EQ(format_list(lf, rows).value(), "NAMES     a\nWEB       1\n");
  lf.format = "json";
  std::string j = format_list(lf, rows).value();
  EXPECT_EQ(j.substr(0, 36), "{\"Command\":\"\\\"sleep 100\\\"\",\"CreatedA");
  EXPECT_EQ(j.find("@Label"), std::string::npos);
  EXPECT_NE(j.find("\"LocalVolumes\":\"0\",\"Mounts\":\"\",\"Names\":\"web\""), std::string::npos);
  lf.format = "{{.Nope}}";
  EXPECT_FALSE(format_list(lf, rows).ok());
  lf.format = "{{.Names";
  EXPECT_EQ(format_list(lf, rows).error().message,
            "template parsing error: template: :1: unclosed action");
}

TEST(ListFormat, DefaultTableMatchesDocker) {
  ListFormat lf{"", kPsDefaultTable, ps_header_context(), kPsType};
  EXPECT_EQ(format_list(lf, {}).value(),
            "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n");
}

TEST(Tabwriter, ColumnBlocks) {
  // A line with fewer cells ends the block of the columns it lacks, as Go's tabwriter does.
  EXPECT_EQ(tabwrite("a\tb\tc\nlonger-cell\tx\ny\n"),
            "a             b         c\nlonger-cell   x\ny\n");
  EXPECT_EQ(tabwrite("a\tb\nnone\nccccccccccccc\td\n"), "a         b\nnone\nccccccccccccc   d\n");
}

}  // namespace
}  // namespace berth::cli

namespace berth::cli {
namespace {

TEST(PsFields, OnlyWhatTheTemplateReads) {
  PsFields f = ps_fields("{{.ID}}\t{{.Names}}\t{{.Label \"a\"}}\t{{.ID | printf \"%.5s\"}}");
  EXPECT_FALSE(f.all);
  EXPECT_TRUE(f.wants("ID") && f.wants("Names") && f.wants("@Label"));
  EXPECT_FALSE(f.wants("CreatedAt") || f.wants("Mounts") || f.wants("Size"));
  EXPECT_TRUE(ps_fields("{{json .}}").all);
  EXPECT_TRUE(ps_fields("{{index . \"Names\"}}").all);
  // A row made for a template has what it reads, and says the same as a full row.
  auto c = *model::parse<model::ContainerSummary>(
      R"({"Id":"abc","Names":["/x"],"Labels":{"a":"1"},"Created":0})", "c");
  OrderedJson some = ps_context(c, true, 0, ps_fields("{{.Names}} {{.Labels}}"));
  OrderedJson full = ps_context(c, true, 0);
  EXPECT_EQ(some["Labels"], full["Labels"]);
  EXPECT_FALSE(some.contains("CreatedAt"));
  EXPECT_TRUE(full.contains("CreatedAt"));
}

}  // namespace
}  // namespace berth::cli
