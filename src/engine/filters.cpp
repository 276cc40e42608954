#include "engine/filters.h"

#include <regex>

namespace berth::engine {

Result<Filters> Filters::from_json(const Json& j) {
  Filters f;
  if (j.is_null()) return f;
  if (!j.is_object()) return make_error(Code::kInvalidArgument, "invalid filter: not an object");
  for (auto& [key, v] : j.items()) {
    auto& values = f.fields_[key];
    if (v.is_object()) {
      for (auto& [value, on] : v.items())
        if (!on.is_boolean() || on.get<bool>()) values.insert(value);
    } else if (v.is_array()) {
      for (auto& x : v) {
        if (!x.is_string())
          return make_error(Code::kInvalidArgument, "invalid filter '" + key + "': not a string");
        values.insert(x.get<std::string>());
      }
    } else if (v.is_string()) {
      values.insert(v.get<std::string>());
    } else {
      return make_error(Code::kInvalidArgument, "invalid filter '" + key + "'");
    }
  }
  return f;
}

Error Filters::invalid(const std::string& key, const std::string& value) {
  return make_error(Code::kInvalidArgument,
                    "Invalid filter '" + key + (value.empty() ? "" : "=" + value) + "'");
}

Status Filters::validate(std::initializer_list<std::string_view> accepted) const {
  for (auto& [key, values] : fields_) {
    bool ok = false;
    for (auto a : accepted) ok = ok || a == key;
    if (!ok) return invalid(key);
  }
  return ok_status();
}

std::vector<std::string> Filters::get(const std::string& key) const {
  auto it = fields_.find(key);
  if (it == fields_.end()) return {};
  return {it->second.begin(), it->second.end()};
}

bool Filters::exact_match(const std::string& key, const std::string& source) const {
  auto it = fields_.find(key);
  if (it == fields_.end() || it->second.empty()) return true;
  return it->second.count(source) > 0;
}

bool Filters::match(const std::string& key, const std::string& source) const {
  auto it = fields_.find(key);
  if (it == fields_.end() || it->second.empty()) return true;
  for (const std::string& v : it->second) {
    if (v == source) return true;
    // std::regex is the one thrower here: a bad expression matches nothing, as Go's
    // regexp.MatchString error is ignored by moby's Match.
    try {
      if (std::regex_search(source, std::regex(v))) return true;
    } catch (const std::regex_error&) {
    }
  }
  return false;
}

Result<bool> Filters::get_bool(const std::string& key, bool fallback) const {
  auto it = fields_.find(key);
  if (it == fields_.end() || it->second.empty()) return fallback;
  const auto& v = it->second;
  bool is_true = v.count("true") || v.count("1");
  bool is_false = v.count("false") || v.count("0");
  if (v.size() > 1 || is_true == is_false) return invalid(key, *v.begin());
  return is_true;
}

}  // namespace berth::engine
