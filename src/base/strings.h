// Small string helpers that C++20 lacks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace berth {

std::vector<std::string> split(std::string_view text, char sep);
std::string join(const std::vector<std::string>& parts, std::string_view sep);
std::string trim(std::string_view text);
std::string to_lower(std::string_view text);
bool parse_int64(std::string_view text, long long* out);
// Human-readable size the way Docker prints it ("1.23MB", decimal units, 3 significant digits).
std::string human_size(double bytes, int precision = 4);
// Docker's "About a minute", "2 hours", "3 days" durations (go-units HumanDuration).
std::string human_duration(long long seconds);

}  // namespace berth
