#include "engine/filters.h"

#include <cctype>
#include <cstdlib>
#include <regex>

#include "base/time.h"

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

namespace {
// A Go duration ("1h30m", "90s", "1.5h"): true with its length in nanos.
bool parse_go_duration(const std::string& text, int64_t* nanos) {
  static const std::pair<const char*, double> kUnits[] = {{"ns", 1},  {"us", 1e3}, {"ms", 1e6},
                                                          {"s", 1e9}, {"m", 60e9}, {"h", 3600e9}};
  size_t i = 0;
  double total = 0;
  if (text.empty()) return false;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return false;
    double n = std::atof(text.substr(start, i - start).c_str());
    size_t ustart = i;
    while (i < text.size() && isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string unit = text.substr(ustart, i - ustart);
    bool known = false;
    for (auto& [name, scale] : kUnits)
      if (unit == name) {
        total += n * scale;
        known = true;
      }
    if (!known) return false;
  }
  *nanos = static_cast<int64_t>(total);
  return true;
}
}  // namespace

Result<int64_t> Filters::get_timestamp(const std::string& key, int64_t now) const {
  auto values = get(key);
  if (values.empty()) return int64_t{0};
  if (values.size() > 1)
    return make_error(Code::kInvalidArgument, "more than one " + key + " filter specified");
  const std::string& v = values[0];
  int64_t nanos = 0;
  if (parse_rfc3339(v, &nanos)) return nanos;
  if (parse_go_duration(v, &nanos)) return now - nanos;
  char* end = nullptr;
  double secs = std::strtod(v.c_str(), &end);
  if (!v.empty() && end && *end == '\0' && isdigit(static_cast<unsigned char>(v[0])))
    return static_cast<int64_t>(secs * 1e9);
  return invalid(key, v);
}

}  // namespace berth::engine
