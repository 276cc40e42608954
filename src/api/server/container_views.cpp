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

Json null_if_empty(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return nullptr;
  return j[key];
}
}  // namespace

std::string container_status_text(const engine::Container& c) {
  int64_t now = now_nanos();
  switch (c.state.status) {
    case engine::RunState::kRunning:
      return "Up " + human_duration((now - c.state.started_at) / 1000000000LL);
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

Json container_summary(const engine::Container& c) {
  Json labels = c.config.contains("Labels") && c.config["Labels"].is_object() ? c.config["Labels"]
                                                                              : Json::object();
  std::string network_mode = json_string(c.host_config, "NetworkMode", "none");
  return Json{{"Id", c.id},
              {"Names", {"/" + c.name}},
              {"Image", c.image_ref},
              {"ImageID", c.image_id},
              {"Command", shell_command(c)},
              {"Created", c.created / 1000000000LL},
              {"Ports", Json::array()},
              {"Labels", labels},
              {"State", engine::status_name(c.state.status)},
              {"Status", container_status_text(c)},
              {"HostConfig", {{"NetworkMode", network_mode}}},
              {"NetworkSettings", {{"Networks", Json::object()}}},
              {"Mounts", Json::array()}};
}

Json container_inspect(const engine::Container& c, const engine::Engine& engine) {
  const auto& s = c.state;
  std::string dir = engine.container_dir(c.id);
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
  return Json{{"Id", c.id},
              {"Created", format_rfc3339_nano(c.created)},
              {"Path", c.path},
              {"Args", c.args},
              {"State", state},
              {"Image", c.image_id},
              {"ResolvConfPath", dir + "/resolv.conf"},
              {"HostnamePath", dir + "/hostname"},
              {"HostsPath", dir + "/hosts"},
              {"LogPath", dir + "/" + c.id + "-json.log"},
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
              {"Mounts", Json::array()},
              {"Config", config},
              {"NetworkSettings",
               {{"Bridge", ""},
                {"SandboxID", ""},
                {"SandboxKey", ""},
                {"Ports", Json::object()},
                {"Networks", Json::object()}}}};
}

}  // namespace berth::api::server
