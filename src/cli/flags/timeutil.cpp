#include "cli/flags/timeutil.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "base/strings.h"
#include "base/time.h"

namespace berth::cli {

Result<int64_t> parse_go_duration(const std::string& text) {
  auto bad = [&] {
    return make_error(Code::kInvalidArgument, "time: invalid duration \"" + text + "\"");
  };
  std::string s = text;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s = s.substr(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return bad();
  double total = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start) return bad();
    double v = std::strtod(s.substr(start, i - start).c_str(), nullptr);
    size_t ustart = i;
    while (i < s.size() && !std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '.') ++i;
    std::string unit = s.substr(ustart, i - ustart);
    double mult;
    if (unit == "ns")
      mult = 1;
    else if (unit == "us" || unit == "µs" || unit == "μs")
      mult = 1e3;
    else if (unit == "ms")
      mult = 1e6;
    else if (unit == "s")
      mult = 1e9;
    else if (unit == "m")
      mult = 60e9;
    else if (unit == "h")
      mult = 3600e9;
    else if (unit.empty())
      return make_error(Code::kInvalidArgument, "time: missing unit in duration \"" + text + "\"");
    else
      return make_error(Code::kInvalidArgument,
                        "time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
    total += v * mult;
  }
  int64_t n = static_cast<int64_t>(std::llround(total));
  return neg ? -n : n;
}

namespace {

std::string seconds_nanos(int64_t nanos) {
  char buf[64];
  int64_t sec = nanos / 1000000000;
  int64_t frac = nanos % 1000000000;
  if (frac < 0) {
    frac += 1000000000;
    sec -= 1;
  }
  std::snprintf(buf, sizeof buf, "%lld.%09lld", static_cast<long long>(sec),
                static_cast<long long>(frac));
  return buf;
}

}  // namespace

Result<std::string> api_timestamp(const std::string& value, int64_t now_nanos) {
  if (auto d = parse_go_duration(value); d.ok()) return seconds_nanos(now_nanos - *d);
  // A Unix timestamp: digits with an optional fraction.
  bool numeric = !value.empty();
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != '.') numeric = false;
  }
  if (numeric) return value;
  int64_t nanos = 0;
  if (parse_rfc3339(value, &nanos)) return seconds_nanos(nanos);
  // Without a zone, docker reads the time as local: 2006-01-02T15:04:05[.999999999], 2006-01-02
  // T15:04, 2006-01-02T15, 2006-01-02.
  struct tm tm {};
  const char* formats[] = {"%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H", "%Y-%m-%d"};
  for (const char* f : formats) {
    std::memset(&tm, 0, sizeof tm);
    const char* end = strptime(value.c_str(), f, &tm);
    if (end == nullptr) continue;
    int64_t frac = 0;
    if (*end == '.') {
      std::string digits;
      for (++end; std::isdigit(static_cast<unsigned char>(*end)); ++end) digits += *end;
      digits.resize(9, '0');
      frac = std::stoll(digits.substr(0, 9));
    }
    if (*end != '\0') continue;
    tm.tm_isdst = -1;
    time_t t = std::mktime(&tm);
    return seconds_nanos(static_cast<int64_t>(t) * 1000000000 + frac);
  }
  return make_error(Code::kInvalidArgument,
                    "failed to parse value as time or duration: \"" + value + "\"");
}

Result<int64_t> parse_ram_bytes(const std::string& text) {
  auto bad = [&] { return make_error(Code::kInvalidArgument, "invalid size: '" + text + "'"); };
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
    ++i;
  if (i == 0) return bad();
  double v = std::strtod(text.substr(0, i).c_str(), nullptr);
  std::string unit = to_lower(text.substr(i));
  if (unit.size() == 2 && unit[1] == 'b' && unit[0] != 'b') unit = unit.substr(0, 1);
  if (unit.size() == 3 && unit.substr(1) == "ib") unit = unit.substr(0, 1);
  double mult = 1;
  if (unit.empty() || unit == "b")
    mult = 1;
  else if (unit == "k")
    mult = 1024.0;
  else if (unit == "m")
    mult = 1024.0 * 1024;
  else if (unit == "g")
    mult = 1024.0 * 1024 * 1024;
  else if (unit == "t")
    mult = 1024.0 * 1024 * 1024 * 1024;
  else if (unit == "p")
    mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
  else
    return bad();
  return static_cast<int64_t>(v * mult);
}

std::string bytes_size(double bytes) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  while (bytes >= 1024.0 && unit < 6) {
    bytes /= 1024.0;
    ++unit;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g%s", bytes, kUnits[unit]);
  return buf;
}

}  // namespace berth::cli
