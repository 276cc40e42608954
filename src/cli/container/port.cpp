// berth port CONTAINER [PRIVATE_PORT[/PROTO]]: the published ports from
// GET /containers/{id}/json's NetworkSettings.Ports, as docker prints them.
#include <algorithm>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"

namespace berth::cli {

namespace {

std::string host_port(const Json& binding) {
  std::string ip = json_string(binding, "HostIp");
  if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
  return ip + ":" + json_string(binding, "HostPort");
}

}  // namespace

int cmd_port(Context& ctx, const Args& args) {
  const char* usage = "port CONTAINER [PRIVATE_PORT[/PROTO]]";
  Flags flags;
  int rc = parse_flags(flags, "port", usage, args);
  if (rc >= 0) return rc;
  if (flags.args().empty() || flags.args().size() > 2)
    return args_error("port", usage, "requires at least 1 and at most 2 arguments");
  if (!ctx.connect().ok()) return 1;
  const std::string& name = flags.args()[0];
  auto resp = ctx.call("GET", "/containers/" + api::http::percent_encode(name) + "/json");
  if (!resp.ok()) return 1;
  if (!is_success(resp->status)) {
    print_daemon_error(*resp);
    return 1;
  }
  auto j = parse_body(resp->body, "container inspect");
  if (!j.ok()) return 1;
  Json ports = j->value("NetworkSettings", Json::object()).value("Ports", Json::object());
  if (!ports.is_object()) ports = Json::object();
  std::vector<std::string> out;
  if (flags.args().size() == 2) {
    std::string want = flags.args()[1];
    if (want.find('/') == std::string::npos) want += "/tcp";
    if (ports.contains(want) && ports[want].is_array() && !ports[want].empty()) {
      for (const Json& b : ports[want]) out.push_back(host_port(b));
    } else {
      print_error("Error: No public port '" + want + "' published for " + name);
      return 1;
    }
  } else {
    for (auto it = ports.begin(); it != ports.end(); ++it) {
      if (!it.value().is_array()) continue;
      for (const Json& b : it.value()) out.push_back(it.key() + " -> " + host_port(b));
    }
    std::sort(out.begin(), out.end());
  }
  std::string text;
  for (const std::string& line : out) text += line + "\n";
  (void)write_all(1, text);
  return 0;
}

}  // namespace berth::cli
