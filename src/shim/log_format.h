// The on-disk formats of the log drivers: what berth-shim writes and berthd reads back.
//
// json-file: one {"log":...,"stream":...,"time":...} object per line (Docker's jsonlog).
// local: Docker's local driver records: a 4-byte big-endian length, a protobuf LogEntry
//   (source=1 string, time_nano=2 int64, line=3 bytes, partial=4 bool,
//   partial_log_metadata=5 {last=1 bool, id=2 string, ordinal=3 int32},
//   attrs=6 repeated {key=1 string, value=2 string}), the same length again (so the file can be
//   read backwards).  The line is stored without its newline; a reader
//   adds it back unless the entry is a partial one that is not the last of its message.
// Both rotate as Docker names the files: <path>, <path>.1 (the newest rotated), ... <path>.N.
// Pure functions, no state, safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace berth::shim {

// A container's log attributes (dockerd's logger.Info.ExtraAttributes plus the tag), sorted by
// key, recorded with every entry: json-file's "attrs" object, local's LogEntry.attrs.
using LogAttrs = std::vector<std::pair<std::string, std::string>>;

// JSON string escaping without nlohmann: the shim stays small.  html_safe also escapes < > & as
// \u003c \u003e \u0026, as Go's json.Marshal does.
void append_json_string(std::string* out, std::string_view s, bool html_safe = false);
// The "attrs" object as jsonfilelog writes it (json.Marshal of a map: keys sorted, HTML-safe);
// "" for no attributes.
std::string json_log_attrs(const LogAttrs& attrs);
// One json-file line; `attrs` is json_log_attrs' output, written between "stream" and "time".
std::string json_log_entry(std::string_view line, const char* stream, int64_t nanos,
                           std::string_view attrs = {});

struct LocalEntry {
  std::string source;  // "stdout" | "stderr"
  int64_t time_nano = 0;
  std::string line;      // without the trailing newline
  bool partial = false;  // a piece of a longer message (with the metadata below)
  bool last = false;
  std::string partial_id;
  int32_t ordinal = 0;
  LogAttrs attrs;
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
