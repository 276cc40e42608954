// The on-disk formats of the log drivers: what berth-shim writes and berthd reads back.
//
// json-file: one {"log":...,"stream":...,"time":...} object per line (Docker's jsonlog).
// local: Docker's local driver records: a 4-byte big-endian length, a protobuf LogEntry
//   (source=1 string, time_nano=2 int64, line=3 bytes, partial=4 bool,
//   partial_log_metadata=5 {last=1 bool, id=2 string, ordinal=3 int32}, attrs=6), the same length
//   again (so the file can be read backwards).  The line is stored without its newline; a reader
//   adds it back unless the entry is a partial one that is not the last of its message.
// Both rotate as Docker names the files: <path>, <path>.1 (the newest rotated), ... <path>.N.
// Pure functions, no state, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace berth::shim {

// JSON string escaping without nlohmann: the shim stays small.
void append_json_string(std::string* out, std::string_view s);
std::string json_log_entry(std::string_view line, const char* stream, int64_t nanos);

struct LocalEntry {
  std::string source;  // "stdout" | "stderr"
  int64_t time_nano = 0;
  std::string line;      // without the trailing newline
  bool partial = false;  // a piece of a longer message (with the metadata below)
  bool last = false;
  std::string partial_id;
  int32_t ordinal = 0;
  // The text `docker logs` shows: the line and its newline, unless a non-last partial.
  std::string text() const { return (!partial || last) ? line + "\n" : line; }
};

// The whole framed record: length, message, length.
std::string encode_local_entry(const LocalEntry& entry);
// Decodes the record at the start of `data`.  Returns the bytes it took, or 0 when `data` holds
// only part of a record (a writer is mid-append); DataLoss when the framing is broken.
Result<size_t> decode_local_entry(std::string_view data, LocalEntry* out);

// "<path>" for n == 0, else "<path>.<n>".
std::string rotated_log_path(const std::string& path, int n);

}  // namespace berth::shim
