#include "base/json.h"

namespace berth {

namespace {
// Deeper than any Docker object; a deeper document is an attack on the stack (recursive
// destruction, copies and dumps of the tree), so it is refused before a tree is built.
constexpr int kMaxJsonDepth = 1000;

bool too_deep(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (in_string) {
      if (ch == '\\')
        ++i;
      else if (ch == '"')
        in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == '[' || ch == '{') {
      if (++depth > kMaxJsonDepth) return true;
    } else if (ch == ']' || ch == '}') {
      --depth;
    }
  }
  return false;
}
}  // namespace

Result<Json> parse_json(std::string_view text, const std::string& what) {
  if (too_deep(text))
    return make_error(Code::kInvalidArgument, "invalid JSON in " + what +
                                                  ": too deeply nested (more than " +
                                                  std::to_string(kMaxJsonDepth) + " levels)");
  Json j = Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(Code::kInvalidArgument, "invalid JSON in " + what);
  return j;
}

std::string dump_json(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  // Non-ASCII: nlohmann checks and replaces bad UTF-8; names and commands are rarely so.
  for (char ch : text) {
    if (static_cast<unsigned char>(ch) >= 0x80) {
      out += dump_json(Json(std::string(text)));
      return;
    }
  }
  out += '"';
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      switch (c) {
        case '\n':
          out += "\\n";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        default:
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
      }
    } else {
      out += ch;
    }
  }
  out += '"';
}

std::string json_string(const Json& j, const char* key, const std::string& fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fallback;
  return it->get<std::string>();
}

std::vector<std::string> json_strings(const Json& j, const char* key) {
  std::vector<std::string> out;
  if (!j.is_object()) return out;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

}  // namespace berth
