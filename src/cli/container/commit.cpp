// berth commit [-a AUTHOR] [-m MSG] [-c CHANGE]... [-p=false] CONTAINER [REPOSITORY[:TAG]]:
// POST /commit?container=..&repo=..&tag=..&comment=..&author=..&pause=..&changes=.. (one
// `changes` parameter per -c); prints the new image's ID.
#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "model/container_json.h"

namespace berth::cli {

int cmd_commit(Context& ctx, const Args& args) {
  const char* usage = "commit [OPTIONS] CONTAINER [REPOSITORY[:TAG]]";
  Flags flags;
  flags.add_string("author", 'a', "",
                   "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")");
  flags.add_string("message", 'm', "", "Commit message");
  flags.add_list("change", 'c', "Apply Dockerfile instruction to the created image");
  flags.add_bool("pause", 'p', "Pause container during commit");
  int rc = parse_flags(flags, "commit", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty() || flags.args().size() > 2)
    return args_error("commit", usage, "requires at least 1 and at most 2 arguments");
  bool pause = !flags.changed("pause") || flags.get_bool("pause");
  std::string repo, tag;
  if (flags.args().size() == 2) {
    repo = flags.args()[1];
    size_t slash = repo.rfind('/');
    size_t colon = repo.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
      tag = repo.substr(colon + 1);
      repo = repo.substr(0, colon);
    }
  }
  if (!ctx.connect().ok()) return 1;
  using api::http::percent_encode;
  std::string target =
      "/commit?container=" + percent_encode(flags.args()[0]) + "&repo=" + percent_encode(repo) +
      "&tag=" + percent_encode(tag) + "&comment=" + percent_encode(flags.get_string("message")) +
      "&author=" + percent_encode(flags.get_string("author")) + "&pause=" + (pause ? "1" : "0");
  for (const std::string& c : flags.get_list("change")) target += "&changes=" + percent_encode(c);
  auto resp = ctx.call("POST", target, "null");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto committed = decode_body<model::IDResponse>(resp->body, "commit response");
  if (!committed.ok()) return 1;
  (void)write_all(1, committed->id + "\n");
  return 0;
}

}  // namespace berth::cli
