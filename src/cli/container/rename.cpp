// berth rename CONTAINER NEW_NAME: POST /containers/{id}/rename?name=NEW_NAME, no output.
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"

namespace berth::cli {

int cmd_rename(Context& ctx, const Args& args) {
  const char* usage = "rename CONTAINER NEW_NAME";
  Flags flags;
  int rc = parse_flags(flags, "rename", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 2) return args_error("rename", usage, "requires 2 arguments");
  std::string old_name = trim(flags.args()[0]);
  std::string new_name = trim(flags.args()[1]);
  if (old_name.empty() || new_name.empty()) {
    print_error("Error: neither old nor new names may be empty");
    return 1;
  }
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("POST", "/containers/" + api::http::percent_encode(old_name) +
                                   "/rename?name=" + api::http::percent_encode(new_name));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    print_error("Error: failed to rename container named " + old_name);
    return 1;
  }
  return 0;
}

}  // namespace berth::cli
