#include "engine/log_reader.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/file.h"
#include "shim/log_format.h"

namespace berth::engine {
namespace {

class LogReaderTest : public ::testing::TestWithParam<LogFormat> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/berth-logreader-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/c.log";
  }
  void TearDown() override { (void)remove_all(dir_); }

  std::string record(int i) {
    std::string line = "line " + std::to_string(i) + "\n";
    if (GetParam() == LogFormat::kJsonFile) return shim::json_log_entry(line, "stdout", i);
    shim::LocalEntry e;
    e.source = i % 2 ? "stderr" : "stdout";
    e.time_nano = i;
    e.line = line.substr(0, line.size() - 1);
    return shim::encode_local_entry(e);
  }
  void append(const std::string& path, int from, int to) {
    std::string all;
    for (int i = from; i < to; ++i) all += record(i);
    auto old = read_file(path);
    ASSERT_TRUE(write_file(path, (old ? *old : "") + all).ok());
  }
  // What a writer does at rotation with max-file 3.
  void rotate() {
    ::rename((path_ + ".1").c_str(), (path_ + ".2").c_str());
    ::rename(path_.c_str(), (path_ + ".1").c_str());
  }
  static std::string text(const std::vector<LogEntry>& entries) {
    std::string out;
    for (auto& e : entries) out += e.data;
    return out;
  }
  static std::string lines(int from, int to) {
    std::string out;
    for (int i = from; i < to; ++i) out += "line " + std::to_string(i) + "\n";
    return out;
  }
  std::string dir_, path_;
};

TEST_P(LogReaderTest, ReadsRotatedFilesOldestFirst) {
  append(path_, 0, 3);
  rotate();
  append(path_, 3, 6);
  rotate();
  append(path_, 6, 8);
  LogFollower f(path_, GetParam());
  auto all = f.read_all();
  EXPECT_EQ(text(all), lines(0, 8));
  EXPECT_EQ(all[1].time, 1);
}

TEST_P(LogReaderTest, FollowsAcrossRotationsAndPartialWrites) {
  append(path_, 0, 2);
  LogFollower f(path_, GetParam());
  EXPECT_EQ(text(f.read_all()), lines(0, 2));
  EXPECT_TRUE(f.poll().empty());
  // Half a record: nothing until the rest arrives.
  std::string r = record(2);
  auto old = read_file(path_);
  ASSERT_TRUE(write_file(path_, *old + r.substr(0, r.size() / 2)).ok());
  EXPECT_TRUE(f.poll().empty());
  ASSERT_TRUE(write_file(path_, *old + r).ok());
  EXPECT_EQ(text(f.poll()), lines(2, 3));
  // Two rotations between polls: the file in between is not lost.
  append(path_, 3, 4);
  rotate();
  append(path_, 4, 5);
  rotate();
  append(path_, 5, 6);
  EXPECT_EQ(text(f.poll()), lines(3, 6));
  EXPECT_TRUE(f.poll().empty());
}

TEST_P(LogReaderTest, WaitsForAFileThatDoesNotExistYet) {
  LogFollower f(path_, GetParam());
  EXPECT_TRUE(f.read_all().empty());
  EXPECT_TRUE(f.poll().empty());
  append(path_, 0, 1);
  EXPECT_EQ(text(f.poll()), lines(0, 1));
}

INSTANTIATE_TEST_SUITE_P(Formats, LogReaderTest,
                         ::testing::Values(LogFormat::kJsonFile, LogFormat::kLocal));

}  // namespace
}  // namespace berth::engine
