#include "engine/container.h"

namespace berth::engine {

namespace {
constexpr const char* kStatusNames[] = {"created",  "running", "paused", "restarting",
                                        "removing", "exited",  "dead"};
}

const char* status_name(RunState s) { return kStatusNames[static_cast<int>(s)]; }

bool parse_status(const std::string& text, RunState* out) {
  for (int i = 0; i < 7; ++i) {
    if (text == kStatusNames[i]) {
      *out = static_cast<RunState>(i);
      return true;
    }
  }
  return false;
}

bool Container::tty() const { return config.is_object() && config.value("Tty", false); }

bool Container::auto_remove() const {
  return host_config.is_object() && host_config.value("AutoRemove", false);
}

Json container_to_record(const Container& c) {
  return Json{{"id", c.id},
              {"name", c.name},
              {"created", c.created},
              {"image_id", c.image_id},
              {"image_ref", c.image_ref},
              {"path", c.path},
              {"args", c.args},
              {"config", c.config},
              {"host_config", c.host_config},
              {"restart_count", c.restart_count},
              {"manually_stopped", c.manually_stopped},
              {"mount_points", c.mount_points},
              {"networks", c.networks},
              {"ports", c.ports},
              {"state",
               {{"status", status_name(c.state.status)},
                {"pid", c.state.pid},
                {"exit_code", c.state.exit_code},
                {"oom_killed", c.state.oom_killed},
                {"error", c.state.error},
                {"started_at", c.state.started_at},
                {"finished_at", c.state.finished_at},
                {"health", c.state.health}}}};
}

Result<Container> container_from_record(const std::string& text) {
  BERTH_TRY_ASSIGN(Json j, parse_json(text, "container record"));
  Container c;
  c.id = json_string(j, "id");
  c.name = json_string(j, "name");
  c.created = j.value("created", int64_t{0});
  c.image_id = json_string(j, "image_id");
  c.image_ref = json_string(j, "image_ref");
  c.path = json_string(j, "path");
  c.args = json_strings(j, "args");
  c.config = j.value("config", Json::object());
  c.host_config = j.value("host_config", Json::object());
  c.restart_count = j.value("restart_count", 0);
  c.manually_stopped = j.value("manually_stopped", false);
  c.mount_points = j.value("mount_points", Json::array());
  c.networks = j.value("networks", Json::object());
  c.ports = j.value("ports", Json::object());
  Json s = j.value("state", Json::object());
  if (!parse_status(json_string(s, "status"), &c.state.status)) c.state.status = RunState::kDead;
  c.state.pid = s.value("pid", 0);
  c.state.exit_code = s.value("exit_code", 0);
  c.state.oom_killed = s.value("oom_killed", false);
  c.state.error = json_string(s, "error");
  c.state.started_at = s.value("started_at", int64_t{0});
  c.state.finished_at = s.value("finished_at", int64_t{0});
  c.state.health = s.value("health", Json(nullptr));
  if (c.id.empty()) return make_error(Code::kDataLoss, "container record without id");
  return c;
}

}  // namespace berth::engine
