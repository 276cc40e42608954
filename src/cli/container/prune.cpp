// berth container prune [-f] [--filter until=..|label=..]: POST /containers/prune.
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/flags/filters.h"
#include "cli/flags/usage.h"
#include "cli/format/format.h"
#include "cli/objects/object_commands.h"

namespace berth::cli {

int cmd_container_prune(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_bool("force", 'f', "Do not prompt for confirmation");
  flags.add_list("filter", 0, "Provide filter values (e.g. \"until=<timestamp>\")");
  int rc = parse_flags(flags, "container prune", "container prune [OPTIONS]", args);
  if (rc >= 0) return rc;
  auto filters = filters_query(flags.get_list("filter"), "--filter");
  if (!filters.ok()) return flag_error("container prune", filters.error());
  PruneCommand command{
      "/containers/prune",
      *filters,
      "WARNING! This will remove all stopped containers.\nAre you sure you want to continue?",
      decode_container_prune,
      "Deleted Containers:",
      true};
  return prune_after_confirm(ctx, command, flags.get_bool("force"));
}

}  // namespace berth::cli
