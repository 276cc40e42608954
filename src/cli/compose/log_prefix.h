// Docker's log stream written as Compose prints it: whole lines, each with the container's
// "web-1  | " prefix, under one lock shared by every container's writer.
// Not thread-safe itself: one PrefixWriter per stream; the shared mutex orders the lines.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "base/file.h"

namespace berth::cli {

// Reads Docker's multiplexed frames (8-byte headers) and writes whole lines with a prefix.
class PrefixWriter {
 public:
  PrefixWriter(std::string prefix, std::mutex& mu) : prefix_(std::move(prefix)), mu_(mu) {}
  void feed(std::string_view data, bool framed) {
    if (!framed) {
      lines(data, 1);
      return;
    }
    buf_.append(data);
    while (buf_.size() >= 8) {
      uint32_t size = (static_cast<unsigned char>(buf_[4]) << 24) |
                      (static_cast<unsigned char>(buf_[5]) << 16) |
                      (static_cast<unsigned char>(buf_[6]) << 8) |
                      static_cast<unsigned char>(buf_[7]);
      if (buf_.size() < 8 + size) break;
      int stream = buf_[0] == 2 ? 2 : 1;
      lines(std::string_view(buf_).substr(8, size), stream);
      buf_.erase(0, 8 + size);
    }
  }
  void flush() {
    for (int s : {1, 2}) {
      if (!pending_[s].empty()) emit(pending_[s] + "\n", s);
      pending_[s].clear();
    }
  }

 private:
  void lines(std::string_view data, int stream) {
    std::string& p = pending_[stream];
    p.append(data);
    size_t nl;
    while ((nl = p.find('\n')) != std::string::npos) {
      emit(p.substr(0, nl + 1), stream);
      p.erase(0, nl + 1);
    }
  }
  void emit(const std::string& line, int stream) {
    std::lock_guard lock(mu_);
    (void)write_all(stream, prefix_ + line);
  }
  std::string prefix_;
  std::mutex& mu_;
  std::string buf_;
  std::string pending_[3];
};

}  // namespace berth::cli
