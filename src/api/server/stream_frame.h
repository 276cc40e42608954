// Docker's multiplexed stream framing (attach, exec and logs without a tty): an 8-byte header
// [stream (1 stdout, 2 stderr), 0, 0, 0, payload size as big-endian uint32], then the payload.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::api::server {

inline std::string docker_frame(int stream, std::string_view data) {
  std::string out(8, '\0');
  out[0] = static_cast<char>(stream);
  uint32_t n = static_cast<uint32_t>(data.size());
  out[4] = static_cast<char>((n >> 24) & 0xff);
  out[5] = static_cast<char>((n >> 16) & 0xff);
  out[6] = static_cast<char>((n >> 8) & 0xff);
  out[7] = static_cast<char>(n & 0xff);
  out.append(data);
  return out;
}

}  // namespace berth::api::server
