// Docker's json-file record (see log_format.h).
#include "base/time.h"
#include "shim/log_format.h"

namespace berth::shim {

void append_json_string(std::string* out, std::string_view s, bool html_safe) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (c < 0x20 || (html_safe && (c == '<' || c == '>' || c == '&'))) {
          *out += "\\u00";
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

std::string json_log_attrs(const LogAttrs& attrs) {
  if (attrs.empty()) return "";
  std::string out = "{";
  for (auto& [key, value] : attrs) {
    if (out.size() > 1) out.push_back(',');
    append_json_string(&out, key, true);
    out.push_back(':');
    append_json_string(&out, value, true);
  }
  out.push_back('}');
  return out;
}

std::string json_log_entry(std::string_view line, const char* stream, int64_t nanos,
                           std::string_view attrs) {
  std::string out = "{\"log\":";
  append_json_string(&out, line);
  out += ",\"stream\":\"";
  out += stream;
  out += '"';
  if (!attrs.empty()) {
    out += ",\"attrs\":";
    out += attrs;
  }
  out += ",\"time\":\"";
  // Go's RFC3339Nano, as Docker writes it: trailing zeros of the fraction dropped.
  std::string t = format_rfc3339_nano(nanos);
  auto dot = t.find('.');
  if (dot != std::string::npos && t.back() == 'Z') {
    size_t end = t.size() - 1;
    while (end > dot + 1 && t[end - 1] == '0') --end;
    if (end == dot + 1) end = dot;
    t = t.substr(0, end) + "Z";
  }
  out += t;
  out += "\"}\n";
  return out;
}

std::string rotated_log_path(const std::string& path, int n) {
  return n == 0 ? path : path + "." + std::to_string(n);
}

}  // namespace berth::shim
