// berth stop [-t SECONDS] [-s SIGNAL] CONTAINER...
#include "cli/commands.h"
#include "cli/container/simple_container.h"
#include "cli/flags/usage.h"

namespace berth::cli {

int cmd_stop(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("time", 't', "", "Seconds to wait before killing the container");
  flags.add_string("signal", 's', "", "Signal to send to the container");
  int rc = parse_flags(flags, "stop", "stop [OPTIONS] CONTAINER [CONTAINER...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("stop", "stop [OPTIONS] CONTAINER [CONTAINER...]",
                      "requires at least 1 argument");
  std::string query;
  if (flags.changed("time")) query += "t=" + api::http::percent_encode(flags.get_string("time"));
  if (flags.changed("signal")) {
    query += std::string(query.empty() ? "" : "&") +
             "signal=" + api::http::percent_encode(flags.get_string("signal"));
  }
  return for_each_container(ctx, flags.args(),
                            {"POST",
                             [&](const std::string& n) {
                               return "/containers/" + n + "/stop" +
                                      (query.empty() ? "" : "?" + query);
                             },
                             nullptr});
}

}  // namespace berth::cli
