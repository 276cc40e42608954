// The Engine API routes, grouped by resource; each group registers its routes on the router.
// Routes see the engine's public interface only.
#pragma once

#include "api/server/router.h"
#include "engine/engine.h"

namespace berth::api::server {

inline constexpr const char* kApiVersion = "1.50";
inline constexpr const char* kMinApiVersion = "1.24";
inline constexpr const char* kBerthVersion = "0.1.0";

void add_system_routes(Router& router, engine::Engine& engine);
void add_container_routes(Router& router, engine::Engine& engine);
void add_image_routes(Router& router, engine::Engine& engine);
void add_container_manage_routes(Router& router, engine::Engine& engine);
void add_exec_routes(Router& router, engine::Engine& engine);
void add_container_files_routes(Router& router, engine::Engine& engine);
void add_network_routes(Router& router, engine::Engine& engine);
void add_volume_routes(Router& router, engine::Engine& engine);
// POST /commit (commit_routes.cpp); POST /build, /build/prune (build_routes.cpp).
void add_commit_routes(Router& router, engine::Engine& engine);
void add_build_routes(Router& router, engine::Engine& engine);
// /swarm, /nodes, /services, /tasks, /secrets, /configs on a node in no swarm (swarm_routes.cpp).
void add_swarm_routes(Router& router, engine::Engine& engine);

// All of the above.
void add_all_routes(Router& router, engine::Engine& engine);

// True while the peer of a hijacked or streaming connection has not hung up.
bool peer_alive(int fd);

// The request's JSON body ({} when empty), at most 16 MiB.
Result<Json> json_body(http::Request& request);

// The request's `filters` query parameter as JSON ({} when absent), Docker's list filters.
Result<Json> filters_param(const http::Request& request);

}  // namespace berth::api::server
