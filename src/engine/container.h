// A container as the engine keeps it: Docker's Config and HostConfig as the client sent them
// (merged with the image's defaults at create), plus the state the engine tracks.  Persisted
// as one JSON document per container in the metadata database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/json.h"

namespace berth::engine {

enum class RunState { kCreated, kRunning, kPaused, kRestarting, kRemoving, kExited, kDead };
const char* status_name(RunState s);  // "created", "running", ...
bool parse_status(const std::string& text, RunState* out);

struct ContainerState {
  RunState status = RunState::kCreated;
  int pid = 0;
  int exit_code = 0;
  bool oom_killed = false;
  std::string error;
  int64_t started_at = 0;   // unix nanos; 0 = never
  int64_t finished_at = 0;  // unix nanos; 0 = never
  // Docker's State.Health ({Status, FailingStreak, Log}); null without a healthcheck.
  Json health;
};

struct Container {
  std::string id;         // 64 hex
  std::string name;       // without the leading "/"
  int64_t created = 0;    // unix nanos
  std::string image_id;   // "sha256:..."
  std::string image_ref;  // as the user named it: "busybox"
  std::string path;       // the process: entrypoint/cmd merged
  std::vector<std::string> args;
  Json config;       // Docker's Config (Hostname, Env, Cmd, Image, Tty, OpenStdin, ...)
  Json host_config;  // Docker's HostConfig
  ContainerState state;
  int restart_count = 0;
  bool manually_stopped = false;  // docker stop/kill: restart policies leave it alone
  // Docker's MountPoints, resolved at create (engine_volume.cpp): Type, Name, Source,
  // Destination, Mode, RW, Propagation, plus CopyData/Anonymous/TmpfsOptions for the engine.
  Json mount_points = Json::array();
  // Network endpoints by network name (engine_network.cpp): NetworkID, EndpointID, IPAddress,
  // IPPrefixLen, Gateway, MacAddress, Aliases, IPAMConfig; kept while stopped (static IPs).
  Json networks = Json::object();
  Json ports = Json::object();  // published ports while running: "80/tcp" -> [{HostIp, HostPort}]

  bool tty() const;
  bool auto_remove() const;
  bool running() const {
    return state.status == RunState::kRunning || state.status == RunState::kPaused;
  }
};

Json container_to_record(const Container& c);
Result<Container> container_from_record(const std::string& text);

}  // namespace berth::engine
