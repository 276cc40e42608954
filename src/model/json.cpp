#include "model/json.h"

#include <cmath>
#include <limits>

namespace berth::model {
namespace detail {

Error type_error(const std::string& path, const char* expected) {
  std::string message = path.empty() ? std::string() : path + ": ";
  return make_error(Code::kInvalidArgument, message + "expected " + expected);
}

Status decode_list(const Json& j, const std::string& path, void* list, const ListOps& ops) {
  if (j.is_null()) {
    ops.reset(list, true, 0);
    return ok_status();
  }
  if (!j.is_array()) return type_error(path, "array");
  const auto& items = j.get_ref<const Json::array_t&>();
  ops.reset(list, false, items.size());
  std::string item_path = path;
  size_t prefix = item_path.size();
  for (size_t i = 0; i < items.size(); ++i) {
    item_path.resize(prefix);
    item_path += '[';
    item_path += std::to_string(i);
    item_path += ']';
    BERTH_TRY(ops.decode_item(list, i, items[i], item_path));
  }
  return ok_status();
}

Status decode_map(const Json& j, const std::string& path, void* map, const MapOps& ops) {
  if (j.is_null()) {
    ops.reset(map, true);
    return ok_status();
  }
  if (!j.is_object()) return type_error(path, "object");
  ops.reset(map, false);
  std::string entry_path = path;
  if (!entry_path.empty()) entry_path += '.';
  size_t prefix = entry_path.size();
  for (const auto& [key, value] : j.get_ref<const Json::object_t&>()) {
    entry_path.resize(prefix);
    entry_path += key;
    BERTH_TRY(ops.decode_entry(map, key, value, entry_path));
  }
  return ok_status();
}

Status decode_strslice(const Json& j, List<std::string>* out, const std::string& path) {
  if (!j.is_string()) return decode(j, out, path);
  *out = List<std::string>{j.get_ref<const std::string&>()};
  return ok_status();
}

void set_null(Json* out) { *out = nullptr; }
void set_string(Json* out, const char* s) { *out = s; }

Json* begin_array(Json* out, size_t size) {
  *out = Json::array();
  auto& items = out->get_ref<Json::array_t&>();
  items.resize(size);
  return items.data();
}

Json* member(Json::object_t& members, const char* name) { return &members[name]; }
Json* member(Json::object_t& members, const std::string& name) { return &members[name]; }

namespace {

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

int field_index(std::string_view key, const std::string_view* names, int count) {
  for (int i = 0; i < count; ++i)
    if (names[i] == key) return i;
  for (int i = 0; i < count; ++i)
    if (equal_fold(names[i], key)) return i;
  return -1;
}

}  // namespace

Status decode_object(const Json& j, const std::string& path, const std::string_view* names,
                     int count, UnknownFields* unknown, void* obj, FieldDecoder decode_field) {
  if (j.is_null()) return ok_status();
  if (!j.is_object()) return type_error(path, "object");
  // One buffer for the members' paths: most of them are never read (no error).
  std::string member_path = path;
  if (!member_path.empty()) member_path += '.';
  size_t prefix = member_path.size();
  for (const auto& [key, value] : j.get_ref<const Json::object_t&>()) {
    int i = field_index(key, names, count);
    if (i < 0) {
      (*unknown)[key] = RawJson(dump_json(value));
      continue;
    }
    member_path.resize(prefix);
    member_path += names[i];
    BERTH_TRY(decode_field(obj, i, value, member_path));
  }
  return ok_status();
}

int enum_index(std::string_view s, const std::string_view* wire, int count) {
  for (int i = 0; i < count; ++i)
    if (wire[i] == s) return i;
  return -1;
}

Status decode_enum(const Json& j, const std::string& path, const std::string_view* wire, int count,
                   int* index) {
  if (j.is_null()) return ok_status();
  if (!j.is_string()) return type_error(path, "string");
  const auto& s = j.get_ref<const std::string&>();
  int i = enum_index(s, wire, count);
  if (i < 0) {
    std::string message = path.empty() ? std::string() : path + ": ";
    return make_error(Code::kInvalidArgument, message + "invalid value " + dump_json(Json(s)));
  }
  *index = i;
  return ok_status();
}

Json::object_t& begin_object(Json* out) {
  *out = Json::object();
  return out->get_ref<Json::object_t&>();
}

void put_unknown(Json::object_t& members, const UnknownFields& unknown) {
  for (const auto& [key, value] : unknown) encode(value, &members[key]);
}

}  // namespace detail

Status decode(const Json& j, std::string* out, const std::string& path) {
  if (j.is_null()) return ok_status();
  if (!j.is_string()) return detail::type_error(path, "string");
  *out = j.get_ref<const std::string&>();
  return ok_status();
}

Status decode(const Json& j, bool* out, const std::string& path) {
  if (j.is_null()) return ok_status();
  if (!j.is_boolean()) return detail::type_error(path, "boolean");
  *out = j.get_ref<const Json::boolean_t&>();
  return ok_status();
}

namespace {

// An integral float within [lo, hi), as Go accepts `1e3` for an int64.
bool integral(const Json& j, double lo, double hi, double* out) {
  if (!j.is_number_float()) return false;
  double d = j.get_ref<const Json::number_float_t&>();
  if (!(d >= lo && d < hi) || std::trunc(d) != d) return false;
  *out = d;
  return true;
}

}  // namespace

Status decode(const Json& j, int64_t* out, const std::string& path) {
  if (j.is_null()) return ok_status();
  if (j.is_number_unsigned()) {
    uint64_t u = j.get_ref<const Json::number_unsigned_t&>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
      return detail::type_error(path, "integer");
    *out = static_cast<int64_t>(u);
    return ok_status();
  }
  if (j.is_number_integer()) {
    *out = j.get_ref<const Json::number_integer_t&>();
    return ok_status();
  }
  double d;
  if (!integral(j, -0x1p63, 0x1p63, &d)) return detail::type_error(path, "integer");
  *out = static_cast<int64_t>(d);
  return ok_status();
}

Status decode(const Json& j, uint64_t* out, const std::string& path) {
  if (j.is_null()) return ok_status();
  if (j.is_number_unsigned()) {
    *out = j.get_ref<const Json::number_unsigned_t&>();
    return ok_status();
  }
  if (j.is_number_integer()) {  // signed: a Json built in code, not parsed
    auto i = j.get_ref<const Json::number_integer_t&>();
    if (i < 0) return detail::type_error(path, "unsigned integer");
    *out = static_cast<uint64_t>(i);
    return ok_status();
  }
  double d;
  if (!integral(j, 0, 0x1p64, &d)) return detail::type_error(path, "unsigned integer");
  *out = static_cast<uint64_t>(d);
  return ok_status();
}

Status decode(const Json& j, double* out, const std::string& path) {
  if (j.is_null()) return ok_status();
  if (!j.is_number()) return detail::type_error(path, "number");
  *out = j.get<double>();
  return ok_status();
}

Status decode(const Json& j, RawJson* out, const std::string&) {
  *out = j.is_null() ? RawJson() : RawJson(dump_json(j));
  return ok_status();
}

void encode(const std::string& v, Json* out) { *out = v; }
void encode(bool v, Json* out) { *out = v; }
void encode(int64_t v, Json* out) { *out = v; }
void encode(uint64_t v, Json* out) { *out = v; }
void encode(double v, Json* out) {
  // Go writes an integral float64 without a fraction (3, not 3.0); so do we.
  if (std::trunc(v) == v && std::fabs(v) < 0x1p53) {
    *out = static_cast<int64_t>(v);
  } else {
    *out = v;
  }
}

void encode(const RawJson& v, Json* out) {
  if (v.empty()) {
    *out = nullptr;
    return;
  }
  auto parsed = parse_json(v.text(), "raw JSON");
  *out = parsed.ok() ? std::move(*parsed) : Json();
}

}  // namespace berth::model
