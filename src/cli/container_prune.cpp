// berth container prune [-f] [--filter until=..|label=..]: POST /containers/prune.
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/filters.h"
#include "cli/format.h"
#include "cli/usage.h"

namespace berth::cli {

int cmd_container_prune(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("force", 'f', "Do not prompt for confirmation");
  flags.add_list("filter", 0, "Provide filter values (e.g. \"until=<timestamp>\")");
  int rc = parse_flags(flags, "container prune", "container prune [OPTIONS]", args);
  if (rc >= 0) return rc;
  auto filters = filters_query(flags.get_list("filter"), "--filter");
  if (!filters.ok()) return flag_error("container prune", filters.error());
  if (!ctx.connect().ok()) return 1;
  if (!flags.get_bool("force") &&
      !confirm("WARNING! This will remove all stopped containers.\nAre you sure you want to "
               "continue?")) {
    return 0;
  }
  auto resp = ctx.call("POST", "/containers/prune" + (filters->empty() ? "" : "?" + *filters));
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto j = parse_body(resp->body, "prune response");
  if (!j.ok()) return 1;
  std::string out;
  double reclaimed = 0;
  auto deleted = json_strings(*j, "ContainersDeleted");
  if (!deleted.empty()) {
    out = "Deleted Containers:\n";
    for (const std::string& id : deleted) out += id + "\n";
    out += "\n";
    if (j->contains("SpaceReclaimed") && (*j)["SpaceReclaimed"].is_number())
      reclaimed = (*j)["SpaceReclaimed"].get<double>();
  }
  out += "Total reclaimed space: " + human_size(reclaimed) + "\n";
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
