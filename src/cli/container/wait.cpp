// berth wait CONTAINER...: prints each exit code.
#include "base/file.h"
#include "cli/commands.h"
#include "cli/container/simple_container.h"
#include "cli/flags/usage.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_wait(Context& ctx, const Args& args) {
  Flags flags;
  int rc = parse_flags(flags, "wait", "wait CONTAINER [CONTAINER...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return args_error("wait", "wait CONTAINER [CONTAINER...]", "requires at least 1 argument");
  int exit_code = 0;
  rc = for_each_container(
      ctx, flags.args(),
      {"POST", [](const std::string& n) { return "/containers/" + n + "/wait"; },
       [&](const std::string&, const api::ClientResponse& resp) {
         auto w = model::parse<model::ContainerWaitResponse>(resp.body, "wait response");
         if (!w.ok()) {
           print_error("error reading wait response: " + resp.body);
           exit_code = 1;
           return;
         }
         (void)write_all(1, std::to_string(w->status_code) + "\n");
       }});
  return rc != 0 ? rc : exit_code;
}

}  // namespace berth::cli
