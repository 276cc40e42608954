// The generator and the support library, through the test schema (schema/sample.json).
#include "model/json.h"

#include <gtest/gtest.h>

#include "model/sample_json.h"

namespace berth::model {
namespace {

Json parse_or_die(std::string_view text) {
  auto j = parse_json(text, "test document");
  EXPECT_TRUE(j.ok()) << text;
  return j.ok() ? *j : Json();
}

// Decodes `text` as T and encodes it back; the result must be the same JSON.
template <class T>
void expect_round_trip(std::string_view text) {
  Json in = parse_or_die(text);
  auto v = from_json<T>(in);
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(to_json(*v), in) << "in:  " << dump_json(in) << "\nout: " << dump(*v);
}

template <class T>
std::string decode_error(std::string_view text) {
  auto v = from_json<T>(parse_or_die(text));
  EXPECT_FALSE(v.ok()) << text;
  if (v.ok()) return "";
  EXPECT_EQ(v.error().code, Code::kInvalidArgument);
  return v.error().message;
}

constexpr std::string_view kHostConfig = R"({
  "Memory": 1073741824, "CpuShares": 512, "NanoCPUs": 1500000000, "PidsLimit": null, "Size": 7,
  "Binds": ["/a:/b", "/c:/d:ro"],
  "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "8080"}], "53/udp": null, "9/tcp": []},
  "RestartPolicy": {"Name": "unless-stopped", "MaximumRetryCount": 0},
  "OomKillDisable": false,
  "Annotations": {"a": "b"},
  "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000},
  "MountType": "npipe",
  "Status": {"x": {"deep": [1, 2, {"y": null}]}, "n": 1.5, "s": "str", "nul": null},
  "Extra": [1, "two"],
  "Private": true,
  "Ratio": 0.25,
  "Matrix": [[1, 2], [], null],
  "Flags": [true, false],
  "Renamed": "r"
})";

TEST(ModelJson, RoundTripsEveryKindOfField) {
  expect_round_trip<SampleHostConfig>(kHostConfig);
  auto v = from_json<SampleHostConfig>(parse_or_die(kHostConfig));
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->memory, 1073741824);  // embedded SampleResources
  EXPECT_EQ(v->nano_cpus, 1500000000);
  EXPECT_FALSE(v->pids_limit.has_value());
  EXPECT_EQ(v->binds, (List<std::string>{"/a:/b", "/c:/d:ro"}));
  EXPECT_EQ(v->port_bindings.at("80/tcp").at(0).host_port, "8080");
  EXPECT_TRUE(v->port_bindings.at("53/udp").is_null());
  EXPECT_FALSE(v->port_bindings.at("9/tcp").is_null());
  EXPECT_EQ(v->restart_policy.name, SampleRestartMode::kUnlessStopped);
  EXPECT_EQ(v->oom_kill_disable, false);
  EXPECT_EQ(v->healthcheck->test.size(), 2u);
  EXPECT_EQ(v->mount_type, SampleMountType::kNamedPipe);
  EXPECT_EQ(v->status.at("x").text(), R"({"deep":[1,2,{"y":null}]})");
  EXPECT_TRUE(v->status.at("nul").empty());
  EXPECT_EQ(v->extra.text(), R"([1,"two"])");
  EXPECT_TRUE(v->private_);
  EXPECT_EQ(v->ratio, 0.25);
  EXPECT_TRUE(v->matrix.at(2).is_null());
  EXPECT_EQ(v->flags, (List<bool>{true, false}));
  EXPECT_EQ(v->other_name, "r");
}

TEST(ModelJson, NullAndEmptyListsAndMapsStayApart) {
  expect_round_trip<SampleHostConfig>(R"({"Memory": 0, "CpuShares": 0, "PidsLimit": null,
    "Binds": null, "PortBindings": {}, "RestartPolicy": {"Name": "", "MaximumRetryCount": 0},
    "OomKillDisable": null, "Status": null, "Ratio": 0, "Flags": [], "Renamed": ""})");
  expect_round_trip<SampleHostConfig>(R"({"Memory": 0, "CpuShares": 0, "PidsLimit": 5,
    "Binds": [], "PortBindings": null, "RestartPolicy": {"Name": "no", "MaximumRetryCount": 3},
    "OomKillDisable": true, "Status": {}, "Ratio": 1, "Flags": null, "Renamed": ""})");

  SampleHostConfig v;
  Json j = to_json(v);
  EXPECT_TRUE(j["Binds"].is_null());
  EXPECT_TRUE(j["PortBindings"].is_null());
  v.binds = {};
  v.port_bindings = {};
  v.flags.push_back(true);
  j = to_json(v);
  EXPECT_EQ(j["Binds"], Json::array());
  EXPECT_EQ(j["PortBindings"], Json::object());
  EXPECT_EQ(j["Flags"], Json::array({true}));
  v.binds.set_null();
  EXPECT_TRUE(to_json(v)["Binds"].is_null());
}

TEST(ModelJson, OmitemptyAndOptional) {
  SampleHostConfig v;
  Json j = to_json(v);
  for (const char* omitted : {"NanoCPUs", "Size", "Annotations", "Healthcheck", "MountType",
                              "Extra", "Private", "Matrix"})
    EXPECT_FALSE(j.contains(omitted)) << omitted;
  for (const char* written : {"Memory", "PidsLimit", "OomKillDisable", "Status", "RestartPolicy"})
    EXPECT_TRUE(j.contains(written)) << written;
  EXPECT_TRUE(j["PidsLimit"].is_null());                  // optional, not omitempty: null
  EXPECT_EQ(j["RestartPolicy"]["Name"], "");              // enum zero value
  EXPECT_EQ(j["RestartPolicy"]["MaximumRetryCount"], 0);  // nested struct always written

  v.annotations = {};  // empty, not null: still omitted, as Go's omitempty
  v.healthcheck.emplace();
  v.extra = RawJson("{}");
  v.pids_limit = 0;
  j = to_json(v);
  EXPECT_FALSE(j.contains("Annotations"));
  EXPECT_EQ(j["Healthcheck"], Json::object());  // an optional struct that is set is written
  EXPECT_EQ(j["Extra"], Json::object());
  EXPECT_EQ(j["PidsLimit"], 0);
}

TEST(ModelJson, UnknownMembersSurviveAtEveryLevel) {
  expect_round_trip<SampleCreate>(R"({
    "Version": 3, "Memory": 5, "Name": "always", "MaximumRetryCount": 1, "Image": "busybox",
    "Cmd": null,
    "Future": {"a": [1]},
    "HostConfig": {"Memory": 1, "CpuShares": 0, "PidsLimit": null, "Binds": null,
      "PortBindings": {"80/tcp": [{"HostIp": "::", "HostPort": "1", "Proto": "tcp"}]},
      "RestartPolicy": {"Name": "", "MaximumRetryCount": 0, "Later": true},
      "OomKillDisable": null, "Status": null, "Ratio": 0, "Flags": null, "Renamed": "",
      "NewThing": "x"},
    "Empty": {"only": "unknown"}
  })");
  auto v = parse<SampleCreate>(R"({"Future": 1, "Empty": {"only": 2},
    "HostConfig": {"NewThing": "x", "RestartPolicy": {"Later": true}}})",
                               "test body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->unknown_fields.at("Future").text(), "1");
  EXPECT_EQ(v->empty->unknown_fields.at("only").text(), "2");
  EXPECT_EQ(v->host_config.unknown_fields.at("NewThing").text(), R"("x")");
  EXPECT_TRUE(v->host_config.restart_policy.unknown_fields.contains("Later"));
}

TEST(ModelJson, EmbeddedFieldsSitAtTheOuterLevel) {
  auto v = parse<SampleCreate>(R"({"Version": 9, "Memory": 4, "Name": "on-failure",
    "Mode": "no", "Modes": ["bind", "volume"]})",
                               "test body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->version, 9u);
  EXPECT_EQ(v->create_memory, 4);  // the outer Memory wins over SampleMeta's
  EXPECT_EQ(v->SampleMeta::memory, "");
  EXPECT_EQ(v->name, SampleRestartMode::kOnFailure);
  EXPECT_EQ(v->mode, SampleRestartMode::kNo);
  EXPECT_EQ(v->modes, (List<SampleMountType>{SampleMountType::kBind, SampleMountType::kVolume}));
  EXPECT_TRUE(v->unknown_fields.empty());
  EXPECT_TRUE(v->SampleMeta::unknown_fields.empty());

  Json j = to_json(*v);
  EXPECT_EQ(j["Version"], 9);
  EXPECT_EQ(j["Memory"], 4);
  EXPECT_EQ(j["Name"], "on-failure");
  EXPECT_FALSE(j.contains("SampleMeta"));
}

TEST(ModelJson, MemberNamesMatchIgnoringCase) {
  auto v = parse<SampleCreate>(R"({"image": "busybox", "HOSTCONFIG": {"memory": 7,
    "cpushares": 2, "portbindings": {"80/tcp": [{"hostport": "1"}]}}})",
                               "test body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->image, "busybox");
  EXPECT_EQ(v->host_config.memory, 7);
  EXPECT_EQ(v->host_config.cpu_shares, 2);
  EXPECT_EQ(v->host_config.port_bindings.at("80/tcp").at(0).host_port, "1");
  EXPECT_TRUE(v->unknown_fields.empty());
  Json j = to_json(*v);  // written back with the schema's spelling
  EXPECT_EQ(j["Image"], "busybox");
  EXPECT_EQ(j["HostConfig"]["Memory"], 7);
  EXPECT_FALSE(j.contains("image"));
}

TEST(ModelJson, WrongTypesNameThePath) {
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Memory": "1g"}})"),
            "HostConfig.Memory: expected integer");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Binds": ["/a", 3]}})"),
            "HostConfig.Binds[1]: expected string");
  EXPECT_EQ(decode_error<SampleCreate>(
                R"({"HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": 80}]}}})"),
            "HostConfig.PortBindings.80/tcp[0].HostPort: expected string");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Matrix": [[1], [2, "x"]]}})"),
            "HostConfig.Matrix[1][1]: expected integer");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"hostconfig": {"memory": 1.5}})"),
            "HostConfig.Memory: expected integer");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": []})"), "HostConfig: expected object");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Binds": {}}})"),
            "HostConfig.Binds: expected array");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Annotations": []}})"),
            "HostConfig.Annotations: expected object");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"OomKillDisable": 1}})"),
            "HostConfig.OomKillDisable: expected boolean");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Ratio": "1"}})"),
            "HostConfig.Ratio: expected number");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"Size": -1}})"),
            "HostConfig.Size: expected unsigned integer");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"Version": 1e30})"),
            "Version: expected unsigned integer");
  EXPECT_EQ(decode_error<SampleCreate>("[]"), "expected object");
  EXPECT_EQ(decode_error<List<SampleCreate>>(R"([{}, {"Image": 1}])"),
            "[1].Image: expected string");
  EXPECT_EQ(from_json<SampleCreate>(parse_or_die(R"({"Memory": true})"), "body").error().message,
            "body.Memory: expected integer");
}

TEST(ModelJson, BadEnumValuesAreErrors) {
  EXPECT_EQ(decode_error<SampleCreate>(R"({"HostConfig": {"RestartPolicy": {"Name": "often"}}})"),
            R"(HostConfig.RestartPolicy.Name: invalid value "often")");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"Modes": ["bind", "tmpfs"]})"),
            R"(Modes[1]: invalid value "tmpfs")");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"Mode": 1})"), "Mode: expected string");
  // "" is always a value (Go's zero string), even when the schema does not list it.
  auto v = parse<SampleHostConfig>(R"({"MountType": ""})", "body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->mount_type, SampleMountType::kEmpty);
}

TEST(ModelJson, StrsliceTakesAStringOrAList) {
  auto v = parse<SampleCreate>(R"({"Cmd": "echo hi"})", "body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->cmd, (List<std::string>{"echo hi"}));
  EXPECT_EQ(to_json(*v)["Cmd"], Json::array({"echo hi"}));
  v = parse<SampleCreate>(R"({"Cmd": ["a", "b"]})", "body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->cmd, (List<std::string>{"a", "b"}));
  v = parse<SampleCreate>(R"({"Cmd": null})", "body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_TRUE(v->cmd.is_null());
  EXPECT_EQ(decode_error<SampleCreate>(R"({"Cmd": 1})"), "Cmd: expected array");
  EXPECT_EQ(decode_error<SampleCreate>(R"({"Cmd": ["a", 1]})"), "Cmd[1]: expected string");
}

TEST(ModelJson, EnumStrings) {
  EXPECT_STREQ(to_string(SampleRestartMode::kUnlessStopped), "unless-stopped");
  EXPECT_STREQ(to_string(SampleMountType::kNamedPipe), "npipe");
  EXPECT_STREQ(to_string(static_cast<SampleMountType>(99)), "");
  SampleMountType t{};
  EXPECT_TRUE(from_string("volume", &t));
  EXPECT_EQ(t, SampleMountType::kVolume);
  EXPECT_FALSE(from_string("Volume", &t));
  EXPECT_EQ(t, SampleMountType::kVolume);
}

TEST(ModelJson, NumbersAsGoReadsThem) {
  auto v = parse<SampleHostConfig>(
      R"({"Memory": 1e3, "CpuShares": -2.0, "Size": 18446744073709551615, "Ratio": 3})", "body");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->memory, 1000);
  EXPECT_EQ(v->cpu_shares, -2);
  EXPECT_EQ(v->size, 18446744073709551615u);
  EXPECT_EQ(v->ratio, 3.0);
  EXPECT_EQ(dump_json(to_json(*v)["Ratio"]), "3");  // as Go writes a float64
  v->ratio = 0.5;
  EXPECT_EQ(dump_json(to_json(*v)["Ratio"]), "0.5");
  EXPECT_EQ(decode_error<SampleHostConfig>(R"({"Memory": 9223372036854775808})"),
            "Memory: expected integer");
  EXPECT_EQ(decode_error<SampleHostConfig>(R"({"Memory": 1e19})"), "Memory: expected integer");
}

TEST(ModelJson, NullLeavesTheZeroValue) {
  auto v = parse<SampleHostConfig>(
      R"({"Memory": null, "RestartPolicy": null, "Healthcheck": null, "MountType": null})", "b");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(*v, SampleHostConfig{});
  EXPECT_TRUE(parse<SampleHostConfig>("null", "b").ok());
}

TEST(ModelJson, ParseAndDump) {
  auto bad = parse<SampleCreate>("{", "create body");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid JSON in create body");
  bad = parse<SampleCreate>(R"({"Image": []})", "create body");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "create body: Image: expected string");

  SampleRestartPolicy p;
  p.name = SampleRestartMode::kAlways;
  p.unknown_fields["Z"] = RawJson("[true]");
  EXPECT_EQ(dump(p), R"({"MaximumRetryCount":0,"Name":"always","Z":[true]})");
  p.unknown_fields["Z"] = RawJson("{not json");
  EXPECT_EQ(dump(p), R"({"MaximumRetryCount":0,"Name":"always","Z":null})");
}

TEST(ModelJson, ScalarsAndContainersOnTheirOwn) {
  EXPECT_EQ(dump(List<std::string>{}), "null");
  EXPECT_EQ(dump(List<std::string>{"a"}), R"(["a"])");
  auto m = parse<Map<List<int64_t>>>(R"({"a": [1], "b": null, "c": []})", "m");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(dump(*m), R"({"a":[1],"b":null,"c":[]})");
  EXPECT_EQ(parse<Map<int64_t>>(R"({"a": "x"})", "m").error().message, "m: a: expected integer");
  EXPECT_EQ(dump(std::optional<int64_t>{}), "null");
  EXPECT_EQ(dump(RawJson()), "null");
  auto raw = parse<RawJson>(R"( {"b": 1,  "a": [] } )", "raw");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->text(), R"({"a":[],"b":1})");
}

TEST(ModelList, NullMemory) {
  List<int> a;
  EXPECT_TRUE(a.is_null());
  a.push_back(1);
  EXPECT_FALSE(a.is_null());
  a.set_null();
  EXPECT_TRUE(a.is_null());
  a.set_empty();
  EXPECT_FALSE(a.is_null());
  EXPECT_NE(a, List<int>{});  // [] is not null
  List<int> b = std::vector<int>{};
  EXPECT_FALSE(b.is_null());
  Map<int> m;
  EXPECT_TRUE(m.is_null());
  m = {};
  EXPECT_FALSE(m.is_null());
  Map<int> copy = m;
  EXPECT_FALSE(copy.is_null());
}

}  // namespace
}  // namespace berth::model
