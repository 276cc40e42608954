// Docker's json-file log driver: one {"log":...,"stream":...,"time":...} object per line of
// output.  Output arrives in arbitrary chunks; a line is written once its newline arrived, or
// when 16 KiB accumulate without one (Docker splits long lines the same way), or at flush().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/unique_fd.h"

namespace berth::shim {

// JSON string escaping without nlohmann: the shim stays small.
void append_json_string(std::string* out, std::string_view s);
std::string json_log_entry(std::string_view line, const char* stream, int64_t nanos);

class JsonLog {
 public:
  JsonLog() = default;
  // Opens (append, create 0640); an empty path makes a log that discards.
  static Result<JsonLog> open(const std::string& path);
  // stream: 0 stdout, 1 stderr.
  void write(int stream, std::string_view data);
  void flush();

 private:
  void emit(int stream, std::string_view line);
  UniqueFd fd_;
  std::string pending_[2];
};

}  // namespace berth::shim
