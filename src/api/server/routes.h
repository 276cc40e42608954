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

// JSON request bodies (all but build contexts and archives) are at most this big: /auth with a
// 1 GiB body would otherwise be read into memory (issue 15 item 5).
inline constexpr size_t kMaxJsonBody = 1 << 20;
// moby's httputils.CheckForJSON: without a Content-Type the body must be empty, else the type
// must be application/json; a web page's form post (text/plain) is a 400 (CSRF, issue 15 item 6).
Status check_for_json(const http::Request& request);
// The request's JSON body as text, checked as above and at most kMaxJsonBody ("" when empty).
Result<std::string> json_body_text(http::Request& request);
// The request's JSON body ({} when empty), as json_body_text.
Result<Json> json_body(http::Request& request);

// The request's `filters` query parameter as JSON ({} when absent), Docker's list filters.
Result<Json> filters_param(const http::Request& request);

}  // namespace berth::api::server
