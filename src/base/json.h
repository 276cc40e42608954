// The one include point for nlohmann::json, plus a non-throwing parse.  nlohmann throws; Berth
// does not, so parsing goes through parse_json, and lookups use value()/contains().
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"

namespace berth {

using Json = nlohmann::json;

Result<Json> parse_json(std::string_view text, const std::string& what);
// Dumps without throwing on invalid UTF-8 (replaces it), compact.
std::string dump_json(const Json& j);
// Appends `text` as a JSON string literal (quoted, escaped); invalid UTF-8 is replaced as
// dump_json does.  For writers that build a document as text, without a Json tree.
void append_json_string(std::string& out, std::string_view text);
// A string member, or `fallback` when absent or not a string.
std::string json_string(const Json& j, const char* key, const std::string& fallback = "");
// A list of strings; null, absent or non-array give an empty list.
std::vector<std::string> json_strings(const Json& j, const char* key);

}  // namespace berth
