#include "shim/log_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "base/file.h"
#include "base/strings.h"
#include "shim/exit_file.h"
#include "shim/log_format.h"

namespace berth::shim {
namespace {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/berth-logwriter-XXXXXX";
    if (mkdtemp(tmpl)) path_ = tmpl;
  }
  ~TempDir() { (void)remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

int64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_size : -1;
}

// Every local record in a file, in order.
std::vector<LocalEntry> read_local(const std::string& path) {
  std::vector<LocalEntry> out;
  auto text = read_file(path);
  if (!text) return out;
  std::string_view rest = *text;
  while (!rest.empty()) {
    LocalEntry e;
    auto n = decode_local_entry(rest, &e);
    if (!n.ok() || *n == 0) {
      ADD_FAILURE() << "bad record in " << path;
      break;
    }
    out.push_back(e);
    rest.remove_prefix(*n);
  }
  return out;
}

TEST(JsonLog, EscapesAndFormats) {
  std::string e = json_log_entry("a\"b\\c\n\x01", "stdout", 0);
  EXPECT_EQ(e,
            "{\"log\":\"a\\\"b\\\\c\\n\\u0001\",\"stream\":\"stdout\",\"time\":\"1970-01-01T00:00:"
            "00Z\"}\n");
}

TEST(JsonLog, SplitsLinesAcrossChunks) {
  TempDir dir;
  std::string path = dir.path() + "/log.json";
  {
    auto log = LogWriter::open({"json-file", path, -1, 1});
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
}

TEST(LocalLog, RoundTripsEveryField) {
  LocalEntry e;
  e.source = "stderr";
  e.time_nano = 1732000000123456789;
  e.line = std::string("bin\0ary", 7);
  e.partial = true;
  e.last = true;
  e.partial_id = "abc";
  e.ordinal = 3;
  std::string rec = encode_local_entry(e);
  LocalEntry back;
  auto n = decode_local_entry(rec, &back);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, rec.size());
  EXPECT_EQ(back.source, "stderr");
  EXPECT_EQ(back.time_nano, e.time_nano);
  EXPECT_EQ(back.line, e.line);
  EXPECT_TRUE(back.partial);
  EXPECT_TRUE(back.last);
  EXPECT_EQ(back.partial_id, "abc");
  EXPECT_EQ(back.ordinal, 3);
  EXPECT_EQ(back.text(), e.line + "\n");
}

TEST(LocalLog, MatchesProtobufWireBytes) {
  // What Go's gogo/protobuf marshaller writes for {source:"stdout", time_nano:1, line:"hi"}.
  LocalEntry e;
  e.source = "stdout";
  e.time_nano = 1;
  e.line = "hi";
  std::string want("\x00\x00\x00\x0e\x0a\x06stdout\x10\x01\x1a\x02hi\x00\x00\x00\x0e", 22);
  EXPECT_EQ(encode_local_entry(e), want);
}

// Wraps a LogEntry message in the local format's framing.
std::string framed(const std::string& msg) {
  std::string out;
  uint32_t n = static_cast<uint32_t>(msg.size());
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>(n >> s));
  out += msg;
  for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>(n >> s));
  return out;
}

TEST(LocalLog, SkipsUnknownFieldsAndWaitsForWholeRecords) {
  LocalEntry e;
  e.source = "stdout";
  e.line = "x";
  std::string rec = encode_local_entry(e);
  // A field this reader does not know (7, a string): skipped.
  LocalEntry back;
  auto got = decode_local_entry(framed(rec.substr(4, rec.size() - 8) + "\x3a\x01z"), &back);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(back.line, "x");

  EXPECT_EQ(*decode_local_entry(rec.substr(0, rec.size() - 1), &back), 0u);
  EXPECT_EQ(*decode_local_entry("", &back), 0u);
  std::string broken = rec;
  broken.back() = 9;
  EXPECT_EQ(decode_local_entry(broken, &back).error().code, Code::kDataLoss);
}

TEST(LocalLog, AttrsAreDockersRepeatedLogAttr) {
  LocalEntry e;
  e.source = "stdout";
  e.line = "x";
  e.attrs = {{"a", "1"}, {"E", "x y"}, {"empty", ""}};
  std::string rec = encode_local_entry(e);
  // attrs = 6 (repeated LogAttr{key = 1, value = 2}), as Go's marshaller writes them.
  EXPECT_EQ(rec.substr(4, rec.size() - 8), std::string("\x0a\x06stdout\x1a\x01x"
                                                       "\x32\x06\x0a\x01"
                                                       "a\x12\x01"
                                                       "1"
                                                       "\x32\x08\x0a\x01"
                                                       "E\x12\x03x y"
                                                       "\x32\x07\x0a\x05"
                                                       "empty"));
  LocalEntry back;
  auto got = decode_local_entry(rec, &back);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(*got, rec.size());
  EXPECT_EQ(back.attrs, e.attrs);
  EXPECT_EQ(back.line, "x");
}

TEST(JsonLog, AttrsObjectBetweenStreamAndTime) {
  EXPECT_EQ(json_log_attrs({}), "");
  std::string attrs = json_log_attrs({{"E", "x"}, {"a", "<1&\"2\">"}});
  EXPECT_EQ(attrs, "{\"E\":\"x\",\"a\":\"\\u003c1\\u0026\\\"2\\\"\\u003e\"}");
  EXPECT_EQ(json_log_entry("hi\n", "stdout", 0, attrs),
            "{\"log\":\"hi\\n\",\"stream\":\"stdout\",\"attrs\":" + attrs +
                ",\"time\":\"1970-01-01T00:00:00Z\"}\n");
}

TEST(LogWriter, RecordsAttrsWithEveryEntry) {
  TempDir dir;
  LogAttrs attrs = {{"a", "1"}, {"tag", "t"}};
  {
    auto log = LogWriter::open({"json-file", dir.path() + "/j.log", -1, 1, attrs});
    ASSERT_TRUE(log.ok());
    log->write(0, "one\ntwo\n");
  }
  auto text = read_file(dir.path() + "/j.log");
  ASSERT_TRUE(text.ok());
  for (auto& line : split(*text, '\n')) {
    if (line.empty()) continue;
    EXPECT_NE(line.find(",\"attrs\":{\"a\":\"1\",\"tag\":\"t\"},"), std::string::npos) << line;
  }
  {
    auto log = LogWriter::open({"local", dir.path() + "/l.log", -1, 1, attrs});
    ASSERT_TRUE(log.ok());
    log->write(1, "one\ntwo\n");
  }
  auto entries = read_local(dir.path() + "/l.log");
  ASSERT_EQ(entries.size(), 2u);
  for (auto& e : entries) EXPECT_EQ(e.attrs, attrs);
  EXPECT_EQ(entries[1].text(), "two\n");
}

TEST(LocalLog, WriterSplitsLongLinesIntoPartials) {
  TempDir dir;
  std::string path = dir.path() + "/container.log";
  std::string big(20000, 'a');
  {
    auto log = LogWriter::open({"local", path, -1, 1});
    ASSERT_TRUE(log.ok());
    log->write(0, "one\ntw");
    log->write(0, "o\n" + big + "\n");
    log->write(1, "tail");
    log->flush();
  }
  auto entries = read_local(path);
  ASSERT_EQ(entries.size(), 5u);
  std::string out, err;
  for (auto& e : entries) (e.source == "stdout" ? out : err) += e.text();
  EXPECT_EQ(out, "one\ntwo\n" + big + "\n");
  EXPECT_EQ(err, "tail");
  EXPECT_FALSE(entries[0].partial);
  EXPECT_TRUE(entries[2].partial);
  EXPECT_FALSE(entries[2].last);
  EXPECT_TRUE(entries[3].last);
  EXPECT_EQ(entries[3].ordinal, 2);
  EXPECT_EQ(entries[2].partial_id, entries[3].partial_id);
}

TEST(Rotation, KeepsMaxFilesBoundedAndInOrder) {
  TempDir dir;
  std::string path = dir.path() + "/c-json.log";
  {
    auto log = LogWriter::open({"json-file", path, 1000, 3});
    ASSERT_TRUE(log.ok());
    for (int i = 0; i < 200; ++i) log->write(0, "line " + std::to_string(i) + "\n");
  }
  EXPECT_FALSE(path_exists(path + ".3"));
  // Oldest first: .2, .1, then the live file; numbers strictly increase across them.
  int last = -1;
  size_t entry = 0;
  for (const std::string& p : {path + ".2", path + ".1", path}) {
    ASSERT_TRUE(path_exists(p)) << p;
    // At most one record past max-size (Docker checks the size before each write).
    EXPECT_LE(file_size(p), 1000 + 100) << p;
    for (auto& l : split(*read_file(p), '\n')) {
      if (l.empty()) continue;
      auto at = l.find("line ");
      ASSERT_NE(at, std::string::npos);
      int n = std::atoi(l.c_str() + at + 5);
      if (last >= 0) {
        EXPECT_EQ(n, last + 1);
      }
      last = n;
      ++entry;
    }
  }
  EXPECT_EQ(last, 199);
  EXPECT_LT(entry, 200u);  // the oldest were rotated away
}

TEST(Rotation, OneFileIsReplacedAndReopenAppends) {
  TempDir dir;
  std::string path = dir.path() + "/container.log";
  {
    auto log = LogWriter::open({"local", path, 200, 1});
    ASSERT_TRUE(log.ok());
    for (int i = 0; i < 50; ++i) log->write(1, "message " + std::to_string(i) + "\n");
  }
  EXPECT_FALSE(path_exists(path + ".1"));
  EXPECT_LE(file_size(path), 200 + 60);
  auto before = read_local(path);
  ASSERT_FALSE(before.empty());
  EXPECT_EQ(before.back().text(), "message 49\n");
  {
    auto log = LogWriter::open({"local", path, -1, 1});
    ASSERT_TRUE(log.ok());
    log->write(1, "again\n");
  }
  auto after = read_local(path);
  ASSERT_EQ(after.size(), before.size() + 1);
  EXPECT_EQ(after.back().text(), "again\n");
}

TEST(LogWriter, NoneStoresNothing) {
  TempDir dir;
  std::string path = dir.path() + "/x.log";
  auto log = LogWriter::open({"none", path, -1, 1});
  ASSERT_TRUE(log.ok());
  log->write(0, "hello\n");
  log->flush();
  EXPECT_FALSE(path_exists(path));
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
