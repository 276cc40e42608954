// berth compose down [-v] [--remove-orphans] [-t SECONDS]
#include "base/strings.h"
#include "cli/compose/compose_api.h"

namespace berth::cli {

int compose_down(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("volumes", 'v', "Remove named volumes declared in the \"volumes\" section");
  flags.add_bool("remove-orphans", 0,
                 "Remove containers for services not defined in the Compose file");
  flags.add_string("timeout", 't', "", "Specify a shutdown timeout in seconds");
  flags.add_string("rmi", 0, "", "Remove images used by services");
  int rc = parse_flags(flags, "compose down", "compose down [OPTIONS] [SERVICES]", args);
  if (rc >= 0) return rc;
  auto project = cc.project();
  if (!project.ok()) return 1;
  auto api = compose_api(cc);
  if (!api) return 1;
  compose::DownOptions o;
  o.volumes = flags.get_bool("volumes");
  o.remove_orphans = flags.get_bool("remove-orphans");
  if (flags.changed("timeout")) {
    long long t = 0;
    if (!parse_int64(flags.get_string("timeout"), &t)) {
      print_error("invalid timeout " + flags.get_string("timeout"));
      return 1;
    }
    o.timeout = static_cast<int>(t);
  }
  std::vector<std::string> warnings;
  auto st = compose::down(*api, *project, o, plain_progress(), &warnings);
  print_warnings(warnings);
  if (!st.ok()) {
    print_error(st.error().message);
    return 1;
  }
  return 0;
}

}  // namespace berth::cli
