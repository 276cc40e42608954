// `.env`, `--env-file` and a service's `env_file`: Compose's dotenv format.  `KEY=value`,
// `export KEY=value`, comments, 'single' (literal) and "double" (escapes, interpolation) quotes,
// unquoted values trimmed and cut at ` #`; `${VAR}` refers to earlier keys or to `lookup`.  A
// bare `KEY` takes its value from `lookup`, or is left out when unset.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/error.h"
#include "compose/interpolate.h"

namespace berth::compose {

using EnvList = std::vector<std::pair<std::string, std::string>>;

Result<EnvList> parse_env_file(const std::string& text, const std::string& what,
                               const Lookup& lookup);
Result<EnvList> read_env_file(const std::string& path, const Lookup& lookup);

}  // namespace berth::compose
