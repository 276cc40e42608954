// A container as the engine keeps it: Docker's Config and HostConfig as the client sent them
// (merged with the image's defaults at create), typed (model/), plus the state the engine
// tracks.  Persisted as one JSON document per container in the metadata database
// (container_record.cpp: model::ContainerRecord, the keys the engine always wrote).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "model/container.h"
#include "model/record_container.h"

namespace berth::engine {

enum class RunState { kCreated, kRunning, kPaused, kRestarting, kRemoving, kExited, kDead };
const char* status_name(RunState s);  // "created", "running", ...
bool parse_status(const std::string& text, RunState* out);

// Docker's PortMap: "80/tcp" -> [{HostIp, HostPort}].
using PortMap = model::Map<model::List<model::PortBinding>>;

struct ContainerState {
  RunState status = RunState::kCreated;
  int pid = 0;
  int exit_code = 0;
  bool oom_killed = false;
  std::string error;
  int64_t started_at = 0;   // unix nanos; 0 = never
  int64_t finished_at = 0;  // unix nanos; 0 = never
  // Docker's State.Health; none without a healthcheck.
  std::optional<model::Health> health;
};

struct Container {
  std::string id;         // 64 hex
  std::string name;       // without the leading "/"
  int64_t created = 0;    // unix nanos
  std::string image_id;   // "sha256:..."
  std::string image_ref;  // as the user named it: "busybox"
  std::string path;       // the process: entrypoint/cmd merged
  std::vector<std::string> args;
  model::ContainerConfig config;
  model::HostConfig host_config;
  ContainerState state;
  int restart_count = 0;
  bool manually_stopped = false;  // docker stop/kill: restart policies leave it alone
  // Docker's MountPoints, resolved at create (container_volumes.cpp), with the engine's
  // CopyData/Anonymous/Create/TmpfsOptions.
  model::List<model::MountPointRecord> mount_points;
  // Network endpoints by network name (container_networks.cpp); kept while stopped (static IPs).
  model::Map<model::EndpointRecord> networks;
  PortMap ports;  // published ports while running
  // The create request's NetworkingConfig.EndpointsConfig, by network name.
  model::Map<model::EndpointSettings> endpoints_config;

  bool tty() const { return config.tty; }
  bool auto_remove() const { return host_config.auto_remove; }
  bool running() const {
    return state.status == RunState::kRunning || state.status == RunState::kPaused;
  }
};

model::ContainerRecord container_to_record(const Container& c);
Container container_from_record(model::ContainerRecord r);
// The record as stored (JSON text), and back.  DataLoss for a record without an id.
std::string dump_container_record(const Container& c);
Result<Container> container_from_record(const std::string& text);

}  // namespace berth::engine
