#include "api/server/daemon.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "api/http/server.h"
#include "api/server/routes.h"
#include "base/file.h"
#include "base/json.h"
#include "base/log.h"
#include "base/process.h"
#include "engine/log_config.h"

namespace berth::api::server {

namespace {
const char* kUsage =
    "Usage:\tberthd [OPTIONS]\n\n"
    "A container engine that speaks Docker's Engine API\n\n"
    "Options:\n"
    "      --bip string             Specify default-bridge IP (default \"172.17.0.1/16\")\n"
    "  -b, --bridge string          Attach containers to a network bridge (default \"berth0\")\n"
    "      --default-address-pool string  Default address pool for local networks\n"
    "      --iptables               Enable addition of nftables rules (default true)\n"
    "      --cgroup-parent string   Parent cgroup for all containers (default \"berth\")\n"
    "      --config-file string     Daemon configuration file (default "
    "\"/etc/berth/daemon.json\")\n"
    "      --data-root string       Root directory of persistent state (default "
    "\"/var/lib/berth\")\n"
    "      --exec-root string       Root directory for execution state files (default "
    "\"/run/berth\")\n"
    "  -H, --host list              Daemon socket(s) to connect to\n"
    "      --insecure-registry list Enable insecure registry communication\n"
    "      --log-driver string      Default driver for container logs (default \"json-file\")\n"
    "      --log-opt map            Default log driver options for containers (default map[])\n"
    "  -l, --log-level string       Set the logging level "
    "(\"debug\"|\"info\"|\"warn\"|\"error\"|\"fatal\")\n"
    "      --pidfile string         Path to use for daemon PID file (default "
    "\"/run/berth/berthd.pid\")\n"
    "      --shim-binary string     Path of berth-shim (default: next to berthd)\n"
    "  -v, --version                Print version information and quit\n";

Status apply_config_file(const std::string& path, DaemonOptions* o, bool required) {
  auto text = read_file(path);
  if (!text) {
    if (!required && text.error().code == Code::kNotFound) return ok_status();
    return std::move(text).error().context("unable to configure the daemon");
  }
  BERTH_TRY_ASSIGN(Json j, parse_json(*text, path));
  if (!j.is_object()) return make_error(Code::kInvalidArgument, path + ": not a JSON object");
  if (j.contains("hosts") && o->hosts.empty()) o->hosts = json_strings(j, "hosts");
  if (j.contains("data-root")) o->engine.data_root = json_string(j, "data-root");
  if (j.contains("exec-root")) o->engine.exec_root = json_string(j, "exec-root");
  if (j.contains("pidfile")) o->pidfile = json_string(j, "pidfile");
  if (j.contains("log-level")) o->log_level = json_string(j, "log-level");
  if (j.contains("cgroup-parent")) o->engine.cgroup_parent = json_string(j, "cgroup-parent");
  for (auto& r : json_strings(j, "insecure-registries")) o->engine.insecure_registries.push_back(r);
  if (j.contains("bridge")) o->engine.bridge = json_string(j, "bridge");
  if (j.contains("bip")) o->engine.bip = json_string(j, "bip");
  // "default-address-pools": [{"base": "10.10.0.0/16", "size": 24}], as dockerd's daemon.json.
  if (j.contains("default-address-pools") && j["default-address-pools"].is_array())
    for (auto& p : j["default-address-pools"])
      if (p.is_object())
        o->engine.default_pools.push_back("base=" + json_string(p, "base") +
                                          (p.contains("size") && p["size"].is_number_integer()
                                               ? ",size=" + std::to_string(p["size"].get<int>())
                                               : ""));
  if (j.contains("iptables") && j["iptables"].is_boolean()) o->engine.iptables = j["iptables"];
  if (j.contains("log-driver")) o->engine.log_defaults.driver = json_string(j, "log-driver");
  if (j.contains("log-opts") && j["log-opts"].is_object())
    for (auto& [k, v] : j["log-opts"].items())
      o->engine.log_defaults.opts[k] = v.is_string() ? v.get<std::string>() : v.dump();
  return ok_status();
}
}  // namespace

Result<DaemonOptions> parse_daemon_args(int argc, char** argv, bool* exit_now) {
  DaemonOptions o;
  *exit_now = false;
  // Flags given on the command line win over daemon.json: collect them first, apply after.
  std::vector<std::pair<std::string, std::string>> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      *exit_now = true;
      return o;
    }
    if (arg == "-v" || arg == "--version") {
      std::printf("Berth version %s\n", kBerthVersion);
      *exit_now = true;
      return o;
    }
    if (arg == "-D" || arg == "--debug") {
      flags.emplace_back("--log-level", "debug");
      continue;
    }
    std::string name = arg, value;
    if (auto eq = arg.find('='); eq != std::string::npos && arg.rfind("--", 0) == 0) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    } else {
      if (i + 1 >= argc)
        return make_error(Code::kInvalidArgument, "flag needs an argument: " + arg);
      value = argv[++i];
    }
    if (name == "-H") name = "--host";
    if (name == "-l") name = "--log-level";
    if (name == "-b") name = "--bridge";
    flags.emplace_back(name, value);
  }
  for (auto& [name, value] : flags)
    if (name == "--config-file") o.config_file = value;
  BERTH_TRY(apply_config_file(o.config_file.empty() ? "/etc/berth/daemon.json" : o.config_file, &o,
                              !o.config_file.empty()));
  bool pools_from_flags = false;
  for (auto& [name, value] : flags) {
    if (name == "--host")
      o.hosts.push_back(value);
    else if (name == "--data-root")
      o.engine.data_root = value;
    else if (name == "--exec-root")
      o.engine.exec_root = value;
    else if (name == "--pidfile")
      o.pidfile = value;
    else if (name == "--log-level")
      o.log_level = value;
    else if (name == "--insecure-registry")
      o.engine.insecure_registries.push_back(value);
    else if (name == "--cgroup-parent")
      o.engine.cgroup_parent = value;
    else if (name == "--shim-binary")
      o.engine.shim_binary = value;
    else if (name == "--bridge")
      o.engine.bridge = value;
    else if (name == "--bip")
      o.engine.bip = value;
    else if (name == "--default-address-pool") {
      // The flags replace daemon.json's pools; each is checked when the networks open.
      if (!pools_from_flags) o.engine.default_pools.clear();
      pools_from_flags = true;
      o.engine.default_pools.push_back(value);
    } else if (name == "--iptables")
      o.engine.iptables = value != "false";
    else if (name == "--log-driver")
      o.engine.log_defaults.driver = value;
    else if (name == "--log-opt") {
      auto eq = value.find('=');
      if (eq == std::string::npos)
        return make_error(Code::kInvalidArgument, "invalid argument \"" + value +
                                                      "\" for \"--log-opt\" flag: invalid "
                                                      "key value pair format: " +
                                                      value);
      o.engine.log_defaults.opts[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (name == "--config-file")
      continue;
    else
      return make_error(Code::kInvalidArgument, "unknown flag: " + name);
  }
  if (auto st =
          engine::validate_log_config(o.engine.log_defaults.driver, o.engine.log_defaults.opts);
      !st)
    return make_error(Code::kInvalidArgument, "failed to set log opts: " + st.error().message);
  if (o.hosts.empty()) o.hosts.push_back("unix://" + o.engine.exec_root + "/berth.sock");
  if (o.pidfile.empty()) o.pidfile = o.engine.exec_root + "/berthd.pid";
  while (o.engine.cgroup_parent.size() > 1 && o.engine.cgroup_parent[0] == '/')
    o.engine.cgroup_parent.erase(0, 1);
  LogLevel level;
  if (!parse_log_level(o.log_level, &level))
    return make_error(Code::kInvalidArgument, "unable to parse logging level: " + o.log_level);
  set_log_level(level);
  return o;
}

int run_daemon(const DaemonOptions& options) {
  // SIGPIPE would kill the daemon when a client hangs up mid-write.
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  // Shims detach (double fork) so they outlive us; while we live they re-parent to us rather
  // than to pid 1, which on some hosts never reaps them.  The reaper reaps them and every other
  // orphan, and leaves alone the children our own code waits for (spawn, shim::launch).
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  start_reaper();
  ::umask(022);
  auto engine = engine::Engine::open(options.engine);
  if (!engine) {
    log_error("failed to start daemon: " + engine.error().message);
    return 1;
  }
  if (auto st = write_file_atomic(options.pidfile, std::to_string(::getpid()) + "\n"); !st) {
    log_error("failed to start daemon: " + st.error().message);
    return 1;
  }
  Router router;
  add_all_routes(router, **engine);
  http::Handler handler = [&router](http::Request& r, http::ResponseWriter& w) {
    router.handle(r, w);
  };
  std::vector<std::unique_ptr<http::Server>> servers;
  for (auto& host : options.hosts) {
    if (host.rfind("unix://", 0) == 0) {
      std::string path = host.substr(7);
      (void)make_dirs(path.substr(0, path.rfind('/')));
    }
    auto server = http::Server::listen(host, handler);
    if (!server) {
      log_error("failed to load listeners: " + server.error().message);
      ::unlink(options.pidfile.c_str());
      return 1;
    }
    servers.push_back(std::move(*server));
  }
  std::vector<std::thread> threads;
  for (auto& s : servers) threads.emplace_back([&s] { s->serve(); });
  log_info("API listen on " + options.hosts[0]);
  log_info("Daemon has completed initialization");

  int sig = 0;
  sigwait(&stop_signals, &sig);
  log_info("Processing signal '" + std::string(sig == SIGTERM ? "terminated" : "interrupt") + "'");
  for (auto& s : servers) s->shutdown();
  for (auto& t : threads) t.join();
  for (auto& host : options.hosts)
    if (host.rfind("unix://", 0) == 0) ::unlink(host.substr(7).c_str());
  ::unlink(options.pidfile.c_str());
  // Containers keep running under their shims (live restore); the next daemon picks them up.
  return 0;
}

}  // namespace berth::api::server
