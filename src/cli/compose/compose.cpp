// berth compose [-f FILE]... [-p NAME] [--project-directory DIR] [--env-file FILE]...
//               [--profile NAME]... COMMAND
#include <unistd.h>

#include <map>

#include "base/file.h"
#include "cli/compose/compose_command.h"
#include "cli/flags/usage.h"

extern char** environ;

namespace berth::cli {

namespace {

void print_compose_usage() {
  (void)write_all(1,
                  "\nUsage:  berth compose [OPTIONS] COMMAND\n\n"
                  "Define and run multi-container applications with Berth\n\n"
                  "Options:\n"
                  "      --env-file stringArray       Specify an alternate environment file\n"
                  "  -f, --file stringArray           Compose configuration files\n"
                  "      --profile stringArray        Specify a profile to enable\n"
                  "      --project-directory string   Specify an alternate working directory\n"
                  "  -p, --project-name string        Project name\n\n"
                  "Commands:\n"
                  "  config, up, create, down, ps, logs, start, stop, restart, kill, rm, pause, "
                  "unpause,\n  run, exec, ls, images, port, top, version\n");
}

std::map<std::string, std::string> process_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

}  // namespace

// docker compose version [--short] [--format json]
int compose_version(const Args& args) {
  Flags flags;
  flags.add_bool("short", 0, "Shows only Compose's version number");
  flags.add_string("format", 'f', "pretty", "Format the output. Values: [pretty | json]");
  int rc = parse_flags(flags, "compose version", "compose version [OPTIONS]", args);
  if (rc >= 0) return rc;
  std::string v = compose_version();
  if (flags.get_bool("short")) {
    (void)write_all(1, v.substr(1) + "\n");
  } else if (flags.get_string("format") == "json") {
    (void)write_all(1, "{\"version\":\"" + v + "\"}\n");
  } else {
    (void)write_all(1, "Docker Compose version " + v + "\n");
  }
  return 0;
}

Result<compose::Project> ComposeCommand::project() {
  for (const auto& f : load.files) {
    if (f == "-" && load.stdin_text.empty()) {
      auto text = read_all(0);
      if (text.ok()) load.stdin_text = *text;
    }
  }
  auto p = compose::load_project(load);
  if (!p.ok()) {
    print_error(p.error().message);
    return p;
  }
  for (const auto& w : p->warnings) print_error("WARN[0000] " + w);
  return p;
}

int cmd_compose(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_list("file", 'f', "Compose configuration files");
  flags.add_string("project-name", 'p', "", "Project name");
  flags.add_string("project-directory", 0, "", "Specify an alternate working directory");
  flags.add_list("env-file", 0, "Specify an alternate environment file");
  flags.add_list("profile", 0, "Specify a profile to enable");
  flags.add_string("ansi", 0, "auto", "Control when to print ANSI control characters");
  flags.add_string("progress", 0, "auto", "Set type of progress output");
  flags.add_string("parallel", 0, "-1", "Control max parallelism, -1 for unlimited");
  flags.add_bool("compatibility", 0, "Run compose in backward compatibility mode");
  flags.add_bool("dry-run", 0, "Execute command in dry run mode");
  auto st = flags.parse(args, /*interspersed=*/false);
  if (!st.ok()) return flag_error("compose", st.error());
  if (flags.help() || flags.args().empty()) {
    print_compose_usage();
    return 0;
  }
  ComposeCommand cc{ctx, {}};
  cc.load.files = flags.get_list("file");
  cc.load.project_name = flags.get_string("project-name");
  cc.load.project_directory = flags.get_string("project-directory");
  cc.load.env_files = flags.get_list("env-file");
  cc.load.profiles = flags.get_list("profile");
  cc.load.os_env = process_environment();
  const std::string sub = flags.args()[0];
  Args rest(flags.args().begin() + 1, flags.args().end());
  if (sub == "version") return compose_version(rest);
  if (sub == "ls") return compose_ls(cc, rest);
  if (sub == "run") return compose_run(cc, rest);
  if (sub == "exec") return compose_exec(cc, rest);
  if (sub == "images") return compose_images(cc, rest);
  if (sub == "port") return compose_port(cc, rest);
  if (sub == "top") return compose_top(cc, rest);
  if (sub == "config" || sub == "convert") return compose_config(cc, rest);
  if (sub == "up") return compose_up(cc, rest);
  if (sub == "create") return compose_create(cc, rest);
  if (sub == "down") return compose_down(cc, rest);
  if (sub == "ps") return compose_ps(cc, rest);
  if (sub == "logs") return compose_logs(cc, rest);
  if (sub == "start" || sub == "stop" || sub == "restart" || sub == "kill" || sub == "rm" ||
      sub == "pause" || sub == "unpause")
    return compose_lifecycle(cc, sub, rest);
  print_error("unknown docker command: \"compose " + sub + "\"");
  return 1;
}

}  // namespace berth::cli
