// berth rm [-f] [-v] CONTAINER...
#include "cli/commands.h"
#include "cli/container/simple_container.h"
#include "cli/flags/usage.h"

namespace berth::cli {

int cmd_rm(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("force", 'f', "Force the removal of a running container (uses SIGKILL)");
  flags.add_bool("volumes", 'v', "Remove anonymous volumes associated with the container");
  flags.add_bool("link", 'l', "Remove the specified link");
  int rc = parse_flags(flags, "rm", "rm [OPTIONS] CONTAINER [CONTAINER...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("rm", "rm [OPTIONS] CONTAINER [CONTAINER...]",
                      "requires at least 1 argument");
  std::string query;
  if (flags.get_bool("force")) query += "&force=1";
  if (flags.get_bool("volumes")) query += "&v=1";
  if (flags.get_bool("link")) query += "&link=1";
  if (!query.empty()) query[0] = '?';
  return for_each_container(
      ctx, flags.args(),
      {"DELETE", [&](const std::string& n) { return "/containers/" + n + query; }, nullptr});
}

}  // namespace berth::cli
