#include "base/time.h"

#include <time.h>

#include <cstdio>
#include <cstdlib>

namespace berth {

int64_t now_nanos() {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000LL + ts.tv_nsec;
}

std::string format_rfc3339_nano(int64_t nanos) {
  time_t secs = static_cast<time_t>(nanos / 1000000000LL);
  long frac = static_cast<long>(nanos % 1000000000LL);
  struct tm tm;
  ::gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09ldZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

bool parse_rfc3339(const std::string& text, int64_t* nanos) {
  struct tm tm = {};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
    return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  int64_t frac = 0;
  size_t i = static_cast<size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    ++i;
    int digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (digits < 9) {
        frac = frac * 10 + (text[i] - '0');
        ++digits;
      }
      ++i;
    }
    while (digits++ < 9) frac *= 10;
  }
  int64_t offset = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int hh = 0, mm = 0;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &hh, &mm) != 2) return false;
    offset = (hh * 3600 + mm * 60) * (text[i] == '+' ? 1 : -1);
  } else if (i >= text.size() || (text[i] != 'Z' && text[i] != 'z')) {
    return false;
  }
  time_t secs = ::timegm(&tm);
  *nanos = (static_cast<int64_t>(secs) - offset) * 1000000000LL + frac;
  return true;
}

}  // namespace berth
