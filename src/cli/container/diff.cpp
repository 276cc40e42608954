// berth diff CONTAINER: GET /containers/{id}/changes; "C /path", "A /path", "D /path".
#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_diff(Context& ctx, const Args& args) {
  const char* usage = "diff CONTAINER";
  Flags flags;
  int rc = parse_flags(flags, "diff", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 1) return args_error("diff", usage, "requires 1 argument");
  if (!ctx.connect().ok()) return 1;
  auto resp =
      ctx.call("GET", "/containers/" + api::http::percent_encode(flags.args()[0]) + "/changes");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto changes = decode_body<model::List<model::FilesystemChange>>(resp->body, "changes");
  if (!changes.ok()) return 1;
  std::string out;
  for (const model::FilesystemChange& c : *changes) {
    const char* k = c.kind == 1 ? "A" : c.kind == 2 ? "D" : "C";
    out += std::string(k) + " " + c.path + "\n";
  }
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
