// JSON for the typed Engine API model: decode/encode of the model's scalars and containers, the
// generic entry points (from_json, to_json, parse, dump) and the helpers the generated
// `model/<area>_json.cpp` files are made of.  Each generated type T adds, in model/<area>_json.h:
//   Status decode(const Json& j, T* out, const std::string& path);
//   void encode(const T& v, Json* out);
// Decoding follows Go's encoding/json as dockerd uses it: exact member name first, then a
// case-insensitive match; null leaves the zero value; integral floats are accepted for integers;
// members the schema does not name go to the struct's unknown_fields; a wrong type is a
// kInvalidArgument error naming the path ("HostConfig.Memory: expected integer", `[i]` for list
// items, `.key` for map entries; the root is "", so its members start the path).  Encoding
// follows Go too (omitempty, nil slices and maps as null).  Nothing here throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "base/error.h"
#include "base/json.h"
#include "model/list.h"
#include "model/raw_json.h"

namespace berth::model {

// Scalars.  Declared before the templates below, which find them by ordinary lookup.
Status decode(const Json& j, std::string* out, const std::string& path);
Status decode(const Json& j, bool* out, const std::string& path);
Status decode(const Json& j, int64_t* out, const std::string& path);
Status decode(const Json& j, uint64_t* out, const std::string& path);
Status decode(const Json& j, double* out, const std::string& path);
Status decode(const Json& j, RawJson* out, const std::string& path);
void encode(const std::string& v, Json* out);
void encode(bool v, Json* out);
void encode(int64_t v, Json* out);
void encode(uint64_t v, Json* out);
void encode(double v, Json* out);
void encode(const RawJson& v, Json* out);  // empty or unparsable text -> null

namespace detail {

// The containers' loops live in json.cpp, behind these function pointers, so that the per-type
// code the generated files instantiate is small and touches no nlohmann internals.
struct ListOps {
  void (*reset)(void* list, bool null, size_t size);
  Status (*decode_item)(void* list, size_t index, const Json& item, const std::string& path);
};
struct MapOps {
  void (*reset)(void* map, bool null);
  Status (*decode_entry)(void* map, const std::string& key, const Json& value,
                         const std::string& path);
};
Status decode_list(const Json& j, const std::string& path, void* list, const ListOps& ops);
Status decode_map(const Json& j, const std::string& path, void* map, const MapOps& ops);

template <class T>
struct ListCodec {
  static void reset(void* p, bool null, size_t size) {
    auto* list = static_cast<List<T>*>(p);
    if (null) {
      list->set_null();
    } else {
      *list = typename List<T>::Base(size);  // no resize(): that instantiates T's relocation
    }
  }
  static Status decode_item(void* p, size_t index, const Json& item, const std::string& path) {
    auto& list = *static_cast<List<T>*>(p);
    if constexpr (std::is_same_v<T, bool>) {  // std::vector<bool> has no bool&
      bool b = false;
      BERTH_TRY(decode(item, &b, path));
      list[index] = b;
      return ok_status();
    } else {
      return decode(item, &list[index], path);
    }
  }
  static constexpr ListOps kOps = {reset, decode_item};
};

template <class T>
struct MapCodec {
  static void reset(void* p, bool null) {
    auto* map = static_cast<Map<T>*>(p);
    if (null) {
      map->set_null();
    } else {
      map->set_empty();
    }
  }
  static Status decode_entry(void* p, const std::string& key, const Json& value,
                             const std::string& path) {
    return decode(value, &(*static_cast<Map<T>*>(p))[key], path);
  }
  static constexpr MapOps kOps = {reset, decode_entry};
};

// Go's strslice.StrSlice: an array of strings, or one string as a one-item list.
Status decode_strslice(const Json& j, List<std::string>* out, const std::string& path);

void set_null(Json* out);
void set_string(Json* out, const char* s);
// Makes *out an array of `size` nulls and returns its first element.
Json* begin_array(Json* out, size_t size);
// Makes *out an empty object and returns its members.
Json::object_t& begin_object(Json* out);
// The member `name` of `members`, added as null if absent.
Json* member(Json::object_t& members, const char* name);
Json* member(Json::object_t& members, const std::string& name);

}  // namespace detail

template <class T>
Status decode(const Json& j, std::optional<T>* out, const std::string& path) {
  if (j.is_null()) {
    out->reset();
    return ok_status();
  }
  if (!out->has_value()) out->emplace();
  return decode(j, &**out, path);
}

template <class T>
Status decode(const Json& j, List<T>* out, const std::string& path) {
  return detail::decode_list(j, path, out, detail::ListCodec<T>::kOps);
}

template <class T>
Status decode(const Json& j, Map<T>* out, const std::string& path) {
  return detail::decode_map(j, path, out, detail::MapCodec<T>::kOps);
}

template <class T>
void encode(const std::optional<T>& v, Json* out) {
  if (v) {
    encode(*v, out);
  } else {
    detail::set_null(out);
  }
}

template <class T>
void encode(const List<T>& v, Json* out) {
  if (v.is_null()) return detail::set_null(out);
  Json* items = detail::begin_array(out, v.size());
  for (size_t i = 0; i < v.size(); ++i) encode(static_cast<const T&>(v[i]), items + i);
}

template <class T>
void encode(const Map<T>& v, Json* out) {
  if (v.is_null()) return detail::set_null(out);
  auto& members = detail::begin_object(out);
  for (const auto& [key, value] : v) encode(value, detail::member(members, key));
}

// The generic entry points.
template <class T>
Result<T> from_json(const Json& j, const std::string& path = "") {
  T v{};
  BERTH_TRY(decode(j, &v, path));
  return v;
}

template <class T>
Json to_json(const T& v) {
  Json j;
  encode(v, &j);
  return j;
}

// Parses `text` and decodes it; errors name `what` ("container create body: ...").
template <class T>
Result<T> parse(std::string_view text, const std::string& what) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, what));
  T v{};
  BERTH_TRY_CTX(decode(j, &v, ""), what);
  return v;
}

template <class T>
std::string dump(const T& v) {
  return dump_json(to_json(v));
}

// What the generated code is made of; not for hand-written callers.
namespace detail {

// Decodes one member (index into the type's name table) of the struct at `obj`.
using FieldDecoder = Status (*)(void* obj, int field, const Json& value, const std::string& path);

// Decodes an object: each member is matched against `names` (exactly, then ignoring ASCII case)
// and handed to `decode_field`; members not named go to `unknown`.  null leaves `obj` as it is.
Status decode_object(const Json& j, const std::string& path, const std::string_view* names,
                     int count, UnknownFields* unknown, void* obj, FieldDecoder decode_field);

// The index of `s` among an enum's wire strings, or -1.
int enum_index(std::string_view s, const std::string_view* wire, int count);
// A string that must be one of `wire`; null leaves *index as it is.  A value not listed is an
// error "<path>: invalid value ...", or `invalid` with "{value}" replaced (Docker's own words).
Status decode_enum(const Json& j, const std::string& path, const std::string_view* wire, int count,
                   int* index, const char* invalid = nullptr);
template <class E>
Status decode_enum(const Json& j, E* out, const std::string& path, const std::string_view* wire,
                   int count, const char* invalid = nullptr) {
  int index = static_cast<int>(*out);
  BERTH_TRY(decode_enum(j, path, wire, count, &index, invalid));
  *out = static_cast<E>(index);
  return ok_status();
}

void put_unknown(Json::object_t& members, const UnknownFields& unknown);

// Go's omitempty: false, 0, "", nil pointers and empty slices and maps; structs never.
inline bool is_empty(const std::string& v) { return v.empty(); }
inline bool is_empty(bool v) { return !v; }
inline bool is_empty(int64_t v) { return v == 0; }
inline bool is_empty(uint64_t v) { return v == 0; }
inline bool is_empty(double v) { return v == 0; }
inline bool is_empty(const RawJson& v) { return v.empty(); }
template <class T>
bool is_empty(const List<T>& v) {
  return v.empty();
}
template <class T>
bool is_empty(const Map<T>& v) {
  return v.empty();
}
template <class T>
bool is_empty(const std::optional<T>& v) {
  return !v.has_value();
}
template <class T>
bool is_empty(const T& v) {
  if constexpr (std::is_enum_v<T>) {
    return v == T{};  // an enum's first value is always "" (Go's empty string)
  } else {
    return false;
  }
}

template <class T>
void put(Json::object_t& members, const char* name, const T& v) {
  encode(v, member(members, name));
}
template <class T>
void put_omitempty(Json::object_t& members, const char* name, const T& v) {
  if (!is_empty(v)) encode(v, member(members, name));
}

}  // namespace detail
}  // namespace berth::model
