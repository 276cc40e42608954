#include "cli/streams/demux.h"

#include <cstring>

#include "base/file.h"

namespace berth::cli {

Status Demuxer::feed(std::string_view data) {
  while (!data.empty()) {
    if (remaining_ == 0) {
      size_t take = std::min(sizeof header_ - header_len_, data.size());
      std::memcpy(header_ + header_len_, data.data(), take);
      header_len_ += take;
      data.remove_prefix(take);
      if (header_len_ < sizeof header_) return ok_status();
      header_len_ = 0;
      stream_ = header_[0];
      remaining_ = (size_t{header_[4]} << 24) | (size_t{header_[5]} << 16) |
                   (size_t{header_[6]} << 8) | size_t{header_[7]};
      if (stream_ > 3)
        return make_error(Code::kDataLoss,
                          "unrecognized stream " + std::to_string(stream_) + " in attach stream");
      continue;
    }
    size_t take = std::min(remaining_, data.size());
    std::string_view payload = data.substr(0, take);
    data.remove_prefix(take);
    remaining_ -= take;
    if (stream_ == 3) {
      system_error_.append(payload);
      if (remaining_ == 0) return make_error(Code::kInternal, system_error_);
      continue;
    }
    BERTH_TRY(write_all(stream_ == 2 ? err_fd_ : out_fd_, payload));
  }
  return ok_status();
}

}  // namespace berth::cli
