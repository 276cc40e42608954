// Applying a project to a daemon: `up` (networks, volumes, then services in dependency order,
// independent ones in parallel, converged by the config-hash label) and `down`.  Progress goes
// to a callback as Compose's plain progress lines ("Container p-web-1  Started").
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/error.h"
#include "compose/engine_api.h"
#include "compose/project.h"

namespace berth::compose {

// (kind, name, status): ("Container", "p-web-1", "Started").  Called from several threads,
// serialised by the caller of the callback (apply.cpp holds a lock).
using ProgressFn = std::function<void(const std::string&, const std::string&, const std::string&)>;
// Builds the image of a service (the CLI owns build contexts).
using BuildFn = std::function<Status(const std::string& service, const std::string& image)>;

struct UpOptions {
  std::vector<std::string> services;  // empty: all (plus the dependencies of those named)
  bool force_recreate = false;
  bool no_recreate = false;
  bool no_start = false;  // `create`
  bool no_deps = false;   // only `services` (none: just networks and volumes), no waits on deps
  bool remove_orphans = false;
  bool always_build = false;  // --build
  bool no_build = false;
  bool wait = false;            // --wait: every service running (healthy when it checks)
  int64_t wait_timeout_ms = 0;  // 0: none
  int64_t dependency_timeout_ms = 300000;
  std::map<std::string, int> scale;  // --scale service=n
  BuildFn build;
};

struct DownOptions {
  bool volumes = false;
  bool remove_orphans = false;
  int timeout = -1;
};

Status up(EngineApi& api, const Project& project, const UpOptions& options,
          const ProgressFn& progress, std::vector<std::string>* warnings);
Status down(EngineApi& api, const Project& project, const DownOptions& options,
            const ProgressFn& progress, std::vector<std::string>* warnings);

// The project's containers (one-off ones too), sorted by service then number.
Result<std::vector<model::ContainerSummary>> project_containers(EngineApi& api,
                                                                const std::string& project,
                                                                bool include_oneoff = false);
// The summary's name without its leading "/".
std::string summary_name(const model::ContainerSummary& c);

// Services in dependency order (dependencies first); `only` with their dependencies.
std::vector<std::string> start_order(const Project& project,
                                     const std::vector<std::string>& only = {});

}  // namespace berth::compose
