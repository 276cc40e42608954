// berth tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]
#include "cli/commands.h"

namespace berth::cli {

int cmd_tag(Context& ctx, const Args& args) {
  Flags flags;
  int rc = parse_flags(flags, "tag", "tag SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]", args);
  if (rc >= 0) return rc;
  if (flags.args().size() != 2)
    return flag_error(
        "tag", make_error(Code::kInvalidArgument, "\"berth tag\" requires exactly 2 arguments."));
  std::string target = flags.args()[1];
  std::string repo = target, tag;
  if (size_t colon = target.rfind(':');
      colon != std::string::npos && target.find('/', colon) == std::string::npos) {
    repo = target.substr(0, colon);
    tag = target.substr(colon + 1);
  }
  if (!ctx.connect().ok()) return 1;
  std::string path = "/images/" + flags.args()[0] + "/tag?repo=" + api::http::percent_encode(repo);
  if (!tag.empty()) path += "&tag=" + api::http::percent_encode(tag);
  auto resp = ctx.call("POST", path);
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  return 0;
}

}  // namespace berth::cli
