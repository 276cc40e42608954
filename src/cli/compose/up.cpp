// berth compose up [-d] [--build] [--no-build] [--force-recreate] [--no-recreate] [--no-deps]
//                  [--remove-orphans] [--scale SERVICE=N] [--wait] [--abort-on-container-exit]
//                  [--exit-code-from SERVICE] [--no-log-prefix] [--attach SERVICE]... [SERVICE...]
// berth compose create: the same without starting.
#include "base/strings.h"
#include "cli/compose/attached.h"
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
  flags.add_bool("abort-on-container-exit", 0,
                 "Stops all containers if any container was stopped. Incompatible with -d");
  flags.add_string("exit-code-from", 0, "",
                   "Return the exit code of the selected service container. Implies "
                   "--abort-on-container-exit");
  flags.add_bool("no-log-prefix", 0, "Don't print prefix in logs");
  flags.add_bool("no-color", 0, "Produce monochrome output");
  flags.add_list("attach", 0, "Restrict attaching to the specified services");
  flags.add_bool("attach-dependencies", 0,
                 "Automatically attach to log output of dependent services");
  std::string name = create_only ? "compose create" : "compose up";
  int rc = parse_flags(flags, name, name + " [OPTIONS] [SERVICE...]", args);
  if (rc >= 0) return rc;
  bool detach = create_only || flags.get_bool("detach") || flags.get_bool("wait");
  std::string code_from = flags.get_string("exit-code-from");
  bool abort_on_exit = flags.get_bool("abort-on-container-exit") || !code_from.empty();
  if (detach && abort_on_exit) {
    print_error("--abort-on-container-exit and --detach are incompatible");
    return 1;
  }
  auto project = cc.project();
  if (!project.ok()) return 1;
  if (!code_from.empty() && !project->services().has(code_from)) {
    print_error("no such service: " + code_from);
    return 1;
  }
  auto api = compose_api(cc);
  if (!api) return 1;
  compose::UpOptions o;
  o.no_deps = flags.get_bool("no-deps");
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
  if (detach) return 0;
  AttachOptions a;
  a.services = flags.get_list("attach");
  if (a.services.empty()) {
    a.services = o.no_deps ? o.services : compose::start_order(*project, o.services);
  }
  a.no_log_prefix = flags.get_bool("no-log-prefix");
  a.no_color = flags.get_bool("no-color");
  a.abort_on_exit = abort_on_exit;
  a.exit_code_from = code_from;
  if (flags.changed("timeout")) {
    long long t = 0;
    (void)parse_int64(flags.get_string("timeout"), &t);
    a.timeout = static_cast<int>(t);
  }
  return attach_project(*api, *project, a);
  return 0;
}

}  // namespace

int compose_up(ComposeCommand& cc, const Args& args) { return up_or_create(cc, args, false); }
int compose_create(ComposeCommand& cc, const Args& args) { return up_or_create(cc, args, true); }

}  // namespace berth::cli
