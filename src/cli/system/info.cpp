// berth info: docker info's layout over GET /info.
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "model/system_json.h"

namespace berth::cli {

namespace {

std::string yes_no(bool b) { return b ? "true" : "false"; }

// go-units BytesSize: binary units, 4 significant digits ("7.756GiB").
std::string bytes_size(double n) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (n >= 1024.0 && unit < 5) {
    n /= 1024.0;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g%s", n, kUnits[unit]);
  return buf;
}

}  // namespace

int cmd_info(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("format", 'f', "", "Format output using a custom template");
  int rc = parse_flags(flags, "info", "info [OPTIONS]", args);
  if (rc >= 0) return rc;
  std::string out = "Client:\n Version:    " + std::string(kClientVersion) +
                    "\n Context:    default\n Debug Mode: false\n\n";
  (void)write_all(1, out);
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("GET", "/info");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto info = decode_body<model::SystemInfo>(resp->body, "info");
  if (!info.ok()) return 1;
  const model::SystemInfo& i = *info;
  out = "Server:\n";
  out += " Containers: " + std::to_string(i.containers) + "\n";
  out += "  Running: " + std::to_string(i.containers_running) + "\n";
  out += "  Paused: " + std::to_string(i.containers_paused) + "\n";
  out += "  Stopped: " + std::to_string(i.containers_stopped) + "\n";
  out += " Images: " + std::to_string(i.images) + "\n";
  out += " Server Version: " + i.server_version + "\n";
  out += " Storage Driver: " + i.driver + "\n";
  out += " Logging Driver: " + i.logging_driver + "\n";
  out += " Cgroup Driver: " + i.cgroup_driver + "\n";
  out += " Cgroup Version: " + i.cgroup_version + "\n";
  if (!i.default_runtime.empty()) out += " Default Runtime: " + i.default_runtime + "\n";
  out += " Kernel Version: " + i.kernel_version + "\n";
  out += " Operating System: " + i.operating_system + "\n";
  out += " OSType: " + i.os_type + "\n";
  out += " Architecture: " + i.architecture + "\n";
  out += " CPUs: " + std::to_string(i.ncpu) + "\n";
  out += " Total Memory: " + bytes_size(static_cast<double>(i.mem_total)) + "\n";
  out += " Name: " + i.name + "\n";
  out += " ID: " + i.id + "\n";
  out += " Docker Root Dir: " + i.docker_root_dir + "\n";
  out += " Debug Mode: " + yes_no(i.debug) + "\n";
  out += " Experimental: " + yes_no(i.experimental_build) + "\n";
  out += " Live Restore Enabled: " + yes_no(i.live_restore_enabled) + "\n";
  (void)write_all(1, out);
  for (const std::string& w : i.warnings) print_error(w);
  return 0;
}

}  // namespace berth::cli
