#include "base/log.h"

#include <unistd.h>

#include <atomic>

#include "base/time.h"

namespace berth {

namespace {
// The one piece of process-wide state: written once at start-up, read with relaxed loads.
std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
}  // namespace

bool parse_log_level(const std::string& text, LogLevel* out) {
  if (text == "debug")
    *out = LogLevel::kDebug;
  else if (text == "info")
    *out = LogLevel::kInfo;
  else if (text == "warn")
    *out = LogLevel::kWarn;
  else if (text == "error" || text == "fatal")
    *out = LogLevel::kError;
  else
    return false;
  return true;
}

void set_log_level(LogLevel level) { g_level.store(static_cast<int>(level)); }

void log(LogLevel level, const std::string& message) {
  if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
  static const char* kNames[] = {"debug", "info", "warning", "error"};
  std::string line = "time=\"" + format_rfc3339_nano(now_nanos()) +
                     "\" level=" + kNames[static_cast<int>(level)] + " msg=\"" + message + "\"\n";
  ssize_t ignored = ::write(2, line.data(), line.size());
  (void)ignored;
}

}  // namespace berth
