// berth compose run [--rm] [-d] [--service-ports] [--no-deps] [-e K=V]... [-v VOL]...
//                   [--entrypoint CMD] [-T] [-i] [--name NAME] [-u USER] [-w DIR] [-l K=V]...
//                   SERVICE [COMMAND] [ARGS...]
// A one-off container of SERVICE, as Compose makes it: named <project>-<service>-run-<id>,
// labelled com.docker.compose.oneoff=True, its dependencies started first.  Attached, it runs
// through `berth start -a` and exits with the container's code.
#include <unistd.h>

#include <random>

#include "base/file.h"
#include "base/strings.h"
#include "cli/compose/compose_api.h"
#include "cli/flags/usage.h"
#include "compose/container_spec.h"

namespace berth::cli {

namespace {

std::string random_hex(size_t n) {
  std::random_device rd;
  std::string out;
  const char* digits = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) out += digits[rd() % 16];
  return out;
}

// Compose splits --entrypoint as a shell would (shellwords): quotes and backslashes.
std::vector<std::string> shell_split(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (quote != 0) {
      if (ch == quote) {
        quote = 0;
      } else if (ch == '\\' && quote == '"' && i + 1 < text.size()) {
        cur += text[++i];
      } else {
        cur += ch;
      }
    } else if (ch == '\'' || ch == '"') {
      quote = ch;
      in_word = true;
    } else if (ch == '\\' && i + 1 < text.size()) {
      cur += text[++i];
      in_word = true;
    } else if (ch == ' ' || ch == '\t' || ch == '\n') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += ch;
      in_word = true;
    }
  }
  if (in_word) out.push_back(cur);
  return out;
}

}  // namespace

int compose_run(ComposeCommand& cc, const Args& args) {
  Flags flags;
  flags.add_bool("rm", 0, "Automatically remove the container when it exits");
  flags.add_bool("detach", 'd', "Run container in background and print container ID");
  flags.add_bool("service-ports", 'P',
                 "Run command with all service's ports enabled and mapped to the host");
  flags.add_bool("no-deps", 0, "Don't start linked services");
  flags.add_list("env", 'e', "Set environment variables");
  flags.add_list("volume", 'v', "Bind mount a volume");
  flags.add_list("label", 'l', "Add or override a label");
  flags.add_string("entrypoint", 0, "", "Override the entrypoint of the image");
  flags.add_bool("no-TTY", 'T', "Disable pseudo-TTY allocation (default: auto-detected)");
  flags.add_bool("interactive", 'i', "Keep STDIN open even if not attached (default true)");
  flags.add_bool("tty", 't', "Allocate a pseudo-TTY");
  flags.add_string("name", 0, "", "Assign a name to the container");
  flags.add_string("user", 'u', "", "Run as specified username or uid");
  flags.add_string("workdir", 'w', "", "Working directory inside the container");
  flags.add_bool(
      "use-aliases", 0,
      "Use the service's network useAliases in the network(s) the container connects to");
  flags.add_bool("build", 0, "Build image before starting container");
  flags.add_bool("remove-orphans", 0,
                 "Remove containers for services not defined in the Compose file");
  flags.add_bool("quiet-pull", 0, "Pull without printing progress information");
  const char* usage = "compose run [OPTIONS] SERVICE [COMMAND] [ARGS...]";
  int rc = parse_flags(flags, "compose run", usage, args, /*interspersed=*/false);
  if (rc >= 0) return rc;
  if (flags.args().empty()) return args_error("compose run", usage, "requires at least 1 arg(s)");
  const std::string service = flags.args()[0];
  Args command(flags.args().begin() + 1, flags.args().end());
  auto project = cc.project();
  if (!project.ok()) return 1;
  if (!project->services().has(service)) {
    print_error("no such service: " + service);
    return 1;
  }
  auto api = compose_api(cc);
  if (!api) return 1;

  // Dependencies first (or, with --no-deps, only the networks and volumes).
  compose::UpOptions up;
  up.no_deps = flags.get_bool("no-deps");
  up.remove_orphans = flags.get_bool("remove-orphans");
  if (!up.no_deps) {
    for (const auto& s : compose::start_order(*project, {service}))
      if (s != service) up.services.push_back(s);
    up.no_deps = up.services.empty();
  }
  up.build = service_builder(cc, *project);
  std::vector<std::string> warnings;
  auto st = compose::up(*api, *project, up, plain_progress(), &warnings);
  print_warnings(warnings);
  if (!st.ok()) {
    print_error(st.error().message);
    return 1;
  }

  auto list = compose::project_containers(*api, project->name);
  std::map<std::string, std::string> by_service;
  if (list.ok()) {
    for (const auto& c : *list) {
      auto it = c.labels.find(compose::kLabelService);
      if (it != c.labels.end() && !by_service.count(it->second)) by_service[it->second] = c.id;
    }
  }
  auto req = compose::container_request(*project, service, 1, by_service);
  if (!req.ok()) {
    print_error(req.error().message);
    return 1;
  }
  std::string slug = random_hex(64);
  std::string name = flags.get_string("name");
  if (name.empty()) name = project->name + "-" + service + "-run-" + slug.substr(0, 12);
  req->labels[compose::kLabelOneoff] = "True";
  req->labels["com.docker.compose.slug"] = slug;
  req->labels.erase(compose::kLabelNumber);
  for (const auto& l : flags.get_list("label")) {
    size_t eq = l.find('=');
    req->labels[l.substr(0, eq)] = eq == std::string::npos ? "" : l.substr(eq + 1);
  }
  if (!command.empty()) req->cmd.assign(command.begin(), command.end());
  if (flags.changed("entrypoint")) {
    auto ep = shell_split(flags.get_string("entrypoint"));
    req->entrypoint.assign(ep.begin(), ep.end());
    if (command.empty()) req->cmd.clear();
  }
  for (const auto& e : flags.get_list("env")) req->env.push_back(e);
  if (flags.changed("user")) req->user = flags.get_string("user");
  if (flags.changed("workdir")) req->working_dir = flags.get_string("workdir");
  bool detach = flags.get_bool("detach");
  bool tty = !detach && !flags.get_bool("no-TTY") && (flags.get_bool("tty") || ::isatty(0) == 1);
  req->tty = tty;
  if (!detach) {
    req->open_stdin = true;
    req->stdin_once = true;
    req->attach_stdin = req->attach_stdout = req->attach_stderr = true;
  }
  auto& hc = *req->host_config;
  for (const auto& v : flags.get_list("volume")) hc.binds.push_back(v);
  if (!flags.get_bool("service-ports")) hc.port_bindings.clear();
  // A one-off container is not restarted, and answers to no service alias unless asked.
  hc.restart_policy = {};
  if (!flags.get_bool("use-aliases") && req->networking_config) {
    for (auto& [net, ep] : req->networking_config->endpoints_config) ep.aliases.clear();
  }
  hc.auto_remove = detach && flags.get_bool("rm");
  // The service's own image: up above saw only its dependencies.
  auto present = api->image_exists(req->image);
  if (present.ok() && !*present) {
    Status got = project->services().find(service)->has("build") ? up.build(service, req->image)
                                                                 : api->pull_image(req->image);
    if (!got.ok()) {
      print_error(got.error().message);
      return 1;
    }
  }
  auto id = api->create_container(name, *req);
  if (!id.ok()) {
    print_error("Error response from daemon: " + id.error().message);
    return 1;
  }
  if (detach) {
    auto started = api->start_container(*id);
    if (!started.ok()) {
      print_error("Error response from daemon: " + started.error().message);
      return 1;
    }
    (void)write_all(1, name + "\n");
    return 0;
  }
  if (!cc.ctx.connect().ok()) return 1;
  int code = cmd_start(cc.ctx, {"-a", "-i", *id});
  if (flags.get_bool("rm")) (void)api->remove_container(*id, true, true);
  return code;
}

}  // namespace berth::cli
