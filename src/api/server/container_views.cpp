#include "api/server/container_views.h"

#include "base/strings.h"
#include "base/time.h"

namespace berth::api::server {

namespace {
std::string time_or_zero(int64_t nanos) { return nanos ? format_rfc3339_nano(nanos) : kZeroTime; }

std::string shell_command(const engine::Container& c) {
  std::string out = c.path;
  for (auto& a : c.args) out += " " + a;
  return out;
}

// MountPoints without the engine's own keys.
Json mounts_view(const engine::Container& c) {
  Json out = Json::array();
  for (auto& mp : c.mount_points) {
    Json m = Json::object();
    for (const char* k :
         {"Type", "Name", "Source", "Destination", "Driver", "Mode", "RW", "Propagation"})
      if (mp.contains(k)) m[k] = mp[k];
    if (m["Type"] == "bind" || m["Type"] == "tmpfs") m.erase("Name"), m.erase("Driver");
    out.push_back(m);
  }
  return out;
}

Json networks_view(const engine::Container& c) {
  Json out = Json::object();
  for (auto& [name, ep] : c.networks.items()) {
    Json e = Json::object();
    for (auto& [k, v] : ep.items())
      if (!k.empty() && k[0] != '_') e[k] = v;
    out[name] = e;
  }
  return out;
}

// Ports of `docker ps`: one entry per published binding, or the exposed port alone.
Json summary_ports(const engine::Container& c) {
  Json out = Json::array();
  for (auto& [key, list] : c.ports.items()) {
    long long port = 0;
    parse_int64(key.substr(0, key.find('/')), &port);
    std::string proto = key.find('/') == std::string::npos ? "tcp" : key.substr(key.find('/') + 1);
    if (!list.is_array() || list.empty()) {
      out.push_back({{"PrivatePort", port}, {"Type", proto}});
      continue;
    }
    for (auto& b : list) {
      long long hp = 0;
      parse_int64(json_string(b, "HostPort"), &hp);
      out.push_back({{"IP", json_string(b, "HostIp")},
                     {"PrivatePort", port},
                     {"PublicPort", hp},
                     {"Type", proto}});
    }
  }
  return out;
}

Json null_if_empty(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return nullptr;
  return j[key];
}
}  // namespace

std::string container_status_text(const engine::Container& c) {
  int64_t now = now_nanos();
  switch (c.state.status) {
    case engine::RunState::kRunning: {
      std::string up = "Up " + human_duration((now - c.state.started_at) / 1000000000LL);
      if (c.state.health.is_object()) {
        std::string h = c.state.health.value("Status", "");
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

// Written as text: `ps -a` lists every container, and a Json tree per summary cost the
// listing most of its time.  Empty parts (the common case) are literals.
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
  out += c.ports.empty() ? "[]" : dump_json(summary_ports(c));
  key("Labels");
  auto labels = c.config.find("Labels");
  out += labels != c.config.end() && labels->is_object() && !labels->empty() ? dump_json(*labels)
                                                                             : "{}";
  str("State", engine::status_name(c.state.status));
  str("Status", container_status_text(c));
  key("HostConfig");
  out += "{\"NetworkMode\":";
  append_json_string(out, json_string(c.host_config, "NetworkMode", "none"));
  out += '}';
  key("NetworkSettings");
  out += "{\"Networks\":";
  out += c.networks.empty() ? "{}" : dump_json(networks_view(c));
  out += '}';
  key("Mounts");
  out += c.mount_points.empty() ? "[]" : dump_json(mounts_view(c));
  out += '}';
  return out;
}

Json container_summary(const engine::Container& c) {
  auto j = parse_json(container_summary_json(c), "container summary");
  return j ? *j : Json::object();
}

Json container_inspect(const engine::Container& c, const engine::Engine& engine) {
  const auto& s = c.state;
  std::string dir = engine.container_dir(c.id);
  engine::LogFile log = engine::log_file(c.host_config, dir, c.id);
  Json state{
      {"Status", engine::status_name(s.status)},
      {"Running", s.status == engine::RunState::kRunning || s.status == engine::RunState::kPaused},
      {"Paused", s.status == engine::RunState::kPaused},
      {"Restarting", s.status == engine::RunState::kRestarting},
      {"OOMKilled", s.oom_killed},
      {"Dead", s.status == engine::RunState::kDead},
      {"Pid", s.pid},
      {"ExitCode", s.exit_code},
      {"Error", s.error},
      {"StartedAt", time_or_zero(s.started_at)},
      {"FinishedAt", time_or_zero(s.finished_at)}};
  if (s.health.is_object()) state["Health"] = s.health;
  Json config = c.config;
  for (const char* key :
       {"AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce"})
    if (!config.contains(key)) config[key] = false;
  for (const char* key : {"Domainname", "User", "WorkingDir"})
    if (!config.contains(key)) config[key] = "";
  config["Cmd"] = null_if_empty(c.config, "Cmd");
  config["Entrypoint"] = null_if_empty(c.config, "Entrypoint");
  if (!config.contains("Volumes")) config["Volumes"] = nullptr;
  if (!config.contains("OnBuild")) config["OnBuild"] = nullptr;
  Json host_config = c.host_config;
  if (!host_config.contains("NetworkMode")) host_config["NetworkMode"] = "none";
  if (!host_config.contains("LogConfig"))
    host_config["LogConfig"] = {{"Type", "json-file"}, {"Config", Json::object()}};
  if (!host_config.contains("RestartPolicy"))
    host_config["RestartPolicy"] = {{"Name", "no"}, {"MaximumRetryCount", 0}};
  if (!host_config.contains("AutoRemove")) host_config["AutoRemove"] = false;
  return Json{
      {"Id", c.id},
      {"Created", format_rfc3339_nano(c.created)},
      {"Path", c.path},
      {"Args", c.args},
      {"State", state},
      {"Image", c.image_id},
      {"ResolvConfPath", dir + "/resolv.conf"},
      {"HostnamePath", dir + "/hostname"},
      {"HostsPath", dir + "/hosts"},
      // Docker shows the file for json-file only: the local driver's files are no API.
      {"LogPath", log.driver == "json-file" ? log.path : ""},
      {"Name", "/" + c.name},
      {"RestartCount", c.restart_count},
      {"Driver", "overlay2"},
      {"Platform", "linux"},
      {"MountLabel", ""},
      {"ProcessLabel", ""},
      {"AppArmorProfile", ""},
      {"ExecIDs", nullptr},
      {"HostConfig", host_config},
      {"GraphDriver",
       {{"Name", "overlay2"},
        {"Data",
         {{"MergedDir", dir + "/rootfs"},
          {"UpperDir", dir + "/diff"},
          {"WorkDir", dir + "/work"}}}}},
      {"Mounts", mounts_view(c)},
      {"Config", config},
      {"NetworkSettings",
       {{"Bridge", ""},
        {"SandboxID", c.running() && !c.networks.empty() ? c.id : ""},
        {"SandboxKey",
         c.running() && !c.networks.empty() ? engine.options().exec_root + "/netns/" + c.id : ""},
        {"Ports", c.ports},
        {"IPAddress",
         c.networks.contains("bridge") ? json_string(c.networks["bridge"], "IPAddress") : ""},
        {"Gateway",
         c.networks.contains("bridge") ? json_string(c.networks["bridge"], "Gateway") : ""},
        {"MacAddress",
         c.networks.contains("bridge") ? json_string(c.networks["bridge"], "MacAddress") : ""},
        {"Networks", networks_view(c)}}}};
}

}  // namespace berth::api::server
