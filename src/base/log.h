// Leveled logging to stderr (the daemon's log).  The level is process-wide configuration set
// once at start-up from --log-level; logging itself is thread-safe (one write per line).
#pragma once

#include <string>

namespace berth {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

bool parse_log_level(const std::string& text, LogLevel* out);
void set_log_level(LogLevel level);
void log(LogLevel level, const std::string& message);
inline void log_debug(const std::string& m) { log(LogLevel::kDebug, m); }
inline void log_info(const std::string& m) { log(LogLevel::kInfo, m); }
inline void log_warn(const std::string& m) { log(LogLevel::kWarn, m); }
inline void log_error(const std::string& m) { log(LogLevel::kError, m); }

}  // namespace berth
