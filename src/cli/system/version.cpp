// berth version: the client's part, then GET /version.
#include <sys/utsname.h>

#include "base/file.h"
#include "cli/commands.h"

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
  auto j = parse_body(resp->body, "version");
  if (!j.ok()) return 1;
  std::string platform = (*j).contains("Platform") ? json_string((*j)["Platform"], "Name") : "";
  out = "\nServer:" + (platform.empty() ? std::string() : " " + platform) + "\n";
  out += " Engine:\n";
  out += "  " + pad("Version:", 18) + json_string(*j, "Version") + "\n";
  std::string min = json_string(*j, "MinAPIVersion");
  out += "  " + pad("API version:", 18) + json_string(*j, "ApiVersion") +
         (min.empty() ? "" : " (minimum version " + min + ")") + "\n";
  std::string go = json_string(*j, "GoVersion");
  if (!go.empty()) out += "  " + pad("Go version:", 18) + go + "\n";
  out += "  " + pad("Git commit:", 18) + json_string(*j, "GitCommit") + "\n";
  out += "  " + pad("Built:", 18) + json_string(*j, "BuildTime") + "\n";
  out += "  " + pad("OS/Arch:", 18) + json_string(*j, "Os") + "/" + json_string(*j, "Arch") + "\n";
  bool experimental = j->value("Experimental", false);
  out += "  " + pad("Experimental:", 18) + (experimental ? "true" : "false") + "\n";
  if (j->contains("Components") && (*j)["Components"].is_array()) {
    for (const Json& c : (*j)["Components"]) {
      std::string name = json_string(c, "Name");
      if (name.empty() || name == "Engine") continue;
      out += " " + name + ":\n";
      out += "  " + pad("Version:", 18) + json_string(c, "Version") + "\n";
      if (c.contains("Details") && c["Details"].is_object()) {
        for (auto it = c["Details"].begin(); it != c["Details"].end(); ++it) {
          if (it.value().is_string())
            out += "  " + pad(it.key() + ":", 18) + it.value().get<std::string>() + "\n";
        }
      }
    }
  }
  (void)write_all(1, out);
  return 0;
}

}  // namespace berth::cli
