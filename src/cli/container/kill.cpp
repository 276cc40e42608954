// berth kill [-s SIGNAL] CONTAINER...
#include "cli/commands.h"
#include "cli/container/simple_container.h"
#include "cli/flags/usage.h"

namespace berth::cli {

int cmd_kill(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("signal", 's', "", "Signal to send to the container");
  int rc = parse_flags(flags, "kill", "kill [OPTIONS] CONTAINER [CONTAINER...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("kill", "kill [OPTIONS] CONTAINER [CONTAINER...]",
                      "requires at least 1 argument");
  std::string signal = flags.get_string("signal");
  return for_each_container(
      ctx, flags.args(),
      {"POST",
       [&](const std::string& n) {
         return "/containers/" + n + "/kill" +
                (signal.empty() ? "" : "?signal=" + api::http::percent_encode(signal));
       },
       nullptr});
}

}  // namespace berth::cli
