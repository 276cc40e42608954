// berth top CONTAINER [ps OPTIONS]: GET /containers/{id}/top?ps_args=..., a tabwriter table
// with minimum width 20 as docker prints it.
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "cli/format/list_format.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_top(Context& ctx, const Args& args) {
  const char* usage = "top CONTAINER [ps OPTIONS]";
  Flags flags;
  int rc = parse_flags(flags, "top", usage, args, false);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error("top", usage, "requires at least 1 argument");
  if (!ctx.connect().ok()) return 1;
  std::string target = "/containers/" + api::http::percent_encode(flags.args()[0]) + "/top";
  if (flags.args().size() > 1) {
    std::vector<std::string> ps_args(flags.args().begin() + 1, flags.args().end());
    target += "?ps_args=" + api::http::percent_encode(join(ps_args, " "));
  }
  auto resp = ctx.call("GET", target);
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto top = decode_body<model::ContainerTopResponse>(resp->body, "top response");
  if (!top.ok()) return 1;
  std::string text = join(top->titles, "\t") + "\n";
  for (const model::List<std::string>& p : top->processes) text += join(p, "\t") + "\n";
  (void)write_all(1, tabwrite(text, 20));
  return 0;
}

}  // namespace berth::cli
