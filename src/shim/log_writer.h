// The shim's log driver: the container's output, cut into Docker's log messages, written in the
// configured driver's format (log_format.h) to a rotating file (rotating_file.h).
// Output arrives in arbitrary chunks; a message is written once its newline arrived, or when
// 16 KiB accumulate without one (Docker splits long lines the same way), or at flush().
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"
#include "shim/log_format.h"
#include "shim/rotating_file.h"

namespace berth::shim {

struct LogSettings {
  std::string driver = "json-file";  // "json-file" | "local" | "none"
  std::string path;                  // "" (or driver "none"): nothing is stored
  int64_t max_size = -1;             // bytes per file, -1 = no rotation
  int max_files = 1;
  LogAttrs attrs;  // recorded with every entry (sorted by key)
};

class LogWriter {
 public:
  LogWriter() = default;
  static Result<LogWriter> open(const LogSettings& settings);
  // stream: 0 stdout, 1 stderr.
  void write(int stream, std::string_view data);
  void flush();

 private:
  // A whole line (newline included), cut into 16 KiB pieces.
  void emit_line(int stream, std::string_view line);
  void emit(int stream, std::string_view chunk, bool terminated);
  bool local_ = false;
  RotatingFile file_;
  // The attributes, encoded once: json-file's "attrs" object; for local they ride in record_,
  // the entry reused for every message.
  std::string json_attrs_;
  LocalEntry record_;
  std::string pending_[2];
  // The message being split into partial entries (local format), per stream.
  int32_t ordinal_[2] = {0, 0};
  std::string partial_id_[2];
};

}  // namespace berth::shim
