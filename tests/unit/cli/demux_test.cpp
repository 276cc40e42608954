#include "cli/streams/demux.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "base/file.h"

namespace berth::cli {
namespace {

std::string frame(int stream, const std::string& payload) {
  std::string h(8, '\0');
  h[0] = static_cast<char>(stream);
  uint32_t n = static_cast<uint32_t>(payload.size());
  h[4] = static_cast<char>(n >> 24);
  h[5] = static_cast<char>(n >> 16);
  h[6] = static_cast<char>(n >> 8);
  h[7] = static_cast<char>(n);
  return h + payload;
}

std::string drain(int fd) {
  auto s = read_all(fd);
  return s.ok() ? *s : "";
}

TEST(Demux, SplitsStreamsAcrossArbitraryBoundaries) {
  std::string data = frame(1, "hello ") + frame(2, "oops\n") + frame(1, "world\n") + frame(1, "");
  for (size_t step : {1u, 3u, 7u, 8u, 100u}) {
    int out[2], err[2];
    ASSERT_EQ(::pipe(out), 0);
    ASSERT_EQ(::pipe(err), 0);
    Demuxer d(out[1], err[1]);
    for (size_t i = 0; i < data.size(); i += step) {
      ASSERT_TRUE(d.feed(std::string_view(data).substr(i, step)).ok());
    }
    EXPECT_FALSE(d.partial());
    ::close(out[1]);
    ::close(err[1]);
    EXPECT_EQ(drain(out[0]), "hello world\n") << step;
    EXPECT_EQ(drain(err[0]), "oops\n") << step;
    ::close(out[0]);
    ::close(err[0]);
  }
}

TEST(Demux, SystemErrorFrameIsAnError) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  Demuxer d(out[1], out[1]);
  auto st = d.feed(frame(3, "exec failed"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message, "exec failed");
  ::close(out[0]);
  ::close(out[1]);
}

TEST(Demux, PartialFrameIsReported) {
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  Demuxer d(out[1], out[1]);
  ASSERT_TRUE(d.feed(frame(1, "abc").substr(0, 9)).ok());
  EXPECT_TRUE(d.partial());
  ::close(out[0]);
  ::close(out[1]);
}

}  // namespace
}  // namespace berth::cli
