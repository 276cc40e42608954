// Splits Docker's multiplexed attach/logs stream: frames of an 8-byte header
// [stream (0 stdin, 1 stdout, 2 stderr, 3 system error), 0, 0, 0, big-endian uint32 size] and
// the payload.  Frames may arrive split at any byte; the demuxer keeps partial state.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace berth::cli {

class Demuxer {
 public:
  Demuxer(int out_fd, int err_fd) : out_fd_(out_fd), err_fd_(err_fd) {}
  // Writes complete and partial payloads as they come; a system-error frame becomes an Error.
  Status feed(std::string_view data);
  // True when the stream ended in the middle of a frame.
  bool partial() const { return header_len_ != 0 || remaining_ != 0; }

 private:
  int out_fd_;
  int err_fd_;
  unsigned char header_[8];
  size_t header_len_ = 0;
  size_t remaining_ = 0;
  int stream_ = 1;
  std::string system_error_;
};

}  // namespace berth::cli
