// The Engine API's JSON shapes of a container: ContainerSummary (list) and ContainerInspect.
#pragma once

#include "base/json.h"
#include "engine/container.h"
#include "engine/engine.h"

namespace berth::api::server {

Json container_summary(const engine::Container& c);
std::string container_summary_json(const engine::Container& c);  // the same, as text
Json container_inspect(const engine::Container& c, const engine::Engine& engine);
// "Up 3 seconds", "Exited (0) 2 minutes ago", "Created"
std::string container_status_text(const engine::Container& c);

}  // namespace berth::api::server
