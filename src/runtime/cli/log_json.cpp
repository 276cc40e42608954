#include "base/json.h"
#include "base/time.h"
#include "runtime/cli/cli.h"

namespace berth::runtime::cli {

std::string log_line_json(const std::string& level, const std::string& message) {
  return dump_json(
      Json{{"level", level}, {"msg", message}, {"time", format_rfc3339_nano(now_nanos())}});
}

}  // namespace berth::runtime::cli
