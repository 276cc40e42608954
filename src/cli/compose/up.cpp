// berth compose up [-d] [--build] [--no-build] [--force-recreate] [--no-recreate]
//                  [--remove-orphans] [--scale SERVICE=N] [--wait] [SERVICE...]
// berth compose create: the same without starting.
#include "base/strings.h"
#include "cli/compose/compose_api.h"

namespace berth::cli {

namespace {

int up_or_create(ComposeCommand& cc, const Args& args, bool create_only) {
  Flags flags;
  flags.add_bool("detach", 'd', "Detached mode: Run containers in the background");
  flags.add_bool("build", 0, "Build images before starting containers");
  flags.add_bool("no-build", 0, "Don't build an image, even if it's policy");
  flags.add_bool("force-recreate", 0,
                 "Recreate containers even if their configuration hasn't changed");
  flags.add_bool("no-recreate", 0, "If containers already exist, don't recreate them");
  flags.add_bool("remove-orphans", 0,
                 "Remove containers for services not defined in the Compose file");
  flags.add_bool("no-deps", 0, "Don't start linked services");
  flags.add_list("scale", 0, "Scale SERVICE to NUM instances");
  flags.add_bool("wait", 0, "Wait for services to be running|healthy. Implies detached mode");
  flags.add_string("wait-timeout", 0, "0",
                   "Maximum duration in seconds to wait for the project to be running|healthy");
  flags.add_string("timeout", 't', "", "Use this timeout in seconds for container shutdown");
  flags.add_string("pull", 0, "policy", "Pull image before running");
  flags.add_bool("quiet-pull", 0, "Pull without printing progress information");
  std::string name = create_only ? "compose create" : "compose up";
  int rc = parse_flags(flags, name, name + " [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  auto project = cc.project();
  if (!project.ok()) return 1;
  auto api = compose_api(cc);
  if (!api) return 1;
  compose::UpOptions o;
  o.services = flags.args();
  o.force_recreate = flags.get_bool("force-recreate");
  o.no_recreate = flags.get_bool("no-recreate");
  o.remove_orphans = flags.get_bool("remove-orphans");
  o.always_build = flags.get_bool("build");
  o.no_build = flags.get_bool("no-build");
  o.no_start = create_only;
  o.wait = flags.get_bool("wait");
  for (const auto& s : flags.get_list("scale")) {
    size_t eq = s.find('=');
    long long n = 0;
    if (eq == std::string::npos || !parse_int64(s.substr(eq + 1), &n)) {
      print_error("invalid --scale " + s + ": want SERVICE=NUM");
      return 1;
    }
    o.scale[s.substr(0, eq)] = static_cast<int>(n);
  }
  o.build = service_builder(cc, *project);
  std::vector<std::string> warnings;
  auto st = compose::up(*api, *project, o, plain_progress(), &warnings);
  print_warnings(warnings);
  if (!st.ok()) {
    print_error(st.error().message);
    return 1;
  }
  if (!create_only && !flags.get_bool("detach") && !o.wait) {
    // Attached mode (log streaming) is not there yet: say so rather than pretend.
    print_error(
        "berth compose up: attached mode is not supported yet; the project runs "
        "detached (use `berth compose logs`)");
  }
  return 0;
}

}  // namespace

int compose_up(ComposeCommand& cc, const Args& args) { return up_or_create(cc, args, false); }
int compose_create(ComposeCommand& cc, const Args& args) { return up_or_create(cc, args, true); }

}  // namespace berth::cli
