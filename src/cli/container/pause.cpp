// berth pause|unpause CONTAINER...
#include "cli/commands.h"
#include "cli/container/simple_container.h"
#include "cli/flags/usage.h"

namespace berth::cli {

namespace {

int pause_or_unpause(Context& ctx, const Args& args, const std::string& verb) {
  std::string usage = verb + " CONTAINER [CONTAINER...]";
  Flags flags;
  int rc = parse_flags(flags, verb, usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error(verb, usage, "requires at least 1 argument");
  return for_each_container(
      ctx, flags.args(),
      {"POST", [&](const std::string& n) { return "/containers/" + n + "/" + verb; }, nullptr});
}

}  // namespace

int cmd_pause(Context& ctx, const Args& args) { return pause_or_unpause(ctx, args, "pause"); }
int cmd_unpause(Context& ctx, const Args& args) { return pause_or_unpause(ctx, args, "unpause"); }

}  // namespace berth::cli
