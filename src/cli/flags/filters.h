// docker's --filter key=value flags as the Engine API's `filters` query parameter:
// {"key":{"value":true}}, percent-encoded.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"

namespace berth::cli {

// "" when there are none; else "filters=<encoded JSON>".  Errors are docker's flag error for a
// value without '=': `invalid argument "x" for "-f, --filter" flag: bad format of filter ...`.
Result<std::string> filters_query(const std::vector<std::string>& filters,
                                  const std::string& flag_name = "-f, --filter");

}  // namespace berth::cli
