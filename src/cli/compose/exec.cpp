// berth compose exec [-d] [-T] [--index N] [-u USER] [-w DIR] [-e K=V]... [--privileged]
//                    SERVICE COMMAND [ARGS...]
// Runs through `berth exec` in the service's container number --index (default 1).  As
// Compose, stdin is kept open and a TTY is allocated when stdin is a terminal, unless -T.
#include <unistd.h>

#include "base/strings.h"
#include "cli/compose/compose_api.h"
#include "cli/flags/usage.h"
#include "compose/container_spec.h"

namespace berth::cli {

std::optional<model::ContainerSummary> service_container(compose::EngineApi& api,
                                                         const std::string& project,
                                                         const std::string& service, int index) {
  auto list = compose::project_containers(api, project);
  if (!list.ok()) {
    print_error(list.error().message);
    return std::nullopt;
  }
  for (const auto& c : *list) {
    auto svc = c.labels.find(compose::kLabelService);
    auto num = c.labels.find(compose::kLabelNumber);
    if (svc == c.labels.end() || svc->second != service || c.state != "running") continue;
    if (num != c.labels.end() && num->second == std::to_string(index)) return c;
  }
  print_error("service \"" + service + "\" is not running");
  return std::nullopt;
}

int compose_exec(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("detach", 'd', "Detached mode: Run command in the background");
  flags.add_bool("no-TTY", 'T', "Disable pseudo-TTY allocation (default: auto-detected)");
  flags.add_bool("interactive", 'i', "Keep STDIN open even if not attached (default true)");
  flags.add_bool("tty", 't', "Allocate a pseudo-TTY (default: auto-detected)");
  flags.add_string("index", 0, "1", "Index of the container if service has multiple replicas");
  flags.add_string("user", 'u', "", "Run the command as this user");
  flags.add_string("workdir", 'w', "", "Path to workdir directory for this command");
  flags.add_list("env", 'e', "Set environment variables");
  flags.add_bool("privileged", 0, "Give extended privileges to the process");
  const char* usage = "compose exec [OPTIONS] SERVICE COMMAND [ARGS...]";
  int rc = parse_flags(flags, "compose exec", usage, args, /*interspersed=*/false);
  if (rc >= 0) return rc;
  if (flags.args().size() < 2)
    return args_error("compose exec", usage, "requires at least 2 arg(s)");
  long long index = 1;
  if (!parse_int64(flags.get_string("index"), &index) || index < 1) {
    print_error("invalid --index " + flags.get_string("index"));
    return 1;
  }
  auto project = cc.project();
  if (!project.ok()) return 1;
  auto api = compose_api(cc);
  if (!api) return 1;
  auto c = service_container(*api, project->name, flags.args()[0], static_cast<int>(index));
  if (!c) return 1;
  Args exec_args;
  bool detach = flags.get_bool("detach");
  if (detach) exec_args.push_back("-d");
  if (!detach) exec_args.push_back("-i");
  if (!detach && !flags.get_bool("no-TTY") && ::isatty(0) == 1) exec_args.push_back("-t");
  if (flags.changed("user")) exec_args.insert(exec_args.end(), {"-u", flags.get_string("user")});
  if (flags.changed("workdir"))
    exec_args.insert(exec_args.end(), {"-w", flags.get_string("workdir")});
  for (const auto& e : flags.get_list("env")) exec_args.insert(exec_args.end(), {"-e", e});
  if (flags.get_bool("privileged")) exec_args.push_back("--privileged");
  exec_args.push_back(c->id);
  exec_args.insert(exec_args.end(), flags.args().begin() + 1, flags.args().end());
  return cmd_exec(cc.ctx, exec_args);
}

}  // namespace berth::cli
