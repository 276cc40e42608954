// Connecting `berth compose` commands to the daemon, and Compose's plain progress lines.
#pragma once

#include <string>

#include "cli/compose/compose_command.h"
#include "cli/compose/log_prefix.h"
#include "compose/apply.h"

namespace berth::cli {

// Connects (starting the embedded daemon when allowed); nullopt after printing the error.
std::optional<compose::EngineApi> compose_api(ComposeCommand& cc);

// What most commands start from: the loaded project, a connection and the project's containers
// (every state).
struct ProjectContainers {
  compose::Project project;
  compose::EngineApi api;
  std::vector<model::ContainerSummary> containers;
};
// nullopt after printing the error (bad file, no daemon, failed listing).
std::optional<ProjectContainers> load_project_containers(ComposeCommand& cc);

// " Container p-web-1  Started" on stderr, as docker compose's plain progress prints it.
compose::ProgressFn plain_progress();

void print_warnings(const std::vector<std::string>& warnings);

// Builds a service's image with `berth build` (one build at a time).
compose::BuildFn service_builder(ComposeCommand& cc, const compose::Project& project);

// Copies GET /containers/{id}/logs{query} through `w` until the daemon ends the stream.
void stream_container_logs(api::Client& client, const std::string& id, const std::string& query,
                           PrefixWriter& w);

// The running container number `index` of `service`; nullopt after printing why not.
std::optional<model::ContainerSummary> service_container(compose::EngineApi& api,
                                                         const std::string& project,
                                                         const std::string& service, int index);

}  // namespace berth::cli
