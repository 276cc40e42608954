// Swarm's endpoints on a node that is in no swarm, answered as dockerd answers them
// (moby daemon/cluster/errors.go, Cluster.errNoManager): every manager action is a 503
// "not a swarm manager", leaving is a 503 "not part of a swarm".  Without these the routes
// would be 404s, which clients (docker-py's test teardowns, the CLI) do not expect.
#include "api/server/routes.h"

namespace berth::api::server {
namespace {

constexpr const char* kNotManager =
    "This node is not a swarm manager. Use \"docker swarm init\" or \"docker swarm join\" to "
    "connect this node to swarm and try again.";
constexpr const char* kNoSwarm = "This node is not part of a swarm";

void add_unavailable(Router& router, const char* method, const std::string& pattern,
                     const char* message) {
  router.add(method, pattern, [message](http::Request&, http::ResponseWriter&, const Params&) {
    return Status(make_error(Code::kUnavailable, message));
  });
}

}  // namespace

void add_swarm_routes(Router& router, engine::Engine&) {
  add_unavailable(router, "GET", "/swarm", kNotManager);
  add_unavailable(router, "POST", "/swarm/update", kNotManager);
  add_unavailable(router, "GET", "/swarm/unlockkey", kNotManager);
  add_unavailable(router, "POST", "/swarm/unlock", kNotManager);
  add_unavailable(router, "POST", "/swarm/leave", kNoSwarm);
  // Nodes, services, tasks, secrets and configs: list, inspect, create, update, remove.
  for (const char* kind : {"nodes", "services", "tasks", "secrets", "configs"}) {
    std::string base = std::string("/") + kind;
    add_unavailable(router, "GET", base, kNotManager);
    add_unavailable(router, "GET", base + "/{id}", kNotManager);
    if (std::string(kind) == "tasks") continue;
    add_unavailable(router, "POST", base + "/{id}/update", kNotManager);
    add_unavailable(router, "DELETE", base + "/{id}", kNotManager);
    if (std::string(kind) != "nodes")
      add_unavailable(router, "POST", base + "/create", kNotManager);
  }
  add_unavailable(router, "GET", "/services/{id}/logs", kNotManager);
  add_unavailable(router, "GET", "/tasks/{id}/logs", kNotManager);
}

}  // namespace berth::api::server
