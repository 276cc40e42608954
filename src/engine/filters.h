// Docker's list filters (moby api/types/filters.Args), one implementation for every listing:
// containers, images, networks, volumes and the prunes.  The wire form is
// {"key": {"value": true}} or {"key": ["value"]}.  The rules are moby's: keys are ANDed; the
// values of one key are ORed by match/exact_match and ANDed by match_kv_list (labels).
// A Filters is a value; it is not shared between threads while being changed.
#pragma once

#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace berth::engine {

class Filters {
 public:
  Filters() = default;
  // A JSON value that is not an object of string lists or sets is InvalidArgument.
  static Result<Filters> from_json(const Json& j);

  // InvalidArgument "Invalid filter 'x'" for the first key not in `accepted`.
  Status validate(std::initializer_list<std::string_view> accepted) const;

  bool empty() const { return fields_.empty(); }
  bool contains(const std::string& key) const { return fields_.count(key) > 0; }
  std::vector<std::string> get(const std::string& key) const;
  void erase(const std::string& key) { fields_.erase(key); }

  // True when the key has no values or one of them equals `source`.
  bool exact_match(const std::string& key, const std::string& source) const;
  // True when the key has no values or one equals `source` or, as a regular expression, finds
  // a match in it (moby's Match; an invalid expression matches nothing).
  bool match(const std::string& key, const std::string& source) const;
  // True when every value ("k" or "k=v") is among `labels` (moby's MatchKVList).
  template <class LabelMap>
  bool match_kv_list(const std::string& key, const LabelMap& labels) const {
    auto it = fields_.find(key);
    if (it == fields_.end() || it->second.empty()) return true;
    for (const std::string& v : it->second) {
      auto eq = v.find('=');
      auto l = labels.find(v.substr(0, eq));
      if (l == labels.end()) return false;
      if (eq != std::string::npos && l->second != v.substr(eq + 1)) return false;
    }
    return true;
  }
  // The key's one boolean value ("true"/"1", "false"/"0"), `fallback` when absent; several or
  // other values are InvalidArgument (moby's GetBoolOrDefault).
  Result<bool> get_bool(const std::string& key, bool fallback) const;

  // The key's one time (`until`) in unix nanos, 0 when absent: unix seconds ("1700000000.5"),
  // RFC 3339, or a Go duration before `now` ("24h", "1h30m"), as moby's timetypes.GetTimestamp.
  // Several values or another form are InvalidArgument.
  Result<int64_t> get_timestamp(const std::string& key, int64_t now) const;

  // "Invalid filter 'key=value'", InvalidArgument.
  static Error invalid(const std::string& key, const std::string& value = "");

 private:
  std::map<std::string, std::set<std::string>> fields_;
};

}  // namespace berth::engine
