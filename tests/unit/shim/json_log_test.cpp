#include "shim/json_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include "base/file.h"
#include "base/strings.h"
#include "shim/exit_file.h"

namespace berth::shim {
namespace {

TEST(JsonLog, EscapesAndFormats) {
  std::string e = json_log_entry("a\"b\\c\n\x01", "stdout", 0);
  EXPECT_EQ(e,
            "{\"log\":\"a\\\"b\\\\c\\n\\u0001\",\"stream\":\"stdout\",\"time\":\"1970-01-01T00:00:"
            "00Z\"}\n");
}

TEST(JsonLog, SplitsLinesAcrossChunks) {
  char tmpl[] = "/tmp/berth-jsonlog-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  std::string path = std::string(tmpl) + "/log.json";
  {
    auto log = JsonLog::open(path);
    ASSERT_TRUE(log.ok());
    log->write(0, "hel");
    log->write(0, "lo\nwor");
    log->write(1, "err\n");
    log->write(0, "ld\npartial");
    log->flush();
  }
  auto text = read_file(path);
  ASSERT_TRUE(text.ok());
  auto lines = split(*text, '\n');
  ASSERT_EQ(lines.size(), 5u);  // four entries and the empty tail
  EXPECT_NE(lines[0].find("\"log\":\"hello\\n\",\"stream\":\"stdout\""), std::string::npos);
  EXPECT_NE(lines[1].find("\"log\":\"err\\n\",\"stream\":\"stderr\""), std::string::npos);
  EXPECT_NE(lines[2].find("\"log\":\"world\\n\""), std::string::npos);
  EXPECT_NE(lines[3].find("\"log\":\"partial\""), std::string::npos);
  (void)remove_all(tmpl);
}

TEST(ExitFile, RoundTrips) {
  ExitStatus s{137, 1234567890123, true};
  auto back = exit_status_from_json(exit_status_to_json(s));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->exit_code, 137);
  EXPECT_EQ(back->finished_at, 1234567890123);
  EXPECT_TRUE(back->oom_killed);
  EXPECT_EQ(read_exit_file("/nonexistent-berth").error().code, Code::kNotFound);
}

}  // namespace
}  // namespace berth::shim
