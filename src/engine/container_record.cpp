// The container record: model::ContainerRecord, whose keys are the ones the engine always wrote,
// so records from before the typed model load unchanged.
#include "base/json.h"
#include "engine/container.h"
#include "model/network_json.h"
#include "model/record_container_json.h"

namespace berth::engine {

namespace {
constexpr const char* kStatusNames[] = {"created",  "running", "paused", "restarting",
                                        "removing", "exited",  "dead"};
// Older records kept the create request's EndpointsConfig inside host_config.
constexpr const char* kLegacyEndpointsKey = "_EndpointsConfig";
}  // namespace

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

model::ContainerRecord container_to_record(const Container& c) {
  model::ContainerRecord r;
  r.id = c.id;
  r.name = c.name;
  r.created = c.created;
  r.image_id = c.image_id;
  r.image_ref = c.image_ref;
  r.path = c.path;
  r.args = c.args;
  r.config = c.config;
  r.host_config = c.host_config;
  r.restart_count = c.restart_count;
  r.manually_stopped = c.manually_stopped;
  // Empty lists and maps are written as [] and {}, as the engine always did.
  r.mount_points = c.mount_points;
  if (r.mount_points.empty()) r.mount_points.set_empty();
  r.networks = c.networks;
  if (r.networks.empty()) r.networks.set_empty();
  r.ports = c.ports;
  if (r.ports.empty()) r.ports.set_empty();
  r.endpoints_config = c.endpoints_config;
  r.state.status = status_name(c.state.status);
  r.state.pid = c.state.pid;
  r.state.exit_code = c.state.exit_code;
  r.state.oom_killed = c.state.oom_killed;
  r.state.error = c.state.error;
  r.state.started_at = c.state.started_at;
  r.state.finished_at = c.state.finished_at;
  r.state.health = c.state.health;
  return r;
}

Container container_from_record(model::ContainerRecord r) {
  Container c;
  c.id = std::move(r.id);
  c.name = std::move(r.name);
  c.created = r.created;
  c.image_id = std::move(r.image_id);
  c.image_ref = std::move(r.image_ref);
  c.path = std::move(r.path);
  c.args = std::move(r.args);
  c.config = std::move(r.config);
  c.host_config = std::move(r.host_config);
  c.restart_count = static_cast<int>(r.restart_count);
  c.manually_stopped = r.manually_stopped;
  c.mount_points = std::move(r.mount_points);
  c.networks = std::move(r.networks);
  c.ports = std::move(r.ports);
  c.endpoints_config = std::move(r.endpoints_config);
  if (!parse_status(r.state.status, &c.state.status)) c.state.status = RunState::kDead;
  c.state.pid = static_cast<int>(r.state.pid);
  c.state.exit_code = static_cast<int>(r.state.exit_code);
  c.state.oom_killed = r.state.oom_killed;
  c.state.error = std::move(r.state.error);
  c.state.started_at = r.state.started_at;
  c.state.finished_at = r.state.finished_at;
  c.state.health = std::move(r.state.health);
  return c;
}

std::string dump_container_record(const Container& c) {
  return model::dump(container_to_record(c));
}

Result<Container> container_from_record(const std::string& text) {
  BERTH_TRY_ASSIGN(auto r, model::parse<model::ContainerRecord>(text, "container record"));
  if (r.id.empty()) return make_error(Code::kDataLoss, "container record without id");
  auto& unknown = r.host_config.unknown_fields;
  if (auto it = unknown.find(kLegacyEndpointsKey); it != unknown.end()) {
    if (r.endpoints_config.empty() && !it->second.empty()) {
      BERTH_TRY_ASSIGN(Json j, parse_json(it->second.text(), "container record"));
      BERTH_TRY_ASSIGN(r.endpoints_config,
                       model::from_json<model::Map<model::EndpointSettings>>(
                           j, "host_config." + std::string(kLegacyEndpointsKey)));
    }
    unknown.erase(it);
  }
  return container_from_record(std::move(r));
}

}  // namespace berth::engine
