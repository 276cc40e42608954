// /volumes: list, create, inspect, remove, prune.
#include "api/server/routes.h"
#include "base/json.h"
#include "base/strings.h"

namespace berth::api::server {

namespace {
using engine::Engine;

std::map<std::string, std::string> string_map(const Json& j) {
  std::map<std::string, std::string> out;
  if (j.is_object())
    for (auto& [k, v] : j.items())
      if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

}  // namespace

void add_volume_routes(Router& router, Engine& engine) {
  Engine* e = &engine;
  router.add(
      "GET", "/volumes", [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
        BERTH_TRY_ASSIGN(Json f, filters_param(r));
        BERTH_TRY_ASSIGN(Json list, e->list_volumes(f));
        return send_json(w, 200, dump_json(Json{{"Volumes", list}, {"Warnings", Json::array()}}));
      });
  router.add("POST", "/volumes/create",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json body, json_body(r));
               volume::CreateOptions o;
               o.name = json_string(body, "Name");
               o.driver = json_string(body, "Driver", "local");
               o.options = string_map(body.value("DriverOpts", Json::object()));
               o.labels = string_map(body.value("Labels", Json::object()));
               BERTH_TRY_ASSIGN(volume::Volume v, e->create_volume(o));
               return send_json(w, 201, dump_json(volume::volume_json(v)));
             });
  router.add("POST", "/volumes/prune",
             [e](http::Request& r, http::ResponseWriter& w, const Params&) -> Status {
               BERTH_TRY_ASSIGN(Json f, filters_param(r));
               BERTH_TRY_ASSIGN(Json out, e->prune_volumes(f));
               return send_json(w, 200, dump_json(out));
             });
  router.add("GET", "/volumes/{name}",
             [e](http::Request&, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY_ASSIGN(volume::Volume v, e->get_volume(p.at("name")));
               return send_json(w, 200, dump_json(volume::volume_json(v)));
             });
  router.add("DELETE", "/volumes/{name}",
             [e](http::Request& r, http::ResponseWriter& w, const Params& p) -> Status {
               BERTH_TRY(e->remove_volume(p.at("name"), r.query_bool("force")));
               return w.send(204, "", "");
             });
}

}  // namespace berth::api::server
