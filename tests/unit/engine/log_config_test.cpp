#include "engine/log_config.h"

#include <gtest/gtest.h>

#include "model/container_json.h"

namespace berth::engine {
namespace {

std::string error_of(const std::string& driver, const LogOpts& opts) {
  auto st = validate_log_config(driver, opts);
  return st ? "" : st.error().message;
}

TEST(LogConfig, DockersErrorsForUnknownDriversAndOptions) {
  EXPECT_EQ(error_of("foo", {}), "logger: no log driver named 'foo' is registered");
  EXPECT_EQ(error_of("json-file", {{"foo", "1"}}),
            "unknown log opt 'foo' for json-file log driver");
  EXPECT_EQ(error_of("local", {{"foo", "1"}}), "unknown log opt 'foo' for log driver local");
  EXPECT_EQ(error_of("none", {{"anything", "goes"}}), "");
  EXPECT_EQ(error_of("json-file", {{"labels", "a"}, {"env", "B"}, {"tag", "{{.Name}}"}}), "");
  EXPECT_EQ(error_of("json-file", {{"mode", "fast"}}), "logger: logging mode not supported: fast");
}

TEST(LogConfig, DockersErrorsForBadValues) {
  EXPECT_EQ(error_of("json-file", {{"max-size", "abc"}}), "invalid size: 'abc'");
  EXPECT_EQ(error_of("json-file", {{"max-size", "10x"}}), "invalid suffix: 'x'");
  EXPECT_EQ(error_of("json-file", {{"max-size", "0"}}), "max-size must be a positive number");
  EXPECT_EQ(error_of("json-file", {{"max-file", "x"}}),
            "strconv.Atoi: parsing \"x\": invalid syntax");
  EXPECT_EQ(error_of("json-file", {{"max-file", "0"}}), "max-file cannot be less than 1");
  EXPECT_EQ(error_of("json-file", {{"compress", "true"}}),
            "compress cannot be true when max-file is less than 2 or max-size is not set");
  EXPECT_EQ(error_of("json-file", {{"max-size", "10m"}, {"max-file", "3"}, {"compress", "no"}}),
            "strconv.ParseBool: parsing \"no\": invalid syntax");
  EXPECT_EQ(error_of("local", {{"max-size", "abc"}}),
            "invalid value for max-size: abc: invalid size: 'abc'");
  EXPECT_EQ(error_of("local", {{"max-file", "1"}}),
            "compression cannot be enabled when max file count is 1");
  EXPECT_EQ(error_of("local", {{"max-file", "1"}, {"compress", "false"}}), "");
}

TEST(LogConfig, HumanSizesAreDecimal) {
  EXPECT_EQ(*parse_human_size("10m"), 10000000);
  EXPECT_EQ(*parse_human_size("1k"), 1000);
  EXPECT_EQ(*parse_human_size("2KiB"), 2000);
  EXPECT_EQ(*parse_human_size("1.5 MB"), 1500000);
  EXPECT_EQ(*parse_human_size("512"), 512);
  EXPECT_FALSE(parse_human_size("-1").ok());
}

model::HostConfig host_config(const char* json) {
  auto hc = model::parse<model::HostConfig>(json, "host config");
  EXPECT_TRUE(hc.ok()) << hc.error().message;
  return hc.ok() ? *hc : model::HostConfig{};
}

TEST(LogConfig, MergesDaemonDefaultsForTheSameDriver) {
  LogDefaults d{"json-file", {{"max-size", "10m"}, {"max-file", "3"}}};
  auto hc = host_config(R"({"LogConfig": {"Type": "", "Config": {"max-file": "5"}}})");
  ASSERT_TRUE(merge_log_config(hc, d).ok());
  EXPECT_EQ(hc.log_config.type, "json-file");
  EXPECT_EQ(hc.log_config.config["max-file"], "5");
  EXPECT_EQ(hc.log_config.config["max-size"], "10m");
  EXPECT_EQ(model::to_json(hc)["LogConfig"]["Config"]["max-size"], "10m");

  auto other = host_config(R"({"LogConfig": {"Type": "local", "Config": {}}})");
  ASSERT_TRUE(merge_log_config(other, d).ok());
  EXPECT_TRUE(other.log_config.config.empty());
  EXPECT_EQ(model::to_json(other)["LogConfig"]["Config"], Json::object());

  auto bad = host_config(R"({"LogConfig": {"Type": "json-file", "Config": {"foo": "1"}}})");
  EXPECT_EQ(merge_log_config(bad, d).error().code, Code::kInvalidArgument);
}

TEST(LogConfig, FilesPerDriver) {
  auto json_file =
      host_config(R"({"LogConfig": {"Type": "json-file", "Config": {"max-size": "1k"}}})");
  LogFile f = log_file(json_file, "/d", "abc");
  EXPECT_EQ(f.path, "/d/abc-json.log");
  EXPECT_EQ(f.max_size, 1000);
  EXPECT_EQ(f.max_files, 1);
  LogFile l = log_file(host_config(R"({"LogConfig": {"Type": "local", "Config": {}}})"), "/d", "x");
  EXPECT_EQ(l.path, "/d/local-logs/container.log");
  EXPECT_EQ(l.max_size, 20 * 1024 * 1024);
  EXPECT_EQ(l.max_files, 5);
  EXPECT_EQ(log_file(model::HostConfig{}, "/d", "x").driver, "json-file");
  auto none = host_config(R"({"LogConfig": {"Type": "none", "Config": {}}})");
  EXPECT_EQ(log_file(none, "/d", "x").path, "");
  EXPECT_EQ(check_log_readable(none).error().message,
            "configured logging driver does not support reading");
  EXPECT_EQ(check_log_readable(none).error().code, Code::kNotImplemented);
}

}  // namespace
}  // namespace berth::engine
