#include "api/server/container_views.h"

#include "base/strings.h"
#include "base/time.h"
#include "model/container_json.h"
#include "model/network_json.h"

namespace berth::api::server {

namespace {
std::string time_or_zero(int64_t nanos) { return nanos ? format_rfc3339_nano(nanos) : kZeroTime; }

std::string shell_command(const engine::Container& c) {
  std::string out = c.path;
  for (auto& a : c.args) out += " " + a;
  return out;
}

// MountPoints without the engine's own keys.
model::List<model::MountPoint> mounts_view(const engine::Container& c) {
  model::List<model::MountPoint> out;
  out.set_empty();
  for (const model::MountPoint& mp : c.mount_points) {
    out.push_back(mp);  // the record's MountPoint part: CopyData, Anonymous... stay behind
    if (mp.type == model::MountType::kBind || mp.type == model::MountType::kTmpfs) {
      out.back().name.clear();
      out.back().driver.clear();
    }
  }
  return out;
}

// Endpoints without the engine's `_` keys.
model::Map<model::EndpointSettings> networks_view(const engine::Container& c) {
  model::Map<model::EndpointSettings> out;
  out.set_empty();
  for (const auto& [name, ep] : c.networks) out.emplace(name, ep);
  return out;
}

std::string network_mode_view(const engine::Container& c) {
  return c.host_config.network_mode.empty() ? "none" : c.host_config.network_mode;
}

// Ports of `docker ps`: one entry per published binding, or the exposed port alone.
model::List<model::Port> summary_ports(const engine::Container& c) {
  model::List<model::Port> out;
  out.set_empty();
  for (const auto& [key, list] : c.ports) {
    long long port = 0;
    parse_int64(key.substr(0, key.find('/')), &port);
    std::string proto = key.find('/') == std::string::npos ? "tcp" : key.substr(key.find('/') + 1);
    if (list.empty()) {
      model::Port p;
      p.private_port = port;
      p.type = proto;
      out.push_back(std::move(p));
      continue;
    }
    for (const auto& b : list) {
      long long hp = 0;
      parse_int64(b.host_port, &hp);
      model::Port p;
      p.ip = b.host_ip;
      p.private_port = port;
      p.public_port = hp;
      p.type = proto;
      out.push_back(std::move(p));
    }
  }
  return out;
}
}  // namespace

std::string container_status_text(const engine::Container& c) {
  int64_t now = now_nanos();
  switch (c.state.status) {
    case engine::RunState::kRunning: {
      std::string up = "Up " + human_duration((now - c.state.started_at) / 1000000000LL);
      if (c.state.health) {
        const std::string& h = c.state.health->status;
        if (h == "starting")
          up += " (health: starting)";
        else if (!h.empty())
          up += " (" + h + ")";
      }
      return up;
    }
    case engine::RunState::kPaused:
      return "Up " + human_duration((now - c.state.started_at) / 1000000000LL) + " (Paused)";
    case engine::RunState::kExited:
      return "Exited (" + std::to_string(c.state.exit_code) + ") " +
             human_duration((now - c.state.finished_at) / 1000000000LL) + " ago";
    case engine::RunState::kCreated:
      return "Created";
    case engine::RunState::kRemoving:
      return "Removal In Progress";
    case engine::RunState::kRestarting:
      return "Restarting";
    case engine::RunState::kDead:
      return "Dead";
  }
  return "";
}

model::ContainerSummary container_summary_model(const engine::Container& c) {
  model::ContainerSummary s;
  s.id = c.id;
  s.names = {"/" + c.name};
  s.image = c.image_ref;
  s.image_id = c.image_id;
  s.command = shell_command(c);
  s.created = c.created / 1000000000LL;
  s.ports = summary_ports(c);
  s.labels = c.config.labels;
  if (s.labels.is_null()) s.labels.set_empty();
  s.state = engine::status_name(c.state.status);
  s.status = container_status_text(c);
  s.host_config.network_mode = network_mode_view(c);
  s.network_settings.emplace().networks = networks_view(c);
  s.mounts = mounts_view(c);
  return s;
}

// The fast path of container_summary_model: the same document as text.  The common parts are
// written field by field; the rare non-empty lists (ports, networks, mounts) go through the
// model's encoder.
std::string container_summary_json(const engine::Container& c) {
  std::string out;
  out.reserve(512);
  auto key = [&](const char* k) {
    out += out.empty() ? "{\"" : ",\"";
    out += k;
    out += "\":";
  };
  auto str = [&](const char* k, std::string_view v) {
    key(k);
    append_json_string(out, v);
  };
  str("Id", c.id);
  key("Names");
  out += '[';
  append_json_string(out, "/" + c.name);
  out += ']';
  str("Image", c.image_ref);
  str("ImageID", c.image_id);
  str("Command", shell_command(c));
  key("Created");
  out += std::to_string(c.created / 1000000000LL);
  key("Ports");
  out += c.ports.empty() ? "[]" : model::dump(summary_ports(c));
  key("Labels");
  if (c.config.labels.empty()) {
    out += "{}";
  } else {
    char sep = '{';
    for (const auto& [k, v] : c.config.labels) {
      out += sep;
      sep = ',';
      append_json_string(out, k);
      out += ':';
      append_json_string(out, v);
    }
    out += '}';
  }
  str("State", engine::status_name(c.state.status));
  str("Status", container_status_text(c));
  key("HostConfig");
  out += "{\"NetworkMode\":";
  append_json_string(out, network_mode_view(c));
  out += '}';
  key("NetworkSettings");
  out += "{\"Networks\":";
  out += c.networks.empty() ? "{}" : model::dump(networks_view(c));
  out += '}';
  key("Mounts");
  out += c.mount_points.empty() ? "[]" : model::dump(mounts_view(c));
  out += '}';
  return out;
}

Json container_summary(const engine::Container& c) {
  return model::to_json(container_summary_model(c));
}

model::ContainerInspectResponse container_inspect(const engine::Container& c,
                                                  const engine::Engine& engine) {
  const auto& s = c.state;
  std::string dir = engine.container_dir(c.id);
  engine::LogFile log = engine::log_file(c.host_config, dir, c.id);
  model::ContainerInspectResponse r;
  r.id = c.id;
  r.created = format_rfc3339_nano(c.created);
  r.path = c.path;
  r.args = c.args;
  model::ContainerState& state = r.state.emplace();
  state.status = engine::status_name(s.status);
  state.running = c.running();
  state.paused = s.status == engine::RunState::kPaused;
  state.restarting = s.status == engine::RunState::kRestarting;
  state.oom_killed = s.oom_killed;
  state.dead = s.status == engine::RunState::kDead;
  state.pid = s.pid;
  state.exit_code = s.exit_code;
  state.error = s.error;
  state.started_at = time_or_zero(s.started_at);
  state.finished_at = time_or_zero(s.finished_at);
  state.health = s.health;
  r.image = c.image_id;
  r.resolv_conf_path = dir + "/resolv.conf";
  r.hostname_path = dir + "/hostname";
  r.hosts_path = dir + "/hosts";
  // Docker shows the file for json-file only: the local driver's files are no API.
  r.log_path = log.driver == "json-file" ? log.path : "";
  r.name = "/" + c.name;
  r.restart_count = c.restart_count;
  r.driver = "overlay2";
  r.platform = "linux";
  // Defaults for what records from before the engine filled them in lack.
  model::HostConfig& hc = r.host_config.emplace(c.host_config);
  hc.network_mode = network_mode_view(c);
  if (hc.log_config.type.empty()) {
    hc.log_config.type = "json-file";
    hc.log_config.config.set_empty();
  }
  if (hc.restart_policy.name == model::RestartPolicyMode::kEmpty)
    hc.restart_policy.name = model::RestartPolicyMode::kNo;
  r.graph_driver.name = "overlay2";
  r.graph_driver.data = {
      {"MergedDir", dir + "/rootfs"}, {"UpperDir", dir + "/diff"}, {"WorkDir", dir + "/work"}};
  r.mounts = mounts_view(c);
  r.config = c.config;
  model::NetworkSettings& net = r.network_settings.emplace();
  bool sandbox = c.running() && !c.networks.empty();
  net.sandbox_id = sandbox ? c.id : "";
  net.sandbox_key = sandbox ? engine.options().exec_root + "/netns/" + c.id : "";
  net.ports = c.ports;
  if (net.ports.is_null()) net.ports.set_empty();
  if (auto bridge = c.networks.find("bridge"); bridge != c.networks.end()) {
    const model::EndpointSettings& ep = bridge->second;
    net.endpoint_id = ep.endpoint_id;
    net.gateway = ep.gateway;
    net.global_ipv6_address = ep.global_ipv6_address;
    net.global_ipv6_prefix_len = ep.global_ipv6_prefix_len;
    net.ip_address = ep.ip_address;
    net.ip_prefix_len = ep.ip_prefix_len;
    net.ipv6_gateway = ep.ipv6_gateway;
    net.mac_address = ep.mac_address;
  }
  net.networks = networks_view(c);
  return r;
}

}  // namespace berth::api::server
