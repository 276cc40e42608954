// Docker's local log driver record: encoding (see log_format.h).  A hand-written protobuf writer
// for the one message we need keeps protobuf out of the shim.
#include "shim/local_log_wire.h"
#include "shim/log_format.h"

namespace berth::shim {

namespace wire {

void put_varint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

void put_key(std::string* out, int field, int type) {
  put_varint(out, static_cast<uint64_t>(field) << 3 | static_cast<uint64_t>(type));
}

void put_bytes(std::string* out, int field, std::string_view bytes) {
  put_key(out, field, kLengthDelimited);
  put_varint(out, bytes.size());
  out->append(bytes);
}

void put_be32(std::string* out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

}  // namespace wire

std::string encode_local_entry(const LocalEntry& e) {
  using namespace wire;
  // proto3: fields holding their default value are left out, as Go's marshaller does.
  std::string msg;
  if (!e.source.empty()) put_bytes(&msg, 1, e.source);
  if (e.time_nano != 0) {
    put_key(&msg, 2, kVarint);
    put_varint(&msg, static_cast<uint64_t>(e.time_nano));
  }
  if (!e.line.empty()) put_bytes(&msg, 3, e.line);
  if (e.partial) {
    put_key(&msg, 4, kVarint);
    put_varint(&msg, 1);
    std::string meta;
    if (e.last) {
      put_key(&meta, 1, kVarint);
      put_varint(&meta, 1);
    }
    if (!e.partial_id.empty()) put_bytes(&meta, 2, e.partial_id);
    if (e.ordinal != 0) {
      put_key(&meta, 3, kVarint);
      // int32 is sign-extended to 64 bits on the wire.
      put_varint(&meta, static_cast<uint64_t>(static_cast<int64_t>(e.ordinal)));
    }
    put_bytes(&msg, 5, meta);
  }
  for (auto& [key, value] : e.attrs) {
    std::string attr;
    if (!key.empty()) put_bytes(&attr, 1, key);
    if (!value.empty()) put_bytes(&attr, 2, value);
    put_bytes(&msg, 6, attr);
  }
  std::string out;
  out.reserve(msg.size() + 8);
  put_be32(&out, static_cast<uint32_t>(msg.size()));
  out += msg;
  put_be32(&out, static_cast<uint32_t>(msg.size()));
  return out;
}

}  // namespace berth::shim
