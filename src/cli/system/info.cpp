// berth info: docker info's layout over GET /info.
#include "base/file.h"
#include "base/strings.h"
#include "cli/commands.h"

namespace berth::cli {

namespace {

std::string text(const Json& j, const char* key) {
  if (!j.contains(key)) return "";
  const Json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  return "";
}

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
  auto j = parse_body(resp->body, "info");
  if (!j.ok()) return 1;
  const Json& i = *j;
  out = "Server:\n";
  out += " Containers: " + text(i, "Containers") + "\n";
  out += "  Running: " + text(i, "ContainersRunning") + "\n";
  out += "  Paused: " + text(i, "ContainersPaused") + "\n";
  out += "  Stopped: " + text(i, "ContainersStopped") + "\n";
  out += " Images: " + text(i, "Images") + "\n";
  out += " Server Version: " + text(i, "ServerVersion") + "\n";
  out += " Storage Driver: " + text(i, "Driver") + "\n";
  out += " Logging Driver: " + text(i, "LoggingDriver") + "\n";
  out += " Cgroup Driver: " + text(i, "CgroupDriver") + "\n";
  out += " Cgroup Version: " + text(i, "CgroupVersion") + "\n";
  std::string runtime = text(i, "DefaultRuntime");
  if (!runtime.empty()) out += " Default Runtime: " + runtime + "\n";
  out += " Kernel Version: " + text(i, "KernelVersion") + "\n";
  out += " Operating System: " + text(i, "OperatingSystem") + "\n";
  out += " OSType: " + text(i, "OSType") + "\n";
  out += " Architecture: " + text(i, "Architecture") + "\n";
  out += " CPUs: " + text(i, "NCPU") + "\n";
  double mem =
      i.contains("MemTotal") && i["MemTotal"].is_number() ? i["MemTotal"].get<double>() : 0;
  out += " Total Memory: " + bytes_size(mem) + "\n";
  out += " Name: " + text(i, "Name") + "\n";
  out += " ID: " + text(i, "ID") + "\n";
  out += " Docker Root Dir: " + text(i, "DockerRootDir") + "\n";
  out += " Debug Mode: " + std::string(i.value("Debug", false) ? "true" : "false") + "\n";
  out += " Experimental: " + std::string(i.value("ExperimentalBuild", false) ? "true" : "false") +
         "\n";
  out += " Live Restore Enabled: " +
         std::string(i.value("LiveRestoreEnabled", false) ? "true" : "false") + "\n";
  (void)write_all(1, out);
  for (const std::string& w : json_strings(i, "Warnings")) print_error(w);
  return 0;
}

}  // namespace berth::cli
