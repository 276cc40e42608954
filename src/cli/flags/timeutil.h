// Docker's time and size arguments: Go durations ("1h30m", "10s"), --since/--until values
// (RFC 3339 with or without zone, dates, Unix timestamps, durations before now) and byte sizes
// ("64m", "1g" as go-units RAMInBytes).
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"

namespace berth::cli {

// Go's time.ParseDuration: "300ms", "-1.5h", "2h45m"; nanoseconds.  Error text is Go's:
// `time: invalid duration "x"`.
Result<int64_t> parse_go_duration(const std::string& text);
// docker's timetypes.GetTimestamp: the value the API wants ("1700000000.000000000"), relative
// values counted back from `now_nanos`.
Result<std::string> api_timestamp(const std::string& value, int64_t now_nanos);
// go-units RAMInBytes: "64m" -> 67108864; "1.5g"; suffixes b, k, m, g, t, p (with optional "b").
// Error text: "invalid size: 'x'".
Result<int64_t> parse_ram_bytes(const std::string& text);
// go-units BytesSize: binary units, 4 significant digits: "1.953MiB".
std::string bytes_size(double bytes);

}  // namespace berth::cli
