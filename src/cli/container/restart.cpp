// berth restart [-t SECONDS] [-s SIGNAL] CONTAINER...
#include "cli/commands.h"
#include "cli/container/simple_container.h"
#include "cli/flags/usage.h"

namespace berth::cli {

int cmd_restart(Context& ctx, const Args& args) {
  const char* usage = "restart [OPTIONS] CONTAINER [CONTAINER...]";
  Flags flags;
  flags.add_string("time", 't', "", "Seconds to wait before killing the container");
  flags.add_string("signal", 's', "", "Signal to send to the container");
  int rc = parse_flags(flags, "restart", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error("restart", usage, "requires at least 1 argument");
  std::string query;
  if (flags.changed("time")) query += "&t=" + api::http::percent_encode(flags.get_string("time"));
  if (flags.changed("signal"))
    query += "&signal=" + api::http::percent_encode(flags.get_string("signal"));
  if (!query.empty()) query[0] = '?';
  return for_each_container(
      ctx, flags.args(),
      {"POST", [&](const std::string& n) { return "/containers/" + n + "/restart" + query; },
       nullptr});
}

}  // namespace berth::cli
