// Wall-clock time in the forms Docker's API uses.
#pragma once

#include <cstdint>
#include <string>

namespace berth {

int64_t now_nanos();  // since the Unix epoch
// "2026-11-28T23:11:58.123456789Z"
std::string format_rfc3339_nano(int64_t nanos);
// Parses RFC 3339 (with optional fraction and Z or ±hh:mm); returns false when malformed.
bool parse_rfc3339(const std::string& text, int64_t* nanos);
// Docker's zero time, used for FinishedAt of a container that never stopped.
inline const char* kZeroTime = "0001-01-01T00:00:00Z";

}  // namespace berth
