// Docker's local log driver record: decoding (see log_format.h).  Unknown fields (anything a
// newer writer adds) are skipped, as protobuf readers do.
#include "shim/local_log_wire.h"
#include "shim/log_format.h"

namespace berth::shim {

namespace {

// A cursor over one protobuf message; every read fails (returns false) past the end.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool done() const { return pos_ >= data_.size(); }

  bool varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) return false;
      auto byte = static_cast<unsigned char>(data_[pos_++]);
      *v |= static_cast<uint64_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return true;
    }
    return false;
  }
  bool bytes(std::string_view* out) {
    uint64_t n;
    if (!varint(&n) || n > data_.size() - pos_) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(int type) {
    uint64_t v;
    std::string_view s;
    switch (type) {
      case wire::kVarint:
        return varint(&v);
      case wire::kLengthDelimited:
        return bytes(&s);
      case wire::kFixed64:
        return advance(8);
      case wire::kFixed32:
        return advance(4);
      default:
        return false;
    }
  }

 private:
  bool advance(size_t n) {
    if (n > data_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  std::string_view data_;
  size_t pos_ = 0;
};

bool decode_metadata(std::string_view data, LocalEntry* e) {
  Reader r(data);
  while (!r.done()) {
    uint64_t key, v;
    std::string_view s;
    if (!r.varint(&key)) return false;
    int field = static_cast<int>(key >> 3), type = static_cast<int>(key & 7);
    if (field == 1 && type == wire::kVarint) {
      if (!r.varint(&v)) return false;
      e->last = v != 0;
    } else if (field == 2 && type == wire::kLengthDelimited) {
      if (!r.bytes(&s)) return false;
      e->partial_id = s;
    } else if (field == 3 && type == wire::kVarint) {
      if (!r.varint(&v)) return false;
      e->ordinal = static_cast<int32_t>(v);
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

bool decode_attr(std::string_view data, LocalEntry* e) {
  Reader r(data);
  std::string_view key, value;
  while (!r.done()) {
    uint64_t tag;
    if (!r.varint(&tag)) return false;
    int field = static_cast<int>(tag >> 3), type = static_cast<int>(tag & 7);
    if (field == 1 && type == wire::kLengthDelimited) {
      if (!r.bytes(&key)) return false;
    } else if (field == 2 && type == wire::kLengthDelimited) {
      if (!r.bytes(&value)) return false;
    } else if (!r.skip(type)) {
      return false;
    }
  }
  e->attrs.emplace_back(key, value);
  return true;
}

bool decode_message(std::string_view data, LocalEntry* e) {
  Reader r(data);
  while (!r.done()) {
    uint64_t key, v;
    std::string_view s;
    if (!r.varint(&key)) return false;
    int field = static_cast<int>(key >> 3), type = static_cast<int>(key & 7);
    if (field == 1 && type == wire::kLengthDelimited) {
      if (!r.bytes(&s)) return false;
      e->source = s;
    } else if (field == 2 && type == wire::kVarint) {
      if (!r.varint(&v)) return false;
      e->time_nano = static_cast<int64_t>(v);
    } else if (field == 3 && type == wire::kLengthDelimited) {
      if (!r.bytes(&s)) return false;
      e->line = s;
    } else if (field == 4 && type == wire::kVarint) {
      if (!r.varint(&v)) return false;
      e->partial = v != 0;
    } else if (field == 5 && type == wire::kLengthDelimited) {
      if (!r.bytes(&s) || !decode_metadata(s, e)) return false;
    } else if (field == 6 && type == wire::kLengthDelimited) {
      if (!r.bytes(&s) || !decode_attr(s, e)) return false;
    } else if (!r.skip(type)) {
      return false;
    }
  }
  return true;
}

uint32_t be32(std::string_view d) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(d[i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

// Docker's reader refuses records above 1 MB: a larger length means the framing is lost.
constexpr uint32_t kMaxMessage = 1000000;

}  // namespace

Result<size_t> decode_local_entry(std::string_view data, LocalEntry* out) {
  if (data.size() < 4) return size_t{0};
  uint32_t n = be32(data);
  if (n > kMaxMessage)
    return make_error(Code::kDataLoss, "log message is too large (" + std::to_string(n) + ")");
  if (data.size() < size_t{n} + 8) return size_t{0};
  if (be32(data.substr(4 + n)) != n)
    return make_error(Code::kDataLoss, "log message header and footer indicate different sizes");
  *out = LocalEntry();
  if (!decode_message(data.substr(4, n), out))
    return make_error(Code::kDataLoss,
                      "error unmarshalling log entry (size=" + std::to_string(n) + ")");
  return size_t{n} + 8;
}

}  // namespace berth::shim
