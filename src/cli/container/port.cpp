// berth port CONTAINER [PRIVATE_PORT[/PROTO]]: the published ports from
// GET /containers/{id}/json's NetworkSettings.Ports, as docker prints them.
#include <algorithm>

#include "base/file.h"
#include "cli/commands.h"
#include "cli/flags/usage.h"
#include "model/container_json.h"

namespace berth::cli {

namespace {

std::string host_port(const model::PortBinding& binding) {
  std::string ip = binding.host_ip;
  if (ip.find(':') != std::string::npos) ip = "[" + ip + "]";
  return ip + ":" + binding.host_port;
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
  auto c = decode_body<model::ContainerInspectResponse>(resp->body, "container inspect");
  if (!c.ok()) return 1;
  model::Map<model::List<model::PortBinding>> ports;
  if (c->network_settings) ports = c->network_settings->ports;
  std::vector<std::string> out;
  if (flags.args().size() == 2) {
    std::string want = flags.args()[1];
    if (want.find('/') == std::string::npos) want += "/tcp";
    auto it = ports.find(want);
    if (it != ports.end() && !it->second.empty()) {
      for (const model::PortBinding& b : it->second) out.push_back(host_port(b));
    } else {
      print_error("Error: No public port '" + want + "' published for " + name);
      return 1;
    }
  } else {
    for (const auto& [port, bindings] : ports) {
      for (const model::PortBinding& b : bindings) out.push_back(port + " -> " + host_port(b));
    }
    std::sort(out.begin(), out.end());
  }
  std::string text;
  for (const std::string& line : out) text += line + "\n";
  (void)write_all(1, text);
  return 0;
}

}  // namespace berth::cli
