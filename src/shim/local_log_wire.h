// The few protobuf wire-format pieces the local log record needs (encoding in local_log.cpp,
// decoding in local_log_decode.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace berth::shim::wire {

inline constexpr int kVarint = 0;
inline constexpr int kFixed64 = 1;
inline constexpr int kLengthDelimited = 2;
inline constexpr int kFixed32 = 5;

void put_varint(std::string* out, uint64_t v);
void put_key(std::string* out, int field, int type);
void put_bytes(std::string* out, int field, std::string_view bytes);
void put_be32(std::string* out, uint32_t v);

}  // namespace berth::shim::wire
