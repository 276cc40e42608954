#include "shim/json_log.h"

#include <fcntl.h>

#include "base/file.h"
#include "base/time.h"

namespace berth::shim {

namespace {
constexpr size_t kMaxLine = 16 * 1024;
const char* kStreams[2] = {"stdout", "stderr"};
}  // namespace

void append_json_string(std::string* out, std::string_view s) {
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
        if (c < 0x20) {
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

std::string json_log_entry(std::string_view line, const char* stream, int64_t nanos) {
  std::string out = "{\"log\":";
  append_json_string(&out, line);
  out += ",\"stream\":\"";
  out += stream;
  out += "\",\"time\":\"";
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

Result<JsonLog> JsonLog::open(const std::string& path) {
  JsonLog log;
  if (path.empty()) return log;
  log.fd_ = UniqueFd(::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640));
  if (!log.fd_) return sys_error("open log " + path);
  return log;
}

void JsonLog::emit(int stream, std::string_view line) {
  if (!fd_) return;
  // A full disk must not stop the container: the error is dropped like Docker does.
  (void)write_all(fd_.get(), json_log_entry(line, kStreams[stream], now_nanos()));
}

void JsonLog::write(int stream, std::string_view data) {
  std::string& p = pending_[stream];
  p.append(data);
  size_t start = 0;
  for (;;) {
    size_t nl = p.find('\n', start);
    if (nl == std::string::npos) break;
    emit(stream, std::string_view(p).substr(start, nl + 1 - start));
    start = nl + 1;
  }
  p.erase(0, start);
  while (p.size() >= kMaxLine) {
    emit(stream, std::string_view(p).substr(0, kMaxLine));
    p.erase(0, kMaxLine);
  }
}

void JsonLog::flush() {
  for (int s = 0; s < 2; ++s) {
    if (!pending_[s].empty()) emit(s, pending_[s]);
    pending_[s].clear();
  }
}

}  // namespace berth::shim
