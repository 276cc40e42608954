// berth rmi [-f] [--no-prune] IMAGE...: DELETE /images/{name}, printing Untagged/Deleted lines.
#include "base/file.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "model/image_json.h"

namespace berth::cli {

int cmd_rmi(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("force", 'f', "Force removal of the image");
  flags.add_bool("no-prune", 0, "Do not delete untagged parents");
  int rc = parse_flags(flags, "rmi", "rmi [OPTIONS] IMAGE [IMAGE...]", args);
  if (rc >= 0) return rc;
  if (flags.args().empty())
    return flag_error(
        "rmi", make_error(Code::kInvalidArgument, "\"berth rmi\" requires at least 1 argument."));
  if (!ctx.connect().ok()) return 1;
  std::string query;
  if (flags.get_bool("force")) query += "&force=1";
  if (flags.get_bool("no-prune")) query += "&noprune=1";
  if (!query.empty()) query[0] = '?';
  int status = 0;
  for (auto& name : flags.args()) {
    auto resp = ctx.call("DELETE", "/images/" + name + query);
    if (!resp.ok()) return 1;
    if (!is_success(resp->status)) {
      print_daemon_error(*resp);
      status = 1;
      continue;
    }
    auto items =
        decode_body<model::List<model::ImageDeleteResponseItem>>(resp->body, "remove reply");
    if (!items.ok()) continue;
    std::string out;
    for (const model::ImageDeleteResponseItem& i : *items) {
      if (!i.untagged.empty()) out += "Untagged: " + i.untagged + "\n";
      if (!i.deleted.empty()) out += "Deleted: " + i.deleted + "\n";
    }
    (void)write_all(1, out);
  }
  return status;
}

}  // namespace berth::cli
