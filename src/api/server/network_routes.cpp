// /networks: list, inspect, create, connect, disconnect, remove, prune.
#include "api/server/routes.h"
#include "base/json.h"
#include "model/network_json.h"

namespace berth::api::server {

using engine::Engine;

void add_network_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("GET", "/networks",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json f, filters_param(r));
               BERTH_TRY_ASSIGN(auto list, e->list_networks(f));
               return send_json(w, 200, model::dump(list));
             });
  router.add("GET", "/networks/{id}",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(model::Network n, e->inspect_network(p.at("id")));
               return send_json(w, 200, model::dump(n));
             });
  router.add("POST", "/networks/create",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json body, json_body(r));
               BERTH_TRY_ASSIGN(auto request, model::from_json<model::NetworkCreateRequest>(body));
               BERTH_TRY_ASSIGN(auto out, e->create_network(request));
               return send_json(w, 201, model::dump(out));
             });
  router.add("POST", "/networks/prune",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json f, filters_param(r));
               BERTH_TRY_ASSIGN(auto out, e->prune_networks(f));
               return send_json(w, 200, model::dump(out));
             });
  router.add("POST", "/networks/{id}/connect",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(Json body, json_body(r));
               BERTH_TRY_ASSIGN(auto request, model::from_json<model::NetworkConnectRequest>(body));
               BERTH_TRY(e->connect_network(
                   p.at("id"), request.container,
                   request.endpoint_config ? *request.endpoint_config : model::EndpointSettings{}));
               return w.send(200, "", "");
             });
  router.add("POST", "/networks/{id}/disconnect",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(Json body, json_body(r));
               BERTH_TRY_ASSIGN(auto request,
                                model::from_json<model::NetworkDisconnectRequest>(body));
               BERTH_TRY(e->disconnect_network(p.at("id"), request.container, request.force));
               return w.send(200, "", "");
             });
  router.add("DELETE", "/networks/{id}",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->remove_network(p.at("id")));
               return w.send(204, "", "");
             });
}

}  // namespace berth::api::server
