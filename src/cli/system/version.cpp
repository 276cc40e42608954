// berth version: the client's part, then GET /version.
#include <sys/utsname.h>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/context.h"
#include "model/system_json.h"

namespace berth::cli {

namespace {

std::string arch_name() {
  utsname u{};
  if (::uname(&u) != 0) return "unknown";
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  return m;
}

std::string pad(const std::string& label, size_t width) {
  std::string s = label;
  if (s.size() < width) s.resize(width, ' ');
  return s;
}

}  // namespace

int cmd_version(Context& ctx, const Args& args) {
  Flags flags;
  flags.add_string("format", 'f', "", "Format output using a custom template");
  int rc = parse_flags(flags, "version", "version [OPTIONS]", args);
  if (rc >= 0) return rc;
  std::string out = "Client:\n";
  out += " " + pad("Version:", 19) + kClientVersion + "\n";
  out += " " + pad("API version:", 19) + kClientApiVersion + "\n";
  out += " " + pad("OS/Arch:", 19) + "linux/" + arch_name() + "\n";
  out += " " + pad("Context:", 19) + "default\n";
  (void)write_all(1, out);
  if (!ctx.connect().ok()) return 1;
  auto resp = ctx.call("GET", "/version");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto v = decode_body<model::SystemVersion>(resp->body, "version");
  if (!v.ok()) return 1;
  const std::string& platform = v->platform.name;
  out = "\nServer:" + (platform.empty() ? std::string() : " " + platform) + "\n";
  out += " Engine:\n";
  out += "  " + pad("Version:", 18) + v->version + "\n";
  const std::string& min = v->min_api_version;
  out += "  " + pad("API version:", 18) + v->api_version +
         (min.empty() ? "" : " (minimum version " + min + ")") + "\n";
  if (!v->go_version.empty()) out += "  " + pad("Go version:", 18) + v->go_version + "\n";
  out += "  " + pad("Git commit:", 18) + v->git_commit + "\n";
  out += "  " + pad("Built:", 18) + v->build_time + "\n";
  out += "  " + pad("OS/Arch:", 18) + v->os + "/" + v->arch + "\n";
  out += "  " + pad("Experimental:", 18) + (v->experimental ? "true" : "false") + "\n";
  for (const model::ComponentVersion& c : v->components) {
    if (c.name.empty() || c.name == "Engine") continue;
    out += " " + c.name + ":\n";
    out += "  " + pad("Version:", 18) + c.version + "\n";
    for (const auto& [key, value] : c.details) out += "  " + pad(key + ":", 18) + value + "\n";
  }
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
