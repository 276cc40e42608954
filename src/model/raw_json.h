// RawJson: a free-form JSON value kept as its text (the schema's `json` type, e.g. a volume's
// Status or a network's driver options), and UnknownFields: members the schema does not name,
// kept per struct so that fields from a newer client or daemon survive a decode/encode round trip.
// Neither needs nlohmann: the text is parsed only when encoded (model/json.h).
#pragma once

#include <map>
#include <string>
#include <utility>

namespace berth::model {

class RawJson {
 public:
  RawJson() = default;
  // REQUIRES: `text` is one valid JSON value, or empty for null.  Text that does not parse is
  // encoded as null.
  explicit RawJson(std::string text) : text_(std::move(text)) {}

  const std::string& text() const { return text_; }
  // Absent or null: encodes as `null`, and counts as empty for omitempty.
  bool empty() const { return text_.empty() || text_ == "null"; }

  friend bool operator==(const RawJson& a, const RawJson& b) = default;

 private:
  std::string text_;
};

// Member name (as it came on the wire) -> its value.
using UnknownFields = std::map<std::string, RawJson>;

}  // namespace berth::model
