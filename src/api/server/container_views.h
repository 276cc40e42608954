// The Engine API's shapes of a container: ContainerSummary (list) and ContainerInspectResponse.
#pragma once

#include <string>

#include "base/json.h"
#include "engine/container.h"
#include "engine/engine.h"
#include "model/container.h"

namespace berth::api::server {

model::ContainerSummary container_summary_model(const engine::Container& c);
// The same as JSON text, written directly: `ps -a` lists every container, and building a
// typed summary (then a Json tree) per container cost the listing most of its time.
std::string container_summary_json(const engine::Container& c);
Json container_summary(const engine::Container& c);  // model::to_json of the summary
model::ContainerInspectResponse container_inspect(const engine::Container& c,
                                                  const engine::Engine& engine);
// "Up 3 seconds", "Exited (0) 2 minutes ago", "Created"
std::string container_status_text(const engine::Container& c);

}  // namespace berth::api::server
