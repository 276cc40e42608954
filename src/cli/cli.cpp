// The berth entry point: global flags (-H/--host, BERTH_HOST), then one command.
#include <cstdlib>
#include <map>

#include "base/file.h"
#include "cli/commands.h"

namespace berth::cli {

namespace {

using CommandFn = int (*)(Context&, const Args&);

const std::map<std::string, CommandFn>& commands() {
  static const std::map<std::string, CommandFn> kCommands = {
      {"run", cmd_run},         {"create", cmd_create},
      {"start", cmd_start},     {"ps", cmd_ps},
      {"logs", cmd_logs},       {"stop", cmd_stop},
      {"kill", cmd_kill},       {"rm", cmd_rm},
      {"wait", cmd_wait},       {"restart", cmd_restart},
      {"pause", cmd_pause},     {"unpause", cmd_unpause},
      {"rename", cmd_rename},   {"update", cmd_update},
      {"attach", cmd_attach},   {"exec", cmd_exec},
      {"top", cmd_top},         {"stats", cmd_stats},
      {"port", cmd_port},       {"diff", cmd_diff},
      {"export", cmd_export},   {"cp", cmd_cp},
      {"commit", cmd_commit},   {"events", cmd_events},
      {"images", cmd_images},   {"load", cmd_load},
      {"save", cmd_save},       {"inspect", cmd_inspect},
      {"version", cmd_version}, {"info", cmd_info},
      {"image", cmd_image},     {"pull", cmd_pull},
      {"push", cmd_push},       {"tag", cmd_tag},
      {"rmi", cmd_rmi},         {"login", cmd_login},
      {"logout", cmd_logout},   {"history", cmd_image_history},
      {"system", cmd_system},   {"build", cmd_build},
      {"builder", cmd_builder}, {"network", cmd_network},
      {"volume", cmd_volume},   {"compose", cmd_compose},
  };
  return kCommands;
}

// `berth container ls` and friends.
int container_command(Context& ctx, const Args& args) {
  if (args.empty()) {
    print_error("\nUsage:  berth container COMMAND");
    return 1;
  }
  std::string sub = args[0];
  if (sub == "ls" || sub == "list") sub = "ps";
  if (sub == "prune") return cmd_container_prune(ctx, Args(args.begin() + 1, args.end()));
  if (sub == "images" || sub == "image" || sub == "load" || sub == "save" || sub == "version" ||
      sub == "info" || sub == "container") {
    sub = "";
  }
  auto it = commands().find(sub);
  if (it == commands().end()) {
    print_error("berth: 'container " + args[0] +
                "' is not a berth command.\n"
                "See 'berth container --help'");
    return 1;
  }
  Args rest(args.begin() + 1, args.end());
  if (sub == "inspect") rest.insert(rest.begin(), {"--type", "container"});
  return it->second(ctx, rest);
}

void print_usage() {
  (void)write_all(1,
                  "\nUsage:  berth [OPTIONS] COMMAND\n\n"
                  "A Docker-compatible container engine\n\n"
                  "Commands:\n"
                  "  run, create, start, ps, logs, stop, kill, rm, wait,\n"
                  "  images, load, save, inspect, version, info, image bootstrap,\n"
                  "  pull, push, tag, rmi, login, logout, history, system df,\n"
                  "  network, volume\n\n"
                  "Global Options:\n"
                  "  -H, --host string   Daemon socket to connect to (env BERTH_HOST)\n"
                  "  -v, --version       Print version information and quit\n");
}

}  // namespace

int run_berth(int argc, char** argv) {
  if (is_compose_plugin_invocation(argc, argv)) return run_compose_plugin(argc, argv);
  Context ctx;
  if (const char* env = std::getenv("BERTH_HOST"); env != nullptr && *env != '\0') {
    ctx.host = env;
    ctx.host_given = true;
  }
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.empty() || arg[0] != '-') break;
    if (arg == "-H" || arg == "--host") {
      if (i + 1 >= argc) {
        print_error("flag needs an argument: " + arg);
        return 125;
      }
      ctx.host = argv[++i];
      ctx.host_given = true;
    } else if (arg.rfind("--host=", 0) == 0 || arg.rfind("-H=", 0) == 0) {
      ctx.host = arg.substr(arg.find('=') + 1);
      ctx.host_given = true;
    } else if (arg.rfind("-H", 0) == 0 && arg.size() > 2) {
      ctx.host = arg.substr(2);
      ctx.host_given = true;
    } else if (arg == "-v" || arg == "--version") {
      (void)write_all(1, std::string("Berth version ") + kClientVersion + "\n");
      return 0;
    } else if (arg == "-h" || arg == "--help") {
      print_usage();
      return 0;
    } else if (arg == "-D" || arg == "--debug") {
      continue;
    } else if (arg == "-l" || arg == "--log-level" || arg == "--config" || arg == "-c" ||
               arg == "--context") {
      ++i;  // accepted and ignored, as a value-taking flag
    } else {
      print_error("unknown flag: " + arg + "\nSee 'berth --help'.");
      return 125;
    }
  }
  if (i >= argc) {
    print_usage();
    return 0;
  }
  std::string name = argv[i];
  Args args(argv + i + 1, argv + argc);
  ctx.client = api::Client(ctx.host);
  if (name == "container") return container_command(ctx, args);
  if (name == "help") {
    print_usage();
    return 0;
  }
  auto it = commands().find(name);
  if (it == commands().end()) {
    print_error("berth: '" + name + "' is not a berth command.\nSee 'berth --help'");
    return 1;
  }
  return it->second(ctx, args);
}

}  // namespace berth::cli
