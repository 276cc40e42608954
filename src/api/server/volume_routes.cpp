// /volumes: list, create, inspect, remove, prune.
#include "api/server/routes.h"
#include "base/json.h"
#include "model/volume_json.h"

namespace berth::api::server {

namespace {
using engine::Engine;
}  // namespace

void add_volume_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add("GET", "/volumes",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json f, filters_param(r));
               model::VolumeListResponse out;
               BERTH_TRY_ASSIGN(out.volumes, e->list_volumes(f));
               out.warnings.set_empty();
               return send_json(w, 200, model::dump(out));
             });
  router.add("POST", "/volumes/create",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json body, json_body(r));
               BERTH_TRY_ASSIGN(auto request, model::from_json<model::VolumeCreateOptions>(body));
               volume::CreateOptions o;
               o.name = request.name;
               o.driver = request.driver.empty() ? "local" : request.driver;
               o.options = request.driver_opts;
               o.labels = request.labels;
               BERTH_TRY_ASSIGN(volume::Volume v, e->create_volume(o));
               return send_json(w, 201, model::dump(volume::volume_view(v)));
             });
  router.add("POST", "/volumes/prune",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json f, filters_param(r));
               BERTH_TRY_ASSIGN(auto out, e->prune_volumes(f));
               return send_json(w, 200, model::dump(out));
             });
  router.add("GET", "/volumes/{name}",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(volume::Volume v, e->get_volume(p.at("name")));
               return send_json(w, 200, model::dump(volume::volume_view(v)));
             });
  router.add("DELETE", "/volumes/{name}",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->remove_volume(p.at("name"), r.query_bool("force")));
               return w.send(204, "", "");
             });
}

}  // namespace berth::api::server
